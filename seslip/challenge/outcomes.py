"""The facilitator's record of a challenge day, per authority: strengths and areas for
development (each optionally tied to a theme and a responsibility), agreed actions with an
owner and a due date, and the outcome's themes. Recorded on or after the day; points and
actions are withdrawn, never deleted; every change audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.challenge import access
from seslip.challenge.models import AgreedAction, Outcome, OutcomePoint, PointKind, Theme, Triad
from seslip.cycles.models import Cycle
from seslip.errors import NotFound, ServiceError
from seslip.extensions import db
from seslip.formengine.model import Section
from seslip.meetings.rules import utc_to_london
from seslip.organisations.models import Organisation
from seslip.parts import NextThing
from seslip.permissions import require
from seslip.questionnaires.engine import engine
from seslip.records import get_or_raise
from seslip.timeutil import local_today, utcnow

MAX_POINT_CHARS = 2_000


def sections_of(cycle: Cycle) -> list[Section]:
    version = cycle.form_version
    return list(engine().stored(version.definition_id, version.source, version.sha256).sections)


@dataclass(frozen=True)
class OutcomePage:
    triad: Triad
    organisation: Organisation
    outcome: Outcome | None
    may_record: bool
    day_reached: bool


def open_outcome(user: User, triad: Triad, organisation_id: int) -> OutcomePage:
    if organisation_id not in {m.organisation_id for m in triad.members}:
        raise NotFound("This authority is not in the triad.")
    require(access.can_see_outcome(user, triad, organisation_id),
            "Only the authority, its facilitator, the programme manager and the steering "
            "group can see these outcomes.")
    organisation = get_or_raise(Organisation, organisation_id, "There is no such authority.")
    outcome = db.session.scalar(select(Outcome).where(
        Outcome.triad_id == triad.id, Outcome.organisation_id == organisation_id))
    return OutcomePage(triad, organisation, outcome, access.can_record_outcome(user, triad),
                       day_reached(triad))


def day_reached(triad: Triad, today: date | None = None) -> bool:
    if triad.starts_at is None:
        return False
    return utc_to_london(triad.starts_at).date() <= (today or local_today())


def _require_record(actor: User | None, page: OutcomePage) -> None:
    if actor is not None:
        require(page.may_record, "Only the triad's facilitator can record its outcomes.")


def _writable(actor: User | None, page: OutcomePage) -> Outcome:
    _require_record(actor, page)
    if not page.day_reached:
        raise ServiceError("Outcomes are recorded on or after the challenge day.")
    if page.outcome is not None:
        page.outcome.updated_at = utcnow()
        page.outcome.updated_by_id = actor.id if actor else None
        return page.outcome
    outcome = Outcome(triad_id=page.triad.id, organisation_id=page.organisation.id,
                      updated_by_id=actor.id if actor else None)
    db.session.add(outcome)
    db.session.flush()
    return outcome


def _text(value: str, what: str, field: str = "text") -> str:
    value = value.strip()
    if not value:
        raise ServiceError(f"Enter the {what}.", field)
    if len(value) > MAX_POINT_CHARS:
        raise ServiceError(f"The {what} must be {MAX_POINT_CHARS:,} characters or fewer.", field)
    return value


def _theme(theme_id: int | None) -> Theme | None:
    if theme_id is None:
        return None
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.archived:
        raise ServiceError("Choose a theme from the list.", "theme_id")
    return theme


def add_point(actor: User | None, page: OutcomePage, kind: PointKind, text: str,
              theme_id: int | None = None, section_id: str = "") -> OutcomePoint:
    _require_record(actor, page)
    text = _text(text, "strength" if kind is PointKind.STRENGTH else "area for development")
    theme = _theme(theme_id)
    cycle = db.session.get_one(Cycle, page.triad.cycle_id)
    if section_id and section_id not in {s.id for s in sections_of(cycle)}:
        raise ServiceError("Choose a responsibility from the list.", "section_id")
    outcome = _writable(actor, page)
    point = OutcomePoint(outcome_id=outcome.id, kind=kind, text=text,
                         theme_id=theme.id if theme else None, section_id=section_id)
    db.session.add(point)
    if theme is not None and theme not in outcome.themes:
        outcome.themes.append(theme)  # a point's theme is a theme of the outcome
    record(actor, "create", point, f"Recorded a {kind.label.lower()} for "
           f"{page.organisation.name} ({page.triad.name})",
           {"text": text, "theme": theme.name if theme else None, "section": section_id})
    db.session.commit()
    return point


def withdraw_point(actor: User, page: OutcomePage, point_id: int) -> None:
    require(page.may_record, "Only the triad's facilitator can record its outcomes.")
    point = db.session.get(OutcomePoint, point_id)
    if point is None or page.outcome is None or point.outcome_id != page.outcome.id:
        raise NotFound("There is no such point in these outcomes.")
    if not point.withdrawn:
        point.withdrawn = True
        record(actor, "withdraw", point, f"Withdrew a {point.kind.label.lower()} for "
               f"{page.organisation.name}", {"withdrawn": [False, True]})
    db.session.commit()


def set_themes(actor: User | None, page: OutcomePage, theme_ids: list[int]) -> Outcome:
    _require_record(actor, page)
    wanted = set(theme_ids)
    found = list(db.session.scalars(select(Theme).where(Theme.id.in_(wanted))))
    if len(found) != len(wanted):
        raise ServiceError("Choose themes from the list.", "themes")
    outcome = _writable(actor, page)
    before = sorted(t.name for t in outcome.themes)
    outcome.themes = sorted(found, key=lambda t: t.name)
    after = sorted(t.name for t in outcome.themes)
    if before != after:
        record(actor, "update", outcome, f"Set the themes of {page.organisation.name}'s "
               "outcomes", {"themes": [before, after]})
    db.session.commit()
    return outcome


def action_owners(organisation_id: int) -> list[User]:
    """Who may own an action: the active people of the authority."""
    return list(db.session.scalars(select(User).where(
        User.organisation_id == organisation_id, User.is_active_account.is_(True))
        .order_by(User.name)))


def add_action(actor: User | None, page: OutcomePage, text: str, owner_id: int | None,
               due_on: date | None) -> AgreedAction:
    _require_record(actor, page)
    text = _text(text, "agreed action")
    owners = {u.id: u for u in action_owners(page.organisation.id)}
    if owner_id is None or owner_id not in owners:
        raise ServiceError(f"Choose the action's owner from {page.organisation.name}'s people.",
                           "owner_id")
    if due_on is None:
        raise ServiceError("Enter the date the action is due.", "due_on")
    outcome = _writable(actor, page)
    if page.triad.starts_at and due_on < utc_to_london(page.triad.starts_at).date():
        raise ServiceError("The due date must be on or after the challenge day.", "due_on")
    action = AgreedAction(outcome_id=outcome.id, text=text, owner_id=owner_id, due_on=due_on)
    db.session.add(action)
    record(actor, "create", action, f"Agreed an action with {page.organisation.name}, owned "
           f"by {owners[owner_id].name}", {"text": text, "due_on": due_on})
    db.session.commit()
    return action


def mark_done(actor: User, page: OutcomePage, action_id: int) -> None:
    action = db.session.get(AgreedAction, action_id)
    if action is None or page.outcome is None or action.outcome_id != page.outcome.id:
        raise NotFound("There is no such action in these outcomes.")
    require(page.may_record or action.owner_id == actor.id,
            "Only the action's owner and the facilitator can mark it done.")
    if action.done_at is None:
        action.done_at = utcnow()
        record(actor, "complete", action, f"Marked an action of {page.organisation.name} done")
    db.session.commit()


def triad_outcomes(triad: Triad) -> dict[int, Outcome]:
    stmt = select(Outcome).where(Outcome.triad_id == triad.id)
    return {o.organisation_id: o for o in db.session.scalars(stmt).unique()}


def next_things(user: User, today: date) -> list[NextThing]:
    """For "My next things": challenge days to come in `user`'s groups, and their open
    actions."""
    from seslip.challenge.triads import my_triads
    from seslip.web import external_url

    found = [NextThing(utc_to_london(t.starts_at).replace(tzinfo=None),  # London wall clock
                       f"Peer challenge day: {t.name}",
                       external_url("challenge.triad", triad_id=t.id), "event")
             for t in my_triads(user)
             if t.starts_at is not None and utc_to_london(t.starts_at).date() >= today]
    actions = db.session.scalars(select(AgreedAction).where(
        AgreedAction.owner_id == user.id, AgreedAction.done_at.is_(None),
        AgreedAction.withdrawn.is_(False)).order_by(AgreedAction.due_on))
    for action in actions:
        outcome = action.outcome
        found.append(NextThing(action.due_on, f"Agreed action: {action.text[:80]}",
                               external_url("challenge.outcome", triad_id=outcome.triad_id,
                                            organisation_id=outcome.organisation_id),
                               "action"))
    return found
