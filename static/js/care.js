/* Care mode (关怀版): read the page's main content aloud with the browser's own speech synthesis
   (no outside service). Loaded only in care mode; without speech synthesis no button appears.
   The content is Chinese, so it is read in Chinese whatever the interface language. */
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") { return; }
  var english = document.documentElement.lang === "en";
  var labels = english
    ? { read: "Read this page aloud", stop: "Stop reading", group: "Read aloud" }
    : { read: "朗读本页", stop: "停止朗读", group: "朗读" };
  var speech = window.speechSynthesis;

  // Long texts are cut off by some engines: read sentence by sentence, at most ~120 characters.
  function chunks(text) {
    // (No look-behind in the pattern: older Safari cannot parse it.)
    var pieces = text.replace(/\s+/g, " ").replace(/([。！？；!?;])/g, "$1\u0000").split("\u0000");
    var out = [];
    pieces.forEach(function (piece) {
      piece = piece.trim();
      while (piece.length > 120) { out.push(piece.slice(0, 120)); piece = piece.slice(120); }
      if (piece) { out.push(piece); }
    });
    return out;
  }

  function readableText() {
    var copy = main.cloneNode(true);
    copy.querySelectorAll(".read-aloud, script, style, [hidden], [aria-hidden='true']").forEach(function (el) { el.remove(); });
    return copy.innerText || copy.textContent || "";
  }

  var bar = document.createElement("div");
  bar.className = "read-aloud";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", labels.group);
  var read = document.createElement("button");
  read.type = "button";
  read.textContent = labels.read;
  var stop = document.createElement("button");
  stop.type = "button";
  stop.className = "button--secondary";
  stop.textContent = labels.stop;
  stop.hidden = true;
  bar.appendChild(read);
  bar.appendChild(stop);
  // Where the page asks for it (after the home page's main tasks), else at the top of main.
  var slot = main.querySelector("[data-read-aloud-here]");
  if (slot) { slot.appendChild(bar); } else { main.insertBefore(bar, main.firstChild); }

  function finished() { read.hidden = false; stop.hidden = true; }

  read.addEventListener("click", function () {
    speech.cancel();
    var parts = chunks(readableText());
    if (!parts.length) { return; }
    read.hidden = true;
    stop.hidden = false;
    stop.focus();
    parts.forEach(function (part, index) {
      var utterance = new SpeechSynthesisUtterance(part);
      utterance.lang = "zh-CN";
      utterance.rate = 0.9;
      if (index === parts.length - 1) { utterance.onend = finished; utterance.onerror = finished; }
      speech.speak(utterance);
    });
  });
  stop.addEventListener("click", function () {
    speech.cancel();
    finished();
    read.focus();
  });
  window.addEventListener("pagehide", function () { speech.cancel(); });
})();
