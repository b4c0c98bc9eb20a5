/* skizzen: offline stand-in for the CDN scripts of GX's Data Docs (jQuery, Bootstrap's
   tabs/collapse/button toggles, bootstrap-table, Vega). Only the calls GX's inline scripts
   make; written for this project, no third-party code. Loaded in <head>, where jQuery was. */
(function () {
  "use strict";

  function Wrap(elements) {
    this.elements = elements.filter(Boolean);
    this.length = this.elements.length;
  }

  function $(arg) {
    if (typeof arg === "function") {
      return onReady(arg);
    }
    if (arg instanceof Wrap) {
      return arg;
    }
    if (typeof arg === "string") {
      var text = arg.trim();
      if (text.charAt(0) === "<") {
        var box = document.createElement("div");
        box.innerHTML = text;
        return new Wrap(Array.prototype.slice.call(box.children));
      }
      var found = [];
      try {
        found = Array.prototype.slice.call(document.querySelectorAll(text));
      } catch (err) {
        found = [];
      }
      return new Wrap(found);
    }
    return new Wrap([arg]);
  }

  function onReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { fn($); });
    } else {
      fn($);
    }
    return new Wrap([document]);
  }

  var proto = Wrap.prototype;
  proto.ready = function (fn) { onReady(fn); return this; };
  proto.each = function (fn) {
    this.elements.forEach(function (el, idx) { fn.call(el, idx, el); });
    return this;
  };
  proto.parent = function () {
    return new Wrap(this.elements.map(function (el) { return el.parentElement; }));
  };
  proto.fadeIn = proto.show = function () {
    this.elements.forEach(function (el) { el.style.display = ""; });
    return this;
  };
  proto.fadeOut = proto.hide = function () {
    this.elements.forEach(function (el) { el.style.display = "none"; });
    return this;
  };
  proto.addClass = function (name) {
    this.elements.forEach(function (el) { el.classList.add(name); });
    return this;
  };
  proto.removeClass = function (name) {
    this.elements.forEach(function (el) { el.classList.remove(name); });
    return this;
  };
  proto.data = function (name) {
    var el = this.elements[0];
    return el && el.getAttribute ? el.getAttribute("data-" + name) : undefined;
  };
  proto.prepend = function (html) {
    this.elements.forEach(function (el) { el.insertAdjacentHTML("afterbegin", html); });
    return this;
  };
  proto.on = function (event, handler) {
    var name = String(event).split(".")[0];
    this.elements.forEach(function (el) {
      if (name === "click-row") {
        el._skizzenClickRow = handler;
      } else if (el.addEventListener) {
        el.addEventListener(name, handler);
      }
    });
    return this;
  };
  proto.modal = proto.popover = proto.tooltip = function () { return this; };

  /* bootstrap-table: draw the rows GX passes as data (cells are GX's HTML), sorted the
     way the options ask; a row with a link opens it. Search and filters are left out. */
  proto.bootstrapTable = function (options) {
    if (typeof options !== "object" || options === null) {
      return this;
    }
    this.elements.forEach(function (table) { drawTable(table, options); });
    return this;
  };

  function callNamed(name, args) {
    var fn = typeof name === "function" ? name : window[name];
    return typeof fn === "function" ? fn.apply(null, args) : undefined;
  }

  function drawTable(table, options) {
    var columns = options.columns || [];
    var data = (options.data || []).slice();
    var sortField = options.sortName;
    if (sortField) {
      var column = columns.filter(function (c) { return c.field === sortField; })[0];
      var key = (column && column.sortName) || sortField;
      var desc = options.sortOrder === "desc";
      data.sort(function (a, b) {
        var x = a[key], y = b[key];
        if (x === y) { return 0; }
        return (x > y ? 1 : -1) * (desc ? -1 : 1);
      });
    }
    table.classList.add("table", "table-sm");
    var head = document.createElement("thead");
    var headRow = document.createElement("tr");
    columns.forEach(function (c) {
      var th = document.createElement("th");
      th.textContent = c.title || c.field;
      if (c.align) { th.style.textAlign = c.align; }
      headRow.appendChild(th);
    });
    head.appendChild(headRow);
    var body = document.createElement("tbody");
    data.forEach(function (row, index) {
      var tr = document.createElement("tr");
      var attrs = options.rowAttributes ? callNamed(options.rowAttributes, [row, index]) : null;
      Object.keys(attrs || {}).forEach(function (name) { tr.setAttribute(name, attrs[name]); });
      columns.forEach(function (c) {
        var td = document.createElement("td");
        var value = row[c.field];
        td.innerHTML = value === undefined || value === null ? "" : String(value);
        if (c.align) { td.style.textAlign = c.align; }
        tr.appendChild(td);
      });
      tr.addEventListener("click", function (event) {
        if (event.target.closest("a")) { return; }
        if (table._skizzenClickRow) {
          table._skizzenClickRow(event, row, new Wrap([tr]));
        } else if (tr.getAttribute("data-href")) {
          window.location = tr.getAttribute("data-href");
        }
      });
      body.appendChild(tr);
    });
    table.innerHTML = "";
    table.appendChild(head);
    table.appendChild(body);
  }

  /* Bootstrap: tabs, collapse and the "Show All / Failed Only" toggle. */
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest("[data-toggle]") : null;
    if (!toggle) { return; }
    var kind = toggle.getAttribute("data-toggle");
    if (kind === "tab") {
      event.preventDefault();
      var list = toggle.closest(".nav");
      if (list) {
        list.querySelectorAll("[data-toggle=tab]").forEach(function (t) {
          t.classList.remove("active");
          t.setAttribute("aria-selected", "false");
        });
      }
      toggle.classList.add("active");
      toggle.setAttribute("aria-selected", "true");
      var pane = document.getElementById((toggle.getAttribute("href") || "").slice(1));
      if (pane && pane.parentElement) {
        Array.prototype.forEach.call(pane.parentElement.children, function (p) {
          p.classList.remove("active", "show");
        });
        pane.classList.add("active", "show");
      }
    } else if (kind === "collapse") {
      event.preventDefault();
      var target = document.getElementById(
        (toggle.getAttribute("href") || toggle.getAttribute("data-target") || "").slice(1)
      );
      if (target) {
        var open = target.classList.toggle("show");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      }
    } else if (kind === "buttons") {
      var label = event.target.closest("label.btn");
      if (label) {
        toggle.querySelectorAll("label.btn").forEach(function (l) { l.classList.remove("active"); });
        label.classList.add("active");
      }
    }
  });

  /* Vega draws GX's profiling charts; offline there is none, so charts stay empty. */
  window.vegaEmbed = function () { return Promise.resolve(null); };
  window.jQuery = window.$ = $;
})();
