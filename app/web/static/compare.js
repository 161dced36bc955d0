// Compare page: the two columns scroll together, facing rows get equal heights, and a print button.
// Loaded as a same-origin file (the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";

  var printButton = document.getElementById("print-page");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }

  var a = document.getElementById("pane-a");
  var b = document.getElementById("pane-b");
  if (!a || !b) { return; }

  // Give the rows that face each other the same height, so aligned articles stay side by side.
  function equalize() {
    var rowsA = a.querySelectorAll(".cmp-row");
    var rowsB = b.querySelectorAll(".cmp-row");
    var n = Math.min(rowsA.length, rowsB.length);
    var i;
    for (i = 0; i < n; i++) { rowsA[i].style.minHeight = ""; rowsB[i].style.minHeight = ""; }
    var heights = [];
    for (i = 0; i < n; i++) {
      heights.push(Math.max(rowsA[i].getBoundingClientRect().height, rowsB[i].getBoundingClientRect().height));
    }
    for (i = 0; i < n; i++) {
      rowsA[i].style.minHeight = heights[i] + "px";
      rowsB[i].style.minHeight = heights[i] + "px";
    }
  }

  // Scroll together: copy the position across; the echoed event finds equal positions and stops.
  function follow(source, target) {
    return function () {
      if (document.body.classList.contains("cmp-unsynced")) { return; }
      if (target.scrollTop !== source.scrollTop) { target.scrollTop = source.scrollTop; }
      if (target.scrollLeft !== source.scrollLeft) { target.scrollLeft = source.scrollLeft; }
    };
  }
  a.addEventListener("scroll", follow(a, b), { passive: true });
  b.addEventListener("scroll", follow(b, a), { passive: true });

  // Jump links of the change list: bring both columns to the row.
  document.querySelectorAll('.cmp-changes a[href^="#row-"]').forEach(function (link) {
    link.addEventListener("click", function () {
      var row = document.getElementById(link.getAttribute("href").slice(1));
      if (row) {
        window.setTimeout(function () { b.scrollTop = a.scrollTop; }, 0);
      }
    });
  });

  equalize();
  window.addEventListener("resize", equalize);
  window.addEventListener("beforeprint", equalize);
  document.documentElement.classList.add("cmp-js");
})();
