"""Pure rules for a network's planned meeting pattern: which days its meetings fall on, and when
an action's owner is reminded. Functions of dates only (tests pass the day).

A pattern spreads `per_year` meetings evenly through the year from `first_month` (quarterly is
four: every third month), each on the `week`th `weekday` of its month (week -1: the last one).
A slot that falls on a bank holiday moves a week later, staying in its month where it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from seslip.meetings.rules import BANK_HOLIDAYS, working_days_before

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
ALLOWED_PER_YEAR = (1, 2, 3, 4, 6, 12)  # divide the year into whole months


@dataclass(frozen=True)
class Rhythm:
    per_year: int  # 4: quarterly
    first_month: int  # 1-12: the month of the first meeting in a year
    weekday: int  # 0 Monday … 6 Sunday
    week: int  # 1-4, or -1 for the last such weekday of the month


def rhythm_problem(rhythm: Rhythm) -> tuple[str, str] | None:
    """(field, message) for the first thing wrong with a rhythm, or None."""
    if rhythm.per_year not in ALLOWED_PER_YEAR:
        return ("per_year", "Choose how many meetings a year: 1, 2, 3, 4, 6 or 12.")
    if not 1 <= rhythm.first_month <= 12:
        return ("first_month", "Choose the month of the first meeting of the year.")
    if not 0 <= rhythm.weekday <= 6:
        return ("weekday", "Choose the day of the week.")
    if rhythm.week not in ORDINALS:
        return ("week", "Choose which week of the month: first to fourth, or last.")
    return None


def nth_weekday(year: int, month: int, weekday: int, week: int) -> date:
    """The `week`th `weekday` of the month (week -1: the last)."""
    if week == -1:
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def months_of(rhythm: Rhythm) -> list[int]:
    step = 12 // rhythm.per_year
    return sorted((rhythm.first_month - 1 + step * n) % 12 + 1 for n in range(rhythm.per_year))


def _avoid_holiday(day: date) -> date:
    """A bank holiday moves the meeting a week later, or earlier to stay in its month."""
    if day not in BANK_HOLIDAYS:
        return day
    for other in (day + timedelta(days=7), day - timedelta(days=7)):
        if other.month == day.month and other not in BANK_HOLIDAYS:
            return other
    return day + timedelta(days=7)


def slots(rhythm: Rhythm, start: date, until: date) -> list[date]:
    """The pattern's meeting days from `start` to `until`, both included."""
    found = []
    for year in range(start.year, until.year + 1):
        for month in months_of(rhythm):
            day = _avoid_holiday(nth_weekday(year, month, rhythm.weekday, rhythm.week))
            if start <= day <= until:
                found.append(day)
    return sorted(found)


def horizon(today: date, months: int) -> date:
    """The last day planned ahead: `months` months after `today` (clamped to the month's end)."""
    month = today.month - 1 + months
    year, month = today.year + month // 12, month % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def describe(rhythm: Rhythm) -> str:
    """'Quarterly: the second Friday of March, June, September and December'."""
    names = [date(2000, m, 1).strftime("%B") for m in months_of(rhythm)]
    months = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    how = {4: "Quarterly", 12: "Monthly", 1: "Once a year", 2: "Twice a year"}.get(
        rhythm.per_year, f"{rhythm.per_year} times a year")
    when = f"the {ORDINALS[rhythm.week]} {WEEKDAYS[rhythm.weekday]}"
    return f"{how}: {when} of {'each month' if rhythm.per_year == 12 else months}"


# --- reminders of actions -------------------------------------------------------------------

ACTION_DUE = "due"
ACTION_OVERDUE = "overdue"
ACTION_REMIND_DAYS_BEFORE = 2  # working days before the due date


def action_reminder_due(due_on: date, today: date) -> str | None:
    """Which reminder an open action's owner is due: "due" from two working days before the
    due date until it (so a missed tick still sends it), "overdue" from the day after. An action
    whose due date passed before any reminder gets only the overdue one."""
    if today > due_on:
        return ACTION_OVERDUE
    if working_days_before(due_on, ACTION_REMIND_DAYS_BEFORE) <= today:
        return ACTION_DUE
    return None
