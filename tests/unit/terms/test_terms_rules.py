"""The annual review's date rules, with explicit dates."""

from __future__ import annotations

from datetime import date

import pytest

from seslip.terms.rules import reminder_due, review_due_on, review_status

DUE = date(2026, 12, 1)


def test_review_is_due_a_year_after_the_last_approval() -> None:
    assert review_due_on(date(2025, 12, 1)) == DUE
    assert review_due_on(date(2024, 2, 29)) == date(2025, 2, 28)


@pytest.mark.parametrize("today, expected", [
    (date(2026, 10, 31), None),  # 31 days before
    (date(2026, 11, 1), "before-30"),
    (date(2026, 11, 20), "before-30"),  # a missed tick still sends the 30-day reminder
    (date(2026, 11, 24), "before-7"),
    (date(2026, 12, 1), "before-7"),  # due today: not yet overdue
    (date(2026, 12, 2), "overdue"),
    (date(2027, 6, 1), "overdue"),
])
def test_which_reminder_is_due(today: date, expected: str | None) -> None:
    assert reminder_due(DUE, today) == expected


def test_review_status() -> None:
    assert review_status(None, DUE) == "none"
    assert review_status(DUE, date(2026, 10, 1)) == "ok"
    assert review_status(DUE, date(2026, 11, 15)) == "due"
    assert review_status(DUE, date(2026, 12, 2)) == "overdue"
