"""Queueing email: write to the outbox in the caller's transaction; `send-mail` delivers later."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from flask_sqlalchemy.pagination import Pagination
from jinja2 import TemplateNotFound
from sqlalchemy import select

from seslip.accounts.models import AccountToken, User
from seslip.accounts.tokens import SECRET_PLACEHOLDER, secret_for_email
from seslip.audit.services import assign, record
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.notifications.delivery import LINK_GONE, needs_checking, stale_before
from seslip.notifications.kinds import digestable
from seslip.notifications.models import (
    DeliveryMode,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
)
from seslip.permissions import require_staff
from seslip.records import get_or_raise
from seslip.timeutil import utcnow


def queue_email(
    event: str,
    audience: str,
    recipient: str,
    subject: str,
    account_token: AccountToken | None = None,
    attachments: list[dict[str, str]] | None = None,
    urgent: bool = False,
    **context: Any,
) -> OutboxMessage:
    """Render `emails/<event>_to_<audience>.txt` (and `.html` if it exists) into the outbox.

    An email with a single-use link passes its `account_token` and builds the link with
    tokens.SECRET_PLACEHOLDER for the secret, which `send-mail` fills in: the outbox never
    holds a link that works. `attachments` are text files sent with it, each
    {"filename", "mimetype", "content"}. Nothing is committed here: the caller's commit makes
    the change and its email land together.

    A kind of email the recipient's account wants in their weekly digest (kinds.py) is held
    for it (digest.py sends it), unless it is `urgent` or carries an account link.
    """
    base = f"emails/{event}_to_{audience}"
    context.setdefault("subject", subject)
    text = render_template(f"{base}.txt", **context)
    try:
        html = render_template(f"{base}.html", **context)
    except TemplateNotFound:
        html = ""
    if account_token is not None and SECRET_PLACEHOLDER not in text:
        raise ValueError(f"{base}: a link for account_token must carry SECRET_PLACEHOLDER")
    held_for = None
    if not urgent and account_token is None and SECRET_PLACEHOLDER not in text:
        held_for = _digest_recipient(event, recipient)
    message = OutboxMessage(
        event=event,
        audience=audience,
        recipient=recipient,
        subject=subject,
        body_text=text,
        body_html=html,
        account_token=account_token,
        attachments=[_attachment(a) for a in attachments] if attachments else None,
        status=OutboxStatus.HELD if held_for else OutboxStatus.PENDING,
        held_for_id=held_for,
    )
    db.session.add(message)
    return message


def _digest_recipient(event: str, recipient: str) -> int | None:
    """The id of the active account with this address if it wants `event` in its digest."""
    if not digestable(event):
        return None  # no query for what is always sent straight away
    return db.session.scalar(
        select(User.id).join(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(User.email == recipient.lower(), User.is_active_account.is_(True),
               NotificationPreference.event == event,
               NotificationPreference.mode == DeliveryMode.DIGEST))


def _attachment(given: dict[str, str]) -> dict[str, str]:
    if not (given.get("filename") and given.get("mimetype")) or not isinstance(
            given.get("content"), str):
        raise ValueError("an attachment needs a filename, a mimetype and text content")
    return {"filename": given["filename"], "mimetype": given["mimetype"],
            "content": given["content"]}


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
    (OutboxStatus.HELD.value, "Held for a weekly digest"),
    (OutboxStatus.DIGESTED.value, "Sent in a weekly digest"),
)


@dataclass(frozen=True)
class StatusDisplay:
    label: str
    tag: str  # css modifier: the label carries the meaning, the colour only repeats it
    explanation: str


def status_display(message: OutboxMessage, now: datetime | None = None) -> StatusDisplay:
    if message.status == OutboxStatus.SENT:
        return StatusDisplay("Sent", "green", "The mail server accepted this message.")
    if message.status == OutboxStatus.HELD:
        return StatusDisplay("Held for a weekly digest", "blue",
                             "The recipient has this kind of email in their weekly digest.")
    if message.status == OutboxStatus.DIGESTED:
        return StatusDisplay("Sent in a weekly digest", "green",
                             "It went out inside the recipient's weekly digest.")
    if message.status == OutboxStatus.FAILED and not message.attempts:
        return StatusDisplay("Failed", "red", "Not sent: the link in it no longer works.")
    if message.status == OutboxStatus.FAILED:
        return StatusDisplay(
            "Failed", "red", "Delivery was tried the maximum number of times and stopped."
        )
    if message.status == OutboxStatus.SENDING:
        if _is_stale(message, now or utcnow()):
            return StatusDisplay(
                "Needs checking",
                "amber",
                "It was handed to the mail server but the server's answer was never recorded, "
                "so it may or may not have arrived. "
                "Check with the recipient before sending it again.",
            )
        if message.handed_over_at is None and message.claimed_at is not None and (
            message.claimed_at < stale_before(now or utcnow())
        ):
            return StatusDisplay(
                "Waiting to send",
                "blue",
                "A delivery run stopped before handing it to the mail server; "
                "the next run sends it.",
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
        and message.handed_over_at is not None
        and message.handed_over_at < stale_before(now)
    )


def link_gone(message: OutboxMessage, now: datetime | None = None) -> bool:
    """The email's single-use link no longer works, so sending it again would not help."""
    return message.has_secret_link and secret_for_email(message.account_token, now) is None


def can_send_again(message: OutboxMessage, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if link_gone(message, now):
        return False
    return message.status == OutboxStatus.FAILED or _is_stale(message, now)


_SECRET_LINK = re.compile(r"\S*" + re.escape(SECRET_PLACEHOLDER) + r"\S*")
HIDDEN_LINK = "[link hidden: it works only in the email the recipient receives]"


def body_for_staff(message: OutboxMessage) -> str:
    """The plain-text body with every single-use link replaced by a note."""
    return _SECRET_LINK.sub(HIDDEN_LINK, message.body_text)


def outbox_page(actor: User | None, status: str = "", page: int = 1) -> Pagination:
    """The outbox newest first, optionally one status; admins and the programme manager."""
    require_staff(actor)
    stmt = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status == NEEDS_CHECKING:
        stmt = stmt.where(*needs_checking(utcnow()))
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
    if link_gone(message, now):
        raise ServiceError(f"This email cannot be sent again. {LINK_GONE}")
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
            "claimed_by": "",
            "handed_over_at": None,
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
