/* Confirmation page: print the ticket number and tracking code, or copy the code. The buttons
   are hidden until this script shows them, so without JavaScript nothing is offered that does
   not work (the browser's own print still does). */
(function () {
  "use strict";
  var box = document.querySelector(".confirmation__save");
  if (!box) { return; }
  var status = document.getElementById("save-status");
  var printButton = document.getElementById("print-code");
  var copyButton = document.getElementById("copy-code");
  box.hidden = false;
  printButton.addEventListener("click", function () { window.print(); });
  if (!navigator.clipboard) { copyButton.hidden = true; return; }
  copyButton.addEventListener("click", function () {
    var code = document.getElementById("tracking-code").textContent.trim();
    navigator.clipboard.writeText(code).then(
      function () { status.textContent = "查询码已复制。"; },
      function () { status.textContent = "无法复制，请手动记下查询码。"; }
    );
  });
})();
