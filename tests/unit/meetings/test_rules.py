"""The meetings date rules with explicit dates: working days, bank holidays, the papers
deadline, reminders, and Europe/London across the clock changes."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from seslip.meetings.rules import (
    BANK_HOLIDAYS,
    BEFORE_DEADLINE,
    ON_DEADLINE,
    is_working_day,
    london_to_utc,
    papers_deadline,
    reminder_due,
    utc_to_london,
    working_days_before,
)


def test_every_bank_holiday_is_a_weekday_and_each_year_has_eight() -> None:
    assert all(day.weekday() < 5 for day in BANK_HOLIDAYS)
    for year in (2025, 2026, 2027, 2028):
        assert len([d for d in BANK_HOLIDAYS if d.year == year]) == 8


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 3, 6), True),  # a Friday
    (date(2026, 3, 7), False),  # Saturday
    (date(2026, 4, 3), False),  # Good Friday
    (date(2026, 4, 6), False),  # Easter Monday
    (date(2026, 12, 28), False),  # substitute for Boxing Day on a Saturday
    (date(2027, 12, 27), False),  # substitute for Christmas Day on a Saturday
    (date(2028, 1, 3), False),  # substitute for New Year's Day on a Saturday
    (date(2026, 12, 24), True),  # Christmas Eve is a working day
])
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_plain_week_deadline_is_the_friday_before() -> None:
    # A meeting on Friday 13 March 2026: five working days before is Friday 6 March.
    assert papers_deadline(date(2026, 3, 13)) == date(2026, 3, 6)


def test_deadline_skips_easter() -> None:
    # Meeting Friday 10 April 2026: Mon 6 (Easter Monday) and Fri 3 (Good Friday) do not
    # count, so the five working days are 9, 8, 7, 2, 1 April.
    assert papers_deadline(date(2026, 4, 10)) == date(2026, 4, 1)


def test_deadline_skips_christmas_substitute_days() -> None:
    # Meeting Tuesday 5 January 2027: 4 Jan, (1 Jan), 31, 30, 29 Dec, (28 Dec substitute for
    # Boxing Day, 25 Dec), then 24 December.
    assert papers_deadline(date(2027, 1, 5)) == date(2026, 12, 24)


def test_deadline_for_a_monday_meeting_counts_back_over_the_weekend() -> None:
    assert working_days_before(date(2026, 3, 16), 1) == date(2026, 3, 13)


def test_reminders_two_working_days_before_and_on_the_deadline() -> None:
    deadline = date(2026, 3, 6)  # a Friday
    assert reminder_due(deadline, date(2026, 3, 3)) is None  # Tuesday: too early
    assert reminder_due(deadline, date(2026, 3, 4)) == BEFORE_DEADLINE  # Wednesday
    assert reminder_due(deadline, date(2026, 3, 5)) == BEFORE_DEADLINE  # a missed tick
    assert reminder_due(deadline, date(2026, 3, 6)) == ON_DEADLINE
    assert reminder_due(deadline, date(2026, 3, 7)) is None  # after it: no more


def test_reminder_before_a_deadline_just_after_easter() -> None:
    # Deadline Tuesday 7 April 2026; counting back skips Easter Monday and Good Friday:
    # Thursday 2 April is one working day before, Wednesday 1 April two.
    assert reminder_due(date(2026, 4, 7), date(2026, 3, 31)) is None
    assert reminder_due(date(2026, 4, 7), date(2026, 4, 1)) == BEFORE_DEADLINE


def test_london_times_across_the_clock_change() -> None:
    # Clocks go forward on Sunday 29 March 2026.
    assert london_to_utc(date(2026, 3, 27), time(10)) == datetime(2026, 3, 27, 10, 0)
    assert london_to_utc(date(2026, 3, 30), time(10)) == datetime(2026, 3, 30, 9, 0)
    # And back on Sunday 25 October 2026.
    assert london_to_utc(date(2026, 10, 23), time(10)) == datetime(2026, 10, 23, 9, 0)
    assert london_to_utc(date(2026, 10, 26), time(10)) == datetime(2026, 10, 26, 10, 0)
    assert utc_to_london(datetime(2026, 3, 30, 9, 0)).time() == time(10)


def test_deadline_across_the_clock_change_is_counted_in_days() -> None:
    # A meeting on Monday 3 April 2028; the clocks went forward on Sunday 26 March 2028.
    assert papers_deadline(date(2028, 4, 3)) == date(2028, 3, 27)
