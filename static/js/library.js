/*
 * The questionnaire editor and preview (no inline script: the CSP forbids it). Every page works
 * without this file: the line numbers are drawn by the server, a problem's link goes to the
 * editor, and the preview's button shows what applies.
 *  - keeps the line numbers next to the textarea in step with the text and its scrolling;
 *  - a problem's link puts the cursor at its line and column;
 *  - the preview counts words live (same rule as the server: window.seslipCountWords).
 */
(function () {
  "use strict";

  function editor() { return document.getElementById("source"); }

  function drawLines() {
    var text = editor();
    var gutter = document.querySelector("[data-editor-lines]");
    if (!text || !gutter) { return; }
    var count = text.value.split("\n").length;
    if (gutter.getAttribute("data-count") !== String(count)) {
      var numbers = [];
      for (var i = 1; i <= count; i++) { numbers.push(i); }
      gutter.textContent = numbers.join("\n") + "\n";
      gutter.setAttribute("data-count", String(count));
    }
    gutter.scrollTop = text.scrollTop;
  }

  function goTo(line, column) {
    var text = editor();
    if (!text) { return; }
    var lines = text.value.split("\n");
    var offset = 0;
    for (var i = 0; i < Math.min(line - 1, lines.length); i++) { offset += lines[i].length + 1; }
    var here = Math.min(offset + Math.max(column - 1, 0), text.value.length);
    text.focus();
    text.setSelectionRange(here, here);
    // Scroll the line into view: about one line-height per line.
    var height = parseFloat(window.getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (line - 3) * height);
    drawLines();
  }

  function onClick(event) {
    var link = event.target.closest ? event.target.closest("a[data-line]") : null;
    if (!link) { return; }
    event.preventDefault();
    goTo(parseInt(link.getAttribute("data-line"), 10), parseInt(link.getAttribute("data-column"), 10));
  }

  function plural(n, word) { return n + " " + (n === 1 ? word : word + "s"); }

  // One listener for the whole page, not one per field: a field swapped in by htmx counts from
  // its first keystroke (per-field listeners were set up only after the swap had settled, so
  // typing in between was never counted), and every count is recomputed after a swap.
  function showCount(region) {
    var field = document.getElementById(region.getAttribute("data-word-count-for"));
    if (!field || !window.seslipCountWords) { return; }
    var left = parseInt(region.getAttribute("data-max-words"), 10) - window.seslipCountWords(field.value);
    var text = left >= 0 ? "You have " + plural(left, "word") + " remaining"
      : "You have " + plural(-left, "word") + " too many";
    if (region.textContent !== text) { region.textContent = text; }
    region.classList.toggle("is-over", left < 0);
  }

  function onInput(event) {
    var field = event.target;
    if (!field || !field.id) { return; }
    var regions = document.querySelectorAll("[data-word-count-for]");
    for (var i = 0; i < regions.length; i++) {
      if (regions[i].getAttribute("data-word-count-for") === field.id) { showCount(regions[i]); }
    }
  }

  function countAll() {
    var regions = document.querySelectorAll("[data-word-count-for]");
    for (var i = 0; i < regions.length; i++) { showCount(regions[i]); }
  }

  function start() {
    var text = editor();
    if (text) {
      text.addEventListener("input", drawLines);
      text.addEventListener("scroll", drawLines);
      drawLines();
    }
    document.addEventListener("click", onClick);
    if (document.querySelector("form[data-preview]")) {
      // Capturing, so an input event dispatched without bubbling is counted too.
      document.addEventListener("input", onInput, true);
      document.body.addEventListener("htmx:afterSwap", countAll);
      document.body.addEventListener("htmx:oobAfterSwap", countAll);
      countAll();
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
