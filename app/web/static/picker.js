// Rule picker of the compare forms: as you type part of a title, the rules that match appear below
// the field (from /compare/rules.json); choosing one puts its id in the field. Without this script
// the field still works: its datalist offers every rule, and the server resolves a title fragment.
// Keyboard: ↓ moves into the list, ↑/↓ between rules, Enter chooses, Escape closes.
(function () {
  "use strict";

  var DELAY = 150; // ms after the last keystroke before asking the server

  function setup(field) {
    var input = field.querySelector("input[data-picker-url]");
    var list = field.querySelector(".picker-results");
    if (!input || !list) { return; }
    var timer = null;
    var asked = "";

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); }

    function choose(item) {
      input.value = item.id;
      close();
      input.focus();
    }

    function render(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "picker-option";
        button.dataset.id = item.id;
        var where = document.createElement("span");
        where.className = "picker-where";
        where.textContent = item.jurisdiction_label;
        var title = document.createElement("span");
        title.className = "picker-title";
        title.textContent = item.title;
        title.lang = item.title_lang || "zh-CN"; // rule content: the page scan and screen readers tell it from the interface
        var id = document.createElement("small");
        id.textContent = item.id;
        button.appendChild(where);
        button.appendChild(document.createTextNode(" · "));
        button.appendChild(title);
        button.appendChild(document.createTextNode(" "));
        button.appendChild(id);
        button.addEventListener("click", function () { choose(item); });
        li.appendChild(button);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function ask() {
      var q = input.value.trim();
      if (!q || q.indexOf("/") >= 0) { asked = q; render([]); return; }
      if (q === asked) { return; }
      asked = q;
      var url = input.dataset.pickerUrl + "?q=" + encodeURIComponent(q);
      var asOf = input.form && input.form.elements.namedItem("as_of");
      if (asOf && asOf.value) { url += "&as_of=" + encodeURIComponent(asOf.value); }
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (resp) { return resp.ok ? resp.json() : { items: [] }; })
        .then(function (doc) { if (asked === q) { render(doc.items || []); } })
        .catch(function () { render([]); });
    }

    input.removeAttribute("list"); // the live list replaces the datalist's dropdown
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !list.hidden) {
        e.preventDefault();
        var first = list.querySelector("button");
        if (first) { first.focus(); }
      } else if (e.key === "Escape") {
        close();
      }
    });
    list.addEventListener("keydown", function (e) {
      var buttons = Array.prototype.slice.call(list.querySelectorAll("button"));
      var i = buttons.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < buttons.length - 1) { e.preventDefault(); buttons[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); if (i > 0) { buttons[i - 1].focus(); } else { input.focus(); } }
      if (e.key === "Escape") { close(); input.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (!field.contains(e.target)) { close(); }
    });
  }

  document.querySelectorAll("[data-picker]").forEach(setup);
})();
