"""Terms of reference: one per network, with every approved version kept, a draft written
section by section, the reviews ("reviewed, no change") and the review reminders sent.

A version is immutable: its section bodies (Markdown) and structured field values, the
template version it was written on, who wrote it, who approved it, when and why. A draft is
one per network at a time (`DraftState.open`); once published it stays as a record.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import User
from seslip.extensions import db
from seslip.networks.models import Network
from seslip.questionnaires.models import FormVersion
from seslip.timeutil import utcnow


class DraftState(enum.StrEnum):
    EDITING = "editing"  # being written by the network's chairs
    SUBMITTED = "submitted"  # waiting for another body's approval
    RETURNED = "returned"  # the approver sent it back with comments; editable again
    PUBLISHED = "published"  # became a version (kept as a record)

    @property
    def label(self) -> str:
        return {"editing": "Draft being written", "submitted": "Waiting for approval",
                "returned": "Returned with comments", "published": "Published"}[self.value]


OPEN_STATES = (DraftState.EDITING, DraftState.SUBMITTED, DraftState.RETURNED)


class TermsOfReference(db.Model):
    __tablename__ = "terms_of_reference"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"), unique=True)
    # The current version is the highest-numbered one (versions are only ever added).
    last_reviewed_on: Mapped[date | None]  # the last "reviewed, no change" or approval
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[Network] = relationship()


class TermsVersion(db.Model):
    __tablename__ = "terms_version"
    __table_args__ = (UniqueConstraint("terms_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("terms_of_reference.id"), index=True)
    number: Mapped[int]
    template_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id"))
    bodies: Mapped[dict[str, Any]] = mapped_column(JSON)  # {section id: Markdown}
    values: Mapped[dict[str, Any]] = mapped_column(JSON)  # {field id: raw value}
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_body: Mapped[str] = mapped_column(String(200), default="")
    approved_on: Mapped[date]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    terms: Mapped[TermsOfReference] = relationship(foreign_keys=[terms_id])
    template_version: Mapped[FormVersion] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])


class TermsDraft(db.Model):
    __tablename__ = "terms_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("terms_of_reference.id"), index=True)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id"))
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("terms_version.id"))
    state: Mapped[DraftState] = mapped_column(
        Enum(DraftState, native_enum=False, length=20), default=DraftState.EDITING)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None]
    approving_network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id"))
    comment: Mapped[str] = mapped_column(Text, default="")  # the submitter's: what changed
    returned_comment: Mapped[str] = mapped_column(Text, default="")
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_as_id: Mapped[int | None] = mapped_column(ForeignKey("terms_version.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    terms: Mapped[TermsOfReference] = relationship()
    template_version: Mapped[FormVersion] = relationship()
    based_on: Mapped[TermsVersion | None] = relationship(foreign_keys=[based_on_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])
    approving_network: Mapped[Network | None] = relationship()
    sections: Mapped[list[TermsDraftSection]] = relationship(
        back_populates="draft", order_by="TermsDraftSection.id")

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def editable(self) -> bool:
        return self.state in (DraftState.EDITING, DraftState.RETURNED)


class TermsDraftSection(db.Model):
    """One section of a draft: its body and fields, with a revision for the conflict check."""

    __tablename__ = "terms_draft_section"
    __table_args__ = (UniqueConstraint("draft_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("terms_draft.id"))
    section_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text, default="")
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    draft: Mapped[TermsDraft] = relationship(back_populates="sections")
    updated_by: Mapped[User | None] = relationship()


class TermsReview(db.Model):
    """An annual review that changed nothing ("Reviewed, no change")."""

    __tablename__ = "terms_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("terms_of_reference.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("terms_version.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_on: Mapped[date]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reviewed_by: Mapped[User | None] = relationship()


class TermsReminderSent(db.Model):
    """A review reminder sent: at most one per terms, due date and kind (before-30, before-7,
    overdue), so `tick` sends each exactly once."""

    __tablename__ = "terms_reminder_sent"
    __table_args__ = (UniqueConstraint("terms_id", "due_on", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("terms_of_reference.id"))
    due_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
