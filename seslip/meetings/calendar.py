"""Meetings as iCalendar: the private feeds (per person, per network) and the .ics sent with
meeting emails.

Every meeting has one UID (`meeting-<id>@<host>`) and a SEQUENCE raised by each change
(`Meeting.sequence`); entries are written by seslip/ical.py, as every area's are.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from flask import current_app
from icalendar import Event
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from seslip import ical
from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.errors import NotFound
from seslip.extensions import db
from seslip.meetings.models import CalendarToken, Meeting
from seslip.networks.models import Network
from seslip.networks.queries import my_networks
from seslip.timeutil import local_today, utcnow
from seslip.web import external_url

NOT_FOUND = "There is no calendar at this address. It may have been renewed or turned off."


def uid(meeting: Meeting) -> str:
    return ical.uid("meeting", meeting.id)


def _entry(meeting: Meeting) -> ical.Entry:
    url = external_url("meetings.show", meeting_id=meeting.id)
    networks = " and ".join(n.name for n in meeting.networks)
    return ical.Entry(
        uid=uid(meeting), sequence=meeting.sequence, updated_at=meeting.updated_at,
        starts_at=meeting.starts_at, ends_at=meeting.ends_at, summary=meeting.title, url=url,
        description=f"A meeting of {networks}.\nAgenda and papers: {url}",
        place=meeting.place, online_link=meeting.online_link, cancelled=meeting.is_cancelled,
        cancel_reason=(meeting.cancel_reason or "") if meeting.is_cancelled else None)


def event(meeting: Meeting) -> Event:
    return ical.vevent(_entry(meeting))


def feed(name: str, meetings: list[Meeting], extra: list[Event] | None = None) -> bytes:
    """The feed of `meetings`, plus `extra` events from other areas (a person's events)."""
    return ical.calendar([event(m) for m in meetings] + (extra or []), name=name)


def attachment(meeting: Meeting) -> dict[str, str]:
    """The .ics for a meeting email: an invitation (or its update), or its cancellation."""
    return ical.attachment("meeting.ics", _entry(meeting))


# --- which meetings ------------------------------------------------------------------------


def _meetings(*conditions: object) -> list[Meeting]:
    stmt = (select(Meeting).where(or_(*conditions))  # type: ignore[arg-type]
            .options(selectinload(Meeting.network), selectinload(Meeting.joint_network))
            .order_by(Meeting.starts_at))
    return list(db.session.scalars(stmt))


def person_meetings(user: User) -> list[Meeting]:
    """Every meeting (cancelled ones too) of every network `user` is a member of."""
    ids = [n.id for n, _ in my_networks(user, local_today())]
    if not ids:
        return []
    return _meetings(Meeting.network_id.in_(ids), Meeting.joint_network_id.in_(ids))


def person_events(user: User) -> list[Event]:
    """The events `user` has a place at, from the events area (imported here, late, because
    that area builds on this one)."""
    from seslip.events.ical import person_vevents

    return person_vevents(user)


def network_meetings(network: Network) -> list[Meeting]:
    return _meetings(Meeting.network_id == network.id, Meeting.joint_network_id == network.id)


# --- the private link ----------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_of(token: CalendarToken) -> str:
    key = str(current_app.secret_key).encode()
    digest = hmac.new(key, b"seslip calendar\0" + token.seed.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def live_token(user: User) -> CalendarToken | None:
    return db.session.scalar(select(CalendarToken).where(
        CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)))


def _end_live(user: User, now: datetime) -> int:
    result = db.session.execute(
        update(CalendarToken)
        .where(CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None))
        .values(revoked_at=now))
    return result.rowcount or 0  # type: ignore[attr-defined]


def renew(actor: User) -> CalendarToken:
    """A new private link for `actor`'s calendars; the old one (if any) stops working."""
    now = utcnow()
    ended = _end_live(actor, now)
    token = CalendarToken(user_id=actor.id, seed=secrets.token_urlsafe(32), created_at=now)
    token.token_hash = _hash(secret_of(token))
    db.session.add(token)
    db.session.flush()
    record(actor, "renew" if ended else "create", token,
           "Renewed the calendar link" if ended else "Turned on the calendar link")
    db.session.commit()
    return token


def revoke(actor: User) -> bool:
    """Turn off `actor`'s calendar link: its feeds are 404s from now on."""
    token = live_token(actor)
    if token is None:
        return False
    token.revoked_at = utcnow()
    record(actor, "revoke", token, "Turned off the calendar link")
    db.session.commit()
    return True


def holder(secret: str) -> User:
    """The active person whose live link this is, or NotFound (the same for every reason)."""
    wanted = _hash(secret)
    token = db.session.scalar(select(CalendarToken).where(
        CalendarToken.token_hash == wanted, CalendarToken.revoked_at.is_(None)))
    if (token is None or not hmac.compare_digest(token.token_hash, wanted)
            or not token.user.is_active_account):
        raise NotFound(NOT_FOUND)
    return token.user
