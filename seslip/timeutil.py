"""Time helpers: store UTC, show Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Naive UTC now: the form every timestamp column stores (same on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Today in Europe/London: term dates and deadlines are calendar dates in the UK."""
    return datetime.now(LONDON).date()


def format_date(day: date | None) -> str:
    """'5 November 2026': the one way dates are written to people."""
    return "" if day is None else f"{day.day} {day:%B %Y}"


def to_local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(LONDON)


def format_datetime(moment: datetime | None) -> str:
    local = to_local(moment)
    return "" if local is None else f"{local.day} {local:%B %Y at %H:%M}"


def format_time(moment: datetime | None) -> str:
    local = to_local(moment)
    return "" if local is None else f"{local:%H:%M}"
