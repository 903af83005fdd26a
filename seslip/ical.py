"""iCalendar entries for every area that puts something in people's calendars (meetings,
events, challenge days): one way to write an entry, so they all read the same in Outlook.

An entry has one UID for its life (`<kind>-<id>@<host of SESLIP_BASE_URL>`) and a SEQUENCE
its area raises on every change, so a calendar that has it replaces it; a cancelled one is
STATUS:CANCELLED (in an email, METHOD:CANCEL) and is removed. Times are written in UTC
(`...Z`): unambiguous on both sides of the clock change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from seslip.timeutil import utcnow

PRODID = "-//SESLIP Intranet//Calendar//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"


@dataclass(frozen=True)
class Entry:
    uid: str
    sequence: int
    updated_at: datetime  # naive UTC, as stored
    starts_at: datetime
    ends_at: datetime
    summary: str
    url: str  # the page with the details
    description: str  # its first lines; the join link and any cancellation are added
    place: str | None = None
    online_link: str | None = None
    cancelled: bool = False
    cancel_reason: str | None = None


def uid(kind: str, ident: int) -> str:
    host = urlsplit(current_app.config["SESLIP_BASE_URL"]).hostname or "localhost"
    return f"{kind}-{ident}@{host}"


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _organiser() -> vCalAddress | None:
    address = parseaddr(str(current_app.config.get("MAIL_DEFAULT_SENDER") or ""))[1]
    if not address:
        return None
    organiser = vCalAddress(f"mailto:{address}")
    organiser.params["cn"] = vText("SESLIP Intranet")
    return organiser


def vevent(entry: Entry, invitation: bool = False) -> Event:
    """The entry; an `invitation` (an email's .ics) names an organiser, as Outlook wants."""
    found = Event()
    found.add("uid", entry.uid)
    found.add("sequence", entry.sequence)
    found.add("dtstamp", _utc(utcnow()))
    found.add("last-modified", _utc(entry.updated_at))
    found.add("dtstart", _utc(entry.starts_at))
    found.add("dtend", _utc(entry.ends_at))
    found.add("summary", entry.summary)
    where = ", ".join(x for x in (entry.place, entry.online_link) if x)
    if where:
        found.add("location", where)
    found.add("url", entry.url)
    text = entry.description
    if entry.online_link:
        text += f"\nJoin online: {entry.online_link}"
    if entry.cancel_reason is not None:
        text = f"Cancelled: {entry.cancel_reason}\n{text}"
    found.add("description", text)
    found.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    if invitation and (organiser := _organiser()) is not None:
        found.add("organizer", organiser)
    return found


def calendar(events: list[Event], name: str | None = None, method: str | None = None) -> bytes:
    """A feed (`name`) or an email's .ics (`method`) holding `events`."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


def attachment(filename: str, entry: Entry) -> dict[str, str]:
    """The .ics for an email: the invitation (or its update), or its cancellation."""
    method = CANCEL if entry.cancelled else REQUEST
    return {"filename": filename,
            "content": calendar([vevent(entry, invitation=True)], method=method).decode(),
            "mimetype": f'text/calendar; method={method}; charset="UTF-8"'}
