from __future__ import annotations

import pytest

from seslip.formengine import count_words

CASES = [
    ("", 0),
    ("   \n\t ", 0),
    ("one", 1),
    ("well-being", 1),
    ("children's", 1),
    ("children\u2019s services", 2),
    ("2022-23", 1),
    ("https://example.org/a-b", 1),
    ("—", 0),
    ("a — b", 2),
    ("- bullet", 1),
    ("line\nbreak\ttab", 3),
    ("café naïve", 2),
    ("cafe\u0301", 1),  # decomposed accent stays in the word
    ("no\u00a0break", 2),  # no-break space separates
    ("zero\u200bwidth", 1),  # zero-width space does not
    ("日本語のテキスト", 1),  # documented limitation: no spaces, one run
    ("日本 語", 2),
    ("(a) [b] {c}", 3),
    ("... !!! ???", 0),
    ("٣ ٤", 2),  # Arabic-Indic digits are numbers
    ("Ⅻ", 1),  # letter-like number (category Nl)
    ("  leading and trailing  ", 3),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_count_words(text: str, expected: int) -> None:
    assert count_words(text) == expected


def test_none_is_zero_words() -> None:
    assert count_words(None) == 0


def test_seventy_five_words() -> None:
    assert count_words(" ".join(["word"] * 75)) == 75
