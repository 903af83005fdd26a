"""The .ics sent with challenge-day emails: one UID per triad (`challenge-day-<id>@<host>`)
and the triad's SEQUENCE, so a changed day replaces the entry in members' calendars. Built
with the meetings area's calendar helpers (same PRODID, UTC times, organiser)."""

from __future__ import annotations

from email.utils import parseaddr

from flask import current_app
from icalendar import Event, vCalAddress, vText

from seslip.challenge.models import Triad
from seslip.meetings.calendar import CANCEL, REQUEST, _calendar, _host, _utc
from seslip.timeutil import utcnow
from seslip.web import external_url


def uid(triad: Triad) -> str:
    return f"challenge-day-{triad.id}@{_host()}"


def event(triad: Triad, title: str, cancelled: bool = False) -> Event:
    assert triad.starts_at is not None and triad.ends_at is not None
    found = Event()
    found.add("uid", uid(triad))
    found.add("sequence", triad.sequence)
    found.add("dtstamp", _utc(utcnow()))
    found.add("last-modified", _utc(triad.updated_at))
    found.add("dtstart", _utc(triad.starts_at))
    found.add("dtend", _utc(triad.ends_at))
    found.add("summary", title)
    where = ", ".join(x for x in (triad.place, triad.online_link) if x)
    if where:
        found.add("location", where)
    url = external_url("challenge.triad", triad_id=triad.id)
    found.add("url", url)
    names = ", ".join(m.organisation.name for m in triad.members)
    text = f"Peer challenge day of {names}.\nSelf-assessments and comments: {url}"
    if triad.online_link:
        text += f"\nJoin online: {triad.online_link}"
    found.add("description", text)
    found.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    address = parseaddr(str(current_app.config.get("MAIL_DEFAULT_SENDER") or ""))[1]
    if address:
        organiser = vCalAddress(f"mailto:{address}")
        organiser.params["cn"] = vText("SESLIP Intranet")
        found.add("organizer", organiser)
    return found


def attachment(triad: Triad, title: str, cancelled: bool = False) -> dict[str, str]:
    """The invitation (or its update); `cancelled` for people no longer in the group."""
    method = CANCEL if cancelled else REQUEST
    cal = _calendar(None, method)
    cal.add_component(event(triad, title, cancelled))
    return {"filename": "challenge-day.ics", "content": cal.to_ical().decode(),
            "mimetype": f'text/calendar; method={method}; charset="UTF-8"'}
