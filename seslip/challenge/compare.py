"""One authority's answers and outcomes in a cycle beside the previous cycle of the same
questionnaire ("last year"): questions matched by id, or by `renamed_from` across versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from seslip.accounts.models import User
from seslip.challenge import access
from seslip.challenge.models import Outcome, Triad
from seslip.cycles.models import Cycle
from seslip.errors import NotFound
from seslip.extensions import db
from seslip.formengine.model import Question
from seslip.organisations.models import Organisation
from seslip.permissions import require
from seslip.questionnaires.models import Response
from seslip.questionnaires.services import Loaded, load
from seslip.records import get_or_raise


@dataclass(frozen=True)
class Row:
    question: Question
    now: Any
    before_question: Question | None
    before: Any


@dataclass(frozen=True)
class Side:
    cycle: Cycle
    loaded: Loaded | None
    outcome: Outcome | None


@dataclass(frozen=True)
class Comparison:
    organisation: Organisation
    this: Side
    last: Side | None
    sections: list[tuple[str, list[Row]]]


def previous_cycle(cycle: Cycle) -> Cycle | None:
    if cycle.previous_id is not None:
        return db.session.get(Cycle, cycle.previous_id)
    return db.session.scalar(select(Cycle).where(
        Cycle.definition_id == cycle.definition_id, Cycle.opens_on < cycle.opens_on,
        Cycle.id != cycle.id).order_by(Cycle.opens_on.desc()).limit(1))


def _side(cycle: Cycle, organisation_id: int) -> Side:
    response = db.session.scalars(select(Response).where(
        Response.cycle_id == cycle.id, Response.organisation_id == organisation_id)).first()
    outcome = db.session.scalar(select(Outcome).join(Triad).where(
        Triad.cycle_id == cycle.id, Outcome.organisation_id == organisation_id))
    return Side(cycle, load(response) if response else None, outcome)


def may_compare(user: User, cycle: Cycle, organisation_id: int) -> bool:
    return (access.may_see_region(user)
            or organisation_id in access.member_org_ids(user, cycle.id))


def compare(user: User, cycle_id: int, organisation_id: int) -> Comparison:
    cycle = get_or_raise(Cycle, cycle_id, "There is no such cycle.")
    organisation = get_or_raise(Organisation, organisation_id, "There is no such authority.")
    require(may_compare(user, cycle, organisation_id),
            "Only the authority, the programme manager and the steering group can see this.")
    this = _side(cycle, organisation_id)
    if this.loaded is None:
        raise NotFound(f"{organisation.name} has no response in {cycle.name}.")
    earlier = previous_cycle(cycle)
    last = _side(earlier, organisation_id) if earlier else None
    return Comparison(organisation, this, last, _rows(this.loaded, last.loaded if last else None))


def _rows(now: Loaded, before: Loaded | None) -> list[tuple[str, list[Row]]]:
    old_questions: dict[str, Question] = {}
    if before is not None:
        old_questions = {q.id: q for s in before.definition.sections for q in s.questions}
    sections = []
    for section in now.definition.sections:
        rows = []
        for question in section.questions:
            old = old_questions.get(question.id) or (
                old_questions.get(question.renamed_from) if question.renamed_from else None)
            answer = now.answers.get(question.id)
            old_answer = before.answers.get(old.id) if before is not None and old else None
            rows.append(Row(question, answer.value if answer else None, old,
                            old_answer.value if old_answer else None))
        sections.append((section.title, rows))
    return sections
