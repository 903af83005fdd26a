"""Forward programme services: members suggest topics, the chair triages each (a meeting's
agenda, an expert workshop, later, or declined with a reason) and the suggester is told.
Every change is checked, audited and committed with its email. The read side is at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.meetings import rules
from seslip.meetings import services as meetings
from seslip.meetings.models import Meeting
from seslip.networks.emails import send
from seslip.networks.models import Network
from seslip.networks.queries import chairs_of, membership_of, programme_managers
from seslip.programmes.models import Outcome, Suggestion
from seslip.records import get_or_raise
from seslip.timeutil import format_date, local_today, utcnow
from seslip.web import external_url

TITLE_MAX = 300
DETAILS_MAX = 5000
# A suggestion can be triaged again while it waits or sits in "later"; once on an agenda, a
# workshop at a meeting or declined, the agenda item (or the reason given) is the record.
OPEN = (Outcome.AWAITING, Outcome.LATER)

# --- who may do what ------------------------------------------------------------------------


def can_suggest(user: User, network: Network, today: date | None = None) -> bool:
    """Current members suggest topics; so do those who run the network."""
    return (membership_of(user, network, today or local_today()) is not None
            or meetings.can_run(user, network))


def require_suggest(actor: User, network: Network) -> None:
    if not can_suggest(actor, network):
        raise PermissionDenied(f"Only members of {network.name} can suggest topics.")


def can_triage(user: User, network: Network) -> bool:
    """The chairs and vice chairs, the programme manager and admins."""
    return meetings.can_run(user, network)


def require_triage(actor: User, network: Network) -> None:
    if not can_triage(actor, network):
        raise PermissionDenied(
            f"Only the chair or vice chair of {network.name} or the programme manager can "
            "triage its suggestions.")


def require_see(actor: User, network: Network) -> None:
    if not meetings.can_see_network(actor, network):
        raise PermissionDenied(f"Only members of {network.name} can see its programme.")


# --- suggesting -----------------------------------------------------------------------------


def suggest(actor: User, network: Network, title: str, details: str = "") -> Suggestion:
    require_suggest(actor, network)
    title, details = " ".join(title.split()), details.strip()
    if not title:
        raise ServiceError("Enter the topic you suggest.", "title")
    if len(title) > TITLE_MAX:
        raise ServiceError(f"The topic must be {TITLE_MAX} characters or fewer.", "title")
    if len(details) > DETAILS_MAX:
        raise ServiceError(f"The details must be {DETAILS_MAX} characters or fewer.", "details")
    suggestion = Suggestion(network_id=network.id, suggested_by_id=actor.id, title=title,
                            details=details)
    db.session.add(suggestion)
    db.session.flush()
    record(actor, "create", suggestion, f"Suggested “{title}” for {network.name}",
           {"title": title, "details": details})
    # The chairs triage it (the programme manager when the chair is vacant).
    send("suggestion_made", "chairs", chairs_of(network) or programme_managers(),
         f"A suggestion for the forward programme of {network.name}: {title}",
         suggestion=suggestion, network=network, suggester=actor,
         url=external_url("programmes.triage", slug=network.slug, suggestion_id=suggestion.id))
    db.session.commit()
    return suggestion


# --- triage ---------------------------------------------------------------------------------


@dataclass
class Triage:
    outcome: Outcome
    meeting: Meeting | None = None  # for AGENDA (required) and WORKSHOP (optional)
    owner: User | None = None  # who leads the agenda item
    minutes: int | None = None
    note: str = ""  # the reason, for DECLINED (required); a note to the suggester otherwise


def _check_meeting(suggestion: Suggestion, meeting: Meeting | None, required: bool,
                   now: datetime) -> None:
    if meeting is None:
        if required:
            raise ServiceError("Choose the meeting whose agenda it goes on.", "meeting")
        return
    network = suggestion.network
    if network.id not in (meeting.network_id, meeting.joint_network_id):
        raise ServiceError(f"Choose a meeting of {network.name}.", "meeting")
    if meeting.is_cancelled or meeting.starts_at <= now:
        raise ServiceError("Choose a meeting that is still to come.", "meeting")


def triage(actor: User, suggestion: Suggestion, decision: Triage,
           now: datetime | None = None) -> Suggestion:
    now = now or utcnow()
    require_triage(actor, suggestion.network)
    if suggestion.outcome not in OPEN:
        raise ServiceError(f"This suggestion was already decided: {suggestion.outcome.label}.")
    if decision.outcome == Outcome.AWAITING:
        raise ServiceError("Choose what becomes of the suggestion.", "outcome")
    note = decision.note.strip()
    if decision.outcome == Outcome.DECLINED and not note:
        raise ServiceError("Give the reason, so the member knows why.", "note")
    if len(note) > DETAILS_MAX:
        raise ServiceError(f"The note must be {DETAILS_MAX} characters or fewer.", "note")
    meeting = decision.meeting if decision.outcome in (Outcome.AGENDA, Outcome.WORKSHOP) else None
    _check_meeting(suggestion, meeting, decision.outcome == Outcome.AGENDA, now)
    was = suggestion.outcome
    if meeting is not None:
        title = (suggestion.title if decision.outcome == Outcome.AGENDA
                 else f"Expert workshop: {suggestion.title}")
        item = meetings.add_item(actor, meeting, title, decision.owner, decision.minutes,
                                 commit=False)
        suggestion.agenda_item_id = item.id
    suggestion.outcome = decision.outcome
    suggestion.meeting_id = meeting.id if meeting else None
    suggestion.note = note
    suggestion.decided_by_id = actor.id
    suggestion.decided_at = now
    record(actor, "triage", suggestion, f"“{suggestion.title}”: {decision.outcome.label}",
           {"outcome": [was.value, decision.outcome.value], "note": note,
            "meeting": meeting.title if meeting else None})
    _tell_suggester(suggestion, meeting)
    db.session.commit()
    return suggestion


SUBJECTS = {
    Outcome.AGENDA: "Your suggestion is on the agenda",
    Outcome.WORKSHOP: "Your suggestion will be an expert workshop",
    Outcome.LATER: "Your suggestion is in the forward programme",
    Outcome.DECLINED: "Your suggestion was not taken forward",
}


def _tell_suggester(suggestion: Suggestion, meeting: Meeting | None) -> None:
    day = rules.utc_to_london(meeting.starts_at).date() if meeting else None
    send("suggestion_triaged", "suggester", [suggestion.suggested_by],
         f"{SUBJECTS[suggestion.outcome]}: {suggestion.title}", suggestion=suggestion,
         network=suggestion.network, meeting=meeting, meeting_day=format_date(day),
         url=external_url("programmes.mine"),
         meeting_url=external_url("meetings.show", meeting_id=meeting.id) if meeting else "")


# --- the read side --------------------------------------------------------------------------


def _suggestions() -> Select[Suggestion]:
    return (select(Suggestion)
            .options(selectinload(Suggestion.suggested_by), selectinload(Suggestion.meeting))
            .order_by(Suggestion.created_at, Suggestion.id))


def suggestions_of(network: Network) -> list[Suggestion]:
    return list(db.session.scalars(_suggestions().where(Suggestion.network_id == network.id)))


def mine(user: User) -> list[Suggestion]:
    stmt = (_suggestions().where(Suggestion.suggested_by_id == user.id)
            .options(selectinload(Suggestion.network)))
    return sorted(db.session.scalars(stmt), key=lambda s: s.created_at, reverse=True)


def awaiting_for(user: User) -> list[Suggestion]:
    """Suggestions waiting in the networks `user` may triage (staff: every network)."""
    stmt = (_suggestions().where(Suggestion.outcome == Outcome.AWAITING)
            .options(selectinload(Suggestion.network)))
    allowed: dict[int, bool] = {}
    found = []
    for s in db.session.scalars(stmt):
        if s.network_id not in allowed:
            allowed[s.network_id] = can_triage(user, s.network)
        if allowed[s.network_id]:
            found.append(s)
    return found


def meetings_to_come(network: Network) -> list[Meeting]:
    return meetings.upcoming(network)


def get_suggestion(network: Network, ident: int) -> Suggestion:
    return get_or_raise(Suggestion, ident, "That suggestion does not exist.",
                        lambda s: s.network_id == network.id)


@dataclass
class ForwardProgramme:
    """What a network's forward programme holds, by what became of each suggestion."""

    network: Network
    can_suggest: bool
    can_triage: bool
    awaiting: list[Suggestion] = field(default_factory=list)
    scheduled: list[Suggestion] = field(default_factory=list)  # agenda, and workshops at one
    workshops: list[Suggestion] = field(default_factory=list)  # workshops to be arranged
    later: list[Suggestion] = field(default_factory=list)
    declined: list[Suggestion] = field(default_factory=list)


def forward_programme(user: User, network: Network, today: date | None = None
                      ) -> ForwardProgramme:
    programme = ForwardProgramme(network, can_suggest(user, network, today),
                                 can_triage(user, network))
    for s in suggestions_of(network):
        if s.outcome == Outcome.AWAITING:
            programme.awaiting.append(s)
        elif s.meeting_id is not None:
            programme.scheduled.append(s)
        elif s.outcome == Outcome.WORKSHOP:
            programme.workshops.append(s)
        elif s.outcome == Outcome.LATER:
            programme.later.append(s)
        else:
            programme.declined.append(s)
    programme.scheduled.sort(key=lambda s: s.meeting.starts_at if s.meeting else datetime.min)
    return programme
