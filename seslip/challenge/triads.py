"""Forming triads (or quartets) of a cycle's authorities and setting their challenge day.

Staff form them; each member of the group (the people of its authorities' responses and the
facilitator) is emailed the day with an .ics (calendar.attachment): the same UID each time
and a SEQUENCE that rises when the time or place changes, so calendars update the entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.audit.services import diff, record
from seslip.challenge import calendar
from seslip.challenge.models import Triad, TriadMember
from seslip.cycles.models import Cycle
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.meetings.rules import london_to_utc, utc_to_london
from seslip.networks.emails import send
from seslip.permissions import require, require_staff
from seslip.questionnaires.models import Response, ResponseAccess, ResponseStatus
from seslip.records import get_or_raise
from seslip.timeutil import format_date, utcnow
from seslip.web import external_url

SIZES = (3, 4)
CALENDAR_FIELDS = {"starts_at", "ends_at", "place", "online_link"}


@dataclass(frozen=True)
class DayDetails:
    """The challenge day as typed: London wall-clock times."""

    name: str
    day: date | None
    starts: time | None
    ends: time | None
    place: str = ""
    online_link: str = ""
    facilitator_id: int | None = None


def cycle_triads(cycle: Cycle) -> list[Triad]:
    stmt = (select(Triad).where(Triad.cycle_id == cycle.id)
            .options(selectinload(Triad.members), selectinload(Triad.facilitator))
            .order_by(Triad.name))
    return list(db.session.scalars(stmt))


def load_triad(triad_id: int) -> Triad:
    return get_or_raise(Triad, triad_id, "There is no such triad.")


def responses_of(triad: Triad) -> dict[int, Response]:
    """The cycle response of each member authority, by organisation id."""
    org_ids = [m.organisation_id for m in triad.members]
    stmt = select(Response).where(Response.cycle_id == triad.cycle_id,
                                  Response.organisation_id.in_(org_ids))
    return {r.organisation_id: r for r in db.session.scalars(stmt).unique()
            if r.organisation_id is not None}


def people_of(responses: Iterable[Response]) -> dict[int, list[User]]:
    """Each response's respondent and contributors, by response id (one query)."""
    found = {r.id: [r.owner] for r in responses}
    if found:
        stmt = select(ResponseAccess).where(ResponseAccess.response_id.in_(found),
                                            ResponseAccess.revoked_at.is_(None))
        for access in db.session.scalars(stmt):
            found[access.response_id].append(access.person)
    return found


def recipients(triad: Triad) -> list[User]:
    people = [p for group in people_of(responses_of(triad).values()).values() for p in group]
    if triad.facilitator is not None:
        people.append(triad.facilitator)
    return people


def _values(cycle: Cycle, details: DayDetails) -> dict[str, object]:
    name = " ".join(details.name.split())
    if not name:
        raise ServiceError("Enter a name for the group, such as “Triad 1”.", "name")
    if len(name) > 120:
        raise ServiceError("The name must be 120 characters or fewer.", "name")
    if details.day is None:
        raise ServiceError("Enter the date of the challenge day.", "day")
    if details.starts is None or details.ends is None:
        raise ServiceError("Enter the start and end times of the challenge day.", "starts")
    if details.ends <= details.starts:
        raise ServiceError("The challenge day must end after it starts.", "ends")
    low, high = cycle.challenge_from, cycle.challenge_to
    if (low and details.day < low) or (high and details.day > high):
        raise ServiceError(
            f"The challenge day must be in the cycle's window for challenge days: "
            f"{format_date(low) if low else 'any time'} to "
            f"{format_date(high) if high else 'any time'}.", "day")
    if not details.place.strip() and not details.online_link.strip():
        raise ServiceError("Enter a place or an online link for the challenge day.", "place")
    link = details.online_link.strip()
    if link and not link.startswith("https://"):
        raise ServiceError("The online link must start with https://", "online_link")
    if details.facilitator_id is None:
        raise ServiceError("Choose the facilitator.", "facilitator_id")
    person = db.session.get(User, details.facilitator_id)
    if person is None or not person.is_active_account:
        raise ServiceError("Choose the facilitator from the list.", "facilitator_id")
    return {"name": name, "starts_at": london_to_utc(details.day, details.starts),
            "ends_at": london_to_utc(details.day, details.ends), "place": details.place.strip(),
            "online_link": link, "facilitator_id": person.id}


def _check_members(cycle: Cycle, org_ids: list[int], triad: Triad | None = None) -> None:
    wanted = set(org_ids)
    if len(wanted) not in SIZES:
        raise ServiceError("Choose three authorities (a triad) or four (a quartet).",
                           "organisations")
    answering = set(db.session.scalars(select(Response.organisation_id).where(
        Response.cycle_id == cycle.id, Response.organisation_id.in_(wanted))))
    if answering != wanted:
        raise ServiceError("Choose authorities that answer this cycle.", "organisations")
    taken = db.session.scalars(select(TriadMember).where(
        TriadMember.cycle_id == cycle.id, TriadMember.organisation_id.in_(wanted),
        TriadMember.triad_id != (triad.id if triad else -1)))
    names = sorted(m.organisation.name for m in taken)
    if names:
        raise ServiceError(f"Already in a group of this cycle: {', '.join(names)}.",
                           "organisations")


def form_triad(actor: User | None, cycle: Cycle, org_ids: list[int], details: DayDetails,
               ) -> Triad:
    """`actor` None is the demo."""
    if actor is not None:
        require_staff(actor)
    values = _values(cycle, details)
    if db.session.scalar(select(Triad.id).where(Triad.cycle_id == cycle.id,
                                                Triad.name == values["name"])):
        raise ServiceError(f"This cycle already has a group called “{values['name']}”.", "name")
    _check_members(cycle, org_ids)
    triad = Triad(cycle_id=cycle.id, **values)
    db.session.add(triad)
    db.session.flush()
    for org_id in dict.fromkeys(org_ids):
        db.session.add(TriadMember(triad=triad, cycle_id=cycle.id, organisation_id=org_id))
    db.session.flush()
    db.session.refresh(triad)
    _mark_shared(triad)
    record(actor, "create", triad, f"Formed {triad.name} of {cycle.name}: "
           + ", ".join(m.organisation.name for m in triad.members),
           {**values, "organisations": [m.organisation.name for m in triad.members]})
    _email(triad, cycle, changed=False)
    db.session.commit()
    return triad


def update_day(actor: User, triad: Triad, details: DayDetails,
               org_ids: list[int] | None = None) -> Triad:
    """Change the day, the facilitator or (with `org_ids`) the member authorities. Members
    get the updated calendar entry; the people of an authority taken out get a cancellation."""
    require_staff(actor)
    cycle = db.session.get_one(Cycle, triad.cycle_id)
    values = _values(cycle, details)
    clash = db.session.scalar(select(Triad.id).where(
        Triad.cycle_id == cycle.id, Triad.name == values["name"], Triad.id != triad.id))
    if clash:
        raise ServiceError(f"This cycle already has a group called “{values['name']}”.", "name")
    changes = diff(triad, values)
    before = {m.organisation_id: m for m in triad.members}
    if org_ids is not None and set(org_ids) != set(before):
        _check_members(cycle, org_ids, triad)
        changes["organisations"] = [sorted(m.organisation.name for m in triad.members), []]
    else:
        org_ids = list(before)
    if not changes:
        return triad
    leaving = [m for org_id, m in before.items() if org_id not in org_ids]
    gone = recipients_of([r for o, r in responses_of(triad).items()
                          if o in {m.organisation_id for m in leaving}])
    for member in leaving:
        db.session.delete(member)
    for org_id in org_ids:
        if org_id not in before:
            db.session.add(TriadMember(triad=triad, cycle_id=cycle.id, organisation_id=org_id))
    for name, value in values.items():
        setattr(triad, name, value)
    triad.updated_at = utcnow()
    triad.sequence += 1
    db.session.flush()
    db.session.refresh(triad)
    if "organisations" in changes:
        changes["organisations"][1] = sorted(m.organisation.name for m in triad.members)
        _mark_shared(triad)
    _email(triad, cycle, changed=True)
    if gone:
        title = f"Peer challenge day: {triad.name} ({cycle.name})"
        send("challenge_day_left", "members", gone, f"No longer in {triad.name}: {title}",
             triad=triad, cycle=cycle, attachments=[calendar.attachment(triad, title, True)])
    record(actor, "update", triad, f"Changed {triad.name} of {cycle.name}", changes)
    db.session.commit()
    return triad


def recipients_of(responses: Iterable[Response]) -> list[User]:
    return [p for group in people_of(responses).values() for p in group]


def _email(triad: Triad, cycle: Cycle, changed: bool) -> int:
    title = f"Peer challenge day: {triad.name} ({cycle.name})"
    when = format_date(utc_to_london(triad.starts_at).date()) if triad.starts_at else ""
    subject = f"{'Changed: ' if changed else ''}{title}, {when}"
    return send("challenge_day", "members", recipients(triad), subject, triad=triad,
                cycle=cycle, changed=changed,
                authorities=[m.organisation.name for m in triad.members],
                url=external_url("challenge.triad", triad_id=triad.id),
                attachments=[calendar.attachment(triad, title)])


def _mark_shared(triad: Triad) -> None:
    """Finalised responses of the group's authorities are shared with it from now on."""
    now = utcnow()
    for response in responses_of(triad).values():
        if response.status == ResponseStatus.FINALISED and response.shared_at is None:
            response.shared_at = now


def on_finalise(response: Response) -> None:
    """Called when a cycle response is finalised: it is shared if its authority has a group.
    (Readability itself is `access.peer_can_read`, worked out at each request.)"""
    from seslip.challenge.access import triad_of

    if response.cycle_id is None or response.organisation_id is None:
        return
    triad = triad_of(response.cycle_id, response.organisation_id)
    if triad is None:
        return
    first = response.shared_at is None
    response.shared_at = response.shared_at or utcnow()
    if not first:
        return
    others = [r for r in responses_of(triad).values() if r.id != response.id]
    peers = [p for group in people_of(others).values() for p in group]
    if triad.facilitator is not None:
        peers.append(triad.facilitator)
    authority = response.organisation.name if response.organisation else "An authority"
    send("self_assessment_shared", "peers", peers,
         f"{authority}'s self-assessment is ready to read ({triad.name})",
         triad=triad, authority=authority,
         url=external_url("challenge.peer_response", response_id=response.id))


def unassigned(cycle: Cycle) -> list[Response]:
    """The cycle's responses whose authority is in no group yet (for the forming form)."""
    grouped = select(TriadMember.organisation_id).where(TriadMember.cycle_id == cycle.id)
    stmt = (select(Response).where(Response.cycle_id == cycle.id,
                                   Response.organisation_id.not_in(grouped)))
    rows = list(db.session.scalars(stmt).unique())
    return sorted(rows, key=lambda r: r.organisation.name if r.organisation else "")


def is_past(triad: Triad, now: datetime | None = None) -> bool:
    return triad.starts_at is not None and triad.starts_at <= (now or utcnow())


def my_triads(user: User) -> list[Triad]:
    """The groups `user` is in (through their authority's cycle response) or facilitates."""
    from seslip.challenge.access import person_condition

    orgs = (select(Response.cycle_id, Response.organisation_id).where(person_condition(user))
            .subquery())
    member = select(TriadMember.triad_id).join(
        orgs, (orgs.c.cycle_id == TriadMember.cycle_id)
        & (orgs.c.organisation_id == TriadMember.organisation_id))
    stmt = (select(Triad).where((Triad.facilitator_id == user.id) | Triad.id.in_(member))
            .options(selectinload(Triad.members)).order_by(Triad.starts_at.desc()))
    return list(db.session.scalars(stmt))


def all_cycles() -> list[Cycle]:
    return list(db.session.scalars(select(Cycle).order_by(Cycle.opens_on.desc(), Cycle.id)))


def load_cycle(cycle_id: int) -> Cycle:
    return get_or_raise(Cycle, cycle_id, "There is no such cycle.")


def facilitator_choices() -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.is_active_account.is_(True), User.password_hash.is_not(None)).order_by(User.name)))


def require_see(user: User, triad: Triad) -> None:
    from seslip.challenge.access import may_see_triad

    require(may_see_triad(user, triad),
            "Only the triad's authorities, its facilitator and staff can see this triad.")
