"""Pure rules of a cycle: which reminder is due on a day, and what an authority's status is.
Plain functions of explicit dates and values (no database), tested with explicit dates."""

from __future__ import annotations

import enum
from datetime import date

OPENED = "opened"
BEFORE = (14, 7, 1)  # days before the finalise-by date
OVERDUE = "overdue"


def before(days: int) -> str:
    return f"before-{days}"


REMINDER_KINDS = (OPENED, *(before(days) for days in BEFORE), OVERDUE)


def reminder_due(finalise_by: date, today: date) -> str | None:
    """The reminder a response not yet finalised is due on `today`: "before-14" from 14 days
    before the finalise-by date, "before-7" from 7, "before-1" from the day before (and on the
    day itself), "overdue" from the day after. A day `tick` did not run is caught up by the
    next run, which sends only the latest reminder due (the unique key sends each once)."""
    left = (finalise_by - today).days
    if left < 0:
        return OVERDUE
    due = [days for days in BEFORE if left <= days]
    return before(min(due)) if due else None


def invitation_due(opens_on: date, today: date) -> bool:
    """The respondent is told the cycle is open on its open date (or at opening, if later)."""
    return today >= opens_on


def manual_kind(today: date) -> str:
    """The dashboard's "send a reminder now": at most one a day per authority."""
    return f"now-{today.isoformat()}"


class AuthorityStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    FINALISED = "finalised"
    SHARED = "shared"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def colour(self) -> str:
        return {"not_started": "", "in_progress": "tag-blue", "finalised": "tag-green",
                "shared": "tag-green"}[self.value]


STATUS_LABELS = {
    AuthorityStatus.NOT_STARTED: "Not started",
    AuthorityStatus.IN_PROGRESS: "In progress",
    AuthorityStatus.FINALISED: "Finalised",
    AuthorityStatus.SHARED: "Shared",
}


def authority_status(answered: int, finalised: bool, shared: bool) -> AuthorityStatus:
    """From how many questions have an answer, and the response's state."""
    if finalised:
        return AuthorityStatus.SHARED if shared else AuthorityStatus.FINALISED
    return AuthorityStatus.IN_PROGRESS if answered else AuthorityStatus.NOT_STARTED


def percent(part: int | float, whole: int | float) -> int:
    """Rounded down, so 100% only when everything is done."""
    return int(part * 100 // whole) if whole else 0
