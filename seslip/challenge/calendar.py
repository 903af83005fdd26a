"""The .ics sent with challenge-day emails: one UID per triad (`challenge-day-<id>@<host>`)
and the triad's SEQUENCE, so a changed day replaces the entry in members' calendars. Written
by seslip/ical.py, as meetings and events are."""

from __future__ import annotations

from seslip import ical
from seslip.challenge.models import Triad
from seslip.web import external_url


def uid(triad: Triad) -> str:
    return ical.uid("challenge-day", triad.id)


def _entry(triad: Triad, title: str, cancelled: bool) -> ical.Entry:
    assert triad.starts_at is not None and triad.ends_at is not None
    url = external_url("challenge.triad", triad_id=triad.id)
    names = ", ".join(m.organisation.name for m in triad.members)
    return ical.Entry(
        uid=uid(triad), sequence=triad.sequence, updated_at=triad.updated_at,
        starts_at=triad.starts_at, ends_at=triad.ends_at, summary=title, url=url,
        description=f"Peer challenge day of {names}.\nSelf-assessments and comments: {url}",
        place=triad.place, online_link=triad.online_link, cancelled=cancelled)


def attachment(triad: Triad, title: str, cancelled: bool = False) -> dict[str, str]:
    """The invitation (or its update); `cancelled` for people no longer in the group."""
    return ical.attachment("challenge-day.ics", _entry(triad, title, cancelled))
