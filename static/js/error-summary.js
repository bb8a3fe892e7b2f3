/* The error summary of a form sent back with mistakes (templates/includes/error_summary.html,
   the feedback form's #form-errors). Without this script the summary is focused by its
   autofocus attribute and its links jump to their fields; with it, the summary is focused even
   where autofocus is not honoured, and a link puts the focus in its field with the field's
   label (or the group's legend) in view. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  if (document.activeElement !== summary) { summary.focus(); }

  function labelFor(field) {
    var fieldset = field.closest("fieldset");
    if (field.type === "radio" || field.type === "checkbox") {
      var legend = fieldset && fieldset.querySelector("legend");
      if (legend) { return legend; }
    }
    return document.querySelector("label[for='" + field.id + "']") || field;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    labelFor(field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
