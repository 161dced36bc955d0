// A "Print" button (id print-page): opens the browser's print dialog; the page's print layout is
// in officials.css (@media print). Loaded as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var button = document.getElementById("print-page");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
