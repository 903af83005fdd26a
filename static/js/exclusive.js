/*
 * Exclusive tick boxes ("None of these"): ticking one clears the other boxes of the question,
 * and ticking any other box clears it. The server refuses both together anyway, so without
 * JavaScript the person gets a clear message instead.
 *
 * Listens in the capture phase, so the boxes are cleared before htmx reads the form for the
 * autosave that the same "change" event starts.
 */
(function () {
  "use strict";

  function onChange(event) {
    var box = event.target;
    if (!box || box.type !== "checkbox" || !box.checked) { return; }
    var group = box.closest(".checkboxes");
    if (!group || !group.querySelector("input[data-exclusive]")) { return; }
    var exclusive = box.hasAttribute("data-exclusive");
    var others = group.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < others.length; i++) {
      var other = others[i];
      if (other !== box && other.checked && (exclusive || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    }
  }

  document.addEventListener("change", onChange, true);
})();
