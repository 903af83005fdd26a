"""The word-count message shown under word-limited answers (mirrored in questionnaire.js)."""

from __future__ import annotations

import pytest

from seslip.questionnaires.presenters import word_count_message


@pytest.mark.parametrize(("words", "limit", "message"), [
    (0, 75, "You have 75 words remaining"),
    (63, 75, "You have 12 words remaining"),
    (74, 75, "You have 1 word remaining"),
    (75, 75, "You have 0 words remaining"),
    (76, 75, "You have 1 word too many"),
    (78, 75, "You have 3 words too many"),
])
def test_word_count_message(words: int, limit: int, message: str) -> None:
    assert word_count_message(words, limit) == message
