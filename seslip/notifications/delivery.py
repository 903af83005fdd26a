"""Delivering the outbox: `flask --app app seslip send-mail` runs `deliver_pending`.

How a message moves: pending -> sending (claimed) -> handed over -> sent, or back to pending
with a later `next_attempt_at` after an SMTP error, or failed after SESLIP_MAIL_MAX_ATTEMPTS
tries.

Several workers, one database:
- A run claims ONE due message at a time in a short transaction. On PostgreSQL the candidate
  row is selected `FOR UPDATE SKIP LOCKED`, so concurrent workers are handed different rows.
  On both databases the claim itself is `UPDATE ... SET status='sending', claimed_by=<run>
  WHERE id=... AND status='pending'`, and only the ids the UPDATE returns belong to this run
  (SQLite's single writer lock serialises two such UPDATEs).
- Just before the message goes to the SMTP server the run records `handed_over_at` and
  commits, again only if the row is still its claim. Right after the server accepts the
  message it is marked sent and committed.
- A claim with no hand-off never reached the server: a run that stops (SIGTERM, an outage, an
  error) puts it back at once, and one left by a killed worker (SIGKILL, power cut) goes back
  to pending by itself once older than SESLIP_MAIL_STALE_MINUTES.
- A message handed over but never marked sent may or may not have arrived (the worker died
  while talking to the server, or before recording its answer). It is never resent
  automatically; admins see it as "needs checking" and can choose "Send again" (audited).

Not exactly once: SMTP cannot promise it. If the connection drops after the server has taken
the message but before its "accepted" reply arrives, the run counts a failed attempt and
retries later, so the recipient gets it twice; an admin's "Send again" of a needs-checking
message can duplicate it the same way. What the outbox does promise: no message is lost, a
message is never handed to two workers at once, and it is not retried after the server said
it was accepted.

Secrets: an invitation or reset email is stored with tokens.SECRET_PLACEHOLDER in its link.
The secret is rebuilt from the token's seed only in the message handed to SMTP, and the
seed is forgotten once the server has accepted it. If the link can no longer work (used,
replaced, expired), the message is not sent and fails with a reason an admin can act on.

Outages: if the server cannot be reached, the run stops at once (no hammering) and the due
messages stay pending with no attempt counted against them. The command still exits cleanly:
an outage is expected, the next run picks the messages up. A connection lost in the middle
of one message counts as a failed attempt for that message only: SMTP accepts a message with
its final reply, which never came.
"""

from __future__ import annotations

import secrets
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_mail import BadHeaderError, Connection
from flask_mail import Message as MailMessage
from sqlalchemy import func, select, update

from seslip.accounts import tokens
from seslip.extensions import db
from seslip.notifications.models import OutboxMessage, OutboxStatus
from seslip.records import rows_updated
from seslip.timeutil import utcnow

ERROR_LENGTH = 500


@dataclass
class DeliverySummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    still_pending: int = 0  # all pending after the run, due now or later
    needs_checking: int = 0
    requeued: int = 0  # claims a stopped worker left unsent, put back to pending
    unreachable: str = ""  # why the run stopped early, if it did
    stopped: bool = False  # asked to stop (SIGTERM) before the queue was done

    def __str__(self) -> str:
        text = (
            f"Sent {self.sent}, will retry {self.retried}, failed {self.failed}, "
            f"still pending {self.still_pending}"
        )
        if self.needs_checking:
            text += f", needs checking {self.needs_checking}"
        if self.requeued:
            text += f", put back {self.requeued} left unsent by a stopped run"
        text += "."
        if self.unreachable:
            text += f" Stopped early: {self.unreachable}"
        elif self.stopped:
            text += " Stopped early: asked to stop; the rest wait for the next run."
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


def mark_claimed(ids: list[int], now: datetime, worker: str = "") -> list[int]:
    """Move `ids` from pending to sending; return only the ids this call really claimed."""
    if not ids:
        return []
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.PENDING)
        .values(
            status=OutboxStatus.SENDING, claimed_at=now, claimed_by=worker, handed_over_at=None
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(db.session.execute(stmt).scalars())


def claim_due(now: datetime, limit: int = 1, worker: str = "") -> list[int]:
    """Claim up to `limit` due messages for this run and commit the claim."""
    while True:
        candidates = list(
            db.session.execute(
                select(OutboxMessage.id)
                .where(*_due(now))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).scalars()
        )
        claimed = mark_claimed(candidates, now, worker)
        db.session.commit()
        if claimed or not candidates:
            return claimed
        # Another worker took these between our SELECT and UPDATE: look again.


def hand_over(message_id: int, worker: str, now: datetime) -> bool:
    """Record, before talking to SMTP, that this run is sending the message; False if not ours."""
    handed = rows_updated(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == worker,
            OutboxMessage.handed_over_at.is_(None),
        )
        .values(handed_over_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return handed == 1


def requeue_abandoned(now: datetime) -> int:
    """Stale claims never handed to SMTP were never sent: back to pending, no attempt counted."""
    requeued = rows_updated(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.handed_over_at.is_(None),
            OutboxMessage.claimed_at < stale_before(now),
        )
        .values(
            status=OutboxStatus.PENDING,
            claimed_at=None,
            claimed_by="",
            last_error="Not sent yet: a delivery run stopped before handing it to the mail server.",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return requeued


def stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=current_app.config["SESLIP_MAIL_STALE_MINUTES"])


def needs_checking(now: datetime) -> tuple[Any, ...]:
    """Handed to SMTP long ago and never confirmed: it may have arrived, so a person decides."""
    return (
        OutboxMessage.status == OutboxStatus.SENDING,
        OutboxMessage.handed_over_at < stale_before(now),
    )


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8... times the base delay after the 1st, 2nd, 3rd, 4th... failed attempt."""
    base = current_app.config["SESLIP_MAIL_RETRY_SECONDS"]
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def deliver_pending(
    now: datetime | None = None, limit: int = 100, stop: threading.Event | None = None
) -> DeliverySummary:
    """Send up to `limit` due messages, one claim at a time, until `stop` is set.

    `now` fixes the clock (tests); otherwise each step takes the time it happens.
    """
    clock: Callable[[], datetime] = (lambda: now) if now else utcnow
    summary = DeliverySummary()
    summary.requeued = requeue_abandoned(clock())
    if limit > 0 and _count(*_due(clock())):
        _deliver(clock, limit, stop or threading.Event(), summary)
    summary.still_pending = _count(OutboxMessage.status == OutboxStatus.PENDING)
    summary.needs_checking = _count(*needs_checking(clock()))
    return summary


def _due(now: datetime) -> tuple[Any, ...]:
    return (OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)


def _count(*conditions: Any) -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(*conditions)) or 0


def _deliver(
    clock: Callable[[], datetime], limit: int, stop: threading.Event, summary: DeliverySummary
) -> None:
    worker = secrets.token_hex(8)
    connection = _TimedConnection(current_app.config["MAIL_TIMEOUT"])
    held: int | None = None  # claimed by this run and not yet handed over
    reason = "the previous run stopped unexpectedly."
    try:
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as exc:
            raise _ServerUnavailable(_describe(exc)) from exc
        for _ in range(limit):
            if stop.is_set():
                summary.stopped = True
                break
            claimed = claim_due(clock(), 1, worker)
            if not claimed:
                break
            held = claimed[0]
            message = db.session.get(OutboxMessage, held)
            assert message is not None  # claimed rows are never deleted
            try:
                mail = _build(message, clock())
            except _LinkGone as exc:
                _give_up(message, str(exc), summary)
                held = None
                continue
            if stop.is_set():
                summary.stopped = True
                reason = "the delivery run was asked to stop before sending it."
                break  # the claim is released below
            if not hand_over(held, worker, clock()):
                held = None  # another run put it back as abandoned meanwhile: not ours
                continue
            held = None
            _send_one(connection, message, mail, clock(), summary)
    except _ServerUnavailable as exc:
        summary.unreachable = reason = str(exc)
        _note_waiting(clock(), reason)
    finally:
        # Also on an unexpected error: a claim never handed over goes straight back.
        if held is not None:
            _release(held, worker, reason)
        connection.close()


def _send_one(
    connection: _TimedConnection,
    message: OutboxMessage,
    mail: MailMessage,
    now: datetime,
    summary: DeliverySummary,
) -> None:
    try:
        connection.send(mail)
    except smtplib.SMTPResponseException as exc:
        _record_failure(message, now, _describe(exc), summary)
        if exc.smtp_code == 421:  # "service not available, closing channel": stop here
            raise _ServerUnavailable(_describe(exc)) from exc
    except (smtplib.SMTPRecipientsRefused, BadHeaderError) as exc:
        _record_failure(message, now, _describe(exc), summary)
    except (OSError, smtplib.SMTPException) as exc:
        # The connection broke before the server's "accepted" reply: it counts as tried and
        # is retried later (a duplicate if the server had in fact taken it); the run stops.
        _record_failure(message, now, _describe(exc), summary)
        raise _ServerUnavailable(_describe(exc)) from exc
    else:
        message.status = OutboxStatus.SENT
        message.sent_at = now
        message.claimed_at = None
        message.last_error = ""
        if message.account_token is not None:
            message.account_token.seed = ""  # the secret cannot be rebuilt from now on
        summary.sent += 1
        db.session.commit()


LINK_GONE = (
    "The link in this email has been used, replaced by a newer one or has expired, so it "
    "would not work. Send a new invitation from the person's page in People, or ask them to "
    "use “Forgotten your password?” on the sign-in page."
)


class _LinkGone(Exception):
    """The email's single-use link can no longer work: sending it would not help."""


def _build(message: OutboxMessage, now: datetime) -> MailMessage:
    text, html = message.body_text, message.body_html
    if message.has_secret_link:
        secret = tokens.secret_for_email(message.account_token, now)
        if secret is None:
            raise _LinkGone(f"Not sent. {LINK_GONE}")
        text = text.replace(tokens.SECRET_PLACEHOLDER, secret)
        html = html.replace(tokens.SECRET_PLACEHOLDER, secret)
    built = MailMessage(
        subject=message.subject,
        recipients=[message.recipient],
        body=text,
        html=html or None,
        sender=current_app.config.get("MAIL_DEFAULT_SENDER"),
    )
    for attached in message.attachments or []:
        built.attach(attached["filename"], attached["mimetype"], attached["content"].encode())
    # Flask-Mail names the machine (often "localhost"); the intranet's own host is ours to use.
    host = urlsplit(current_app.config["SESLIP_BASE_URL"]).hostname
    built.msgId = make_msgid(domain=host or None)
    return built


def delivered_bodies(message: OutboxMessage, now: datetime | None = None) -> tuple[str, str]:
    """The text and HTML exactly as `send-mail` would hand them over now (tests, support)."""
    mail = _build(message, now or utcnow())
    return mail.body or "", mail.html or ""


def _give_up(message: OutboxMessage, error: str, summary: DeliverySummary) -> None:
    message.status = OutboxStatus.FAILED
    message.last_error = error
    message.claimed_at = None
    message.claimed_by = ""
    summary.failed += 1
    db.session.commit()


def _record_failure(
    message: OutboxMessage, now: datetime, error: str, summary: DeliverySummary
) -> None:
    message.attempts += 1
    message.last_error = error
    message.claimed_at = None
    message.claimed_by = ""
    message.handed_over_at = None
    if message.attempts >= current_app.config["SESLIP_MAIL_MAX_ATTEMPTS"]:
        message.status = OutboxStatus.FAILED
        summary.failed += 1
    else:
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = now + retry_delay(message.attempts)
        summary.retried += 1
    db.session.commit()


def _release(message_id: int, worker: str, error: str) -> None:
    """Hand a claim never given to SMTP back: pending, due as before, no attempt counted."""
    db.session.rollback()
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == worker,
            OutboxMessage.handed_over_at.is_(None),
        )
        .values(
            status=OutboxStatus.PENDING,
            claimed_at=None,
            claimed_by="",
            last_error=f"Not sent yet: {error}",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _note_waiting(now: datetime, error: str) -> None:
    """Say on every due message why it is still waiting (the admin outbox shows it)."""
    db.session.rollback()
    db.session.execute(
        update(OutboxMessage)
        .where(*_due(now))
        .values(last_error=f"Not sent yet: {error}")
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
