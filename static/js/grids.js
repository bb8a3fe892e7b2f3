/* Grids: the print button on the grid sign, and "use my location" on the lookup box.
   Everything else works without this script; these two need the browser, so they are shown
   only by it. Their words come from the page (data- attributes, translated there). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (line) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = line.getAttribute("data-print");
    button.addEventListener("click", function () { window.print(); });
    line.insertBefore(document.createTextNode(" "), line.firstChild);
    line.insertBefore(button, line.firstChild);
  });

  document.querySelectorAll("[data-locate]").forEach(function (button) {
    if (!("geolocation" in navigator)) { return; }
    var status = document.getElementById(button.getAttribute("data-status"));
    var say = function (text) { if (status) { status.textContent = text; } };
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      say(button.getAttribute("data-finding"));
      navigator.geolocation.getCurrentPosition(function (position) {
        var url = button.getAttribute("data-lookup-url") +
          "?lat=" + position.coords.latitude.toFixed(6) +
          "&lng=" + position.coords.longitude.toFixed(6);
        window.location.assign(url);
      }, function () {
        button.disabled = false;
        say(button.getAttribute("data-unavailable"));
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  });

  var answer = document.getElementById("results-heading");
  if (answer) { answer.focus(); }
})();
