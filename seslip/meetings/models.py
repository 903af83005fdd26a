"""Meetings of a network, their agendas, papers (with every version), records and actions.
Nothing here is deleted: meetings are cancelled, items withdrawn, papers get new versions."""

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


class Meeting(db.Model):
    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_network_starts", "network_id", "starts_at"),
                      UniqueConstraint("pattern_id", "pattern_slot"))

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"))
    # A joint meeting: one meeting, the members of both networks invited.
    joint_network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]  # naive UTC
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(500), default="")  # in person
    online_link: Mapped[str] = mapped_column(String(500), default="")  # online
    papers_due_on: Mapped[date]
    agenda_sent_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    # The iCalendar SEQUENCE: raised by each change of time, place or title and by cancelling,
    # so a calendar that has the meeting (same UID) takes the newer version.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Planned from the network's pattern: the slot it was made for (kept when the chair moves
    # it, so the pattern never plans that slot again) and when the chair confirmed it.
    pattern_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_pattern.id"))
    pattern_slot: Mapped[date | None]
    confirmed_at: Mapped[datetime | None]

    network: Mapped[Network] = relationship(foreign_keys=[network_id])
    joint_network: Mapped[Network | None] = relationship(foreign_keys=[joint_network_id])
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.sort_order, AgendaItem.id")
    papers: Mapped[list[Paper]] = relationship(back_populates="meeting", order_by="Paper.id")
    record: Mapped[MeetingRecord | None] = relationship(
        back_populates="meeting", foreign_keys="MeetingRecord.meeting_id")

    @property
    def networks(self) -> list[Network]:
        return [self.network] + ([self.joint_network] if self.joint_network else [])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def to_confirm(self) -> bool:
        """Planned from the pattern and not yet confirmed (or moved) by the chair."""
        return self.pattern_id is not None and self.confirmed_at is None

    @property
    def how(self) -> str:
        if self.place and self.online_link:
            return "In person and online"
        return "In person" if self.place else "Online"

    @property
    def current_items(self) -> list[AgendaItem]:
        return [i for i in self.items if i.withdrawn_at is None]


class AgendaItem(db.Model):
    __tablename__ = "meeting_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    minutes: Mapped[int | None]  # time allowed
    paper_expected: Mapped[bool] = mapped_column(default=False)
    withdrawn_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    owner: Mapped[User | None] = relationship()
    papers: Mapped[list[Paper]] = relationship(back_populates="item", order_by="Paper.id")


class Paper(db.Model):
    """A paper or slides for a meeting (for one item, or the meeting as a whole)."""

    __tablename__ = "meeting_paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_agenda_item.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="papers")
    item: Mapped[AgendaItem | None] = relationship(back_populates="papers")
    versions: Mapped[list[PaperVersion]] = relationship(
        back_populates="paper", order_by="PaperVersion.number")

    @property
    def latest(self) -> PaperVersion | None:
        return self.versions[-1] if self.versions else None


class PaperVersion(StoredFile, db.Model):
    """One uploaded file. Replacing a paper adds a version; earlier ones are kept."""

    __tablename__ = "meeting_paper_version"
    __table_args__ = (UniqueConstraint("paper_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("meeting_paper.id"))
    number: Mapped[int]

    paper: Mapped[Paper] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()


class RecordStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "approved": "Approved"}[self.value]


class MeetingRecord(db.Model):
    """The succinct record of a meeting: drafted by the chair, approved at the next meeting."""

    __tablename__ = "meeting_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), unique=True)
    attendance: Mapped[str] = mapped_column(Text, default="")
    apologies: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RecordStatus] = mapped_column(_enum(RecordStatus), default=RecordStatus.DRAFT)
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None]
    approved_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="record", foreign_keys=[meeting_id])
    approved_at_meeting: Mapped[Meeting | None] = relationship(
        foreign_keys=[approved_at_meeting_id])


class MeetingAction(db.Model):
    """An action agreed at a meeting, with its owner and due date; done, never deleted."""

    __tablename__ = "meeting_action"
    __table_args__ = (Index("ix_meeting_action_network_done", "network_id", "done_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    due_on: Mapped[date | None]
    done_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    owner: Mapped[User | None] = relationship()


class PaperReminderSent(db.Model):
    """One row per reminder to an item's owner; the unique key makes `tick` send it once."""

    __tablename__ = "meeting_paper_reminder_sent"
    __table_args__ = (UniqueConstraint("item_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("meeting_agenda_item.id"))
    kind: Mapped[str] = mapped_column(String(30))  # rules.BEFORE_DEADLINE, rules.ON_DEADLINE
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarToken(db.Model):
    """A person's private calendar feed link. The database keeps a random seed and the SHA-256
    of the secret (the HMAC of the seed under SECRET_KEY), so the link can be shown again on
    the account page but not rebuilt from a copy of the database alone. Revoked, never
    deleted; at most one is live per person."""

    __tablename__ = "calendar_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    seed: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class MeetingPattern(db.Model):
    """How a network plans its meetings (pattern_rules.Rhythm, with a time and a place): `tick`
    keeps its meetings planned `months_ahead` for the chair to confirm or move."""

    __tablename__ = "meeting_pattern"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"), unique=True)
    per_year: Mapped[int]
    first_month: Mapped[int]
    weekday: Mapped[int]
    week: Mapped[int]
    starts: Mapped[time]  # Europe/London wall clock
    ends: Mapped[time]
    place: Mapped[str] = mapped_column(String(500), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    joint_network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id"))
    months_ahead: Mapped[int] = mapped_column(default=12)
    active: Mapped[bool] = mapped_column(default=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    network: Mapped[Network] = relationship(foreign_keys=[network_id])
    joint_network: Mapped[Network | None] = relationship(foreign_keys=[joint_network_id])


class ActionReminderSent(db.Model):
    """One row per reminder to an action's owner (due, overdue): `tick` sends each once."""

    __tablename__ = "meeting_action_reminder_sent"
    __table_args__ = (UniqueConstraint("action_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("meeting_action.id"))
    kind: Mapped[str] = mapped_column(String(30))  # pattern_rules.ACTION_DUE, ACTION_OVERDUE
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
