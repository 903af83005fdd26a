"""The questionnaire library: one row per questionnaire, with its life (draft, published,
archived), the version respondents get now, and the draft an admin is writing.

Published texts are `FormVersion` rows (questionnaires/models.py), written once and kept
forever; responses point at them. The draft is one text per questionnaire, saved as the admin
types, with a revision number so two admins on one draft meet a conflict.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import User
from seslip.extensions import db
from seslip.questionnaires.models import FormVersion
from seslip.timeutil import utcnow


class QuestionnaireStatus(enum.StrEnum):
    DRAFT = "draft"  # never published: only admins see it
    PUBLISHED = "published"  # its current version takes new responses
    ARCHIVED = "archived"  # no new responses; existing ones stay readable

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Questionnaire(db.Model):
    __tablename__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[QuestionnaireStatus] = mapped_column(
        Enum(QuestionnaireStatus, native_enum=False, length=20), default=QuestionnaireStatus.DRAFT
    )
    current_version_id: Mapped[int | None] = mapped_column(ForeignKey("form_version.id"))
    # The text being written; None when there is no draft (it became a version).
    draft_source: Mapped[str | None] = mapped_column(Text)
    draft_revision: Mapped[int] = mapped_column(default=0)  # rises on every save of the draft
    draft_updated_at: Mapped[datetime | None]
    draft_updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    current_version: Mapped[FormVersion | None] = relationship(lazy="joined")
    draft_updated_by: Mapped[User | None] = relationship()

    @property
    def has_draft(self) -> bool:
        return self.draft_source is not None

    def __repr__(self) -> str:
        return f"<Questionnaire {self.definition_id} {self.status}>"
