/* Dependent choices (gaoxin/core/choices.py): a <select data-follows="industry"> offers only
   the options whose data-parent is a value chosen in the field "industry" of its form (all of
   them while none is chosen; an option without data-parent goes with any). Without this
   script every option is offered and the server refuses a mismatch, so it only narrows.
   No inline code and no eval: what the Content-Security-Policy allows. */
(function () {
  "use strict";
  var served = new WeakMap(); // select -> its options as the server sent them

  function chosen(select) {
    var form = select.form;
    var parent = form && form.elements.namedItem(select.dataset.follows);
    if (!parent) return null;
    var items = parent.tagName ? [parent] : Array.prototype.slice.call(parent);
    var values = [];
    items.forEach(function (item) {
      if (item.tagName === "SELECT") {
        Array.prototype.forEach.call(item.selectedOptions, function (o) {
          if (o.value) values.push(o.value);
        });
      } else if (item.type === "checkbox" || item.type === "radio") {
        if (item.checked && item.value) values.push(item.value);
      } else if (item.value) {
        values.push(item.value);
      }
    });
    return values;
  }

  // first: on the page as served, keep what the record holds even if it no longer belongs
  // (the server then says why); on a change, drop it.
  function narrow(select, first) {
    var values = chosen(select);
    if (values === null) return;
    if (!served.has(select)) served.set(select, Array.prototype.slice.call(select.options));
    var kept = served.get(select).filter(function (option) {
      var parent = option.dataset.parent;
      var belongs = !parent || values.length === 0 || values.indexOf(parent) !== -1;
      if (!belongs && !(first && option.selected)) {
        option.selected = false;
        return false;
      }
      return true;
    });
    var selected = kept.filter(function (option) {
      return option.selected;
    });
    select.replaceChildren.apply(select, kept);
    // Re-inserted options may come back selected by the browser's own rules: say which are.
    kept.forEach(function (option) {
      option.selected = selected.indexOf(option) !== -1;
    });
    if (!select.multiple && selected.length === 0) select.selectedIndex = 0;
  }

  function narrowAll(root, first) {
    if (!root.querySelectorAll) return;
    Array.prototype.forEach.call(root.querySelectorAll("select[data-follows]"), function (s) {
      narrow(s, first);
    });
  }

  // Capture: before a filter form's own change listener (htmx) sends the form, so it sends
  // the narrowed choice.
  document.addEventListener(
    "change",
    function (event) {
      var field = event.target;
      if (!field.form || !field.name) return;
      Array.prototype.forEach.call(
        field.form.querySelectorAll("select[data-follows]"),
        function (select) {
          if (select.dataset.follows === field.name) narrow(select, false);
        }
      );
    },
    true
  );
  document.addEventListener("DOMContentLoaded", function () {
    narrowAll(document, true);
  });
  document.addEventListener("htmx:load", function (event) {
    narrowAll(event.target, true);
  });
})();
