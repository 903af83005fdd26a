"""The events' date rules, with explicit dates."""

from __future__ import annotations

from datetime import date

import pytest

from seslip.events import rules


@pytest.mark.parametrize(("today", "due"), [
    (date(2026, 3, 17), False),  # two days before
    (date(2026, 3, 18), True),  # the day before
    (date(2026, 3, 19), True),  # the day itself: a missed tick still reminds
    (date(2026, 3, 20), False),  # after
])
def test_reminder_is_due_the_day_before_and_on_the_day(today: date, due: bool) -> None:
    assert rules.reminder_due(date(2026, 3, 19), today) is due


def test_reminder_across_a_month_and_a_year_end() -> None:
    assert rules.reminder_due(date(2026, 4, 1), date(2026, 3, 31))
    assert rules.reminder_due(date(2027, 1, 1), date(2026, 12, 31))
    assert not rules.reminder_due(date(2027, 1, 1), date(2026, 12, 30))


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month() -> None:
    assert rules.add_months(date(2026, 1, 15), 1) == date(2026, 2, 15)
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # a leap year
    assert rules.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_four_monthly_days_moved_off_weekends() -> None:
    # Wednesday 14 October 2026; 14 November is a Saturday, so Monday 16 November.
    assert rules.monthly_dates(date(2026, 10, 14)) == [
        date(2026, 10, 14), date(2026, 11, 16), date(2026, 12, 14), date(2027, 1, 14)]
    assert len(rules.monthly_dates(date(2026, 10, 14), 6)) == 6


def test_registration_is_open_until_the_day() -> None:
    day = date(2026, 3, 19)
    assert rules.registration_open(day, date(2026, 3, 19))
    assert not rules.registration_open(day, date(2026, 3, 20))


def test_feedback_once_the_event_has_taken_place() -> None:
    day = date(2026, 3, 19)
    assert not rules.feedback_may_be_sent(day, date(2026, 3, 18))
    assert rules.feedback_may_be_sent(day, date(2026, 3, 19))
