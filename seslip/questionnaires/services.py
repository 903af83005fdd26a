"""Filling in questionnaires: start, save answers (with conflict detection), finalise, reopen.

Authorization lives here: the owner edits their own draft; people the owner gave access to
(ResponseAccess, from seslip/cycles) edit it or read it; admins and the programme manager see
every response and reopen finalised ones; nobody else gets in. Only the owner finalises.

Query counts do not grow with the questionnaire: a page loads the response (with its version,
owner and authority joined) and all its answers in one query each; the definition comes from a
per-process cache keyed by the version's SHA-256. An autosave reads only the answer it saves
(all of them when other questions' visibility depends on it), as plain values, then writes the
answer (a conditional UPDATE, or an INSERT) and its revision: four statements with the response.

History stays bounded: a person's autosaves of one answer within the same few minutes
(COLLAPSE_EVERY) update their latest revision in place instead of adding one, and an answer
longer than SESLIP_MAX_ANSWER_CHARS is refused (the text stays in the browser).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from seslip.accounts.models import OrgRole, User
from seslip.audit.services import record
from seslip.errors import NotFound, PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.formengine import (
    Definition,
    DefinitionError,
    FormState,
    Question,
    Section,
    Sent,
    SubmittedForm,
    normalise,
    validate_answer,
)
from seslip.formengine.model import STAFF_AUDIENCE
from seslip.library import services as library
from seslip.notifications.services import queue_email
from seslip.permissions import require_staff
from seslip.questionnaires.engine import engine, file_name, problems_by_id
from seslip.questionnaires.models import (
    AccessLevel,
    Answer,
    AnswerRevision,
    FormVersion,
    Response,
    ResponseAccess,
    ResponseStatus,
)
from seslip.timeutil import utcnow
from seslip.web import external_url

T = TypeVar("T")
ANSWERS = Answer.__table__
REVISIONS = AnswerRevision.__table__
# Autosaves stamp the response's "last changed" time at most this often: a save costs one
# statement fewer, and lists of responses are still right to the minute.
STAMP_EVERY = timedelta(minutes=1)
# A person's autosaves of one answer within one such slot of the clock are one revision (the
# latest value): history keeps at most one version per answer per few minutes of typing.
COLLAPSE_EVERY = timedelta(minutes=5)
_SLOT_EPOCH = datetime(2000, 1, 1)


class BadSubmission(ServiceError):
    """The form sent something no page of ours would send. Views answer 400, keeping the text."""


class ResponseLocked(ServiceError):
    """The response is finalised, so answers cannot change. Views answer 409."""


class FinaliseBlocked(ServiceError):
    """Finalising is blocked; `problems` lists (question id, message) in form order."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("Some answers are missing or need changing before you can finalise.")
        self.problems = problems


# --- reading ---------------------------------------------------------------------------------


# How a refusal names each audience role: "This questionnaire is for lead members."
AUDIENCE_NAMES: dict[str, str] = {
    OrgRole.LEAD_MEMBER.value: "lead members",
    OrgRole.DCS.value: "directors of children’s services",
    OrgRole.OFFICER.value: "officers",
    OrgRole.PARTNER.value: "partner representatives",
    STAFF_AUDIENCE: "admins and programme managers",
}


def may_answer(user: User, definition: Definition) -> bool:
    """Whether `user` may fill in this questionnaire: its audience names their role in their
    organisation, or it has no audience. Staff see every response but answer only their own."""
    role = user.org_role.value if user.org_role is not None else None
    return definition.is_for(role) or (user.is_staff and definition.is_for(STAFF_AUDIENCE))


def audience_text(definition: Definition) -> str:
    """E.g. "lead members and directors of children’s services"."""
    names = [AUDIENCE_NAMES[role] for role in definition.audience]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def all_questionnaires() -> list[Definition]:
    """The published questionnaires (the library in the database is the truth, not files)."""
    return library.published()


def home_panel(user: User) -> list[tuple[Definition, Response | None]]:
    """The home page's panel: the questionnaires that are `user`'s (questionnaires_for)."""
    return questionnaires_for(user)


def available_questionnaires(user: User) -> list[Definition]:
    """The questionnaires `user` may fill in."""
    return [definition for definition in all_questionnaires() if may_answer(user, definition)]


def questionnaires_for(user: User) -> list[tuple[Definition, Response | None]]:
    """The questionnaires that are `user`'s: those they may fill in and any they already started
    (even if their role has changed since), each with their response if any. A response to a
    questionnaire archived since is still theirs: it comes last, from its own version."""
    # Latest last, so the latest response to each questionnaire (a cycle's, say) is the one.
    mine = {response.definition_id: response for response in reversed(responses_for(user))}
    definitions = all_questionnaires()
    yours: list[tuple[Definition, Response | None]] = [
        (definition, mine.get(definition.id)) for definition in definitions
        if may_answer(user, definition) or definition.id in mine]
    current = {definition.id for definition in definitions}
    yours.extend((definition_of(response), response)
                 for definition_id, response in sorted(mine.items())
                 if definition_id not in current)
    return yours


def access_of(user: User, response: Response) -> AccessLevel | None:
    """What `user` may do with the response's answers as its owner or a contributor (staff
    aside): EDIT, READ or None. The owner costs no query; a contributor's level is looked up
    once per response object."""
    if response.owner_id == user.id:
        return AccessLevel.EDIT
    cache: dict[int, AccessLevel | None] = response.__dict__.setdefault("_access_of", {})
    if user.id not in cache:
        cache[user.id] = db.session.scalar(select(ResponseAccess.level).where(
            ResponseAccess.response_id == response.id, ResponseAccess.person_id == user.id,
            ResponseAccess.revoked_at.is_(None)))
    return cache[user.id]


def can_view(user: User, response: Response) -> bool:
    if user.is_staff or access_of(user, response) is not None:
        return True
    # Peer challenge: a finalised cycle response is shared with its triad (seslip/challenge).
    from seslip.challenge.access import peer_can_read

    return peer_can_read(user, response)


def in_closed_cycle(response: Response) -> bool:
    """A closed cycle (seslip/cycles) keeps its responses as they are: readable, unchangeable.
    Costs a query only for a cycle's response whose cycle is not loaded yet."""
    return response.cycle_id is not None and response.cycle is not None and \
        response.cycle.is_closed


def can_edit(user: User, response: Response) -> bool:
    return (response.is_draft and access_of(user, response) == AccessLevel.EDIT
            and not in_closed_cycle(response))


def may_change_answers(user: User, response: Response) -> bool:
    """The owner or a contributor with edit access, whether or not it is still a draft."""
    return access_of(user, response) == AccessLevel.EDIT


def require_may_change_answers(user: User, response: Response) -> None:
    if not may_change_answers(user, response):
        raise PermissionDenied("Only the respondent and the people they gave edit access can "
                               "change these answers.")
    if in_closed_cycle(response):
        assert response.cycle is not None
        raise ResponseLocked(f"“{response.cycle.name}” is closed, so its answers can no longer "
                             "be changed.")


def load_response(user: User, response_id: int, *, for_update: bool = False) -> Response:
    """The response, if `user` may see it. `for_update` locks its row (PostgreSQL) so saves
    to one response happen one at a time. The library's current version of the questionnaire
    comes in the same query (`Response.current_version`)."""
    stmt = select(Response).options(joinedload(Response.current_version)).where(
        Response.id == response_id)
    if for_update:
        stmt = stmt.with_for_update(of=Response).execution_options(populate_existing=True)
    response = db.session.scalars(stmt).unique().first()
    if response is None:
        raise NotFound("There is no such questionnaire response.")
    if not can_view(user, response):
        raise PermissionDenied("This questionnaire response belongs to someone else.")
    return response


def definition_of(response: Response) -> Definition:
    version = response.form_version
    return engine().stored(version.definition_id, version.source, version.sha256)


def answers_of(response: Response) -> dict[str, Answer]:
    rows = db.session.scalars(select(Answer).where(Answer.response_id == response.id))
    return {answer.question_id: answer for answer in rows.unique()}


@dataclass(frozen=True, slots=True)
class Stored:
    """An answer as a save reads it: plain values, not a tracked ORM object (cheaper to load,
    and a save writes with its own conditional statements)."""

    id: int
    value: Any
    revision: int
    updated_at: datetime
    updated_by: str
    updated_by_id: int


_STORED = (
    select(ANSWERS.c.question_id, ANSWERS.c.id, ANSWERS.c.value, ANSWERS.c.revision,
           ANSWERS.c.updated_at, User.name, ANSWERS.c.updated_by_id)
    .join(User, User.id == ANSWERS.c.updated_by_id)
)


def stored_answers(response: Response, question_id: str | None = None) -> dict[str, Stored]:
    """Every answer of the response, or only the one to `question_id`."""
    stmt = _STORED.where(ANSWERS.c.response_id == response.id)
    if question_id is not None:
        stmt = stmt.where(ANSWERS.c.question_id == question_id)
    return {row[0]: Stored(*row[1:]) for row in db.session.execute(stmt)}


def raw_answers(answers: Mapping[str, Answer | Stored]) -> dict[str, Any]:
    return {question_id: answer.value for question_id, answer in answers.items()}


@dataclass
class Loaded:
    """Everything a page about one response needs, loaded once."""

    response: Response
    definition: Definition
    answers: dict[str, Answer]
    state: FormState

    @property
    def raw(self) -> dict[str, Any]:
        return raw_answers(self.answers)


def load(response: Response) -> Loaded:
    definition = definition_of(response)
    answers = answers_of(response)
    return Loaded(response, definition, answers, FormState(definition, raw_answers(answers)))


def section_of(loaded: Loaded, section_id: str) -> Section:
    try:
        section = loaded.definition.section(section_id)
    except KeyError:
        raise NotFound("This questionnaire has no such section.") from None
    if not loaded.state.is_visible(section):
        raise NotFound("This section does not apply to your answers.")
    return section


@dataclass
class TaskListEntry:
    section: Section
    status: str  # not_started | in_progress | completed
    problems: int
    last_changed: Answer | None = None  # the section's most recently saved answer


def task_list(loaded: Loaded) -> list[TaskListEntry]:
    return [
        TaskListEntry(section, loaded.state.section_status(section.id),
                      len(loaded.state.problems(section)), _last_changed(loaded, section))
        for section in loaded.definition.sections
        if loaded.state.is_visible(section)
    ]


def _last_changed(loaded: Loaded, section: Section) -> Answer | None:
    answers = [loaded.answers[q.id] for q in section.questions if q.id in loaded.answers]
    return max(answers, key=lambda answer: answer.updated_at, default=None)


def check_answers(loaded: Loaded) -> list[tuple[str, str, str]]:
    """(section id, question id, message) for everything that blocks finalising."""
    return [
        (loaded.definition.section_of[question_id], question_id, message)
        for question_id, message in loaded.state.problems()
    ]


def answer_history(loaded: Loaded, question_id: str) -> tuple[Question, list[AnswerRevision]]:
    """The question and every value saved for it, newest first, with who saved each (for
    someone who may see the response: `loaded` came through load_response)."""
    question = loaded.definition.questions.get(question_id)
    if question is None:
        raise NotFound("This questionnaire has no such question.")
    stmt = (select(AnswerRevision).options(joinedload(AnswerRevision.saved_by))
            .where(AnswerRevision.response_id == loaded.response.id,
                   AnswerRevision.question_id == question_id)
            .order_by(AnswerRevision.revision.desc()))
    return question, list(db.session.scalars(stmt))


def responses_for(user: User) -> list[Response]:
    """The person's own responses and those they were given access to, latest first."""
    shared = select(ResponseAccess.response_id).where(
        ResponseAccess.person_id == user.id, ResponseAccess.revoked_at.is_(None))
    stmt = (
        select(Response)
        .where((Response.owner_id == user.id) | Response.id.in_(shared))
        .order_by(Response.updated_at.desc(), Response.id.desc())
    )
    return list(db.session.scalars(stmt).unique())


def all_responses(staff: User) -> list[Response]:
    require_staff(staff)
    stmt = select(Response).order_by(Response.definition_id, Response.id)
    return list(db.session.scalars(stmt).unique())


@dataclass
class OverviewEntry:
    """One questionnaire on the staff overview: from the library's current version, or, for a
    response whose questionnaire the library no longer has, from the version it was answered
    on."""

    definition_id: str
    title: str
    audience: str  # e.g. "lead members"; empty when it is for everyone
    responses: list[Response]
    warnings: list[str]  # for admins: archived, or what is wrong with its shipped file


def questionnaire_overview(staff: User) -> list[OverviewEntry]:
    """Every questionnaire in the library or with a response, and every shipped file that
    cannot be imported, so nothing broken hides the responses given."""
    responses: dict[str, list[Response]] = {}
    for response in all_responses(staff):
        responses.setdefault(response.definition_id, []).append(response)
    # Document templates (kind: document, e.g. the terms of reference) are never answered.
    current = {key: found for key, found in library.current_definitions().items()
               if not found[1].is_document}
    broken = problems_by_id()
    clashes = version_clashes(engine().ids())
    entries: list[OverviewEntry] = []
    for definition_id in sorted(set(current) | set(broken) | set(responses)):
        given = responses.get(definition_id, [])
        archived, definition = current.get(definition_id, (False, None))
        if definition is None and given:
            latest = max(given, key=lambda response: response.form_version_id)
            definition = definition_of(latest)
        warnings: list[str] = []
        if archived:
            warnings.append("Archived: nobody can start this questionnaire. Responses already "
                            "given can be read.")
        if definition_id in broken:
            kept = ("respondents keep the version in the library" if definition_id in current
                    else "nobody can start it until they are fixed")
            warnings.append(
                f"The definition file {file_name(definition_id)} has problems, so "
                f"`definitions sync` does not import it: {kept}. Responses already given are "
                "kept and can be read. The problems: "
                + "; ".join(f"line {p.line}, column {p.column}: {p.message}"
                            for p in broken[definition_id]))
        if definition_id in clashes:
            warnings.append(clashes[definition_id])
        entries.append(OverviewEntry(
            definition_id,
            definition.title if definition is not None else definition_id,
            audience_text(definition) if definition is not None and definition.audience else "",
            given,
            warnings,
        ))
    return entries


def version_clashes(definition_ids: list[str]) -> dict[str, str]:
    """{definition id: message} for files changed without raising `version`: their number
    already names a different stored text, so two responses would both say "Version N" and
    mean different questions. One query for all the stored versions."""
    rows = db.session.execute(
        select(FormVersion.definition_id, FormVersion.version, FormVersion.sha256)
        .where(FormVersion.definition_id.in_(definition_ids))
    ).all()
    stored: dict[str, list[tuple[int, str]]] = {}
    for definition_id, number, sha in rows:
        stored.setdefault(definition_id, []).append((number, sha))
    clashes: dict[str, str] = {}
    for definition_id, versions in stored.items():
        try:
            current = engine().current(definition_id)
        except (KeyError, DefinitionError, OSError):
            continue
        number = current.definition.version
        if any(n == number and sha != current.sha256 for n, sha in versions):
            highest = max(n for n, _ in versions)
            clashes[definition_id] = (
                f"The definition file {file_name(definition_id)} was changed, but its "
                f"version is still {number}, and version {number} was stored earlier with "
                f"different text. Raise 'version' to {highest + 1} in the file: until then "
                "`definitions sync` does not import it, and respondents keep the version in "
                "the library. Responses already given keep the version they were answered on."
            )
    return clashes


# --- starting ----------------------------------------------------------------------------------


def start_or_continue(user: User, definition_id: str) -> Response:
    """The person's response to this questionnaire, started on its current published version.

    Only its audience may start one (PermissionDenied otherwise); someone who already has a
    response keeps it, even if their role has changed since or it has been archived."""
    existing = _own_response(user, definition_id)
    if existing is not None:
        return existing
    version = library.version_to_start(definition_id)
    try:
        definition = library.definition_of_version(version)
    except DefinitionError:
        raise ServiceError(
            "This questionnaire cannot be opened at the moment because its definition has "
            "problems. Please tell the programme team."
        ) from None
    if not may_answer(user, definition):
        raise PermissionDenied(f"This questionnaire is for {audience_text(definition)}.")
    try:
        response = Response(
            definition_id=definition_id,
            form_version=version,
            owner_id=user.id,
            organisation_id=user.organisation_id,
        )
        db.session.add(response)
        record(user, "create", response, f"Started “{version.title}”",
               {"definition_id": definition_id, "version": version.version})
        db.session.commit()
    except IntegrityError:
        # Another tab started the same response at the same moment: use theirs.
        db.session.rollback()
        return start_or_continue(user, definition_id)
    return response


def _own_response(user: User, definition_id: str) -> Response | None:
    stmt = select(Response).where(
        Response.owner_id == user.id, Response.definition_id == definition_id,
        Response.cycle_id.is_(None),
    )
    return db.session.scalars(stmt).unique().first()


# --- saving ------------------------------------------------------------------------------------


Outcome = Literal["saved", "unchanged", "conflict", "rejected"]


@dataclass
class SaveResult:
    """What happened to one answer: `mine` is what was submitted; `stored` is the stored answer
    afterwards (theirs, on a conflict), copied out so nothing reloads after the commit;
    `messages` are rejection or validation messages."""

    outcome: Outcome
    question: Question
    mine: Any
    stored: Any = None
    revision: int = 0
    saved_at: datetime | None = None
    saved_by: str = ""
    messages: list[str] = field(default_factory=list)
    visibility_changed: bool = False
    changed_ids: frozenset[int] = frozenset()  # id() of the sections and items shown or hidden
    # When visibility changed: every answer as stored now and the state they give, so the page
    # can show the affected questions without loading them again.
    answers: Mapping[str, Stored] | None = None
    state: FormState | None = None

    @classmethod
    def of(cls, outcome: Outcome, question: Question, mine: Any, answer: Stored | None,
           messages: list[str] | None = None) -> SaveResult:
        if answer is None:
            return cls(outcome, question, mine, messages=messages or [])
        return cls(outcome, question, mine, answer.value, answer.revision, answer.updated_at,
                   answer.updated_by, messages or [])


def parse_revision(value: str | None, question_id: str) -> int:
    """The revision from a hidden input; a tampered value is a clear 400, never a crash."""
    text = (value or "").strip()
    if text == "":
        return 0
    if not text.isdigit() or len(text) > 9:
        raise BadSubmission(
            f"The page sent an invalid revision number for question '{question_id}', so "
            "nothing was saved. Your text is still on the page: reload the page to try again.",
            question_id,
        )
    return int(text)


def _require_editable(user: User, response: Response) -> None:
    require_may_change_answers(user, response)
    if not response.is_draft:
        raise ResponseLocked(
            "This questionnaire has been finalised, so its answers can no longer be changed. "
            "Ask an admin or the programme manager to reopen it."
        )


def _question_in(definition: Definition, question_id: str, section_id: str | None) -> Question:
    question = definition.questions.get(question_id)
    if question is None:
        raise BadSubmission(
            f"'{question_id}' is not a question of this questionnaire, so nothing was saved.",
            question_id,
        )
    if section_id is not None and definition.section_of[question_id] != section_id:
        raise BadSubmission(
            f"'{question_id}' is not a question of this section, so nothing was saved.",
            question_id,
        )
    return question


def _apply(
    user: User,
    response: Response,
    answers: Mapping[str, Stored],
    raw: dict[str, Any],
    question: Question,
    mine: Any,
    base_revision: int,
    now: datetime,
    collapse: bool = False,
) -> SaveResult:
    """Store `mine` unless someone saved the answer since `base_revision` (no commit); `raw`
    (the answers as values) is updated to match. With `collapse` (autosaves), a save that
    follows the same person's save in the same COLLAPSE_EVERY slot replaces that revision's
    value instead of adding a revision; the answer's revision number rises either way, so
    conflict detection is unchanged.

    The write is the version check: an existing answer's UPDATE says `WHERE revision = <the
    revision read here>` and sets it one higher, and a new answer's INSERT meets the unique
    constraint. A save that lost a race raises StaleDataError or IntegrityError, and
    _retry_once turns it into a conflict. Plain table statements, not the ORM's unit of work:
    an autosave is two small writes, and the flush machinery cost more than they did.
    """
    current = answers.get(question.id)
    current_revision = current.revision if current is not None else 0
    if current is not None and current.value == mine:
        return SaveResult.of("unchanged", question, mine, current)
    if current is None and not _has_content(mine):
        return SaveResult.of("unchanged", question, mine, None)
    if base_revision != current_revision:
        return SaveResult.of("conflict", question, mine, current)
    revision = current_revision + 1
    # A change ends "from last year" (cycles pre-fill): the answer is this year's now.
    values = {"value": mine, "revision": revision, "updated_at": now, "updated_by_id": user.id,
              "from_last_year": False}
    if current is None:
        db.session.execute(insert(ANSWERS).values(
            response_id=response.id, question_id=question.id, **values))
    else:
        done = db.session.execute(update(ANSWERS).where(
            ANSWERS.c.id == current.id, ANSWERS.c.revision == current_revision).values(**values))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleDataError(f"answer {current.id} changed since revision {current_revision}")
    if not (collapse and current is not None and _same_sitting(response, current, user, now)
            and _replace_revision(response, question, current_revision, revision, mine, now,
                                  user)):
        db.session.execute(insert(REVISIONS).values(
            response_id=response.id, question_id=question.id, revision=revision,
            value=mine, saved_at=now, saved_by_id=user.id,
        ))
    raw[question.id] = mine
    return SaveResult("saved", question, mine, mine, revision, now, user.name)


def _same_sitting(response: Response, current: Stored, user: User, now: datetime) -> bool:
    """The answer was last saved by `user` in the same COLLAPSE_EVERY slot as `now`, and not
    before the response was reopened (that value is the one they finalised: it stays). Slots
    of the clock, not "within N minutes of the last save": an hour of steady typing still
    leaves a revision every few minutes."""
    if response.reopened_at is not None and current.updated_at <= response.reopened_at:
        return False
    return (current.updated_by_id == user.id
            and (current.updated_at - _SLOT_EPOCH) // COLLAPSE_EVERY
            == (now - _SLOT_EPOCH) // COLLAPSE_EVERY)


def _replace_revision(response: Response, question: Question, old: int, new: int, value: Any,
                      now: datetime, user: User) -> bool:
    """Move the person's latest revision row on to revision `new` with the new value (one
    UPDATE). False when that row is not theirs or is missing, so the caller appends instead."""
    done = db.session.execute(update(REVISIONS).where(
        REVISIONS.c.response_id == response.id, REVISIONS.c.question_id == question.id,
        REVISIONS.c.revision == old, REVISIONS.c.saved_by_id == user.id,
    ).values(revision=new, value=value, saved_at=now))
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def answer_size(raw: Any) -> int:
    """Characters in a raw answer: a text, or every option or row field together."""
    if isinstance(raw, str):
        return len(raw)
    if isinstance(raw, dict):
        return sum(answer_size(value) for value in raw.values())
    if isinstance(raw, list):
        return sum(answer_size(item) for item in raw)
    return 0


def _normalise(question: Question, sent: Sent) -> tuple[Any, list[str]]:
    """The engine's raw answer and rejections, refusing one too long to store."""
    mine, rejected = normalise(question, sent)
    limit = current_app.config["SESLIP_MAX_ANSWER_CHARS"]
    size = answer_size(mine)
    if not rejected and size > limit:
        rejected = [
            f"This answer is {size:,} characters long. An answer can be at most {limit:,} "
            "characters, so it was not saved. Shorten it and it will save: your text is still "
            "on the page."
        ]
    return mine, rejected


def _has_content(raw: Any) -> bool:
    return raw not in (None, "", [])


def _retry_once(attempt: Callable[[], T]) -> T:
    """Run `attempt`; if it lost a race with another save, roll back and run it again (the
    second run sees the other save and reports a conflict instead)."""
    try:
        return attempt()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        return attempt()


def save_answer(
    user: User,
    response: Response,
    question_id: str,
    sent: Sent,
    base_revision: str | int | None,
    now: datetime | None = None,
    collapse: bool = True,
) -> SaveResult:
    """Autosave one answer from what the form sent for it, based on `base_revision` (as sent).
    Over-limit and invalid answers are saved as drafts (with their messages); a value the
    question cannot hold at all (or too long to store) is rejected and nothing is saved.
    `collapse=False` (choosing "Keep my version") always adds a revision."""
    _require_editable(user, response)
    definition = definition_of(response)
    question = _question_in(definition, question_id, None)
    base = base_revision if isinstance(base_revision, int) else parse_revision(
        base_revision, question_id)
    mine, rejected = _normalise(question, sent)
    if rejected:
        return SaveResult.of("rejected", question, mine, None, rejected)
    moment = now or utcnow()

    # Only a question that some visible_if reads can show or hide anything when it changes;
    # for the others one answer is enough (a message depends on the answer alone).
    shows_or_hides = question.id in _read_by_visibility(definition)

    def attempt() -> SaveResult:
        answers = stored_answers(response, None if shows_or_hides else question.id)
        raw = raw_answers(answers)
        before = FormState(definition, dict(raw)) if shows_or_hides else None
        result = _apply(user, response, answers, raw, question, mine, base, moment, collapse)
        if result.outcome != "conflict":
            result.messages = validate_answer(question, raw.get(question.id))
        if before is not None:
            after = FormState(definition, raw)
            result.changed_ids = frozenset(_visible_ids(before) ^ _visible_ids(after))
            result.visibility_changed = bool(result.changed_ids)
            if result.visibility_changed:
                result.answers, result.state = answers, after
        if result.outcome == "saved":
            _stamp(response, moment)
            db.session.commit()
        return result

    return _retry_once(attempt)


def _stamp(response: Response, moment: datetime) -> None:
    """Move the response's "last changed" time on, at most once a minute (see STAMP_EVERY)."""
    if moment - response.updated_at >= STAMP_EVERY:
        response.updated_at = moment


@functools.lru_cache(maxsize=128)
def _read_by_visibility(definition: Definition) -> frozenset[str]:
    """Ids of the questions that some section's or item's visible_if reads."""
    return frozenset(
        name.name
        for section in definition.sections
        for part in (section, *section.items)
        if part.visible_if is not None
        for name, _ in part.visible_if.references()
    )


def _visible_ids(state: FormState) -> set[int]:
    return {
        id(item)
        for section in state.definition.sections
        for item in (section, *section.items)
        if state.is_visible(item)
    }


@dataclass
class SectionSave:
    results: dict[str, SaveResult]
    visibility_changed: bool

    @property
    def conflicts(self) -> dict[str, SaveResult]:
        return {qid: r for qid, r in self.results.items() if r.outcome == "conflict"}

    @property
    def rejected(self) -> dict[str, SaveResult]:
        return {qid: r for qid, r in self.results.items() if r.outcome == "rejected"}


def submitted_revisions(
    definition: Definition, section_id: str, form: SubmittedForm
) -> dict[str, int]:
    """{question id: base revision} for the questions the section form showed, checking every
    question the form sent (an unknown or foreign question id is a BadSubmission)."""
    revisions: dict[str, int] = {}
    for question_id, text in form.revisions.items():
        _question_in(definition, question_id, section_id)
        revisions[question_id] = parse_revision(text, question_id)
    for question_id in form.answers:
        _question_in(definition, question_id, section_id)
    section_questions = {q.id for q in definition.section(section_id).questions}
    missing = [qid for qid in section_questions
               if form.answer(qid).values and qid not in revisions]
    if missing:
        raise BadSubmission(
            f"The page did not say which version of '{missing[0]}' you were changing, so "
            "nothing was saved. Your text is still on the page: reload the page to try again.",
            missing[0],
        )
    return revisions


def save_section(
    user: User,
    response: Response,
    section_id: str,
    form: SubmittedForm,
    now: datetime | None = None,
) -> SectionSave:
    """Save every question the section form showed (the no-JavaScript path), each based on
    the revision the form says it was."""
    _require_editable(user, response)
    definition = definition_of(response)
    if section_id not in {section.id for section in definition.sections}:
        raise NotFound("This questionnaire has no such section.")
    revisions = submitted_revisions(definition, section_id, form)
    moment = now or utcnow()
    normalised: dict[str, tuple[Any, list[str]]] = {
        qid: _normalise(definition.questions[qid], form.answer(qid)) for qid in revisions
    }

    def attempt() -> SectionSave:
        answers = stored_answers(response)
        raw = raw_answers(answers)
        before = FormState(definition, dict(raw))
        results: dict[str, SaveResult] = {}
        for qid, base in revisions.items():
            question = definition.questions[qid]
            mine, rejected = normalised[qid]
            if rejected:
                results[qid] = SaveResult.of("rejected", question, mine, answers.get(qid),
                                             rejected)
            else:
                results[qid] = _apply(user, response, answers, raw, question, mine, base,
                                      moment)
        after = FormState(definition, raw)
        for result in results.values():
            if result.outcome in ("saved", "unchanged"):
                result.messages = after.messages(result.question)
        changed = _visible_ids(before) != _visible_ids(after)
        if any(result.outcome == "saved" for result in results.values()):
            response.updated_at = moment  # a deliberate save of a page: always stamped
            db.session.commit()
        return SectionSave(results, changed)

    return _retry_once(attempt)


# --- finalising and reopening -------------------------------------------------------------------


def finalise(user: User, response: Response, now: datetime | None = None, *,
             cycle_checked: bool = False) -> None:
    """Finalise the owner's draft. A cycle's response is finalised through
    seslip/cycles/services.finalise, which checks the cycle's sign-off first."""
    if response.owner_id != user.id:
        raise PermissionDenied("Only the respondent can finalise these answers.")
    _require_editable(user, response)
    if response.cycle_id is not None and not cycle_checked:
        raise ServiceError("These answers are part of a cycle: finalise them from the cycle's "
                           "finalise page.")
    loaded = load(response)
    problems = loaded.state.problems()
    if problems:
        raise FinaliseBlocked(problems)
    _move(user, response, ResponseStatus.FINALISED)
    response.finalised_at = now or utcnow()
    response.finalised_by_id = user.id
    record(user, "finalise", response, f"Finalised “{response.form_version.title}”",
           {"status": ["draft", "finalised"]})
    if response.cycle_id is not None:  # shared with its peer-challenge triad, if it has one
        from seslip.challenge.triads import on_finalise

        on_finalise(response)
    db.session.commit()


def reopen(staff: User, response: Response, reason: str, now: datetime | None = None) -> None:
    require_staff(staff)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Enter the reason for reopening these answers.", "reason")
    if len(reason) > 2000:
        raise ServiceError("The reason must be 2,000 characters or fewer.", "reason")
    if response.status != ResponseStatus.FINALISED:
        raise ResponseLocked("Only a finalised questionnaire can be reopened.")
    _move(staff, response, ResponseStatus.DRAFT)
    response.reopened_at = now or utcnow()
    response.reopened_by_id = staff.id
    response.reopen_reason = reason
    record(staff, "reopen", response, f"Reopened “{response.form_version.title}”: {reason}",
           {"status": ["finalised", "draft"], "reason": reason})
    # The owner hears it from us, not by chance: same transaction as the change.
    queue_email(
        "response_reopened",
        "owner",
        response.owner.email,
        f"Your answers to “{response.form_version.title}” can be changed again",
        person=response.owner,
        staff=staff,
        title=response.form_version.title,
        reason=reason,
        url=external_url("questionnaires.response", response_id=response.id),
    )
    db.session.commit()


def _move(user: User, response: Response, status: ResponseStatus) -> None:
    if not response.can_become(status):
        raise ResponseLocked(
            f"A {response.status.value} questionnaire cannot become {status.value}."
        )
    response.status = status
    response.updated_at = utcnow()
