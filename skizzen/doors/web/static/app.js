// skizzen review page: keyboard shortcuts and small conveniences, nothing more.
// Every action is a link or a form that works without this file; it only presses them.
// Served by the app itself (CSP script-src 'self'); reads no data from the page's text.
(function () {
  "use strict";

  // key -> what it presses: an element with data-shortcut, else a link with that rel
  var KEYS = { j: "next", ArrowRight: "next", k: "prev", ArrowLeft: "prev", a: "approve" };

  function typing(el) {
    if (!el) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function target(name) {
    return (
      document.querySelector('[data-shortcut="' + name + '"]') ||
      (name === "approve" ? null : document.querySelector('a[rel="' + name + '"]'))
    );
  }

  function press(el) {
    if (el.tagName === "FORM") {
      if (typeof el.requestSubmit === "function") el.requestSubmit();
      else el.submit();
    } else {
      el.click();
    }
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || ev.repeat || ev.isComposing) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.shiftKey) return;
    if (typing(ev.target) || typing(document.activeElement)) return;
    var name = KEYS[ev.key];
    if (!name) return;
    var el = target(name);
    if (!el) return;
    ev.preventDefault();
    press(el);
  });

  // "select all" over the check boxes it names (data-select-all="skizze")
  function wireSelectAll(box) {
    var name = box.getAttribute("data-select-all");
    var boxes = Array.prototype.slice.call(
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]')
    );
    if (!boxes.length) return;
    function sync() {
      var ticked = boxes.filter(function (b) { return b.checked; }).length;
      box.checked = ticked === boxes.length;
      box.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    box.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = box.checked; });
    });
    boxes.forEach(function (b) { b.addEventListener("change", sync); });
    sync();
    box.hidden = false;
  }

  function ready() {
    document.documentElement.classList.add("js");
    Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), wireSelectAll);
    Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (el) {
      el.hidden = false;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
