"""Key documents and their versions. A new upload adds a version; earlier ones are kept and
stay downloadable. Files live in the one storage (files/storage.py), never in the table."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import User
from seslip.extensions import db
from seslip.files.models import StoredFile
from seslip.networks.models import _enum
from seslip.timeutil import utcnow


class DocumentCategory(enum.StrEnum):
    AGREEMENT = "agreement"
    PLAN = "plan"
    STEERING_GROUP = "steering_group"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    DocumentCategory.AGREEMENT: "Memorandum of understanding and agreements",
    DocumentCategory.PLAN: "Plans",
    DocumentCategory.STEERING_GROUP: "Steering group papers",
    DocumentCategory.OTHER: "Other documents",
}


class Document(db.Model):
    __tablename__ = "key_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[DocumentCategory] = mapped_column(_enum(DocumentCategory))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number")

    @property
    def latest(self) -> DocumentVersion | None:
        return self.versions[-1] if self.versions else None


class DocumentVersion(StoredFile, db.Model):
    __tablename__ = "key_document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("key_document.id"))
    number: Mapped[int]

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()
