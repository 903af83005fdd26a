"""The email outbox: a message is written here in the same transaction as the change causing it."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import AccountToken
from seslip.accounts.tokens import SECRET_PLACEHOLDER
from seslip.extensions import db
from seslip.timeutil import utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry
    HELD = "held"  # kept for the recipient's weekly digest (their preference); never sent alone
    DIGESTED = "digested"  # went out inside a weekly digest (`digest_id`)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(80))  # e.g. "invitation"
    audience: Mapped[str] = mapped_column(String(80))  # e.g. "invitee"
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    # Stored as sent, except that a single-use link carries tokens.SECRET_PLACEHOLDER for its
    # secret: delivery fills it in from `account_token`, so staff never see a usable link.
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    # Files sent with the email: [{"filename", "mimetype", "content"}], content as text
    # (e.g. a meeting's .ics). Kept in the database like the rest of the message.
    attachments: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    account_token_id: Mapped[int | None] = mapped_column(ForeignKey("account_token.id"))
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, native_enum=False, length=20), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Set (and committed) just before the message goes to the SMTP server: a claim without it
    # was never sent and goes back to pending by itself once stale; one with it needs a person.
    handed_over_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # A held message: whose digest it waits for, and the digest that carried it. The digest's
    # own email has `digest_id` too.
    held_for_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("weekly_digest.id"), index=True)

    account_token: Mapped[AccountToken | None] = relationship()

    @property
    def has_secret_link(self) -> bool:
        return SECRET_PLACEHOLDER in self.body_text


class DeliveryMode(enum.StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"

    @property
    def label(self) -> str:
        return {"immediate": "Straight away", "digest": "In my weekly digest"}[self.value]


class NotificationPreference(db.Model):
    """How one person wants one kind of email (kinds.py); no row means straight away."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "event", name="uq_notification_preference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    event: Mapped[str] = mapped_column(String(80))
    mode: Mapped[DeliveryMode] = mapped_column(Enum(DeliveryMode, native_enum=False, length=20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WeeklyDigest(db.Model):
    """One person's digest for the week starting on a Monday: the unique key makes `tick`
    send it once, however often and on however many machines it runs."""

    __tablename__ = "weekly_digest"
    __table_args__ = (UniqueConstraint("user_id", "week_starting", name="uq_weekly_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    week_starting: Mapped[date]
    items: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
