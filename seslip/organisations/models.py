"""Member authorities and partner organisations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from seslip.extensions import db
from seslip.timeutil import utcnow


class OrganisationKind(enum.StrEnum):
    AUTHORITY = "authority"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return "Member authority" if self is OrganisationKind.AUTHORITY else "Partner organisation"


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        Enum(OrganisationKind, native_enum=False, length=20)
    )
    # e.g. "Children's services delivered by Slough Children First"
    note: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # Organisations are never deleted (people and answers point at them): archived ones leave
    # the directory but keep their page.
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"
