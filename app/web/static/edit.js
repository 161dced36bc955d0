// Rule editor: parameter rows added and removed in place, and the articles' preview fetched from the
// server (rendered there through the page sanitiser). Without this script the same buttons post the
// form and the server answers with the page re-drawn. A same-origin file: the CSP forbids inline scripts.
(function () {
  "use strict";

  var form = document.getElementById("version-form");
  if (!form) { return; }
  var rows = document.getElementById("parameter-rows");
  var template = document.getElementById("parameter-row-template");
  var preview = document.getElementById("preview");
  var body = document.getElementById("body");

  // Row names carry an index (parameters-3-key); a new row takes one above every index in use.
  function nextIndex() {
    var top = -1;
    rows.querySelectorAll("select[name^='parameters-']").forEach(function (el) {
      var n = parseInt(el.name.split("-")[1], 10);
      if (n > top) { top = n; }
    });
    return top + 1;
  }

  function addRow() {
    var html = template.innerHTML.replace(/__i__/g, String(nextIndex()));
    rows.insertAdjacentHTML("beforeend", html);
    rows.lastElementChild.querySelector("select").focus();
  }

  var insert = document.getElementById("insert-article");
  var pending = null;

  function showPreview() {
    var data = new FormData(form);
    data.delete("action");
    preview.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-preview-url"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (resp) { return resp.text(); })
      .then(function (html) {
        preview.innerHTML = html; // rendered and sanitised on the server
        preview.removeAttribute("aria-busy");
        var result = document.getElementById("preview-result");
        if (insert && result) { insert.setAttribute("data-next", result.getAttribute("data-next-article")); }
      });
  }

  // The preview follows the text: shown again a moment after typing stops, once it has been asked for.
  function previewSoon() {
    if (!preview.firstElementChild) { return; }
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(showPreview, 700);
  }

  // "Insert the next article heading": the label comes from the server (the registry's own numerals).
  if (insert && body) {
    insert.hidden = false;
    insert.addEventListener("click", function () {
      var heading = "## " + insert.getAttribute("data-next") + " ";
      var at = body.selectionEnd;
      var before = body.value.slice(0, at).replace(/\n*$/, "");
      var after = body.value.slice(at);
      body.value = before + "\n\n" + heading + "\n\n" + after.replace(/^\n*/, "");
      var caret = before.length + 2 + heading.length;
      body.focus();
      body.setSelectionRange(caret, caret);
      showPreview();
    });
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !form.contains(button)) { return; }
    if (button.name === "action" && button.value === "add_parameter") {
      event.preventDefault();
      addRow();
    } else if (button.name === "remove_parameter") {
      event.preventDefault();
      button.closest("tr").remove();
    } else if (button.name === "action" && button.value === "preview") {
      event.preventDefault();
      showPreview();
    }
  });

  // Ctrl+Enter (or Cmd+Enter) in the text shows the preview.
  if (body) {
    body.addEventListener("input", previewSoon);
    body.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        showPreview();
      }
    });
  }
})();
