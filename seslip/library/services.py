"""The questionnaire library: questionnaires live in the database; files are shipped defaults.

A questionnaire is written as a draft (saved as the admin types, with a revision so two admins
meet a conflict), published as an immutable `FormVersion` (who, when, where from), and may be
archived (no new responses; existing ones stay readable). `sync` imports the files in
`form_definitions/` as published versions, never over a newer version made in the browser.

Every function takes the acting person; `None` is the command line (`seslip definitions`),
which is trusted like the server it runs on. Web views always pass the signed-in person.
Every text goes through the engine's safe loader with LIMITS; a text the loader refuses to
read at all (too large, anchors or aliases, too deep, tags) is refused and nothing changes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from seslip.accounts.models import User
from seslip.audit.models import AuditEvent
from seslip.audit.services import events_query, record
from seslip.errors import NotFound, ServiceError
from seslip.extensions import db
from seslip.formengine import Definition, DefinitionError, Limits, Problem, parse_definition
from seslip.formengine import refusals as loader_refusals
from seslip.formengine.cache import MAX_ID_LENGTH, sha256
from seslip.library.models import Questionnaire, QuestionnaireStatus
from seslip.permissions import require_staff
from seslip.questionnaires.engine import engine
from seslip.questionnaires.models import FormVersion, Response, ResponseStatus
from seslip.records import rows_updated
from seslip.timeutil import utcnow

MAX_BYTES = 256 * 1024
LIMITS = Limits(max_bytes=MAX_BYTES)
_ID_LINE = re.compile(r"""^id:[ \t]*["']?([^"'\s#]*)["']?[ \t]*(?:#.*)?$""", re.MULTILINE)
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# An admin's draft saves within this long of their last one share one audit entry.
AUDIT_DRAFT_EVERY = timedelta(minutes=5)


class TextRefused(ServiceError):
    """The loader will not read this text at all; `problems` say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            "This text was not saved: " + "; ".join(
                f"line {p.line}, column {p.column}: {p.message}" for p in problems),
            "source",
        )
        self.problems = problems


class DraftConflict(ServiceError):
    """Someone saved the draft since this person last saw it; their text is in `theirs`."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        who = questionnaire.draft_updated_by.name if questionnaire.draft_updated_by else "someone"
        super().__init__(
            f"{who} changed this draft since you opened it, so your text was not saved. Both "
            "versions are shown: copy what you need into theirs, then save again.", "source")
        self.theirs = questionnaire.draft_source or ""
        self.revision = questionnaire.draft_revision
        self.by = who


class PublishBlocked(ServiceError):
    def __init__(self, problems: list[Problem]) -> None:
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"This draft has {len(problems)} {noun}, so it was not published. "
                         "Fix them and publish again.", "source")
        self.problems = problems


@dataclass
class Checked:
    """A text as the engine reads it: its definition, or every problem with line and column."""

    definition: Definition | None
    problems: list[Problem]


def file_name(text: str, definition_id: str | None = None) -> str:
    """How problems name a text: its id's file name, as check-definitions would."""
    return f"{definition_id or id_in(text) or 'questionnaire'}.yaml"


def id_in(text: str) -> str | None:
    """The `id:` written at the top level of a text, even when the rest does not parse yet."""
    found = _ID_LINE.search(text)
    return found.group(1) if found and found.group(1) else None


def check(text: str, definition_id: str | None = None) -> Checked:
    """Every problem in the text, the same messages as check-definitions (not cached: a draft
    changes at every pause in typing)."""
    try:
        definition = parse_definition(text, path=file_name(text, definition_id), limits=LIMITS,
                                      expected_id=definition_id)
    except DefinitionError as error:
        return Checked(None, error.problems)
    return Checked(definition, [])


def refuse_unreadable(text: str, definition_id: str | None = None) -> None:
    problems = loader_refusals(text, path=file_name(text, definition_id), limits=LIMITS)
    if problems:
        raise TextRefused(problems)


def _require(actor: User | None) -> None:
    if actor is not None:  # None: the command line
        require_staff(actor)


# --- reading --------------------------------------------------------------------------------


def definition_of_version(version: FormVersion) -> Definition:
    """A published text's definition, parsed once per process (cached by its SHA-256)."""
    return engine().stored(version.definition_id, version.source, version.sha256)


def published() -> list[Definition]:
    """The definitions respondents may start now, by id: one query, texts parsed once."""
    stmt = (select(FormVersion).join(Questionnaire, Questionnaire.current_version_id
                                     == FormVersion.id)
            .where(Questionnaire.status == QuestionnaireStatus.PUBLISHED)
            .order_by(Questionnaire.definition_id))
    definitions = []
    for version in db.session.scalars(stmt):
        try:
            definitions.append(definition_of_version(version))
        except DefinitionError:  # a check added since it was published: it stays readable
            continue
    return definitions


def current_definitions() -> dict[str, tuple[bool, Definition]]:
    """{id: (archived, definition)} of every questionnaire with a current version (one query)."""
    stmt = select(Questionnaire.status, FormVersion).join(
        FormVersion, Questionnaire.current_version_id == FormVersion.id)
    found: dict[str, tuple[bool, Definition]] = {}
    for status, version in db.session.execute(stmt):
        try:
            found[version.definition_id] = (status == QuestionnaireStatus.ARCHIVED,
                                            definition_of_version(version))
        except DefinitionError:
            continue
    return found


def current_definition(definition_id: str) -> Definition | None:
    """The definition of the questionnaire's current version, archived or not (one query)."""
    version = db.session.scalars(select(FormVersion).join(
        Questionnaire, Questionnaire.current_version_id == FormVersion.id
    ).where(Questionnaire.definition_id == definition_id)).first()
    return definition_of_version(version) if version is not None else None


def version_to_start(definition_id: str) -> FormVersion:
    """The version a new response to this questionnaire starts on."""
    questionnaire = _find(definition_id)
    if questionnaire is None or questionnaire.current_version is None:
        raise NotFound("There is no such questionnaire.")
    if questionnaire.status == QuestionnaireStatus.ARCHIVED:
        raise ServiceError("This questionnaire has been archived, so it takes no new responses.")
    return questionnaire.current_version


def _find(definition_id: str) -> Questionnaire | None:
    return db.session.scalars(select(Questionnaire).where(
        Questionnaire.definition_id == definition_id)).unique().first()


def get(actor: User | None, definition_id: str) -> Questionnaire:
    _require(actor)
    found = _find(definition_id) if len(definition_id) <= MAX_ID_LENGTH else None
    if found is None:
        raise NotFound("There is no questionnaire with that id in the library.")
    return found


@dataclass
class Entry:
    """A row of the library page."""

    questionnaire: Questionnaire
    in_progress: int = 0
    finalised: int = 0


def library(actor: User | None) -> list[Entry]:
    """Every questionnaire, with its responses counted (two queries in all)."""
    _require(actor)
    entries = {q.definition_id: Entry(q) for q in db.session.scalars(
        select(Questionnaire).order_by(Questionnaire.title, Questionnaire.id)).unique()}
    counts = db.session.execute(
        select(Response.definition_id, Response.status, func.count())
        .group_by(Response.definition_id, Response.status))
    for definition_id, status, count in counts:
        entry = entries.get(definition_id)
        if entry is None:
            continue
        if status == ResponseStatus.FINALISED:
            entry.finalised = count
        else:
            entry.in_progress = count
    return list(entries.values())


def versions(actor: User | None, questionnaire: Questionnaire) -> list[FormVersion]:
    """Every published version, newest first."""
    _require(actor)
    return list(db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == questionnaire.definition_id
    ).order_by(FormVersion.id.desc())))


def get_version(actor: User | None, questionnaire: Questionnaire, version_id: int) -> FormVersion:
    _require(actor)
    version = db.session.get(FormVersion, version_id)
    if version is None or version.definition_id != questionnaire.definition_id:
        raise NotFound("This questionnaire has no such version.")
    return version


def version_numbered(questionnaire: Questionnaire, number: int | None) -> FormVersion:
    """The current version, or the latest published with this `version:` number."""
    if number is None:
        if questionnaire.current_version is None:
            raise NotFound(f"{questionnaire.definition_id} has not been published yet.")
        return questionnaire.current_version
    found = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == questionnaire.definition_id, FormVersion.version == number
    ).order_by(FormVersion.id.desc())).first()
    if found is None:
        raise NotFound(f"{questionnaire.definition_id} has no version {number}.")
    return found


def history(actor: User | None, questionnaire: Questionnaire) -> list[AuditEvent]:
    _require(actor)
    return list(db.session.scalars(events_query("Questionnaire", str(questionnaire.id))))


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added" or "removed"
    old: int | None  # line number in the older text
    new: int | None
    text: str


def diff(old: str, new: str) -> list[DiffLine]:
    """Line by line, every line of both texts, marked as kept, added or removed."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine("same", i1 + k + 1, j1 + k + 1, a[i1 + k])
                         for k in range(i2 - i1))
            continue
        lines.extend(DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2))
        lines.extend(DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2))
    return lines


# --- writing --------------------------------------------------------------------------------


def create(actor: User | None, text: str, origin: str = "browser") -> Questionnaire:
    """A new questionnaire whose draft is `text` (problems and all: only its id must be
    there and new)."""
    _require(actor)
    refuse_unreadable(text)
    definition_id = id_in(text)
    if definition_id is None:
        raise ServiceError("Start the text with the questionnaire's id, for example "
                           "`id: induction-day-feedback`, so it can be saved.", "source")
    if len(definition_id) > MAX_ID_LENGTH or not _ID.fullmatch(definition_id):
        raise ServiceError(f"The id '{definition_id[:MAX_ID_LENGTH]}' can only use lowercase "
                           "letters, digits and single hyphens (at most 100 characters).",
                           "source")
    if _find(definition_id) is not None:
        raise ServiceError(f"There is already a questionnaire with the id '{definition_id}'. "
                           "Open it from the library to change it, or choose another id.",
                           "source")
    checked = check(text, definition_id)
    now = utcnow()
    questionnaire = Questionnaire(
        definition_id=definition_id,
        title=checked.definition.title if checked.definition else definition_id,
        status=QuestionnaireStatus.DRAFT, draft_source=text, draft_revision=1,
        draft_updated_at=now, draft_updated_by_id=actor.id if actor else None,
        created_at=now, updated_at=now,
    )
    db.session.add(questionnaire)
    record(actor, "create", questionnaire, f"Created the questionnaire {definition_id}",
           {"origin": origin, "problems": len(checked.problems)})
    db.session.commit()
    return questionnaire


def start_draft(actor: User | None, questionnaire: Questionnaire) -> Questionnaire:
    """A new draft from the current version (the one being written, if there is one)."""
    _require(actor)
    if questionnaire.has_draft:
        return questionnaire
    assert questionnaire.current_version is not None  # a questionnaire has a draft or a version
    _write_draft(actor, questionnaire, questionnaire.current_version.source,
                 questionnaire.draft_revision)
    record(actor, "start_draft", questionnaire,
           f"Started a new draft of {questionnaire.definition_id} from version "
           f"{questionnaire.current_version.version}")
    db.session.commit()
    return questionnaire


def save_draft(actor: User | None, questionnaire: Questionnaire, text: str,
               base_revision: int) -> bool:
    """Save the draft as typed, if nobody saved it since revision `base_revision` (else
    DraftConflict, and nothing is saved). False when the text was unchanged."""
    _require(actor)
    refuse_unreadable(text, questionnaire.definition_id)
    if base_revision != questionnaire.draft_revision or not questionnaire.has_draft:
        raise DraftConflict(questionnaire)
    if text == questionnaire.draft_source:
        return False
    _write_draft(actor, questionnaire, text, base_revision)
    _audit_draft(actor, questionnaire)
    db.session.commit()
    return True


def _write_draft(actor: User | None, questionnaire: Questionnaire, text: str, base: int) -> None:
    """One conditional UPDATE: of two saves racing past the revision check, one wins."""
    now = utcnow()
    done = rows_updated(update(Questionnaire).where(
        Questionnaire.id == questionnaire.id, Questionnaire.draft_revision == base
    ).values(draft_source=text, draft_revision=base + 1, draft_updated_at=now,
             draft_updated_by_id=actor.id if actor else None, updated_at=now))
    db.session.refresh(questionnaire)
    if done != 1:
        db.session.rollback()
        db.session.refresh(questionnaire)
        raise DraftConflict(questionnaire)


def _audit_draft(actor: User | None, questionnaire: Questionnaire) -> None:
    """An entry per few minutes of one person's typing, not one per autosave."""
    last = db.session.scalars(events_query("Questionnaire", str(questionnaire.id))
                              .limit(1)).first()
    actor_id = actor.id if actor else None
    if (last is not None and last.action == "edit_draft" and last.actor_id == actor_id
            and utcnow() - last.at < AUDIT_DRAFT_EVERY):
        last.changes = {"revision": questionnaire.draft_revision}
        return
    record(actor, "edit_draft", questionnaire, f"Edited the draft of {questionnaire.definition_id}",
           {"revision": questionnaire.draft_revision})


def publish(actor: User | None, questionnaire: Questionnaire, base_revision: int,
            origin: str = "browser") -> FormVersion:
    """Publish the draft the person saw (revision `base_revision`) as a new version."""
    _require(actor)
    if not questionnaire.has_draft or base_revision != questionnaire.draft_revision:
        raise DraftConflict(questionnaire)
    text = questionnaire.draft_source or ""
    checked = check(text, questionnaire.definition_id)
    if checked.definition is None:
        raise PublishBlocked(checked.problems)
    version = _new_version(actor, questionnaire, checked.definition, text, origin)
    questionnaire.draft_source = None
    questionnaire.draft_revision += 1
    db.session.commit()
    return version


def number_problem(questionnaire: Questionnaire, definition: Definition, text: str) -> str:
    """Why this text cannot be published as a new version ('' when it can): the same text is
    already published, or its `version` is not above the current one."""
    try:
        _refuse_number(questionnaire, definition, sha256(text.encode("utf-8")))
    except ServiceError as error:
        return error.message
    return ""


def _refuse_number(questionnaire: Questionnaire, definition: Definition, sha: str) -> None:
    same = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == questionnaire.definition_id, FormVersion.sha256 == sha
    )).first()
    if same is not None:
        raise ServiceError(f"This text is already published as version {same.version}.",
                           "source")
    current = questionnaire.current_version
    if current is not None and definition.version <= current.version:
        raise ServiceError(
            f"Version {current.version} is already published: raise 'version' to "
            f"{current.version + 1} so responses can tell the two texts apart.", "source")


def _new_version(actor: User | None, questionnaire: Questionnaire, definition: Definition,
                 text: str, origin: str) -> FormVersion:
    sha = sha256(text.encode("utf-8"))
    _refuse_number(questionnaire, definition, sha)
    version = FormVersion(
        definition_id=questionnaire.definition_id, version=definition.version,
        title=definition.title, source=text, sha256=sha,
        published_by_id=actor.id if actor else None, origin=origin[:300],
    )
    db.session.add(version)
    questionnaire.current_version = version
    questionnaire.title = definition.title
    if questionnaire.status == QuestionnaireStatus.DRAFT:
        questionnaire.status = QuestionnaireStatus.PUBLISHED
    questionnaire.updated_at = utcnow()
    db.session.flush()
    on_publish(actor, questionnaire, version)
    return version


def on_publish(actor: User | None, questionnaire: Questionnaire, version: FormVersion) -> None:
    """Called once for every version published (browser, import or sync), in its transaction,
    before the commit. Other areas hook in here (moving draft responses to the new version);
    for now it writes the audit entry."""
    record(actor, "publish", questionnaire,
           f"Published version {version.version} of {questionnaire.definition_id}",
           {"version": version.version, "form_version_id": version.id, "origin": version.origin})


def archive(actor: User | None, questionnaire: Questionnaire) -> None:
    _require(actor)
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        raise ServiceError("Only a published questionnaire can be archived.")
    questionnaire.status = QuestionnaireStatus.ARCHIVED
    questionnaire.updated_at = utcnow()
    record(actor, "archive", questionnaire, f"Archived {questionnaire.definition_id}",
           {"status": ["published", "archived"]})
    db.session.commit()


def restore(actor: User | None, questionnaire: Questionnaire) -> None:
    """Take new responses again, on the current version."""
    _require(actor)
    if questionnaire.status != QuestionnaireStatus.ARCHIVED:
        raise ServiceError("Only an archived questionnaire can be restored.")
    questionnaire.status = QuestionnaireStatus.PUBLISHED
    questionnaire.updated_at = utcnow()
    record(actor, "restore", questionnaire, f"Restored {questionnaire.definition_id}",
           {"status": ["archived", "published"]})
    db.session.commit()


# --- files: sync and import -----------------------------------------------------------------


@dataclass
class FileOutcome:
    """What sync or import did with one file."""

    path: str
    done: str  # imported | published | draft | unchanged | kept | refused
    message: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _read(path: Path) -> tuple[str | None, list[Problem]]:
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(str(path), 1, 1, f"the file cannot be read: {error.strerror}")]
    problems = loader_refusals(data, path=str(path), limits=LIMITS)
    if problems:
        return None, problems
    return data.decode("utf-8-sig"), []


def _refused(path: Path, problems: list[Problem], what: str = "not imported") -> FileOutcome:
    noun = "problem" if len(problems) == 1 else "problems"
    return FileOutcome(str(path), "refused", f"{what}: {len(problems)} {noun} "
                       "(run check-definitions)", problems)


def sync(actor: User | None = None, directory: str | Path | None = None) -> list[FileOutcome]:
    """Import the shipped files: a new questionnaire or a higher version is published; a
    version made in the browser (or imported) that is as new or newer is kept."""
    _require(actor)
    folder = Path(directory) if directory is not None else engine().directory
    return [_sync_file(actor, path) for path in sorted(folder.glob("*.yaml")) if path.is_file()]


def _sync_file(actor: User | None, path: Path) -> FileOutcome:
    text, problems = _read(path)
    if text is None:
        return _refused(path, problems)
    checked = check(text, path.stem)
    if checked.definition is None:
        return _refused(path, [Problem(str(path), p.line, p.column, p.message)
                               for p in checked.problems])
    definition = checked.definition
    questionnaire = _find(path.stem)
    origin = f"file {path.name}"
    if questionnaire is None:
        questionnaire = _new_questionnaire(definition)
        _new_version(actor, questionnaire, definition, text, origin)
        db.session.commit()
        return FileOutcome(str(path), "imported",
                           f"imported as a new questionnaire, version {definition.version}")
    sha = sha256(text.encode("utf-8"))
    same = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == path.stem, FormVersion.sha256 == sha)).first()
    if same is not None:
        return FileOutcome(str(path), "unchanged",
                           f"unchanged (already published as version {same.version})")
    current = questionnaire.current_version
    if current is not None and definition.version <= current.version:
        made = "in the browser" if not current.origin.startswith("file ") else "from a file"
        if current.origin.startswith("file ") and definition.version == current.version:
            message = (f"not imported: the file changed but its version is still "
                       f"{definition.version}, which is already published with other text; "
                       f"raise 'version' to {current.version + 1}")
        else:
            message = (f"kept version {current.version} published {made} on "
                       f"{current.created_at:%d %B %Y}; the file's version "
                       f"{definition.version} is not newer")
        return FileOutcome(str(path), "kept", message)
    _new_version(actor, questionnaire, definition, text, origin)
    db.session.commit()
    kept = (" (the questionnaire stays archived)"
            if questionnaire.status == QuestionnaireStatus.ARCHIVED else "")
    was = f" (was version {current.version})" if current is not None else ""
    return FileOutcome(str(path), "published",
                       f"published version {definition.version}{was}{kept}")


def _new_questionnaire(definition: Definition) -> Questionnaire:
    now = utcnow()
    questionnaire = Questionnaire(definition_id=definition.id, title=definition.title,
                                  status=QuestionnaireStatus.DRAFT, created_at=now,
                                  updated_at=now)
    db.session.add(questionnaire)
    return questionnaire


def import_files(actor: User | None, paths: Sequence[str | Path],
                 publish_now: bool) -> list[FileOutcome]:
    """Each file becomes its questionnaire's draft, or with `publish_now` a new version."""
    _require(actor)
    return [_import_file(actor, Path(path), publish_now) for path in paths]


def _import_file(actor: User | None, path: Path, publish_now: bool) -> FileOutcome:
    text, problems = _read(path)
    if text is None:
        return _refused(path, problems)
    definition_id = id_in(text) or path.stem
    questionnaire = _find(definition_id)
    if not publish_now:
        try:
            if questionnaire is None:
                create(actor, text, origin=f"import {path}")
            elif questionnaire.has_draft and questionnaire.draft_source != text:
                return FileOutcome(str(path), "refused", (
                    f"not imported: {definition_id} already has a draft being written (last "
                    "saved "
                    f"{_when(questionnaire.draft_updated_at)}); publish it or copy this text "
                    "into it in the browser"))
            elif not questionnaire.has_draft:
                start_draft(actor, questionnaire)
                save_draft(actor, questionnaire, text, questionnaire.draft_revision)
        except ServiceError as error:
            db.session.rollback()
            return FileOutcome(str(path), "refused", f"not imported: {error.message}")
        checked = check(text, definition_id)
        found = len(checked.problems)
        return FileOutcome(str(path), "draft", f"saved as the draft of {definition_id}"
                           + (f" ({found} problem{'s' if found != 1 else ''} to fix before "
                              "publishing)" if found else ""), checked.problems)
    checked = check(text, definition_id)
    if checked.definition is None:
        return _refused(path, checked.problems)
    new = questionnaire is None
    if questionnaire is None:
        questionnaire = _new_questionnaire(checked.definition)
    try:
        version = _new_version(actor, questionnaire, checked.definition, text,
                               f"import {path.name}")
    except ServiceError as error:
        db.session.rollback()
        return FileOutcome(str(path), "refused", f"not published: {error.message}")
    db.session.commit()
    return FileOutcome(str(path), "imported" if new else "published",
                       f"published as version {version.version} of {definition_id}")


def _when(moment: datetime | None) -> str:
    return f"{moment:%d %B %Y %H:%M} UTC" if moment else "some time ago"
