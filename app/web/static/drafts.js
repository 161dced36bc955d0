// Drafts: what a person types into a long form (the rule editor, the innovation register) is kept
// in this browser, so a refusal that cannot show it again — the form expired (CSRF), the sign-in
// ended, the rights changed — does not lose it.
//
// - While typing, each form marked data-draft="<key>" is saved to localStorage under that key.
// - On submit, the draft becomes "pending". The next page decides: a page that could not take the
//   form (an error page, the sign-in page, the form itself shown again) marks itself data-keep-draft
//   and the pending draft is kept; any other page (the saved version) means it was saved: dropped.
// - When the form is opened again with a kept draft that differs from what it shows, a notice
//   offers to restore or discard it. Drafts older than a week are dropped.
// Its words come from the page (data-draft-* attributes written through the catalogues).
(function () {
  "use strict";

  var PREFIX = "registry-draft:";
  var PENDING = "registry-draft-pending";
  var MAX_AGE = 7 * 24 * 3600 * 1000;
  var SKIP = { csrf_token: true, if_match: true, action: true, password: true };

  var store;
  try { store = window.localStorage; store.getItem(PENDING); } catch (e) { return; } // storage off: nothing kept

  function read(name) {
    try { return JSON.parse(store.getItem(name) || "null"); } catch (e) { return null; }
  }

  function values(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "password" || el.type === "hidden" || el.type === "file" ||
          el.type === "submit" || el.type === "button") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      out[el.name] = el.value;
    });
    return out;
  }

  // Two sets of fields alike as the server reads them (line ends and trailing blanks aside).
  function same(a, b) {
    function norm(v) { return String(v).replace(/\r\n?/g, "\n").replace(/\s+$/, ""); }
    var ka = Object.keys(a).filter(function (k) { return norm(a[k]) !== ""; }).sort();
    var kb = Object.keys(b).filter(function (k) { return norm(b[k]) !== ""; }).sort();
    return ka.length === kb.length && ka.every(function (k, i) { return k === kb[i] && norm(a[k]) === norm(b[k]); });
  }

  // 1. a pending draft from the page before: kept when this page could not take it, else dropped
  var pending = read(PENDING);
  store.removeItem(PENDING);
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-draft]"));
  if (pending && pending.key) {
    var failed = document.querySelector("[data-keep-draft]") ||
      forms.some(function (f) { return f.getAttribute("data-draft") === pending.key; });
    if (failed) { store.setItem(PREFIX + pending.key, JSON.stringify(pending)); }
  }

  // stale drafts go
  for (var i = store.length - 1; i >= 0; i--) {
    var name = store.key(i);
    if (name && name.indexOf(PREFIX) === 0) {
      var d = read(name);
      if (!d || !d.at || Date.now() - d.at > MAX_AGE) { store.removeItem(name); }
    }
  }

  function restore(form, fields) {
    var grow = form.querySelector("[data-draft-grow]"); // e.g. "add a parameter row" for rows typed before
    Object.keys(fields).forEach(function (name) {
      var el = form.elements.namedItem(name);
      for (var n = 0; !el && grow && n < 50; n++) { grow.click(); el = form.elements.namedItem(name); }
      if (!el) { return; }
      if (el instanceof RadioNodeList) {
        Array.prototype.forEach.call(el, function (r) { r.checked = r.value === fields[name]; });
      } else if (el.type === "checkbox" || el.type === "radio") {
        el.checked = true;
      } else {
        el.value = fields[name];
      }
    });
  }

  function notice(form, draft) {
    var box = document.createElement("div");
    box.className = "draft-notice";
    box.id = "draft-notice";
    box.setAttribute("role", "status");
    var text = document.createElement("p");
    var when = new Date(draft.at);
    text.textContent = form.getAttribute("data-draft-found").replace("%(time)s", when.toLocaleString(document.documentElement.lang));
    var keep = document.createElement("button");
    keep.type = "button";
    keep.id = "draft-restore";
    keep.textContent = form.getAttribute("data-draft-restore");
    var drop = document.createElement("button");
    drop.type = "button";
    drop.id = "draft-discard";
    drop.className = "secondary";
    drop.textContent = form.getAttribute("data-draft-discard");
    keep.addEventListener("click", function () { restore(form, draft.fields); box.remove(); });
    drop.addEventListener("click", function () { store.removeItem(PREFIX + draft.key); box.remove(); });
    box.appendChild(text);
    box.appendChild(keep);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(drop);
    form.parentNode.insertBefore(box, form);
  }

  forms.forEach(function (form) {
    var key = form.getAttribute("data-draft");
    var saved = read(PREFIX + key);
    if (saved && saved.fields) {
      if (same(saved.fields, values(form))) { store.removeItem(PREFIX + key); } else { notice(form, saved); }
    }
    var timer = null;
    function save() {
      store.setItem(PREFIX + key, JSON.stringify({ key: key, at: Date.now(), fields: values(form) }));
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 400); });
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 400); });
    form.addEventListener("submit", function () {
      clearTimeout(timer);
      store.setItem(PENDING, JSON.stringify({ key: key, at: Date.now(), fields: values(form) }));
      store.removeItem(PREFIX + key);
    });
  });
})();
