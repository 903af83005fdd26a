"""Planned meeting patterns: a network's rhythm (quarterly, several a year) with its usual
day, time and place. Saving one, and the daily `tick`, plan its meetings `months_ahead` for the
chair to confirm or move. A meeting is planned once per month of the pattern (and the slot is
unique per pattern), so a moved or cancelled meeting is never planned again and several workers
plan each slot once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from seslip.accounts.models import User
from seslip.audit.services import diff, record
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.meetings import pattern_rules, rules
from seslip.meetings.models import Meeting, MeetingPattern
from seslip.meetings.services import require_run
from seslip.networks.models import Network
from seslip.timeutil import format_date, local_today, utcnow


@dataclass
class PatternValues:
    per_year: int
    first_month: int
    weekday: int
    week: int
    starts: time
    ends: time
    place: str = ""
    online_link: str = ""
    joint_network: Network | None = None
    months_ahead: int = 12
    active: bool = True

    @property
    def rhythm(self) -> pattern_rules.Rhythm:
        return pattern_rules.Rhythm(self.per_year, self.first_month, self.weekday, self.week)


def rhythm_of(pattern: MeetingPattern) -> pattern_rules.Rhythm:
    return pattern_rules.Rhythm(pattern.per_year, pattern.first_month, pattern.weekday,
                                pattern.week)


def _fields(network: Network, values: PatternValues) -> dict[str, object]:
    problem = pattern_rules.rhythm_problem(values.rhythm)
    if problem:
        raise ServiceError(problem[1], problem[0])
    if values.ends <= values.starts:
        raise ServiceError("The meetings must end after they start.", "ends")
    place, link = values.place.strip(), values.online_link.strip()
    if not place and not link:
        raise ServiceError("Enter where the meetings are, a link to join online, or both.",
                           "place")
    if link and not link.startswith("https://"):
        raise ServiceError("The link to join online must start with https://", "online_link")
    if not 1 <= values.months_ahead <= 24:
        raise ServiceError("Plan from 1 to 24 months ahead.", "months_ahead")
    if values.joint_network is not None and values.joint_network.id == network.id:
        raise ServiceError("A joint meeting is with another network.", "joint_network")
    return {"per_year": values.per_year, "first_month": values.first_month,
            "weekday": values.weekday, "week": values.week, "starts": values.starts,
            "ends": values.ends, "place": place, "online_link": link,
            "joint_network_id": values.joint_network.id if values.joint_network else None,
            "months_ahead": values.months_ahead, "active": values.active}


def pattern_of(network: Network) -> MeetingPattern | None:
    return db.session.scalar(select(MeetingPattern).where(MeetingPattern.network_id ==
                                                          network.id))


def save_pattern(actor: User | None, network: Network, values: PatternValues,
                 today: date | None = None) -> tuple[MeetingPattern, list[Meeting]]:
    """Set the network's pattern and plan its meetings ahead; returns the new meetings.
    `actor` None is the demo."""
    if actor is not None:
        require_run(actor, network)
    fields = _fields(network, values)
    pattern = pattern_of(network)
    if pattern is None:
        pattern = MeetingPattern(network_id=network.id, **fields)
        db.session.add(pattern)
        db.session.flush()
        record(actor, "create", pattern, f"Set the meeting pattern of {network.name}", fields)
    else:
        changes = diff(pattern, fields)
        for name, value in fields.items():
            setattr(pattern, name, value)
        if changes:
            record(actor, "update", pattern, f"Changed the meeting pattern of {network.name}",
                   changes)
            _follow(actor, pattern, today or local_today())
    pattern.updated_by_id = actor.id if actor else None
    db.session.commit()
    return pattern, plan_ahead(pattern, today or local_today())


def _follow(actor: User | None, pattern: MeetingPattern, today: date) -> None:
    """After a change of pattern, its planned meetings that nobody has taken on yet (not
    confirmed, no agenda, nothing sent) move to the new days and times, so the change does not
    leave the old ones beside the new; any left over are withdrawn. Meetings the chair has
    confirmed, moved or given an agenda stay as they are."""
    if not pattern.active:
        return
    now = utcnow()
    ahead = list(db.session.scalars(select(Meeting).where(
        Meeting.pattern_id == pattern.id, Meeting.cancelled_at.is_(None),
        Meeting.starts_at > now).order_by(Meeting.starts_at)))
    free = [m for m in ahead if m.confirmed_at is None and m.agenda_sent_at is None
            and not m.current_items]
    kept = _months(m.pattern_slot for m in ahead if m not in free)
    until = pattern_rules.horizon(today, pattern.months_ahead)
    wanted = [d for d in pattern_rules.slots(rhythm_of(pattern), today, until)
              if d > today and (d.year, d.month) not in kept]
    for meeting in free:  # free the slots first: the unique key must hold after each UPDATE
        meeting.pattern_slot = None
    db.session.flush()
    for meeting, day in zip(free, wanted, strict=False):
        meeting.title = _title(pattern.network, day)
        meeting.starts_at = rules.london_to_utc(day, pattern.starts)
        meeting.ends_at = rules.london_to_utc(day, pattern.ends)
        meeting.place, meeting.online_link = pattern.place, pattern.online_link
        meeting.joint_network_id = pattern.joint_network_id
        meeting.papers_due_on = rules.papers_deadline(day)
        meeting.pattern_slot = day
        meeting.sequence += 1  # calendars that hold it take the new time
        record(actor, "update", meeting, f"Moved {meeting.title} with the meeting pattern",
               {"slot": day})
    for meeting in free[len(wanted):]:
        meeting.cancelled_at = now
        meeting.cancel_reason = "No longer in the network's meeting pattern."
        meeting.sequence += 1
        record(actor, "cancel", meeting, f"Withdrew {meeting.title}: no longer in the pattern",
               {"cancel_reason": meeting.cancel_reason})
    db.session.flush()


def _months(days: Iterable[date | None]) -> set[tuple[int, int]]:
    """A pattern meets at most once a month, so a month with a meeting planned from it (even
    one moved or cancelled since) is taken: the pattern plans nothing more in it."""
    return {(d.year, d.month) for d in days if d is not None}


def _title(network: Network, day: date) -> str:
    return f"{network.name}, {day:%B %Y}"


def plan_ahead(pattern: MeetingPattern, today: date) -> list[Meeting]:
    """Plan each slot of the pattern from tomorrow to the horizon that has no meeting yet."""
    if not pattern.active:
        return []
    until = pattern_rules.horizon(today, pattern.months_ahead)
    planned = _months(db.session.scalars(select(Meeting.pattern_slot).where(
        Meeting.pattern_id == pattern.id)))
    made = []
    for day in pattern_rules.slots(rhythm_of(pattern), today, until):
        if day <= today or (day.year, day.month) in planned:
            continue
        meeting = Meeting(
            network_id=pattern.network_id, joint_network_id=pattern.joint_network_id,
            title=_title(pattern.network, day), starts_at=rules.london_to_utc(day, pattern.starts),
            ends_at=rules.london_to_utc(day, pattern.ends), place=pattern.place,
            online_link=pattern.online_link, papers_due_on=rules.papers_deadline(day),
            pattern_id=pattern.id, pattern_slot=day)
        try:
            with db.session.begin_nested():
                db.session.add(meeting)
                db.session.flush()
        except IntegrityError:  # another worker planned this slot first
            continue
        record(None, "create", meeting, f"Planned {meeting.title} from the pattern of "
               f"{pattern.network.name}", {"slot": day})
        made.append(meeting)
    db.session.commit()
    return made


def tick(today: date | None = None) -> list[str]:
    """The `tick` step: keep every active pattern's meetings planned to its horizon."""
    today = today or local_today()
    lines = []
    for pattern in db.session.scalars(select(MeetingPattern).where(
            MeetingPattern.active.is_(True)).order_by(MeetingPattern.id)):
        for meeting in plan_ahead(pattern, today):
            day = rules.utc_to_london(meeting.starts_at).date()
            lines.append(f"Planned meeting: {pattern.network.name}, {format_date(day)}")
    return lines


def confirm(actor: User, meeting: Meeting) -> Meeting:
    """The chair confirms a planned meeting as it is (moving it: change it, then confirm)."""
    require_run(actor, meeting)
    if meeting.is_cancelled:
        raise ServiceError("This meeting was cancelled, so it cannot be confirmed.")
    if not meeting.to_confirm:
        raise ServiceError("This meeting is already confirmed.")
    meeting.confirmed_at = utcnow()
    record(actor, "confirm", meeting, f"Confirmed {meeting.title}")
    db.session.commit()
    return meeting


def to_confirm(network: Network) -> list[Meeting]:
    stmt = (select(Meeting).where(Meeting.network_id == network.id,
                                  Meeting.pattern_id.is_not(None),
                                  Meeting.confirmed_at.is_(None),
                                  Meeting.cancelled_at.is_(None),
                                  Meeting.starts_at >= utcnow())
            .order_by(Meeting.starts_at))
    return list(db.session.scalars(stmt))
