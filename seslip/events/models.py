"""Events (induction days, policy forums, workshops, the steering group…) with an agenda of
sessions and speakers, registration with a cap and a waiting list, attendance and papers; and
the development programme: cohorts, their participants and action learning sets. Nothing is
deleted: events are cancelled, registrations cancelled, sessions kept."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import User
from seslip.extensions import db
from seslip.files.models import StoredFile
from seslip.networks.models import Network, _enum
from seslip.timeutil import utcnow


class EventKind(enum.StrEnum):
    INDUCTION_DAY = "induction_day"
    POLICY_FORUM = "policy_forum"
    WORKSHOP = "workshop"
    EXPERT_WORKSHOP = "expert_workshop"
    CHALLENGE_DAY = "challenge_day"
    STEERING_GROUP = "steering_group"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    EventKind.INDUCTION_DAY: "Induction day",
    EventKind.POLICY_FORUM: "Policy forum",
    EventKind.WORKSHOP: "Workshop",
    EventKind.EXPERT_WORKSHOP: "Expert workshop",
    EventKind.CHALLENGE_DAY: "Challenge day",
    EventKind.STEERING_GROUP: "Steering group",
    EventKind.OTHER: "Other event",
}


class Cohort(db.Model):
    """A year's group of the development programme (e.g. the London programme 2026-27)."""

    __tablename__ = "programme_cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[str] = mapped_column(String(20))  # "2026-27"
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participants: Mapped[list[CohortParticipant]] = relationship(
        back_populates="cohort", order_by="CohortParticipant.id")
    events: Mapped[list[Event]] = relationship(back_populates="cohort",
                                               order_by="Event.starts_at")
    learning_sets: Mapped[list[LearningSet]] = relationship(
        back_populates="cohort", order_by="LearningSet.id")


class CohortParticipant(db.Model):
    __tablename__ = "programme_cohort_participant"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("programme_cohort.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_starts", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, shown sanitised
    starts_at: Mapped[datetime]  # naive UTC
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(500), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("programme_cohort.id"), index=True)
    capacity: Mapped[int | None]  # None: no limit
    # The iCalendar SEQUENCE of the event itself (title, time, place, cancelling).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    feedback_definition_id: Mapped[str | None] = mapped_column(String(100))
    feedback_sent_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    network: Mapped[Network | None] = relationship()
    cohort: Mapped[Cohort | None] = relationship(back_populates="events")
    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event", order_by="EventSession.starts, EventSession.id")
    papers: Mapped[list[EventPaper]] = relationship(back_populates="event",
                                                    order_by="EventPaper.id")

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def how(self) -> str:
        if self.place and self.online_link:
            return "In person and online"
        return "In person" if self.place else "Online"


class EventSession(db.Model):
    """A session on an event's agenda, at a London wall-clock time on the event's day."""

    __tablename__ = "event_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    starts: Mapped[time]
    ends: Mapped[time | None]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None]  # taken off the agenda, kept
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="sessions")
    speakers: Mapped[list[EventSpeaker]] = relationship(
        back_populates="session", order_by="EventSpeaker.sort_order, EventSpeaker.id")


class EventSpeaker(db.Model):
    """A speaker: a guest needs no account (name and organisation or role are enough)."""

    __tablename__ = "event_speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("event_session.id"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(300), default="")  # organisation or role

    session: Mapped[EventSession] = relationship(back_populates="speakers")


class EventPaper(StoredFile, db.Model):
    """Slides or a paper attached to an event (usually afterwards)."""

    __tablename__ = "event_paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))

    event: Mapped[Event] = relationship(back_populates="papers")


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"registered": "Registered", "waiting": "On the waiting list",
                "cancelled": "Cancelled"}[self.value]


class Registration(db.Model):
    """One person's place (or place in the queue) at an event: one row per person and event,
    kept when they cancel and reused if they register again."""

    __tablename__ = "event_registration"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),
                      Index("ix_event_registration_queue", "event_id", "status", "queued_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(_enum(RegistrationStatus))
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)  # the waiting list's order
    registered_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    attended: Mapped[bool | None]  # None: not taken yet
    attendance_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Added to the event's SEQUENCE in this person's .ics: rises when they cancel or return.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class EventReminderSent(db.Model):
    """The day-before reminder: its unique key makes `tick` send it once per registration."""

    __tablename__ = "event_reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("event_registration.id"),
                                                 unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class LearningSet(db.Model):
    """An action learning set: a few participants meeting one day a month for four months on
    themes they choose through a questionnaire of the library."""

    __tablename__ = "programme_learning_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("programme_cohort.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    facilitator: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(500), default="")
    themes_definition_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="learning_sets")
    members: Mapped[list[LearningSetMember]] = relationship(
        back_populates="learning_set", order_by="LearningSetMember.id")
    sessions: Mapped[list[LearningSetSession]] = relationship(
        back_populates="learning_set", order_by="LearningSetSession.number")


class LearningSetMember(db.Model):
    __tablename__ = "programme_learning_set_member"
    __table_args__ = (UniqueConstraint("learning_set_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learning_set_id: Mapped[int] = mapped_column(ForeignKey("programme_learning_set.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)

    learning_set: Mapped[LearningSet] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class LearningSetSession(db.Model):
    """One of the set's monthly days (London wall-clock times)."""

    __tablename__ = "programme_learning_set_session"
    __table_args__ = (UniqueConstraint("learning_set_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learning_set_id: Mapped[int] = mapped_column(ForeignKey("programme_learning_set.id"))
    number: Mapped[int]
    day: Mapped[date]
    starts: Mapped[time]
    ends: Mapped[time]

    learning_set: Mapped[LearningSet] = relationship(back_populates="sessions")
