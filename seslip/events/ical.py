"""Events as iCalendar, for registration emails and the person's calendar feed.

One UID per event (`event-<id>@<host of SESLIP_BASE_URL>`); a person's SEQUENCE is the
event's plus their registration's, so both a change to the event and the person cancelling
(or registering again) give a higher number and Outlook replaces or removes its copy.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.events.models import Event, Registration, RegistrationStatus
from seslip.extensions import db
from seslip.timeutil import utcnow
from seslip.web import external_url

PRODID = "-//SESLIP Intranet//Events//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def uid(event: Event) -> str:
    host = urlsplit(current_app.config["SESLIP_BASE_URL"]).hostname or "localhost"
    return f"event-{event.id}@{host}"


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def vevent(event: Event, registration: Registration | None, method: str | None = None
           ) -> VEvent:
    """The event as `registration`'s holder sees it: cancelled when the event is, or when they
    no longer have a place."""
    cancelled = event.is_cancelled or (
        registration is not None and registration.status != RegistrationStatus.REGISTERED)
    found = VEvent()
    found.add("uid", uid(event))
    found.add("sequence", event.sequence + (registration.sequence if registration else 0))
    found.add("dtstamp", _utc(utcnow()))
    found.add("last-modified", _utc(event.updated_at))
    found.add("dtstart", _utc(event.starts_at))
    found.add("dtend", _utc(event.ends_at))
    found.add("summary", event.title)
    where = ", ".join(x for x in (event.place, event.online_link) if x)
    if where:
        found.add("location", where)
    url = external_url("events.show", event_id=event.id)
    found.add("url", url)
    text = f"{event.kind.label}. Agenda and details: {url}"
    if event.online_link:
        text += f"\nJoin online: {event.online_link}"
    if event.is_cancelled:
        text = f"Cancelled: {event.cancel_reason}\n{text}"
    found.add("description", text)
    found.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if method is not None:
        address = parseaddr(str(current_app.config.get("MAIL_DEFAULT_SENDER") or ""))[1]
        if address:
            organiser = vCalAddress(f"mailto:{address}")
            organiser.params["cn"] = vText("SESLIP Intranet")
            found.add("organizer", organiser)
    return found


def attachment(event: Event, registration: Registration) -> dict[str, str]:
    """The .ics of a registration email: the invitation (or its update), or its removal."""
    live = not event.is_cancelled and registration.status == RegistrationStatus.REGISTERED
    method = REQUEST if live else CANCEL
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(vevent(event, registration, method))
    return {"filename": "event.ics", "content": cal.to_ical().decode(),
            "mimetype": f'text/calendar; method={method}; charset="UTF-8"'}


def person_vevents(user: User) -> list[VEvent]:
    """The events `user` has (or had) a place at, for their calendar feed: a place given up
    stays in the feed as cancelled, so the calendar removes it."""
    stmt = (select(Registration).join(Event, Registration.event_id == Event.id)
            .where(Registration.user_id == user.id, Registration.registered_at.is_not(None))
            .options(selectinload(Registration.event)).order_by(Event.starts_at))
    return [vevent(r.event, r) for r in db.session.scalars(stmt)]
