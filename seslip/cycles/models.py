"""Cycles: a round of one questionnaire version answered once by every authority.

A Cycle names the published FormVersion, who answers for each authority (its lead member or
its DCS), the dates, and whether finalising needs sign-off. Opening it creates one
questionnaire Response per authority (Response.cycle_id, Response.organisation_id; unique
together). Access for others of the authority is questionnaires.models.ResponseAccess.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import OrgRole, User
from seslip.extensions import db
from seslip.questionnaires.models import FormVersion
from seslip.timeutil import utcnow


class CycleStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # no more changes; the responses stay readable

    @property
    def label(self) -> str:
        return {"open": "Open", "closed": "Closed"}[self.value]


class Cycle(db.Model):
    __tablename__ = "cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id"), index=True)
    # Copied from the version: the previous cycle "of the same questionnaire" is found by it.
    definition_id: Mapped[str] = mapped_column(String(100), index=True)
    # Who answers for each authority: OrgRole.LEAD_MEMBER or OrgRole.DCS.
    respondent_role: Mapped[OrgRole] = mapped_column(Enum(OrgRole, native_enum=False, length=30))
    opens_on: Mapped[date]
    finalise_by: Mapped[date]
    challenge_from: Mapped[date | None]
    challenge_to: Mapped[date | None]
    sign_off_required: Mapped[bool] = mapped_column(default=False)
    prefill: Mapped[bool] = mapped_column(default=False)
    # The cycle the answers were pre-filled from (and that "last year" means on later pages).
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"))
    status: Mapped[CycleStatus] = mapped_column(
        Enum(CycleStatus, native_enum=False, length=20), default=CycleStatus.OPEN
    )
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    form_version: Mapped[FormVersion] = relationship(lazy="joined")
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def is_closed(self) -> bool:
        return self.status == CycleStatus.CLOSED
    previous: Mapped[Cycle | None] = relationship(remote_side=[id], lazy="joined", join_depth=1)

    def __repr__(self) -> str:
        return f"<Cycle {self.id} {self.name!r}>"


class SignOff(db.Model):
    """A named confirmation, by the lead member or the DCS, that a cycle response may be
    finalised (Cycle.sign_off_required). Written once; a reopened response asks again, so
    `withdrawn_at` ends a sign-off rather than deleting it."""

    __tablename__ = "cycle_sign_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_response.id"), index=True)
    role: Mapped[OrgRole] = mapped_column(Enum(OrgRole, native_enum=False, length=30))
    person_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]

    person: Mapped[User] = relationship(lazy="joined")


class CycleReminderSent(db.Model):
    """One row per email sent about a cycle response; the unique key makes `tick` send each
    once. Kinds: "opened", "before-14", "before-7", "before-1", "overdue", and
    "now-YYYY-MM-DD" for the dashboard's button (one a day)."""

    __tablename__ = "cycle_reminder_sent"
    __table_args__ = (UniqueConstraint("response_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_response.id"))
    kind: Mapped[str] = mapped_column(String(30))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
