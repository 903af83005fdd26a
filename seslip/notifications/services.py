"""Queueing email: write to the outbox in the caller's transaction; `send-mail` delivers later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from flask_sqlalchemy.pagination import Pagination
from jinja2 import TemplateNotFound
from sqlalchemy import select

from seslip.accounts.models import User
from seslip.audit.services import assign, record
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.notifications.delivery import stale_before
from seslip.notifications.models import OutboxMessage, OutboxStatus
from seslip.permissions import require_staff
from seslip.records import get_or_raise
from seslip.timeutil import utcnow


def queue_email(
    event: str, audience: str, recipient: str, subject: str, **context: Any
) -> OutboxMessage:
    """Render `emails/<event>_to_<audience>.txt` (and `.html` if it exists) into the outbox.

    Nothing is committed here: the caller's commit makes the change and its email land together.
    """
    base = f"emails/{event}_to_{audience}"
    context.setdefault("subject", subject)
    text = render_template(f"{base}.txt", **context)
    try:
        html = render_template(f"{base}.html", **context)
    except TemplateNotFound:
        html = ""
    message = OutboxMessage(
        event=event,
        audience=audience,
        recipient=recipient,
        subject=subject,
        body_text=text,
        body_html=html,
    )
    db.session.add(message)
    return message


# --- The admin outbox: list, inspect, send again -------------------------------------------

PER_PAGE = 25
NEEDS_CHECKING = "needs_checking"  # a filter value, not a stored status: `sending` gone stale

# (value, label) in the order the status filter offers them.
STATUS_FILTERS = (
    ("", "All statuses"),
    (OutboxStatus.PENDING.value, "Waiting to send"),
    (OutboxStatus.SENDING.value, "Sending now"),
    (NEEDS_CHECKING, "Needs checking"),
    (OutboxStatus.SENT.value, "Sent"),
    (OutboxStatus.FAILED.value, "Failed"),
)


@dataclass(frozen=True)
class StatusDisplay:
    label: str
    tag: str  # css modifier: the label carries the meaning, the colour only repeats it
    explanation: str


def status_display(message: OutboxMessage, now: datetime | None = None) -> StatusDisplay:
    if message.status == OutboxStatus.SENT:
        return StatusDisplay("Sent", "green", "The mail server accepted this message.")
    if message.status == OutboxStatus.FAILED:
        return StatusDisplay(
            "Failed", "red", "Delivery was tried the maximum number of times and stopped."
        )
    if message.status == OutboxStatus.SENDING:
        if _is_stale(message, now or utcnow()):
            return StatusDisplay(
                "Needs checking",
                "amber",
                "Sending started but was never confirmed, so it may or may not have arrived. "
                "Check with the recipient before sending it again.",
            )
        return StatusDisplay("Sending", "blue", "Being sent now.")
    if message.attempts:
        return StatusDisplay(
            "Waiting to retry", "amber", "The last try failed; it will be tried again."
        )
    return StatusDisplay("Waiting to send", "blue", "It goes with the next delivery run.")


def _is_stale(message: OutboxMessage, now: datetime) -> bool:
    return (
        message.status == OutboxStatus.SENDING
        and message.claimed_at is not None
        and message.claimed_at < stale_before(now)
    )


def can_send_again(message: OutboxMessage, now: datetime | None = None) -> bool:
    return message.status == OutboxStatus.FAILED or _is_stale(message, now or utcnow())


def outbox_page(actor: User | None, status: str = "", page: int = 1) -> Pagination:
    """The outbox newest first, optionally one status; admins and the programme manager."""
    require_staff(actor)
    stmt = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status == NEEDS_CHECKING:
            stmt = stmt.where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < stale_before(utcnow()),
        )
    elif status:
        stmt = stmt.where(OutboxMessage.status == OutboxStatus(status))
    return db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False)


def get_message(actor: User | None, message_id: int) -> OutboxMessage:
    require_staff(actor)  # before loading, so members get 403 whatever the id
    message = get_or_raise(
        OutboxMessage,
        message_id,
        "There is no email with that number in the outbox.",
    )
    return message


def send_again(actor: User | None, message_id: int, now: datetime | None = None) -> OutboxMessage:
    """Put a failed or needs-checking message back in the queue: a person's decision, audited."""
    now = now or utcnow()
    message = get_message(actor, message_id)
    if not can_send_again(message, now):
        raise ServiceError(
            f"The email to {message.recipient} is {status_display(message, now).label.lower()}, "
            "so it cannot be sent again."
        )
    before = status_display(message, now).label
    changes = assign(
        message,
        {
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "claimed_at": None,
        },
    )
    record(
        actor,
        "send_again",
        message,
        f"Queued the email “{message.subject}” to {message.recipient} again ({before})",
        changes,
    )
    db.session.commit()
    return message
