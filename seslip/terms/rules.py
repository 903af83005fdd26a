"""Pure date rules of the annual review: plain functions of explicit dates."""

from __future__ import annotations

from datetime import date

from seslip.networks.rules import add_years

# Reminders to the chairs: this many days before the review is due, and once when overdue.
BEFORE_DAYS = (30, 7)
OVERDUE = "overdue"


def review_due_on(last_approved_or_reviewed: date) -> date:
    """The review is due one year after the last approval (or "reviewed, no change")."""
    return add_years(last_approved_or_reviewed, 1)


def reminder_due(due_on: date, today: date) -> str | None:
    """The reminder to send on `today`, if any: "before-30", "before-7" or "overdue". Each is
    sent from its day onwards (a missed tick catches up), the latest that applies only."""
    if today > due_on:
        return OVERDUE
    days_left = (due_on - today).days
    for days in sorted(BEFORE_DAYS):
        if days_left <= days:
            return f"before-{days}"
    return None


def review_status(due_on: date | None, today: date) -> str:
    """"none" (no published version), "ok", "due" (within 30 days) or "overdue"."""
    if due_on is None:
        return "none"
    if today > due_on:
        return "overdue"
    if (due_on - today).days <= max(BEFORE_DAYS):
        return "due"
    return "ok"
