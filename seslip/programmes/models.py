"""Suggestions for a network's forward programme, its annual work programme and the reports
published from it. Nothing is deleted: suggestions are declined with a reason, items change
status, groups end."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import User
from seslip.documents.models import Document
from seslip.extensions import db
from seslip.meetings.models import AgendaItem, Meeting
from seslip.networks.models import Network, _enum
from seslip.timeutil import utcnow


class Outcome(enum.StrEnum):
    """What the chair made of a suggestion."""

    AWAITING = "awaiting"  # not triaged yet
    AGENDA = "agenda"  # an item on a future meeting's agenda
    WORKSHOP = "workshop"  # an expert workshop (at a meeting, or to be arranged)
    LATER = "later"  # kept in the forward programme for later
    DECLINED = "declined"  # with a reason

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.AWAITING: "Awaiting the chair",
    Outcome.AGENDA: "On a meeting's agenda",
    Outcome.WORKSHOP: "Expert workshop",
    Outcome.LATER: "Forward programme: later",
    Outcome.DECLINED: "Declined",
}


class Suggestion(db.Model):
    """A topic a member suggests for the network's forward programme."""

    __tablename__ = "programme_suggestion"
    __table_args__ = (Index("ix_programme_suggestion_network_outcome", "network_id", "outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"))
    suggested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome), default=Outcome.AWAITING)
    note: Mapped[str] = mapped_column(Text, default="")  # the chair's reason or note
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_agenda_item.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[Network] = relationship()
    suggested_by: Mapped[User] = relationship(foreign_keys=[suggested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    meeting: Mapped[Meeting | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()


class ItemStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    DONE = "done"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ItemStatus.NOT_STARTED: "Not started",
    ItemStatus.IN_PROGRESS: "In progress",
    ItemStatus.ON_HOLD: "On hold",
    ItemStatus.DONE: "Done",
}


class WorkItem(db.Model):
    """An item of a network's annual work programme (the year it starts in: 2026 is 2026-27)."""

    __tablename__ = "programme_work_item"
    __table_args__ = (Index("ix_programme_work_item_network_year", "network_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus), default=ItemStatus.NOT_STARTED)
    target_on: Mapped[date | None]
    # The task-and-finish group set up to do it (a network of that kind, child of this one).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("network.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    network: Mapped[Network] = relationship(foreign_keys=[network_id])
    owner: Mapped[User | None] = relationship()
    group: Mapped[Network | None] = relationship(foreign_keys=[group_id])


class Audience(enum.StrEnum):
    NETWORK = "network"  # a task-and-finish group reporting back to its network
    DCS_GROUP = "dcs_group"  # the network reporting to the South East DCS Group

    @property
    def label(self) -> str:
        return {"network": "Report to the network",
                "dcs_group": "Report to the South East DCS Group"}[self.value]


class Report(db.Model):
    """A report published on a network's page: the file is a key document (with versions)."""

    __tablename__ = "programme_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("network.id"))  # from a group
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("programme_work_item.id"))
    audience: Mapped[Audience] = mapped_column(_enum(Audience))
    document_id: Mapped[int] = mapped_column(ForeignKey("key_document.id"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[Network] = relationship(foreign_keys=[network_id])
    group: Mapped[Network | None] = relationship(foreign_keys=[group_id])
    work_item: Mapped[WorkItem | None] = relationship()
    document: Mapped[Document] = relationship()
