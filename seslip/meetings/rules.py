"""Pure date rules for meetings: working days, England and Wales bank holidays, the papers
deadline, when an item's owner is reminded, and Europe/London wall-clock times to naive UTC.

Functions of dates only, so tests pass the day rather than freezing the clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from seslip.timeutil import LONDON

# England and Wales bank holidays (GOV.UK), substitute days included.
BANK_HOLIDAYS: frozenset[date] = frozenset({
    # 2025
    date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5),
    date(2025, 5, 26), date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26),
    # 2026: Boxing Day is a Saturday, so Monday 28 December
    date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
    date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    # 2027: Christmas on a weekend, so Monday 27 and Tuesday 28 December
    date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3),
    date(2027, 5, 31), date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28),
    # 2028: New Year's Day is a Saturday, so Monday 3 January
    date(2028, 1, 3), date(2028, 4, 14), date(2028, 4, 17), date(2028, 5, 1),
    date(2028, 5, 29), date(2028, 8, 28), date(2028, 12, 25), date(2028, 12, 26),
})
PAPERS_DAYS_BEFORE = 5  # working days between the papers deadline and the meeting
REMIND_DAYS_BEFORE = 2  # working days before the deadline for the first reminder
BEFORE_DEADLINE = f"before-{REMIND_DAYS_BEFORE}"
ON_DEADLINE = "deadline"


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (`day` itself need not be one)."""
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def papers_deadline(meeting_day: date, days: int = PAPERS_DAYS_BEFORE) -> date:
    """By default five working days before the meeting, bank holidays not counted."""
    return working_days_before(meeting_day, days)


def reminder_due(deadline: date, today: date) -> str | None:
    """Which reminder an owner whose paper is missing is due: the first from two working days
    before the deadline (so a missed tick still sends it), the second on the deadline itself."""
    if today == deadline:
        return ON_DEADLINE
    if working_days_before(deadline, REMIND_DAYS_BEFORE) <= today < deadline:
        return BEFORE_DEADLINE
    return None


def london_to_utc(day: date, clock: time) -> datetime:
    """A Europe/London wall-clock time as the naive UTC the database stores."""
    local = datetime.combine(day, clock, tzinfo=LONDON)
    return local.astimezone(UTC).replace(tzinfo=None)


def utc_to_london(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(LONDON)
