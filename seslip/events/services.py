"""Events services: who may organise and register, and every change (checked, audited,
committed, with its emails queued in the same transaction). The read side is at the end.

Registration is safe when two people take the last place at once: every change to an event's
registrations first takes the event's row lock (a no-op UPDATE: a row lock on PostgreSQL, the
write lock on SQLite), then counts; so one gets the place and the other the waiting list.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.audit.services import diff, record
from seslip.errors import PermissionDenied, ServiceError
from seslip.events import ical, rules
from seslip.events.models import (
    Cohort,
    Event,
    EventKind,
    EventPaper,
    EventSession,
    EventSpeaker,
    LearningSetMember,
    LearningSetSession,
    Registration,
    RegistrationStatus,
)
from seslip.extensions import db
from seslip.files import filetypes
from seslip.files.storage import storage
from seslip.meetings.rules import london_to_utc, utc_to_london
from seslip.networks.emails import send
from seslip.networks.models import Network
from seslip.networks.queries import can_manage, membership_of
from seslip.parts import NextThing
from seslip.timeutil import format_date, local_today, utcnow
from seslip.web import external_url

REGISTERED, WAITING, CANCELLED = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING,
                                  RegistrationStatus.CANCELLED)

# --- who may do what ------------------------------------------------------------------------


def can_create(user: User | None, network: Network | None = None) -> bool:
    """Staff create any event; a network's chairs create events of their network."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or (network is not None and can_manage(user, network))


def can_organise(user: User | None, event: Event) -> bool:
    """The programme manager and admins, or the network's chairs for a network's event."""
    return can_create(user, event.network)


def require_organise(actor: User, event: Event) -> None:
    if not can_organise(actor, event):
        who = f"the chairs of {event.network.name}, " if event.network else ""
        raise PermissionDenied(f"Only {who}the programme manager or an admin can do that.")


def _is_participant(user: User, cohort: Cohort) -> bool:
    return any(p.user_id == user.id for p in cohort.participants)


def may_register(user: User, event: Event, today: date | None = None) -> bool:
    """A cohort's events are for its participants, a network's for its members; others for
    anyone signed in. Organisers may always register."""
    if can_organise(user, event):
        return True
    if event.cohort is not None:
        return _is_participant(user, event.cohort)
    if event.network is not None:
        return membership_of(user, event.network, today or local_today()) is not None
    return True


def audience_text(event: Event) -> str:
    if event.cohort is not None:
        return f"participants of {event.cohort.name}"
    if event.network is not None:
        return f"members of {event.network.name}"
    return "everyone"


# --- events ---------------------------------------------------------------------------------


@dataclass
class EventDetails:
    kind: EventKind
    title: str
    day: date
    starts: time
    ends: time
    description: str = ""
    place: str = ""
    online_link: str = ""
    network: Network | None = None
    cohort: Cohort | None = None
    capacity: int | None = None


CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "place", "online_link"}


def _check(details: EventDetails) -> None:
    if not details.title.strip():
        raise ServiceError("Enter a title for the event.", "title")
    if details.ends <= details.starts:
        raise ServiceError("The event must end after it starts.", "ends")
    if not details.place.strip() and not details.online_link.strip():
        raise ServiceError("Enter where the event is, a link to join online, or both.", "place")
    link = details.online_link.strip()
    if link and not link.startswith("https://"):
        raise ServiceError("The link to join online must start with https://", "online_link")
    if details.capacity is not None and not 1 <= details.capacity <= 10000:
        raise ServiceError("Enter the number of places, from 1 to 10,000, or leave it empty "
                           "for no limit.", "capacity")


def _values(details: EventDetails) -> dict[str, object]:
    return {
        "kind": details.kind, "title": details.title.strip(),
        "description": details.description.strip(),
        "starts_at": london_to_utc(details.day, details.starts),
        "ends_at": london_to_utc(details.day, details.ends),
        "place": details.place.strip(), "online_link": details.online_link.strip(),
        "network_id": details.network.id if details.network else None,
        "cohort_id": details.cohort.id if details.cohort else None,
        "capacity": details.capacity,
    }


def create_event(actor: User | None, details: EventDetails) -> Event:
    if actor is not None and not can_create(actor, details.network):  # None: the demo
        raise PermissionDenied("Only the programme manager, an admin or a network's chairs "
                               "(for their network) can create events.")
    if actor is not None:
        _check_owner(actor, details)
    _check(details)
    event = Event(created_by_id=actor.id if actor else None, **_values(details))
    db.session.add(event)
    db.session.flush()
    record(actor, "create", event, f"Planned {event.title}", _values(details))
    db.session.commit()
    return event


def update_event(actor: User, event: Event, details: EventDetails) -> Event:
    require_organise(actor, event)
    _refuse_cancelled(event)
    _check_owner(actor, details)
    _check(details)
    _lock(event)
    taken = places_taken(event)
    if details.capacity is not None and details.capacity < taken:
        raise ServiceError(f"{taken} people already have a place: the number of places "
                           "cannot be lower than that.", "capacity")
    values = _values(details)
    changes = diff(event, values)
    for name, value in values.items():
        setattr(event, name, value)
    if changes.keys() & CALENDAR_FIELDS:
        event.sequence += 1
        for reg in registrations(event, REGISTERED):
            notify(reg, "event_changed", f"Changed: {event.title}, {_day_text(event)}")
    if changes:
        record(actor, "update", event, f"Changed {event.title}", changes)
    _promote(actor, event)  # more places: the waiting list moves up
    db.session.commit()
    return event


def _check_owner(actor: User, details: EventDetails) -> None:
    """A chair's event stays one of their networks'; only staff add to the programme."""
    if not can_create(actor, details.network):
        raise ServiceError("Choose a network you chair.", "network")
    if details.cohort is not None and not actor.is_staff:
        raise ServiceError("Only the programme team adds events to the development programme.",
                           "cohort")


def _refuse_cancelled(event: Event) -> None:
    if event.is_cancelled:
        raise ServiceError("This event was cancelled, so it cannot be changed.")


def cancel_event(actor: User, event: Event, reason: str) -> Event:
    require_organise(actor, event)
    _refuse_cancelled(event)
    if not reason.strip():
        raise ServiceError("Enter why the event is cancelled.", "reason")
    _lock(event)
    event.cancelled_at = utcnow()
    event.cancel_reason = reason.strip()
    event.sequence += 1
    record(actor, "cancel", event, f"Cancelled {event.title}", {"cancel_reason": reason})
    for reg in registrations(event, REGISTERED) + registrations(event, WAITING):
        notify(reg, "event_cancelled", f"Cancelled: {event.title}, {_day_text(event)}")
    db.session.commit()
    return event


# --- the agenda -----------------------------------------------------------------------------


SPEAKER_SPLIT = re.compile(r"\s+[–—-]\s+|,\s*")


def parse_speakers(lines: str) -> list[tuple[str, str]]:
    """"Name – organisation or role", one a line (a comma also separates the two)."""
    found = []
    for line in lines.splitlines():
        if line.strip():
            parts = SPEAKER_SPLIT.split(line.strip(), maxsplit=1)
            role = parts[1].strip()[:300] if len(parts) > 1 else ""
            found.append((parts[0].strip()[:200], role))
    return found


def save_session(actor: User | None, event: Event, session: EventSession | None, starts: time,
                 ends: time | None, title: str, description: str = "", speakers: str = "",
                 withdrawn: bool = False) -> EventSession:
    """Add a session to the agenda (`session` None) or change one; `speakers` one a line.
    A withdrawn session leaves the agenda but is kept (and can be put back)."""
    if actor is not None:
        require_organise(actor, event)
    _refuse_cancelled(event)
    if not title.strip():
        raise ServiceError("Enter the session's title.", "title")
    if ends is not None and ends <= starts:
        raise ServiceError("The session must end after it starts.", "ends")
    values = {"starts": starts, "ends": ends, "title": title.strip(),
              "description": description.strip()}
    people = parse_speakers(speakers)
    if session is None:
        session = EventSession(event_id=event.id, **values)
        db.session.add(session)
        db.session.flush()
        changes: dict[str, object] = {**values}
        action = "create"
    else:
        changes = dict(diff(session, values))
        for name, value in values.items():
            setattr(session, name, value)
        action = "update"
    if withdrawn != (session.withdrawn_at is not None):
        session.withdrawn_at = utcnow() if withdrawn else None
        changes["withdrawn"] = [not withdrawn, withdrawn]
    before = [(s.name, s.role) for s in session.speakers]
    if before != people:
        for old in list(session.speakers):
            db.session.delete(old)  # speakers are a list the organiser retypes
        session.speakers = [EventSpeaker(name=n, role=r, sort_order=i)
                            for i, (n, r) in enumerate(people)]
        changes["speakers"] = [before, people]
    if changes:
        record(actor, action, session, f"Agenda of {event.title}: “{session.title}”", changes)
    db.session.commit()
    return session


def speakers_text(session: EventSession) -> str:
    return "\n".join(f"{s.name} – {s.role}" if s.role else s.name for s in session.speakers)


# --- papers and slides ----------------------------------------------------------------------


def upload_paper(actor: User, event: Event, title: str, filename: str, data: bytes
                 ) -> EventPaper:
    require_organise(actor, event)
    kind = filetypes.checked(data, current_app.config["SESLIP_MAX_UPLOAD_BYTES"])
    title = title.strip() or re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename).strip()
    if not title:
        raise ServiceError("Enter a title for the slides or paper.", "title")
    paper = EventPaper(event_id=event.id, title=title[:300], storage_key=storage().save(data),
                       download_name=filetypes.safe_name(title, kind, "slides"),
                       extension=kind.extension, size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=actor.id)
    db.session.add(paper)
    db.session.flush()
    record(actor, "upload", paper, f"Attached “{paper.title}” to {event.title}",
           {"size": len(data), "type": kind.label, "sha256": paper.sha256})
    db.session.commit()
    return paper


def download(actor: User, paper: EventPaper) -> tuple[bytes, str, str]:
    """(bytes, mimetype, name): slides are for anyone signed in, like the event's page."""
    from seslip.meetings.services import MIMETYPES

    return storage().load(paper.storage_key), MIMETYPES[paper.extension], paper.download_name


# --- registration ---------------------------------------------------------------------------


def _lock(event: Event) -> None:
    """Serialise changes to this event's registrations (see the module's docstring)."""
    db.session.execute(text("UPDATE event SET sequence = sequence WHERE id = :id"),
                       {"id": event.id})


def places_taken(event: Event) -> int:
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event.id, Registration.status == REGISTERED)) or 0


def _has_room(event: Event) -> bool:
    return event.capacity is None or places_taken(event) < event.capacity


def registration_of(user: User, event: Event) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.user_id == user.id)
        .execution_options(populate_existing=True))


def event_day(event: Event) -> date:
    return utc_to_london(event.starts_at).date()


def _day_text(event: Event) -> str:
    return format_date(event_day(event))


def register(actor: User, event: Event, today: date | None = None) -> Registration:
    """A place for `actor`, or a place on the waiting list when the event is full."""
    today = today or local_today()
    if not may_register(actor, event, today):
        raise PermissionDenied(f"This event is for {audience_text(event)}.")
    _refuse_cancelled(event)
    if not rules.registration_open(event_day(event), today):
        raise ServiceError(f"Registration has closed: the event was on {_day_text(event)}.")
    _lock(event)
    reg = registration_of(actor, event)
    if reg is not None and reg.status != CANCELLED:
        return reg  # a second click, or another tab: nothing changes
    status = REGISTERED if _has_room(event) else WAITING
    now = utcnow()
    if reg is None:
        reg = Registration(event_id=event.id, user_id=actor.id, status=status, queued_at=now)
        db.session.add(reg)
    else:  # back after cancelling: to the end of the queue
        reg.status, reg.queued_at, reg.cancelled_at, reg.attended = status, now, None, None
        reg.sequence += 1
    if status == REGISTERED:
        reg.registered_at = now
    db.session.flush()
    record(actor, "register", reg, f"{actor.name}: {status.label.lower()} for {event.title}",
           {"status": status.value})
    if status == REGISTERED:
        notify(reg, "event_registered", f"You are registered: {event.title}, "
               f"{_day_text(event)}")
    else:
        position = waiting_position(reg)
        notify(reg, "event_waiting", f"Waiting list (number {position}): {event.title}, "
               f"{_day_text(event)}", position=position)
    db.session.commit()
    return reg


def cancel_registration(actor: User, reg: Registration) -> Registration:
    """The person gives up their place (or leaves the waiting list); an organiser can do it for
    them. A freed place goes to the next person waiting, who is told."""
    event = reg.event
    if actor.id != reg.user_id and not can_organise(actor, event):
        raise PermissionDenied("Only the person registered or the event's organisers can "
                               "cancel a registration.")
    _lock(event)
    db.session.refresh(reg)
    if reg.status == CANCELLED:
        raise ServiceError("This registration is already cancelled.")
    had_place = reg.status == REGISTERED
    reg.status, reg.cancelled_at = CANCELLED, utcnow()
    if had_place:
        reg.sequence += 1  # the CANCEL must outrank the invitation it removes
    record(actor, "cancel", reg, f"{reg.user.name} is no longer registered for {event.title}",
           {"status": ["registered" if had_place else "waiting", "cancelled"]})
    notify(reg, "event_registration_cancelled", f"Cancelled: your place at {event.title}"
           if had_place else f"You left the waiting list: {event.title}", had_place=had_place)
    if had_place and not event.is_cancelled:
        _promote(actor, event)
    db.session.commit()
    return reg


def _promote(actor: User | None, event: Event) -> list[Registration]:
    """Give free places to the people waiting, first come first served (under the lock)."""
    promoted = []
    while not event.is_cancelled and _has_room(event):
        nxt = db.session.scalar(
            select(Registration).where(Registration.event_id == event.id,
                                       Registration.status == WAITING)
            .order_by(Registration.queued_at, Registration.id)
            .execution_options(populate_existing=True))
        if nxt is None:
            break
        nxt.status, nxt.registered_at = REGISTERED, utcnow()
        nxt.sequence += 1
        db.session.flush()
        record(actor, "promote", nxt, f"{nxt.user.name} moved from the waiting list to a place "
               f"at {event.title}", {"status": ["waiting", "registered"]})
        notify(nxt, "event_promoted", f"A place for you: {event.title}, {_day_text(event)}")
        promoted.append(nxt)
    return promoted


def notify(reg: Registration, kind: str, subject: str, **context: object) -> None:
    event = reg.event
    attach = ([ical.attachment(event, reg)] if reg.registered_at is not None else [])
    send(kind, "person", [reg.user], subject, evt=event, registration=reg,
         url=external_url("events.show", event_id=event.id), day=_day_text(event),
         start=utc_to_london(event.starts_at), end=utc_to_london(event.ends_at),
         attachments=attach, **context)


def waiting_position(reg: Registration) -> int:
    return (db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == reg.event_id, Registration.status == WAITING,
        (Registration.queued_at < reg.queued_at)
        | ((Registration.queued_at == reg.queued_at) & (Registration.id < reg.id)))) or 0) + 1


def take_attendance(actor: User, event: Event, present: set[int], today: date | None = None
                    ) -> int:
    """Mark who came, from the people with a place; returns how many were present."""
    require_organise(actor, event)
    today = today or local_today()
    if today < event_day(event):
        raise ServiceError(f"Attendance is taken on the day: {_day_text(event)}.")
    changes = {}
    for reg in registrations(event, REGISTERED):
        came = reg.user_id in present
        if reg.attended != came:
            changes[reg.user.name] = [reg.attended, came]
            reg.attended, reg.attendance_by_id = came, actor.id
    if changes:
        record(actor, "attendance", event, f"Took attendance at {event.title}", changes)
    db.session.commit()
    return sum(1 for r in registrations(event, REGISTERED) if r.attended)


# --- feedback -------------------------------------------------------------------------------


def send_feedback(actor: User, event: Event, definition_id: str, today: date | None = None
                  ) -> int:
    """Email everyone marked as attended a link to the feedback questionnaire; once."""
    from seslip.library import services as library

    require_organise(actor, event)
    today = today or local_today()
    if event.feedback_sent_at is not None:
        raise ServiceError(f"Feedback was already asked for on "
                           f"{format_date(utc_to_london(event.feedback_sent_at).date())}.")
    if not rules.feedback_may_be_sent(event_day(event), today):
        raise ServiceError("Feedback is asked for once the event has taken place.")
    if definition_id not in {d.id for d in library.published()}:
        raise ServiceError("Choose a published questionnaire from the library.", "definition")
    attendees = attended(event)
    if not attendees:
        raise ServiceError("Take attendance first: nobody is marked as having attended.")
    event.feedback_definition_id, event.feedback_sent_at = definition_id, utcnow()
    record(actor, "feedback", event, f"Asked {len(attendees)} attendees of {event.title} for "
           "feedback", {"definition_id": definition_id})
    for reg in attendees:
        send("event_feedback", "attendee", [reg.user], f"Your feedback on {event.title}",
             evt=event, day=_day_text(event),
             url=external_url("events.show", event_id=event.id) + "#feedback")
    db.session.commit()
    return len(attendees)


@dataclass(frozen=True)
class FeedbackSummary:
    asked: int
    started: int
    responded: int  # finalised


def feedback_summary(event: Event) -> FeedbackSummary | None:
    from seslip.questionnaires.models import Response, ResponseStatus

    if event.feedback_definition_id is None or event.feedback_sent_at is None:
        return None
    ids = [r.user_id for r in attended(event)]
    rows = db.session.execute(select(Response.status).where(
        Response.definition_id == event.feedback_definition_id, Response.owner_id.in_(ids),
        Response.updated_at >= event.feedback_sent_at)).scalars().all()
    return FeedbackSummary(len(ids), len(rows),
                           sum(1 for s in rows if s == ResponseStatus.FINALISED))


# --- the read side --------------------------------------------------------------------------


def registrations(event: Event, status: RegistrationStatus) -> list[Registration]:
    stmt = (select(Registration).where(Registration.event_id == event.id,
                                       Registration.status == status)
            .options(selectinload(Registration.user))
            .order_by(Registration.queued_at, Registration.id))
    return list(db.session.scalars(stmt))


def agenda(event: Event) -> list[EventSession]:
    """The sessions with their speakers, in two queries however long the agenda."""
    stmt = (select(EventSession).where(EventSession.event_id == event.id,
                                       EventSession.withdrawn_at.is_(None))
            .options(selectinload(EventSession.speakers))
            .order_by(EventSession.starts, EventSession.id))
    return list(db.session.scalars(stmt))


def attended(event: Event) -> list[Registration]:
    return [r for r in registrations(event, REGISTERED) if r.attended]


def upcoming_events(now: datetime | None = None) -> list[Event]:
    stmt = (select(Event).where(Event.ends_at >= (now or utcnow()))
            .options(selectinload(Event.network), selectinload(Event.cohort))
            .order_by(Event.starts_at))
    return list(db.session.scalars(stmt))


def past_events(now: datetime | None = None) -> list[Event]:
    stmt = (select(Event).where(Event.ends_at < (now or utcnow()))
            .options(selectinload(Event.network), selectinload(Event.cohort))
            .order_by(Event.starts_at.desc()).limit(50))
    return list(db.session.scalars(stmt))


def my_registrations(user: User) -> dict[int, Registration]:
    stmt = select(Registration).where(Registration.user_id == user.id)
    return {r.event_id: r for r in db.session.scalars(stmt)}


def next_things(user: User, today: date) -> list[NextThing]:
    """The home page's lines: events `user` has a place at or is waiting for."""
    stmt = (select(Registration).join(Event, Registration.event_id == Event.id)
            .where(Registration.user_id == user.id, Registration.status != CANCELLED,
                   Event.cancelled_at.is_(None), Event.ends_at >= london_to_utc(today, time()))
            .options(selectinload(Registration.event)).order_by(Event.starts_at))
    things = []
    for reg in db.session.scalars(stmt):
        event = reg.event
        what = ("You have a place" if reg.status == REGISTERED else
                f"You are number {waiting_position(reg)} on the waiting list")
        things.append(NextThing(event.starts_at,  # naive UTC, as NextThing wants
                                f"{event.title}: {what}",
                                external_url("events.show", event_id=event.id), "event"))
    return things + _next_set_days(user, today)


def _next_set_days(user: User, today: date) -> list[NextThing]:
    """The next day of each action learning set `user` is in."""
    stmt = (select(LearningSetSession).join(LearningSetMember, LearningSetMember.learning_set_id
                                            == LearningSetSession.learning_set_id)
            .where(LearningSetMember.user_id == user.id, LearningSetSession.day >= today)
            .options(selectinload(LearningSetSession.learning_set))
            .order_by(LearningSetSession.day))
    found: dict[int, LearningSetSession] = {}
    for day in db.session.scalars(stmt):
        found.setdefault(day.learning_set_id, day)
    return [NextThing(london_to_utc(d.day, d.starts),
                      f"{d.learning_set.name}: day {d.number} of {rules.SET_SESSIONS}",
                      external_url("events.learning_set", set_id=d.learning_set_id),
                      "event") for d in found.values()]


@dataclass(frozen=True)
class NetworkEvents:
    """The "Events and workshops" section of a network's page."""

    network: Network
    upcoming: list[Event]
    past: list[Event]  # with their slides
    can_create: bool


def network_panel(user: User, network: Network, today: date) -> NetworkEvents | None:
    """The network's events (none: no section), upcoming first, then the latest past ones."""
    stmt = (select(Event).where(Event.network_id == network.id, Event.cancelled_at.is_(None))
            .options(selectinload(Event.papers)).order_by(Event.starts_at))
    found = list(db.session.scalars(stmt))
    if not found and not can_create(user, network):
        return None
    start = london_to_utc(today, time())
    past = [e for e in found if e.ends_at < start]
    return NetworkEvents(network, [e for e in found if e.ends_at >= start], past[::-1][:3],
                         can_create(user, network))


def registrations_csv(actor: User, event: Event) -> bytes:
    """Everyone registered or waiting, for a sign-in sheet or name badges (organisers only):
    UTF-8 with a byte-order mark, cells a spreadsheet would run as formulas disarmed."""
    import csv
    import io

    from seslip.questionnaires.exports import safe_cell

    require_organise(actor, event)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "organisation", "email", "status", "since", "attended"])
    for status in (REGISTERED, WAITING):
        for reg in registrations(event, status):
            since = reg.registered_at if status == REGISTERED else reg.queued_at
            writer.writerow([safe_cell(x) for x in (
                reg.user.name, reg.user.organisation.name if reg.user.organisation else "",
                reg.user.email, status.label,
                utc_to_london(since).strftime("%Y-%m-%d %H:%M") if since else "",
                {True: "yes", False: "no", None: ""}[reg.attended])])
    return out.getvalue().encode("utf-8-sig")
