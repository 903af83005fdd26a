"""Events as iCalendar, for registration emails and the person's calendar feed.

One UID per event (`event-<id>@<host>`, written by seslip/ical.py); a person's SEQUENCE is the
event's plus their registration's, so both a change to the event and the person cancelling
(or registering again) give a higher number and Outlook replaces or removes its copy.
"""

from __future__ import annotations

from icalendar import Event as VEvent
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from seslip import ical
from seslip.accounts.models import User
from seslip.events.models import Event, Registration, RegistrationStatus
from seslip.extensions import db
from seslip.web import external_url


def uid(event: Event) -> str:
    return ical.uid("event", event.id)


def _entry(event: Event, registration: Registration | None) -> ical.Entry:
    """The event as `registration`'s holder sees it: cancelled when the event is, or when they
    no longer have a place."""
    url = external_url("events.show", event_id=event.id)
    return ical.Entry(
        uid=uid(event), sequence=event.sequence + (registration.sequence if registration else 0),
        updated_at=event.updated_at, starts_at=event.starts_at, ends_at=event.ends_at,
        summary=event.title, url=url, description=f"{event.kind.label}. Agenda and details: {url}",
        place=event.place, online_link=event.online_link,
        cancelled=event.is_cancelled or (
            registration is not None and registration.status != RegistrationStatus.REGISTERED),
        cancel_reason=(event.cancel_reason or "") if event.is_cancelled else None)


def attachment(event: Event, registration: Registration) -> dict[str, str]:
    """The .ics of a registration email: the invitation (or its update), or its removal."""
    return ical.attachment("event.ics", _entry(event, registration))


def person_vevents(user: User) -> list[VEvent]:
    """The events `user` has (or had) a place at, for their calendar feed: a place given up
    stays in the feed as cancelled, so the calendar removes it."""
    stmt = (select(Registration).join(Event, Registration.event_id == Event.id)
            .where(Registration.user_id == user.id, Registration.registered_at.is_not(None))
            .options(selectinload(Registration.event)).order_by(Event.starts_at))
    return [ical.vevent(_entry(r.event, r)) for r in db.session.scalars(stmt)]
