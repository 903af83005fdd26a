"""Peer challenge: the programme manager's themes and regional plan priorities; triads (or
quartets) of a cycle's authorities with their challenge day; peers' comments on a finalised
self-assessment; the facilitator's outcomes, their points and agreed actions.

Nothing people wrote is deleted: themes and priorities are archived, a comment is never
edited (a reply is a new comment), a triad's member list changes only by audited services.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, Enum, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import User
from seslip.extensions import db
from seslip.organisations.models import Organisation
from seslip.timeutil import utcnow

CYCLE_FK = "cycle.id"  # seslip/cycles (branch cycle12a)


class Theme(db.Model):
    """A theme the programme manager keeps (e.g. "voice of the child"); outcomes are tagged."""

    __tablename__ = "challenge_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    priorities: Mapped[list[PlanPriority]] = relationship(
        secondary="challenge_theme_priority", back_populates="themes",
        order_by="PlanPriority.position")


class PlanPriority(db.Model):
    """A priority of the regional improvement plan (seed 004), kept by the programme manager."""

    __tablename__ = "challenge_plan_priority"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    themes: Mapped[list[Theme]] = relationship(
        secondary="challenge_theme_priority", back_populates="priorities")


theme_priority = Table(
    "challenge_theme_priority", db.metadata,
    Column("theme_id", ForeignKey("challenge_theme.id"), primary_key=True),
    Column("priority_id", ForeignKey("challenge_plan_priority.id"), primary_key=True),
)


class Triad(db.Model):
    """Three (or four) authorities of a cycle and their challenge day. `sequence` rises when
    the day's time or place changes, so calendars replace the entry (UID challenge-day-<id>)."""

    __tablename__ = "challenge_triad"
    __table_args__ = (UniqueConstraint("cycle_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey(CYCLE_FK), index=True)
    name: Mapped[str] = mapped_column(String(120))  # "Triad 1"
    starts_at: Mapped[datetime | None]  # naive UTC
    ends_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    facilitator: Mapped[User | None] = relationship()
    members: Mapped[list[TriadMember]] = relationship(
        back_populates="triad", order_by="TriadMember.id")

    @property
    def kind(self) -> str:
        return "Quartet" if len(self.members) == 4 else "Triad"


class TriadMember(db.Model):
    """An authority in a triad; an authority is in at most one triad of a cycle."""

    __tablename__ = "challenge_triad_member"
    __table_args__ = (UniqueConstraint("cycle_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    triad_id: Mapped[int] = mapped_column(ForeignKey("challenge_triad.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey(CYCLE_FK))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))

    triad: Mapped[Triad] = relationship(back_populates="members")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class PeerComment(db.Model):
    """A peer's comment or question on one section of a finalised response, or the
    authority's reply to one (`parent_id`). Comments are never edited or deleted."""

    __tablename__ = "challenge_peer_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_response.id"), index=True)
    section_id: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("challenge_peer_comment.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # The author's authority when they wrote it (people move).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


class Outcome(db.Model):
    """What the challenge day concluded for one authority, recorded by the facilitator."""

    __tablename__ = "challenge_outcome"
    __table_args__ = (UniqueConstraint("triad_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    triad_id: Mapped[int] = mapped_column(ForeignKey("challenge_triad.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    triad: Mapped[Triad] = relationship()
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    updated_by: Mapped[User | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(
        secondary="challenge_outcome_theme", order_by="Theme.name")
    points: Mapped[list[OutcomePoint]] = relationship(
        back_populates="outcome", order_by="OutcomePoint.id")
    actions: Mapped[list[AgreedAction]] = relationship(
        back_populates="outcome", order_by="AgreedAction.due_on")


outcome_theme = Table(
    "challenge_outcome_theme", db.metadata,
    Column("outcome_id", ForeignKey("challenge_outcome.id"), primary_key=True),
    Column("theme_id", ForeignKey("challenge_theme.id"), primary_key=True),
)


class PointKind(enum.StrEnum):
    STRENGTH = "strength"
    AREA = "area"

    @property
    def label(self) -> str:
        return "Strength" if self is PointKind.STRENGTH else "Area for development"


class OutcomePoint(db.Model):
    """A strength or an area for development, optionally tied to a theme and to the section
    (responsibility) of the questionnaire it is about. Withdrawn, never deleted."""

    __tablename__ = "challenge_outcome_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("challenge_outcome.id"), index=True)
    kind: Mapped[PointKind] = mapped_column(Enum(PointKind, native_enum=False, length=20))
    text: Mapped[str] = mapped_column(Text)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("challenge_theme.id"))
    section_id: Mapped[str] = mapped_column(String(100), default="")
    withdrawn: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    outcome: Mapped[Outcome] = relationship(back_populates="points")
    theme: Mapped[Theme | None] = relationship(lazy="joined")


class AgreedAction(db.Model):
    """An action agreed on the day, with its owner and due date; reminded once when due."""

    __tablename__ = "challenge_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("challenge_outcome.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    due_on: Mapped[date]
    done_at: Mapped[datetime | None]
    withdrawn: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    outcome: Mapped[Outcome] = relationship(back_populates="actions")
    owner: Mapped[User] = relationship(lazy="joined")


class ActionReminderSent(db.Model):
    """The due reminder of an action was sent: the unique key makes it exactly once."""

    __tablename__ = "challenge_action_reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("challenge_action.id"), unique=True)
    sent_on: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
