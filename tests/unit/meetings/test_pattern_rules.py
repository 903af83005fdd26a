"""Planned meeting patterns and action reminders: pure rules, explicit dates."""

from __future__ import annotations

from datetime import date, time

import pytest

from seslip.meetings import rules
from seslip.meetings.pattern_rules import (
    ACTION_DUE,
    ACTION_OVERDUE,
    Rhythm,
    action_reminder_due,
    describe,
    horizon,
    months_of,
    nth_weekday,
    rhythm_problem,
    slots,
)

KINSHIP = Rhythm(per_year=4, first_month=3, weekday=2, week=2)  # second Wednesday, quarterly


def test_quarterly_months_follow_the_first() -> None:
    assert months_of(KINSHIP) == [3, 6, 9, 12]
    assert months_of(Rhythm(4, 11, 4, 1)) == [2, 5, 8, 11]
    assert months_of(Rhythm(3, 1, 4, 1)) == [1, 5, 9]


def test_quarterly_slots_over_the_next_twelve_months() -> None:
    assert slots(KINSHIP, date(2026, 12, 3), horizon(date(2026, 12, 3), 12)) == [
        date(2026, 12, 9), date(2027, 3, 10), date(2027, 6, 9), date(2027, 9, 8)]


def test_nth_and_last_weekday() -> None:
    assert nth_weekday(2027, 3, 4, 1) == date(2027, 3, 5)  # first Friday
    assert nth_weekday(2027, 3, 4, -1) == date(2027, 3, 26)  # last Friday (Good Friday…)
    assert nth_weekday(2026, 12, 3, -1) == date(2026, 12, 31)  # last Thursday, year end


def test_a_bank_holiday_moves_the_meeting_a_week_within_its_month() -> None:
    first_monday_may = Rhythm(1, 5, 0, 1)
    assert slots(first_monday_may, date(2026, 1, 1), date(2026, 12, 31)) == [date(2026, 5, 11)]
    last_monday_may = Rhythm(1, 5, 0, -1)  # 31 May 2027 is the spring bank holiday
    assert slots(last_monday_may, date(2027, 1, 1), date(2027, 12, 31)) == [date(2027, 5, 24)]
    last_friday_march = Rhythm(1, 3, 4, -1)  # 26 March 2027 is Good Friday
    assert slots(last_friday_march, date(2027, 1, 1), date(2027, 12, 31)) == [
        date(2027, 3, 19)]


def test_times_are_london_wall_clock_across_the_clock_change() -> None:
    # The clocks go forward on Sunday 28 March 2027 and back on Sunday 31 October 2027.
    assert rules.london_to_utc(date(2027, 3, 26), time(10)).hour == 10  # GMT
    assert rules.london_to_utc(date(2027, 3, 29), time(10)).hour == 9  # BST
    assert rules.london_to_utc(date(2027, 10, 29), time(10)).hour == 9
    assert rules.london_to_utc(date(2027, 11, 1), time(10)).hour == 10


def test_horizon_clamps_to_the_end_of_the_month() -> None:
    assert horizon(date(2026, 12, 3), 12) == date(2027, 12, 3)
    assert horizon(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert horizon(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_rhythm_problems_name_the_field() -> None:
    assert rhythm_problem(KINSHIP) is None
    assert rhythm_problem(Rhythm(5, 3, 2, 2)) == (
        "per_year", "Choose how many meetings a year: 1, 2, 3, 4, 6 or 12.")
    assert rhythm_problem(Rhythm(4, 13, 2, 2))[0] == "first_month"  # type: ignore[index]
    assert rhythm_problem(Rhythm(4, 3, 7, 2))[0] == "weekday"  # type: ignore[index]
    assert rhythm_problem(Rhythm(4, 3, 2, 5))[0] == "week"  # type: ignore[index]


def test_describe() -> None:
    assert describe(KINSHIP) == ("Quarterly: the second Wednesday of March, June, September "
                                 "and December")
    assert describe(Rhythm(12, 1, 0, -1)) == "Monthly: the last Monday of each month"


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 3, 17), None),
    (date(2026, 3, 18), ACTION_DUE),  # two working days before Friday 20 March
    (date(2026, 3, 20), ACTION_DUE),
    (date(2026, 3, 21), ACTION_OVERDUE),
    (date(2026, 6, 1), ACTION_OVERDUE),
])
def test_action_reminders(today: date, expected: str | None) -> None:
    assert action_reminder_due(date(2026, 3, 20), today) == expected


def test_action_reminder_counts_working_days_over_easter() -> None:
    # Due Tuesday 7 April 2026: Easter Monday and Good Friday do not count.
    assert action_reminder_due(date(2026, 4, 7), date(2026, 3, 31)) is None
    assert action_reminder_due(date(2026, 4, 7), date(2026, 4, 1)) == ACTION_DUE
