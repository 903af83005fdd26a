"""The development programme: cohorts with their participants and events, and action learning
sets (a few participants, four monthly days, themes chosen through a questionnaire of the
library). Staff run it; participants see their cohort and sets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.errors import PermissionDenied, ServiceError
from seslip.events import rules
from seslip.events.models import (
    Cohort,
    CohortParticipant,
    LearningSet,
    LearningSetMember,
    LearningSetSession,
)
from seslip.extensions import db
from seslip.formengine.model import Definition
from seslip.permissions import require_staff

THEMES_DEFINITION = "action-learning-set-themes"
THEMES_QUESTION = "themes"  # the multiple-choice question whose answers are tallied
OTHER_THEMES_QUESTION = "other_themes"


def cohorts() -> list[Cohort]:
    return list(db.session.scalars(select(Cohort).order_by(Cohort.year.desc(), Cohort.id)))


def can_see_cohort(user: User, cohort: Cohort) -> bool:
    return user.is_staff or any(p.user_id == user.id for p in cohort.participants)


def require_see_cohort(user: User, cohort: Cohort) -> None:
    if not can_see_cohort(user, cohort):
        raise PermissionDenied(f"Only the participants of {cohort.name} and the programme team "
                               "can see it.")


def create_cohort(actor: User | None, name: str, year: str, description: str = "") -> Cohort:
    if actor is not None:
        require_staff(actor)
    if not name.strip():
        raise ServiceError("Enter the cohort's name.", "name")
    if not year.strip():
        raise ServiceError("Enter the programme year, for example 2026-27.", "year")
    cohort = Cohort(name=name.strip(), year=year.strip(), description=description.strip())
    db.session.add(cohort)
    db.session.flush()
    record(actor, "create", cohort, f"Started the cohort {cohort.name}",
           {"year": cohort.year})
    db.session.commit()
    return cohort


def add_participants(actor: User | None, cohort: Cohort, people: list[User]) -> int:
    if actor is not None:
        require_staff(actor)
    have = {p.user_id for p in cohort.participants}
    added = [u for u in people if u.id not in have]
    for person in added:
        db.session.add(CohortParticipant(cohort_id=cohort.id, user_id=person.id))
        have.add(person.id)
    if added:
        record(actor, "update", cohort, f"Added {len(added)} participants to {cohort.name}",
               {"added": [u.name for u in added]})
    db.session.commit()
    db.session.refresh(cohort)
    return len(added)


@dataclass
class SetDetails:
    name: str
    first_day: date
    starts: time
    ends: time
    place: str = ""
    facilitator: str = ""


def create_learning_set(actor: User | None, cohort: Cohort, details: SetDetails,
                        members: list[User]) -> LearningSet:
    """A set with its four monthly days generated from the first (adjustable afterwards)."""
    if actor is not None:
        require_staff(actor)
    if not details.name.strip():
        raise ServiceError("Enter the set's name.", "name")
    if details.ends <= details.starts:
        raise ServiceError("The day must end after it starts.", "ends")
    outside = [u.name for u in members if not any(p.user_id == u.id
                                                   for p in cohort.participants)]
    if outside:
        raise ServiceError(f"Only participants of {cohort.name} can join its sets: "
                           f"{', '.join(outside)} is not one.", "members")
    found = LearningSet(cohort_id=cohort.id, name=details.name.strip(),
                        place=details.place.strip(), facilitator=details.facilitator.strip(),
                        themes_definition_id=THEMES_DEFINITION)
    db.session.add(found)
    db.session.flush()
    for person in members:
        db.session.add(LearningSetMember(learning_set_id=found.id, user_id=person.id))
    days = rules.monthly_dates(details.first_day)
    for number, day in enumerate(days, start=1):
        db.session.add(LearningSetSession(learning_set_id=found.id, number=number, day=day,
                                          starts=details.starts, ends=details.ends))
    record(actor, "create", found, f"Set up {found.name} in {cohort.name}",
           {"members": [u.name for u in members], "days": [d.isoformat() for d in days]})
    db.session.commit()
    db.session.refresh(found)
    return found


def move_session(actor: User, session: LearningSetSession, day: date) -> LearningSetSession:
    require_staff(actor)
    others = {s.day for s in session.learning_set.sessions if s.id != session.id}
    if day in others:
        raise ServiceError("Another of the set's days is on that date.", "day")
    if day != session.day:
        record(actor, "update", session, f"Moved day {session.number} of "
               f"{session.learning_set.name}", {"day": [session.day, day]})
        session.day = day
    db.session.commit()
    return session


def can_see_set(user: User, found: LearningSet) -> bool:
    return user.is_staff or any(m.user_id == user.id for m in found.members)


def require_see_set(user: User, found: LearningSet) -> None:
    if not can_see_set(user, found):
        raise PermissionDenied(f"Only the members of {found.name} and the programme team can "
                               "see this set.")


@dataclass(frozen=True)
class Themes:
    """What the set's members chose: each theme's label and how many chose it."""

    counts: list[tuple[str, int]]
    suggestions: list[str]
    responded: int  # members who finalised their answers
    started: int


def chosen_themes(found: LearningSet) -> Themes:
    """Read from the members' responses to the themes questionnaire (no code knows the
    themes: they are the options of its multiple-choice question)."""
    from seslip.library import services as library
    from seslip.questionnaires.models import Answer, Response, ResponseStatus

    ids = [m.user_id for m in found.members]
    responses = list(db.session.scalars(select(Response).where(
        Response.definition_id == found.themes_definition_id, Response.owner_id.in_(ids))))
    if not responses:
        return Themes([], [], 0, 0)
    answers = db.session.scalars(select(Answer).where(
        Answer.response_id.in_([r.id for r in responses]),
        Answer.question_id.in_([THEMES_QUESTION, OTHER_THEMES_QUESTION]),
        Answer.carried_from_id.is_(None)))
    labels = _option_labels(library.current_definition(found.themes_definition_id))
    counts: Counter[str] = Counter()
    suggestions = []
    for answer in answers:
        if answer.question_id == THEMES_QUESTION and isinstance(answer.value, list):
            counts.update(labels.get(str(v), str(v)) for v in answer.value)
        elif isinstance(answer.value, str) and answer.value.strip():
            suggestions.append(answer.value.strip())
    finalised = sum(1 for r in responses if r.status == ResponseStatus.FINALISED)
    return Themes(counts.most_common(), suggestions, finalised, len(responses))


def _option_labels(definition: Definition | None) -> dict[str, str]:
    question = definition.questions.get(THEMES_QUESTION) if definition else None
    options = getattr(question.settings, "options", ()) if question else ()
    return {o.value: o.label for o in options}


def my_sets(user: User) -> list[LearningSet]:
    stmt = (select(LearningSet).join(LearningSetMember)
            .where(LearningSetMember.user_id == user.id).order_by(LearningSet.id))
    return list(db.session.scalars(stmt))
