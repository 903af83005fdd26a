"""Pure date rules for events and action learning sets: functions of dates only, so tests pass
the day rather than freezing the clock."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

SET_SESSIONS = 4  # action learning sets meet one day a month for four months (seed 003)


def reminder_due(event_day: date, today: date) -> bool:
    """The reminder goes the day before the event; a tick missed that day still sends it on
    the morning of the event itself, never later."""
    return event_day - timedelta(days=1) <= today <= event_day


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or the month's last day when it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def monthly_dates(first: date, count: int = SET_SESSIONS) -> list[date]:
    """One date a month from `first`, moved off weekends to the next Monday (a set meets on a
    working day); the organiser can adjust each afterwards."""
    found = []
    for n in range(count):
        day = add_months(first, n)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        found.append(day)
    return found


def registration_open(event_day: date, today: date) -> bool:
    """People register (or join the waiting list) until the day of the event."""
    return today <= event_day


def feedback_may_be_sent(event_day: date, today: date) -> bool:
    """A feedback questionnaire goes to attendees once the event has taken place."""
    return today >= event_day
