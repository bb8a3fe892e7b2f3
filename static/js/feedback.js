/* Feedback form, progressive enhancement: find the grid from an address or the browser's
   location through the grids lookup API, and highlight the emergency numbers when an emergency
   category is chosen. Without JavaScript the grid list and the numbers work as they are.
   The messages come from the page (data- attributes of the status line), in its language. */
(function () {
  "use strict";
  var form = document.querySelector(".feedback-form");
  if (!form) { return; }
  var lookup = document.getElementById("grid-lookup");
  var select = document.getElementById("id_grid");
  var status = document.getElementById("grid-lookup-status");
  var url = form.getAttribute("data-lookup-url");

  function say(text) { if (status) { status.textContent = text; } }
  function message(name, values) {
    var text = (status && status.getAttribute("data-" + name)) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function choose(results, answer) {
    if (!results || !results.length) {
      say(message("none"));
      return;
    }
    if (answer !== "exact") {
      /* A near miss is a question, never a grid chosen for the resident. */
      var names = results.map(function (result) {
        return result.name + (result.on_duty ? "（" + result.on_duty.name + "）" : "");
      });
      say(message("candidates", { names: names.join("、") }));
      return;
    }
    var code = results[0].code;
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      if (option.textContent.indexOf("（" + code + "）") !== -1) {
        select.value = option.value;
        say(message("chosen", { choice: option.textContent }));
        return;
      }
    }
    if (results[0].pk) {
      /* The list shows one community's grids: add the grid found in another. */
      var added = document.createElement("option");
      added.value = "g" + results[0].pk;
      added.textContent = results[0].name + "（" + code + "）";
      select.appendChild(added);
      select.value = added.value;
      say(message("chosen", { choice: added.textContent }));
      return;
    }
    say(message("not-listed", { name: results[0].name }));
  }

  function ask(query) {
    say(message("searching"));
    fetch(url + "?" + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) { choose(data.results, data.answer); })
      .catch(function () { say(message("failed")); });
  }

  if (lookup && select && url && window.fetch) {
    lookup.hidden = false;
    /* The box above replaces the lookup without JavaScript (a page reload). */
    var addressStep = document.getElementById("grid-address-step");
    if (addressStep) { addressStep.hidden = true; }
    var input = document.getElementById("grid-lookup-q");
    document.getElementById("grid-lookup-go").addEventListener("click", function () {
      var q = input.value.trim();
      if (!q) { say(message("empty")); input.focus(); return; }
      ask("q=" + encodeURIComponent(q));
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); document.getElementById("grid-lookup-go").click(); }
    });
    var here = document.getElementById("grid-lookup-here");
    if (navigator.geolocation) {
      here.addEventListener("click", function () {
        say(message("locating"));
        navigator.geolocation.getCurrentPosition(function (position) {
          ask("lat=" + position.coords.latitude + "&lng=" + position.coords.longitude);
        }, function () { say(message("no-position")); }, { timeout: 10000 });
      });
    } else {
      here.hidden = true;
    }
  }

  var emergency = document.getElementById("emergency-numbers");
  function markEmergency() {
    if (!emergency) { return; }
    var checked = form.querySelector("input[name=category]:checked");
    var on = !!(checked && checked.getAttribute("data-emergency"));
    emergency.classList.toggle("emergency--active", on);
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "category") { markEmergency(); }
  });
  markEmergency();
})();
