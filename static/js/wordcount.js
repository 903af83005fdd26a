/*
 * seslipCountWords(text) -> number
 *
 * Mirrors count_words() in seslip/formengine/words.py EXACTLY; change both together.
 *
 * The rule: a word is a maximal run of non-whitespace characters that contains at least one
 * letter or digit (Unicode \p{L} or \p{N}). So "well-being", "children's", "2022-23" and
 * "https://example.org/a-b" count as one word each; a dash standing alone ("—") counts as none;
 * spaces, tabs and line breaks separate words; "café naïve" is two words.
 * Whitespace is the explicit list below (not \s, which differs from Python's on a few characters).
 * Limitation: text without spaces (e.g. Chinese) counts each unbroken run as one word.
 */
(function () {
  "use strict";
  var SEPARATORS = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/u;
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

  function seslipCountWords(text) {
    if (!text) {
      return 0;
    }
    var runs = String(text).split(SEPARATORS);
    var count = 0;
    for (var i = 0; i < runs.length; i++) {
      if (runs[i] && LETTER_OR_DIGIT.test(runs[i])) {
        count++;
      }
    }
    return count;
  }

  window.seslipCountWords = seslipCountWords;
})();
