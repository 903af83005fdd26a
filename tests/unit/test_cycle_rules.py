"""The cycles' pure rules, with explicit dates."""

from __future__ import annotations

from datetime import date

import pytest

from seslip.cycles.rules import (
    AuthorityStatus,
    authority_status,
    invitation_due,
    manual_kind,
    percent,
    reminder_due,
)

DUE = date(2026, 11, 6)  # a Friday


@pytest.mark.parametrize(("today", "kind"), [
    (date(2026, 9, 14), None),
    (date(2026, 10, 22), None),  # 15 days before
    (date(2026, 10, 23), "before-14"),
    (date(2026, 10, 29), "before-14"),  # 8 days before: still the 14-day one
    (date(2026, 10, 30), "before-7"),
    (date(2026, 11, 4), "before-7"),
    (date(2026, 11, 5), "before-1"),
    (DUE, "before-1"),  # on the day itself: not overdue yet
    (date(2026, 11, 7), "overdue"),
    (date(2027, 1, 10), "overdue"),
])
def test_the_reminder_due_on_a_day(today: date, kind: str | None) -> None:
    assert reminder_due(DUE, today) == kind


def test_a_run_missed_over_a_weekend_catches_up_with_the_latest_only() -> None:
    # tick did not run on the 14th day before (Friday 23 October): Monday sends before-14 ...
    assert reminder_due(DUE, date(2026, 10, 26)) == "before-14"
    # ... and a run missed from 7 days before to the day after sends only the overdue notice.
    assert reminder_due(DUE, date(2026, 11, 8)) == "overdue"


def test_dates_across_a_year_end_count_calendar_days() -> None:
    assert reminder_due(date(2027, 1, 4), date(2026, 12, 21)) == "before-14"
    assert reminder_due(date(2027, 1, 4), date(2026, 12, 28)) == "before-7"
    assert reminder_due(date(2027, 1, 4), date(2027, 1, 3)) == "before-1"


def test_the_invitation_goes_from_the_open_date() -> None:
    assert not invitation_due(date(2026, 9, 14), date(2026, 9, 13))
    assert invitation_due(date(2026, 9, 14), date(2026, 9, 14))
    assert invitation_due(date(2026, 9, 14), date(2026, 10, 1))


def test_the_manual_reminder_is_one_a_day() -> None:
    assert manual_kind(date(2026, 10, 1)) == "now-2026-10-01"
    assert manual_kind(date(2026, 10, 1)) != manual_kind(date(2026, 10, 2))
    assert len(manual_kind(date(2026, 10, 1))) <= 30  # fits CycleReminderSent.kind


@pytest.mark.parametrize(("answered", "finalised", "shared", "status"), [
    (0, False, False, AuthorityStatus.NOT_STARTED),
    (1, False, False, AuthorityStatus.IN_PROGRESS),
    (6, True, False, AuthorityStatus.FINALISED),
    (6, True, True, AuthorityStatus.SHARED),
])
def test_authority_status(answered: int, finalised: bool, shared: bool,
                          status: AuthorityStatus) -> None:
    assert authority_status(answered, finalised, shared) is status


def test_percent_reaches_100_only_when_all_is_done() -> None:
    assert percent(18, 19) == 94 and percent(19, 19) == 100 and percent(0, 0) == 0
