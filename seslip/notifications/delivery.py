"""Delivering the outbox: `flask --app app seslip send-mail` runs `deliver_pending`.

How a message moves: pending -> sending -> sent, or back to pending with a later
`next_attempt_at` after an SMTP error, or failed after SESLIP_MAIL_MAX_ATTEMPTS tries.

Never twice:
- A run claims due messages in one short transaction. On PostgreSQL the candidate rows are
  selected `FOR UPDATE SKIP LOCKED`, so concurrent workers are handed different rows. On both
  databases the claim itself is `UPDATE ... SET status='sending' WHERE id IN (...) AND
  status='pending'`, and only the ids the UPDATE returns belong to this run: a second claimer
  of the same row gets nothing (SQLite's single writer lock serialises the two UPDATEs).
- Each message is marked sent and committed right after the SMTP server accepts it.
- A message still `sending` long after its claim means a worker died between handing it to
  the server and recording that. It may or may not have gone, so it is never resent
  automatically: admins see it as "needs checking" and can choose "Send again" (audited).

Outages: if the server cannot be reached, the run stops at once (no hammering), and every
claimed message not yet tried goes back to pending with no attempt counted against it. The
command still exits cleanly: an outage is expected, the next run picks the messages up.
A connection lost in the middle of one message counts as a failed attempt for that message
only: SMTP accepts a message with its final reply, which never came.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_mail import BadHeaderError, Connection
from flask_mail import Message as MailMessage
from sqlalchemy import func, select, update

from seslip.extensions import db
from seslip.notifications.models import OutboxMessage, OutboxStatus
from seslip.timeutil import utcnow

ERROR_LENGTH = 500


@dataclass
class DeliverySummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    still_pending: int = 0  # all pending after the run, due now or later
    needs_checking: int = 0
    unreachable: str = ""  # why the run stopped early, if it did

    def __str__(self) -> str:
        text = (
            f"Sent {self.sent}, will retry {self.retried}, failed {self.failed}, "
            f"still pending {self.still_pending}"
        )
        if self.needs_checking:
            text += f", needs checking {self.needs_checking}"
        text += "."
        if self.unreachable:
            text += f" Stopped early: {self.unreachable}"
        return text


class _ServerUnavailable(Exception):
    """The connection to the mail server failed: stop the run."""


class _TimedConnection(Connection):
    """Flask-Mail's connection, opened with a timeout so a silent server cannot hang a run."""

    def __init__(self, timeout: float) -> None:
        super().__init__(current_app.extensions["mail"])
        self.timeout = timeout

    def open(self) -> None:
        self.host = None if self.mail.suppress else self.configure_host()

    def configure_host(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp(self.mail.server, self.mail.port, timeout=self.timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host

    def close(self) -> None:
        if self.host is not None:
            try:
                self.host.quit()
            except (OSError, smtplib.SMTPException):
                self.host.close()  # the server went away: nothing left to say to it
            self.host = None


def mark_claimed(ids: list[int], now: datetime) -> list[int]:
    """Move `ids` from pending to sending; return only the ids this call really claimed."""
    if not ids:
        return []
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENDING, claimed_at=now)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(db.session.execute(stmt).scalars())


def claim_due(now: datetime, limit: int = 100) -> list[int]:
    """Claim up to `limit` due messages for this run and commit the claim."""
    candidates = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = mark_claimed(list(db.session.execute(candidates).scalars()), now)
    db.session.commit()
    return claimed


def stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=current_app.config.get("SESLIP_MAIL_STALE_MINUTES", 15))


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8... times the base delay after the 1st, 2nd, 3rd, 4th... failed attempt."""
    base = current_app.config.get("SESLIP_MAIL_RETRY_SECONDS", 60)
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def deliver_pending(now: datetime | None = None, limit: int = 100) -> DeliverySummary:
    """Send every due message once; return what happened."""
    now = now or utcnow()
    summary = DeliverySummary()
    ids = claim_due(now, limit)
    if ids:
        _send_claimed(ids, now, summary)
    summary.still_pending = _count(OutboxMessage.status == OutboxStatus.PENDING)
    summary.needs_checking = _count(
        OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < stale_before(now)
    )
    return summary


def _count(*conditions: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(*conditions))


def _send_claimed(ids: list[int], now: datetime, summary: DeliverySummary) -> None:
    connection = _TimedConnection(current_app.config.get("MAIL_TIMEOUT", 10))
    untried = list(ids)
    try:
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as exc:
            raise _ServerUnavailable(_describe(exc)) from exc
        while untried:
            message = db.session.get(OutboxMessage, untried.pop(0))
            assert message is not None  # claimed rows are never deleted
            _send_one(connection, message, now, summary)
    except _ServerUnavailable as exc:
        summary.unreachable = str(exc)
        _release(untried, str(exc))
    except BaseException:
        # Unexpected: the message in hand stays `sending` (needs checking); the rest go back.
        _release(untried, "the previous run stopped unexpectedly.")
        raise
    finally:
        connection.close()


def _send_one(
    connection: _TimedConnection, message: OutboxMessage, now: datetime, summary: DeliverySummary
) -> None:
    try:
        connection.send(_build(message))
    except smtplib.SMTPResponseException as exc:
        _record_failure(message, now, _describe(exc), summary)
        if exc.smtp_code == 421:  # "service not available, closing channel": stop here
            raise _ServerUnavailable(_describe(exc)) from exc
    except (smtplib.SMTPRecipientsRefused, BadHeaderError) as exc:
        _record_failure(message, now, _describe(exc), summary)
    except (OSError, smtplib.SMTPException) as exc:
        # The connection broke before the server accepted this message: it counts as tried
        # and is retried later; the run stops here.
        _record_failure(message, now, _describe(exc), summary)
        raise _ServerUnavailable(_describe(exc)) from exc
    else:
        message.status = OutboxStatus.SENT
        message.sent_at = now
        message.claimed_at = None
        message.last_error = ""
        summary.sent += 1
        db.session.commit()


def _build(message: OutboxMessage) -> MailMessage:
    built = MailMessage(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html or None,
        sender=current_app.config.get("MAIL_DEFAULT_SENDER"),
    )
    # Flask-Mail names the machine (often "localhost"); the intranet's own host is ours to use.
    host = urlsplit(current_app.config.get("SESLIP_BASE_URL", "")).hostname
    built.msgId = make_msgid(domain=host or None)
    return built


def _record_failure(
    message: OutboxMessage, now: datetime, error: str, summary: DeliverySummary
) -> None:
    message.attempts += 1
    message.last_error = error
    message.claimed_at = None
    if message.attempts >= current_app.config.get("SESLIP_MAIL_MAX_ATTEMPTS", 8):
        message.status = OutboxStatus.FAILED
        summary.failed += 1
    else:
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = now + retry_delay(message.attempts)
        summary.retried += 1
    db.session.commit()


def _release(ids: list[int], error: str) -> None:
    """Hand never-tried messages back: pending, due at once, no attempt counted."""
    db.session.rollback()
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.SENDING)
            .values(
                status=OutboxStatus.PENDING, claimed_at=None, last_error=f"Not sent yet: {error}"
            )
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def _describe(exc: BaseException) -> str:
    """A short text an admin can act on."""
    server = f"{current_app.config.get('MAIL_SERVER')}:{current_app.config.get('MAIL_PORT')}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(f"{code} {_text(reply)}" for code, reply in exc.recipients.values())
        text = f"The mail server refused the recipient ({codes})."
    elif isinstance(exc, smtplib.SMTPServerDisconnected):
        text = f"The mail server at {server} closed the connection."
    elif isinstance(exc, BadHeaderError):
        text = "The subject or an address contains a line break, so it cannot be sent."
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = f"The mail server answered {exc.smtp_code} {_text(exc.smtp_error)}."
    elif isinstance(exc, TimeoutError):
        text = f"The mail server at {server} did not answer in time."
    elif isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        text = f"The mail server at {server} could not be reached ({reason})."
    else:
        text = f"Sending failed: {exc}"
    return text[:ERROR_LENGTH]


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
