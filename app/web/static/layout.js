// Every page: on narrow screens the menu folds behind its button (layout.css); a wide table whose box
// scrolls sideways becomes a labelled, focusable region so it can be scrolled with the keyboard.
// Loaded as a same-origin file (the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";

  var header = document.querySelector("header.top");
  var button = document.getElementById("menu-toggle");
  var menu = document.getElementById("site-menu");
  if (header && button && menu) {
    var setOpen = function (open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    };
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        setOpen(false);
        button.focus();
      }
    });
    header.classList.add("menu-ready");
  }

  // The name of a scroll box: the table's caption, else the nearest heading before it, else its first header cell.
  function nameOf(box) {
    var table = box.querySelector("table");
    if (table && table.caption && table.caption.textContent.trim()) { return table.caption.textContent.trim(); }
    var node = box;
    while (node && node !== document.body) {
      var prev = node.previousElementSibling;
      while (prev) {
        if (/^H[1-6]$/.test(prev.tagName)) { return prev.textContent.trim(); }
        prev = prev.previousElementSibling;
      }
      node = node.parentElement;
    }
    var th = box.querySelector("th");
    return th ? th.textContent.trim() : document.title;
  }

  function markScrollBoxes() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("scrolls", scrolls);
      if (scrolls) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) {
          box.setAttribute("aria-label", nameOf(box));
          box.setAttribute("data-named", "");
        }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        if (box.hasAttribute("data-named")) {
          box.removeAttribute("aria-label");
          box.removeAttribute("data-named");
        }
      }
    });
  }
  markScrollBoxes();
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(markScrollBoxes, 100);
  });
})();
