"""Networks, their members, their posts and who held them. Nothing here is ever deleted."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Enum, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import ORG_ROLE_LABELS, User
from seslip.extensions import db
from seslip.networks.rules import Eligibility, JoinRule
from seslip.organisations.models import Organisation
from seslip.timeutil import utcnow


def _enum(kind: type[enum.Enum], length: int = 30) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class NetworkKind(enum.StrEnum):
    NETWORK = "network"
    GROUP = "group"
    STEERING_GROUP = "steering_group"
    TASK_AND_FINISH = "task_and_finish"
    TRIAD = "triad"
    ACTION_LEARNING_SET = "action_learning_set"

    @property
    def label(self) -> str:
        return NETWORK_KIND_LABELS[self]


NETWORK_KIND_LABELS = {
    NetworkKind.NETWORK: "Network",
    NetworkKind.GROUP: "Group",
    NetworkKind.STEERING_GROUP: "Steering group",
    NetworkKind.TASK_AND_FINISH: "Task and finish group",
    NetworkKind.TRIAD: "Peer-challenge triad",
    NetworkKind.ACTION_LEARNING_SET: "Action learning set",
}


class Network(db.Model):
    __tablename__ = "network"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[NetworkKind] = mapped_column(_enum(NetworkKind))
    purpose: Mapped[str] = mapped_column(Text, default="")
    join_rule: Mapped[JoinRule] = mapped_column(_enum(JoinRule), default=JoinRule.ALL_AUTHORITIES)
    # For JoinRule.NAMED_ROLES: org roles separated by commas, e.g. "dcs,lead_member".
    join_roles: Mapped[str] = mapped_column(String(200), default="")
    meeting_pattern: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("network.id"))
    established_on: Mapped[date | None]
    ends_on: Mapped[date | None]  # task-and-finish groups end
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[Network | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Network]] = relationship(back_populates="parent", order_by="Network.name")
    positions: Mapped[list[Position]] = relationship(
        back_populates="network", order_by="Position.sort_order, Position.id",
        foreign_keys="Position.network_id",
    )

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.join_roles.split(",") if r]

    @property
    def role_labels(self) -> list[str]:
        """The roles that may join as people read them, not as stored ("lead_member")."""
        labels = {role.value: label for role, label in ORG_ROLE_LABELS.items()}
        return [labels.get(r, r) for r in self.role_list]

    @property
    def current_positions(self) -> list[Position]:
        """Posts that have not been retired (retired ones stay for the history)."""
        return [p for p in self.positions if p.retired_on is None]

    def __repr__(self) -> str:
        return f"<Network {self.slug}>"


class Membership(db.Model):
    """A person in a network representing an organisation. Ended memberships stay as history."""

    __tablename__ = "network_membership"
    __table_args__ = (Index("ix_network_membership_current", "network_id", "ended_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    role_note: Mapped[str] = mapped_column(String(200), default="")  # e.g. "Lead for SEND"
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[Network] = relationship()
    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    def is_current(self, today: date) -> bool:
        return self.started_on <= today and (self.ended_on is None or self.ended_on > today)


class Position(db.Model):
    """A post in a network: Chair, Vice Chair, Sponsor…"""

    __tablename__ = "network_position"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    is_chair: Mapped[bool] = mapped_column(default=False)  # its holders chair the network
    min_holders: Mapped[int] = mapped_column(default=1)
    max_holders: Mapped[int] = mapped_column(default=1)
    term_years: Mapped[int | None]
    max_consecutive_terms: Mapped[int | None]
    eligibility: Mapped[Eligibility] = mapped_column(_enum(Eligibility), default=Eligibility.ANYONE)
    eligibility_value: Mapped[str] = mapped_column(String(60), default="")
    members_only: Mapped[bool] = mapped_column(default=True)
    # A change of holder needs the approval of this network's chair (e.g. the SE DCS group).
    approval_network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id"))
    deputises_for_id: Mapped[int | None] = mapped_column(ForeignKey("network_position.id"))
    sort_order: Mapped[int] = mapped_column(default=0)
    # Posts are retired, never deleted: their appointments are the network's history.
    retired_on: Mapped[date | None]

    network: Mapped[Network] = relationship(back_populates="positions", foreign_keys=[network_id])
    approval_network: Mapped[Network | None] = relationship(foreign_keys=[approval_network_id])
    deputises_for: Mapped[Position | None] = relationship(remote_side=[id])

    @property
    def needs_approval(self) -> bool:
        return self.approval_network_id is not None


class AppointmentStatus(enum.StrEnum):
    PROPOSED = "proposed"  # agreed, starts on a future date
    AWAITING_APPROVAL = "awaiting_approval"
    ACTIVE = "active"
    HOLDOVER = "holdover"  # term over, no successor yet: the holder continues
    ENDED = "ended"
    DECLINED = "declined"  # the approving network said no; it never started

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


HOLDING = (AppointmentStatus.ACTIVE, AppointmentStatus.HOLDOVER)
PENDING = (AppointmentStatus.PROPOSED, AppointmentStatus.AWAITING_APPROVAL)


class Appointment(db.Model):
    """A person in a post. Never deleted: ended and declined appointments are the history."""

    __tablename__ = "network_appointment"
    __table_args__ = (Index("ix_network_appointment_position", "position_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("network_position.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    starts_on: Mapped[date]
    planned_end_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    status: Mapped[AppointmentStatus] = mapped_column(_enum(AppointmentStatus))
    end_reason: Mapped[str] = mapped_column(String(500), default="")
    # The appointment this one succeeds: it ends when this one starts.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("network_appointment.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The round it came from. No foreign key: a round points at the appointment it succeeds,
    # and two tables pointing at each other cannot be created or emptied in a simple order.
    nomination_round_id: Mapped[int | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    position: Mapped[Position] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    replaces: Mapped[Appointment | None] = relationship(remote_side=[id])


class ReminderSent(db.Model):
    """One row per reminder sent; the unique key is what makes `tick` send nothing twice."""

    __tablename__ = "network_reminder_sent"
    __table_args__ = (UniqueConstraint("appointment_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("network_appointment.id"))
    kind: Mapped[str] = mapped_column(String(30))  # "before-90", "holdover-2", ...
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class JoinRequestStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class JoinRequest(db.Model):
    __tablename__ = "network_join_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[JoinRequestStatus] = mapped_column(
        _enum(JoinRequestStatus), default=JoinRequestStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    network: Mapped[Network] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class RoundStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # no more nominations; waiting for the appointment
    DECIDED = "decided"

    @property
    def label(self) -> str:
        return {"open": "Open", "closed": "Closed", "decided": "Appointment made"}[self.value]


class NominationRound(db.Model):
    __tablename__ = "nomination_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("network_position.id"))
    # The appointment whose term is ending, if the round is to succeed someone.
    succeeds_id: Mapped[int | None] = mapped_column(ForeignKey("network_appointment.id"))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closes_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RoundStatus] = mapped_column(_enum(RoundStatus), default=RoundStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    position: Mapped[Position] = relationship()
    succeeds: Mapped[Appointment | None] = relationship(foreign_keys=[succeeds_id])
    nominations: Mapped[list[Nomination]] = relationship(
        back_populates="round", order_by="Nomination.id"
    )

    def _open_on(self, today: date) -> bool:
        return self.status == RoundStatus.OPEN and self.closes_on >= today

    def _open_on_sql(cls: Any, today: date) -> ColumnElement[bool]:  # `cls`: the class
        return and_(cls.status == RoundStatus.OPEN, cls.closes_on >= today)

    # Nominations are accepted up to and including the closing date, until the round closes:
    # `round.open_on(today)` in Python, `NominationRound.open_on(today)` in a query.
    open_on = hybrid_method(_open_on, _open_on_sql)


class Nomination(db.Model):
    __tablename__ = "nomination"
    __table_args__ = (UniqueConstraint("round_id", "nominee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("nomination_round.id"))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    nominated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    statement: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[NominationRound] = relationship(back_populates="nominations")
    nominee: Mapped[User] = relationship(foreign_keys=[nominee_id])
    nominated_by: Mapped[User] = relationship(foreign_keys=[nominated_by_id])
