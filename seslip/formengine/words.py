"""Word counting, shared by validation and (mirrored exactly) by static/js/wordcount.js."""

from __future__ import annotations

import re
import unicodedata

# An explicit list rather than `\s`, because Python and JavaScript disagree on a few characters
# (U+001C..U+001F, U+0085, U+FEFF); the same list is written out in wordcount.js.
_SEPARATORS = re.compile(
    "[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"
)


def _has_letter_or_digit(run: str) -> bool:
    # Same classes as JavaScript's /[\p{L}\p{N}]/u: any Unicode letter or number.
    return any(unicodedata.category(char)[0] in "LN" for char in run)


def count_words(text: str | None) -> int:
    """Return the number of words in `text`.

    The rule: a word is a maximal run of non-whitespace characters that contains at least one
    letter or digit (Unicode categories L* and N*). So "well-being", "children's", "2022-23" and
    "https://example.org/a-b" are one word each; a dash or bullet standing alone ("—", "-", "•")
    is not a word; spaces, tabs and line breaks all separate words; "café naïve" is two words.

    Whitespace is the fixed list in `_SEPARATORS` (ASCII whitespace, NEL, no-break and other
    Unicode spaces, line/paragraph separators, BOM); zero-width spaces do not separate words.

    Limitation: languages written without spaces (Chinese, Japanese, Thai) count each unbroken run
    as a single word.
    """
    if not text:
        return 0
    return sum(1 for run in _SEPARATORS.split(text) if run and _has_letter_or_digit(run))
