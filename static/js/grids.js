/* Grids: the print button on the grid sign, and "use my location" on the lookup box.
   Everything else works without this script; these two need the browser. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("[data-locate]").forEach(function (button) {
    if (!("geolocation" in navigator)) { return; }
    var status = document.getElementById(button.getAttribute("data-status"));
    var say = function (text) { if (status) { status.textContent = text; } };
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      say(document.documentElement.lang === "en" ? "Finding your location…" : "正在获取您的位置……");
      navigator.geolocation.getCurrentPosition(function (position) {
        var url = button.getAttribute("data-lookup-url") +
          "?lat=" + position.coords.latitude.toFixed(6) +
          "&lng=" + position.coords.longitude.toFixed(6);
        window.location.assign(url);
      }, function () {
        button.disabled = false;
        say(document.documentElement.lang === "en"
          ? "Your location is not available. Please type your address instead."
          : "无法获取您的位置，请允许定位或直接输入地址。");
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  });

  var answer = document.getElementById("results-heading");
  if (answer) { answer.focus(); }
})();
