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

  // Next / previous change: step through the changed rows of column A (column B follows the scroll).
  // Without this script the two links go to the first and the last change, and every changed row
  // has its own ↑ / ↓ links; with it they step from the current change, and so do the n / p keys.
  var changed = Array.prototype.slice.call(a.querySelectorAll(".cmp-row[data-change]"));
  var prev = document.getElementById("change-prev");
  var next = document.getElementById("change-next");
  var position = document.getElementById("change-position");
  var current = -1;

  function show(index) {
    if (!changed.length) { return; }
    current = (index + changed.length) % changed.length;
    var row = changed[current];
    changed.forEach(function (r) { r.classList.remove("cmp-current"); });
    row.classList.add("cmp-current");
    var twin = document.getElementById(row.id + "-b");
    b.querySelectorAll(".cmp-current").forEach(function (r) { r.classList.remove("cmp-current"); });
    if (twin) { twin.classList.add("cmp-current"); }
    row.scrollIntoView({ block: "start" });
    b.scrollTop = a.scrollTop;
    row.focus({ preventScroll: true });
    if (history.replaceState) { history.replaceState(null, "", "#" + row.id); }
    if (position && position.dataset.template) {
      position.textContent = position.dataset.template
        .replace("{n}", String(current + 1)).replace("{total}", String(changed.length));
    }
    if (prev) { prev.setAttribute("href", "#" + changed[(current - 1 + changed.length) % changed.length].id); }
    if (next) { next.setAttribute("href", "#" + changed[(current + 1) % changed.length].id); }
  }

  if (prev) { prev.addEventListener("click", function (e) { e.preventDefault(); show(current < 0 ? changed.length - 1 : current - 1); }); }
  if (next) { next.addEventListener("click", function (e) { e.preventDefault(); show(current + 1); }); }
  a.querySelectorAll(".cmp-step a").forEach(function (link) {
    link.addEventListener("click", function (e) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      var i = changed.indexOf(target);
      if (i >= 0) { e.preventDefault(); show(i); }
    });
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.altKey || e.ctrlKey || e.metaKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) || (t && t.isContentEditable)) { return; }
    if (e.key === "n" || e.key === "j") { e.preventDefault(); show(current + 1); }
    if (e.key === "p" || e.key === "k") { e.preventDefault(); show(current < 0 ? changed.length - 1 : current - 1); }
  });
  if (location.hash) {
    var start = changed.indexOf(document.getElementById(location.hash.slice(1)));
    if (start >= 0) { current = start; }
  }

  equalize();
  window.addEventListener("resize", equalize);
  window.addEventListener("beforeprint", equalize);
  document.documentElement.classList.add("cmp-js");
})();
