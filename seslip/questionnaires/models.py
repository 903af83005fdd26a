"""Questionnaire responses: immutable form versions, responses, answers and their history.

Nothing people wrote is ever deleted: saved values are appended to AnswerRevision (a person's
autosaves within a few minutes share one revision, the latest value), and a response keeps
pointing at the exact definition text (FormVersion) it was answered on.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import User
from seslip.extensions import db
from seslip.organisations.models import Organisation
from seslip.timeutil import utcnow


class FormVersion(db.Model):
    """One published text of a questionnaire (seslip/library). Rows are written once and never
    changed; `created_at` is when it was published, `published_by` who did it (None: the
    `definitions sync` command, from the shipped file named in `origin`)."""

    __tablename__ = "form_version"
    __table_args__ = (UniqueConstraint("definition_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)  # the YAML as it was on disk
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Where the text came from: "browser", "upload <name>", "file <path>" or "import <path>".
    origin: Mapped[str] = mapped_column(String(300), default="")

    published_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<FormVersion {self.definition_id} v{self.version} {self.sha256[:8]}>"


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    FINALISED = "finalised"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "finalised": "Finalised"}[self.value]


# The small state machine: which status may follow which.
TRANSITIONS: dict[ResponseStatus, frozenset[ResponseStatus]] = {
    ResponseStatus.DRAFT: frozenset({ResponseStatus.FINALISED}),
    ResponseStatus.FINALISED: frozenset({ResponseStatus.DRAFT}),  # reopened by staff
}


class Response(db.Model):
    """One person's answers to one questionnaire, for their authority."""

    __tablename__ = "questionnaire_response"
    # One response per person per questionnaire until the cycle issue adds rounds.
    __table_args__ = (UniqueConstraint("owner_id", "definition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Copied from the version so a person's response is found whatever version it is on.
    definition_id: Mapped[str] = mapped_column(String(100), index=True)
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    status: Mapped[ResponseStatus] = mapped_column(
        Enum(ResponseStatus, native_enum=False, length=20), default=ResponseStatus.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finalised_at: Mapped[datetime | None]
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reopened_at: Mapped[datetime | None]
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reopen_reason: Mapped[str] = mapped_column(Text, default="")

    # Joined: every page about a response needs its version, owner and authority.
    form_version: Mapped[FormVersion] = relationship(lazy="joined")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id])
    reopened_by: Mapped[User | None] = relationship(foreign_keys=[reopened_by_id])
    # The library's current version of this questionnaire (read-only, through the
    # `questionnaire` table of library/models.py): services.load_response loads it with the
    # response, so opening a draft knows whether it should move without another query.
    current_version: Mapped[FormVersion | None] = relationship(
        FormVersion, secondary="questionnaire", viewonly=True, uselist=False,
        primaryjoin="Response.definition_id == foreign(Questionnaire.definition_id)",
        secondaryjoin="FormVersion.id == foreign(Questionnaire.current_version_id)")

    @property
    def is_draft(self) -> bool:
        return self.status == ResponseStatus.DRAFT

    def can_become(self, status: ResponseStatus) -> bool:
        return status in TRANSITIONS[self.status]

    def __repr__(self) -> str:
        return f"<Response {self.id} {self.definition_id} {self.status}>"


class Answer(db.Model):
    """The current answer to one question. `revision` rises by one on every save."""

    __tablename__ = "questionnaire_answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_response.id"))
    question_id: Mapped[str] = mapped_column(String(100))
    # The engine's raw answer, exactly as typed: text, a list of options, or a list of rows.
    value: Mapped[Any] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Set when a move to a new version copied this answer here from the answer to the question
    # this one was renamed from (`renamed_from`). That answer and its history stay as they were.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_answer.id"))

    updated_by: Mapped[User] = relationship(lazy="joined")

    # Saves update with `WHERE revision = <the revision they read>` (services._apply writes it
    # out; ORM updates get it from version_id_col), so two saves racing past the base-revision
    # check cannot both win: the loser gets StaleDataError and is reported as a conflict.
    __mapper_args__ = {"version_id_col": revision}


class AnswerRevision(db.Model):
    """The values saved for a question, in order. Never deleted; the latest is updated in place
    only by its author's next autosave within a few minutes (services.COLLAPSE_EVERY)."""

    __tablename__ = "questionnaire_answer_revision"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", "revision"),
        Index("ix_questionnaire_answer_revision_saved_at", "saved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_response.id"))
    question_id: Mapped[str] = mapped_column(String(100))
    revision: Mapped[int]
    value: Mapped[Any] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    saved_by: Mapped[User] = relationship()


class ResponseMove(db.Model):
    """A draft response moved from one version to a newer one (services.move_response). Rows
    are written once; `carried` records what the move did: {"renamed": {old: new}, "kept":
    [ids], "read_only": [ids]}."""

    __tablename__ = "questionnaire_response_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_response.id"), index=True)
    from_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id"))
    to_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id"))
    moved_at: Mapped[datetime] = mapped_column(default=utcnow)
    moved_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    carried: Mapped[Any] = mapped_column(JSON)

    from_version: Mapped[FormVersion] = relationship(foreign_keys=[from_version_id])
    to_version: Mapped[FormVersion] = relationship(foreign_keys=[to_version_id])
