"""Moving draft responses to a newer version of their questionnaire, and what that would do.

A response stays on the version it was started on until it moves. A draft moves to the newest
version the next time its owner opens it (`bring_up_to_date`), or when staff move every draft
of a questionnaire at once (`move_all_drafts`); finalised responses never move. The plan comes
from the pure engine (formengine/carry.py); here it is stored:

- an answer whose question id is kept needs no change at all: the response now points at the
  new version, and the same row is the answer to the same question;
- an answer to a question that says `renamed_from: <old id>` is copied to a new row under the
  new id (revision 1, with one revision holding the same value, its author and time kept) whose
  `carried_from_id` names the old row. The old row and all its revisions stay as they were, so
  the history of what was typed under which question is never rewritten;
- an answer to a question that no longer exists stays where it is and is shown read-only
  under "From an earlier version of this questionnaire" (`earlier_answers`);
- each move is a `ResponseMove` row and an audit event.

"The newest version" is `latest_version`: the questionnaire library's current published version
(files reach the library through `seslip definitions sync`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.formengine import Definition, DefinitionError, Question
from seslip.formengine.carry import Carried, Effect, Someone, carry, effect, plan
from seslip.library.models import Questionnaire
from seslip.permissions import require_staff
from seslip.questionnaires.engine import engine
from seslip.questionnaires.models import (
    Answer,
    AnswerRevision,
    FormVersion,
    Response,
    ResponseMove,
    ResponseStatus,
)
from seslip.questionnaires.services import (
    Loaded,
    ResponseLocked,
    answers_of,
    definition_of,
    load_response,
    raw_answers,
)

EARLIER_HEADING = "From an earlier version of this questionnaire"


# --- versions ----------------------------------------------------------------------------------


def _parse(version: FormVersion) -> Definition:
    return engine().stored(version.definition_id, version.source, version.sha256)


def latest_version(definition_id: str, newer_than: int = 0) -> FormVersion | None:
    """The version a draft of this questionnaire should be on, when it is numbered above
    `newer_than`: the library's current published version (one query). None when the
    questionnaire has none, so nothing moves."""
    current = db.session.scalars(select(FormVersion).join(
        Questionnaire, Questionnaire.current_version_id == FormVersion.id
    ).where(Questionnaire.definition_id == definition_id)).first()
    if current is None or current.version <= newer_than:
        return None
    return current


def _between(response: Response, to_version: FormVersion) -> list[Definition]:
    """The stored versions numbered between the response's and `to_version`, oldest first, so
    a question renamed in each of them is followed (formengine.carry.plan)."""
    rows = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == response.definition_id,
        FormVersion.version > response.form_version.version,
        FormVersion.version < to_version.version,
    ).order_by(FormVersion.version, FormVersion.id)).all()
    definitions: list[Definition] = []
    for row in rows:
        try:
            definitions.append(_parse(row))
        except DefinitionError:  # a text that stricter checks now refuse cannot rename
            continue
    return definitions


def _live(answers: dict[str, Answer]) -> dict[str, Answer]:
    """The answers that count: not the ones already copied to a renamed question."""
    sources = {answer.carried_from_id for answer in answers.values()}
    return {qid: answer for qid, answer in answers.items() if answer.id not in sources}


# --- moving ------------------------------------------------------------------------------------


@dataclass
class MoveResult:
    """A move done: the versions, and what the plan did to this response's answers."""

    response: Response
    from_version: FormVersion
    to_version: FormVersion
    carried: Carried
    not_carried: list[str]  # renamed answers not copied: the new id already had an answer

    @property
    def definition(self) -> Definition:
        return self.carried.plan.new


def move_response(actor: User, response: Response, to_version: FormVersion) -> MoveResult:
    """Move a draft response to a newer version of its questionnaire (see the module's text).
    Its owner or staff may; a finalised response stays on its version (ResponseLocked)."""
    if actor.id != response.owner_id:
        require_staff(actor)
    response = load_response(actor, response.id, for_update=True)
    if not response.is_draft:
        raise ResponseLocked("A finalised response stays on the version it was finalised on.")
    from_version = response.form_version
    if to_version.definition_id != response.definition_id:
        raise ServiceError("That version belongs to another questionnaire.")
    if to_version.version <= from_version.version:
        raise ServiceError(f"This response is on version {from_version.version} already; it "
                           "can only move to a newer version.")
    old, new = _parse(from_version), _parse(to_version)
    answers = answers_of(response)
    live = _live(answers)
    done = carry(plan(old, new, _between(response, to_version)), raw_answers(live))
    not_carried: list[str] = []
    for old_id, new_id in done.renamed.items():
        source = live[old_id]
        if new_id in answers:
            not_carried.append(old_id)
            continue
        values = {"response_id": response.id, "question_id": new_id, "value": source.value}
        db.session.execute(insert(Answer.__table__).values(
            revision=1, updated_at=source.updated_at, updated_by_id=source.updated_by_id,
            carried_from_id=source.id, **values))
        db.session.execute(insert(AnswerRevision.__table__).values(
            revision=1, saved_at=source.updated_at, saved_by_id=source.updated_by_id, **values))
    response.form_version = to_version
    kept = sorted(old_id for old_id, new_id in done.moved.items() if old_id == new_id)
    summary = {"renamed": {old_id: new_id for old_id, new_id in done.renamed.items()
                           if old_id not in not_carried},
               "kept": kept, "read_only": list(done.read_only), "not_carried": not_carried}
    db.session.add(ResponseMove(response_id=response.id, from_version_id=from_version.id,
                                to_version_id=to_version.id, moved_by_id=actor.id,
                                carried=summary))
    record(actor, "move", response,
           f"Moved “{to_version.title}” from version {from_version.version} to version "
           f"{to_version.version}",
           {"version": [from_version.version, to_version.version], **summary,
            "findings": [f"{finding.question_id}: {finding.message}"
                         for finding in done.findings]})
    db.session.commit()
    return MoveResult(response, from_version, to_version, done, not_carried)


def bring_up_to_date(user: User, response: Response) -> MoveResult | None:
    """The rule for opening a response: its owner's draft moves to the newest version of its
    questionnaire when there is a newer one. Staff looking at someone's draft move nothing."""
    if response.owner_id != user.id or not response.is_draft:
        return None
    latest = response.current_version  # loaded with the response: no query
    if latest is None or latest.version <= response.form_version.version:
        return None
    try:
        return move_response(user, response, latest)
    except (IntegrityError, ServiceError):
        # Another tab moved it at the same moment (or it was finalised meanwhile): opening the
        # page goes on with the response as it now is.
        db.session.rollback()
        return None


def move_all_drafts(staff: User, definition_id: str) -> list[MoveResult]:
    """Staff move every draft of a questionnaire that is on an older version to the newest."""
    require_staff(staff)
    latest = latest_version(definition_id)
    if latest is None:
        raise ServiceError("There is no version of this questionnaire to move drafts to: its "
                           "definition is missing, broken, or changed without a new version "
                           "number.")
    db.session.commit()
    drafts = db.session.scalars(select(Response).join(Response.form_version).where(
        Response.definition_id == definition_id, Response.status == ResponseStatus.DRAFT,
        FormVersion.version < latest.version).order_by(Response.id)).unique().all()
    return [move_response(staff, response, latest) for response in drafts]


def drafts_behind(definition_id: str, number: int) -> int:
    """How many drafts of the questionnaire are on a version numbered below `number`."""
    return db.session.scalar(select(func.count()).select_from(Response).join(
        Response.form_version).where(
        Response.definition_id == definition_id, Response.status == ResponseStatus.DRAFT,
        FormVersion.version < number)) or 0


# --- answers from an earlier version -------------------------------------------------------------


@dataclass(frozen=True)
class EarlierAnswer:
    """An answer to a question that is not in the response's version any more, shown read-only
    with the question as the version it was last in asked it."""

    question: Question
    answer: Answer
    version: int  # the version it comes from


def _left(loaded: Loaded) -> list[Answer]:
    return [answer for qid, answer in _live(loaded.answers).items()
            if qid not in loaded.definition.questions and answer.value not in (None, "", [])]


def earlier_answers(loaded: Loaded) -> list[EarlierAnswer]:
    """The response's answers to questions its version no longer has (none: no query)."""
    return earlier_answers_of([loaded]).get(loaded.response.id, [])


def earlier_answers_of(everyone: Sequence[Loaded]) -> dict[int, list[EarlierAnswer]]:
    """earlier_answers of many responses (by response id), in one query for those that have
    any (exports of every response), none when no response has any."""
    left = {loaded.response.id: found for loaded in everyone if (found := _left(loaded))}
    if not left:
        return {}
    moves = db.session.scalars(select(ResponseMove).options(
        joinedload(ResponseMove.from_version)).where(ResponseMove.response_id.in_(left))
        .order_by(ResponseMove.id.desc())).all()
    older: dict[int, list[tuple[int, Definition]]] = {}
    for move in moves:
        try:
            older.setdefault(move.response_id, []).append(
                (move.from_version.version, _parse(move.from_version)))
        except DefinitionError:
            continue
    shown: dict[int, list[EarlierAnswer]] = {}
    for response_id, answers in left.items():
        for answer in sorted(answers, key=lambda answer: answer.question_id):
            for number, definition in older.get(response_id, []):
                if answer.question_id in definition.questions:
                    shown.setdefault(response_id, []).append(EarlierAnswer(
                        definition.questions[answer.question_id], answer, number))
                    break
    return shown


# --- before publishing -------------------------------------------------------------------------


def candidate(definition_id: str, source: str) -> Definition:
    """A candidate version from its YAML text, read by the same safe loader and limits as the
    files (DefinitionError lists its problems)."""
    return engine().cache.parse(source, path=f"{definition_id}.yaml", expected_id=definition_id)


def current_file(definition_id: str) -> Definition | None:
    """The definition file as it is now (None when missing or broken)."""
    try:
        return engine().current(definition_id).definition
    except (KeyError, DefinitionError, OSError):
        return None


def publish_effect(staff: User, definition_id: str, new: Definition) -> Effect:
    """What publishing `new` would do: the drafts in progress, which answers move and which
    become read-only, new and now-required questions, tightened word limits and the answers
    now over them, removed option values and who chose them. Compared with the newest
    version numbered below `new` (the file's or a stored one). Three queries."""
    require_staff(staff)
    if new.id != definition_id:
        raise ServiceError(f"This text is for '{new.id}', not '{definition_id}'.")
    drafts = db.session.scalars(select(Response).where(
        Response.definition_id == definition_id, Response.status == ResponseStatus.DRAFT,
    ).order_by(Response.id)).unique().all()
    rows = db.session.scalars(select(Answer).where(
        Answer.response_id.in_([response.id for response in drafts]))).unique().all()
    by_response: dict[int, dict[str, Answer]] = {}
    for row in rows:
        by_response.setdefault(row.response_id, {})[row.question_id] = row
    people: list[Someone] = []
    for response in drafts:
        try:
            on = definition_of(response)
        except DefinitionError:
            continue
        name = response.owner.name
        if response.organisation is not None:
            name = f"{name}, {response.organisation.name}"
        people.append(Someone(name, on, raw_answers(_live(by_response.get(response.id, {})))))
    return effect(_previous(definition_id, new.version), new, people)


def _previous(definition_id: str, number: int) -> Definition | None:
    """The newest version numbered below `number`: the file's, or the newest stored."""
    found: list[Definition] = []
    current = current_file(definition_id)
    if current is not None and current.version < number:
        found.append(current)
    stored = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == definition_id, FormVersion.version < number,
    ).order_by(FormVersion.version.desc(), FormVersion.id.desc()).limit(1)).first()
    if stored is not None:
        with contextlib.suppress(DefinitionError):  # a text stricter checks now refuse
            found.append(_parse(stored))
    return max(found, key=lambda definition: definition.version) if found else None


def moved_notice(result: MoveResult) -> list[str]:
    """What the owner is told after their draft moved, one line each."""
    lines = [f"This questionnaire has changed since you last opened it (version "
             f"{result.from_version.version} → {result.to_version.version}). Your answers have "
             "been carried across."]
    questions = result.definition.questions
    if result.carried.read_only:
        lines.append("Answers to questions that were removed are kept, read-only, under "
                     f"“{EARLIER_HEADING}”.")
    lines.extend(f"“{questions[finding.question_id].label}”: {finding.message}"
                 for finding in result.carried.findings)
    if result.carried.unanswered_required:
        labels = ", ".join(f"“{questions[qid].label}”"
                           for qid in result.carried.unanswered_required)
        lines.append(f"New questions to answer: {labels}.")
    return lines
