"""Delivering the outbox through a real SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from seslip.extensions import db
from seslip.notifications.delivery import claim_due, deliver_pending, hand_over, mark_claimed
from seslip.notifications.models import OutboxMessage, OutboxStatus
from seslip.timeutil import utcnow
from tests.support.smtp import SmtpServer, _Handler


def queue(recipient: str = "amara@example.org", subject: str = "Papers for Friday") -> int:
    message = OutboxMessage(
        event="meeting_papers",
        audience="member",
        recipient=recipient,
        subject=subject,
        body_text=f"Hello,\n\nThe papers for Friday are ready.\n\n{subject}",
        body_html=f"<p>Hello,</p><p>The papers for <strong>Friday</strong> are ready.</p>"
        f"<p>{subject}</p>",
    )
    db.session.add(message)
    db.session.commit()
    return message.id


def fetch(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    return message


def test_delivers_plain_text_and_html_alternative(mail_to: SmtpServer) -> None:
    message_id = queue("amara@example.org")

    summary = deliver_pending()

    assert (summary.sent, summary.retried, summary.failed, summary.still_pending) == (1, 0, 0, 0)
    [delivered] = mail_to.wait_for("amara@example.org")
    assert delivered.subject == "Papers for Friday"
    types = [part.get_content_type() for part in delivered.message.walk()]
    assert "multipart/alternative" in types  # mail clients show the HTML, or the text
    assert types.count("text/plain") == 1 and types.count("text/html") == 1
    assert "The papers for Friday are ready." in delivered.text
    assert "<strong>Friday</strong>" in delivered.html
    assert "no-reply@seslip.invalid" in str(delivered.message["From"])
    stored = fetch(message_id)
    assert stored.status == OutboxStatus.SENT
    assert stored.sent_at is not None and stored.attempts == 0


def test_text_only_message_is_sent_as_plain_text(mail_to: SmtpServer) -> None:
    message = OutboxMessage(
        event="x", audience="y", recipient="b@example.org", subject="Plain", body_text="Just text"
    )
    db.session.add(message)
    db.session.commit()

    deliver_pending()

    [delivered] = mail_to.wait_for("b@example.org")
    assert delivered.message.get_content_type() == "text/plain"
    assert delivered.text.strip() == "Just text"


def test_outage_keeps_messages_pending_then_delivers_each_exactly_once(
    app: Flask, mail_to: SmtpServer, runner: Any
) -> None:
    ids = [queue(f"person{n}@example.org", f"Message {n}") for n in range(3)]
    mail_to.stop()

    result = runner.invoke(args=["seslip", "send-mail"])

    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "Sent 0" in result.output and "still pending 3" in result.output
    assert "could not be reached" in result.output
    for message_id in ids:
        stored = fetch(message_id)
        assert stored.status == OutboxStatus.PENDING
        assert stored.attempts == 0  # never tried: the outage is not held against them
        assert "could not be reached" in stored.last_error

    restarted = SmtpServer(port=mail_to.port).start()
    try:
        result = runner.invoke(args=["seslip", "send-mail"])
        assert result.exit_code == 0, result.output
        assert "Sent 3" in result.output and "still pending 0" in result.output
        again = runner.invoke(args=["seslip", "send-mail"])
        assert "Sent 0" in again.output
    finally:
        restarted.stop()

    assert sorted(m.recipients[0] for m in restarted.messages) == [
        "person0@example.org",
        "person1@example.org",
        "person2@example.org",
    ]
    assert all(fetch(i).status == OutboxStatus.SENT for i in ids)


def test_refused_recipient_backs_off_exponentially_then_fails(
    app: Flask, mail_to: SmtpServer
) -> None:
    app.config.update(SESLIP_MAIL_MAX_ATTEMPTS=4, SESLIP_MAIL_RETRY_SECONDS=60)
    mail_to.refuse("gone@example.org")
    message_id = queue("gone@example.org")
    ok_id = queue("here@example.org")
    now = utcnow()

    summary = deliver_pending(now=now)

    assert (summary.sent, summary.retried, summary.failed) == (1, 1, 0)
    stored = fetch(message_id)
    assert stored.status == OutboxStatus.PENDING and stored.attempts == 1
    assert stored.next_attempt_at == now + timedelta(minutes=1)
    assert "550" in stored.last_error and "refused the recipient" in stored.last_error
    assert fetch(ok_id).status == OutboxStatus.SENT

    # Not due yet: nothing is tried before the backoff ends.
    assert deliver_pending(now=now + timedelta(seconds=59)).retried == 0
    assert fetch(message_id).attempts == 1

    moment = now + timedelta(minutes=1)
    for attempts, wait in ((2, 2), (3, 4)):
        assert deliver_pending(now=moment).retried == 1
        stored = fetch(message_id)
        assert stored.attempts == attempts
        assert stored.next_attempt_at == moment + timedelta(minutes=wait)
        moment = stored.next_attempt_at

    summary = deliver_pending(now=moment)

    assert summary.failed == 1 and summary.still_pending == 0
    stored = fetch(message_id)
    assert stored.status == OutboxStatus.FAILED and stored.attempts == 4
    assert deliver_pending(now=moment + timedelta(days=1)).failed == 0
    assert mail_to.to("gone@example.org") == []


def test_second_claim_of_the_same_rows_gets_nothing(app: Flask) -> None:
    ids = [queue(), queue()]
    now = utcnow()

    assert claim_due(now, limit=10) == ids
    assert claim_due(now, limit=10) == []
    # Even a claimer that picked the same candidates before the first committed loses the race.
    assert mark_claimed(ids, now) == []
    db.session.commit()
    assert {fetch(i).status for i in ids} == {OutboxStatus.SENDING}


def test_postgres_skip_locked_hands_concurrent_claimers_different_rows(
    app: Flask, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises writers instead")
    first, second = queue(), queue()
    other = db.engine.connect()
    try:
        transaction = other.begin()
        locked = other.execute(
            select(OutboxMessage.id)
            .order_by(OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).scalar_one()
        assert locked == first

        # The other worker still holds its lock: this one is handed the next row, not blocked.
        assert claim_due(utcnow()) == [second]

        transaction.rollback()
    finally:
        other.close()
    assert claim_due(utcnow()) == [first]


def test_stale_message_handed_to_smtp_is_not_resent(app: Flask, mail_to: SmtpServer) -> None:
    message_id = queue("maybe@example.org")
    claimed_at = utcnow() - timedelta(hours=1)
    assert mark_claimed([message_id], claimed_at, "dead") == [message_id]
    db.session.commit()
    assert hand_over(message_id, "dead", claimed_at)  # handed over, then the worker died

    summary = deliver_pending()

    assert summary.sent == 0 and summary.needs_checking == 1 and summary.requeued == 0
    assert "needs checking 1" in str(summary)
    assert fetch(message_id).status == OutboxStatus.SENDING
    assert mail_to.messages == []


def test_stale_claim_never_handed_over_returns_to_pending_and_is_sent_once(
    app: Flask, mail_to: SmtpServer
) -> None:
    abandoned = queue("abandoned@example.org")
    fresh = queue("fresh@example.org")
    now = utcnow()
    assert mark_claimed([abandoned], now - timedelta(minutes=16), "killed") == [abandoned]
    assert mark_claimed([fresh], now - timedelta(minutes=14), "alive") == [fresh]
    db.session.commit()

    summary = deliver_pending(now=now)

    assert (summary.requeued, summary.sent, summary.needs_checking) == (1, 1, 0)
    assert "put back 1 left unsent by a stopped run" in str(summary)
    assert fetch(abandoned).status == OutboxStatus.SENT
    assert len(mail_to.to("abandoned@example.org")) == 1
    # A younger claim may belong to a worker that is about to hand it over: left alone.
    assert fetch(fresh).status == OutboxStatus.SENDING and mail_to.to("fresh@example.org") == []
    assert deliver_pending(now=now).sent == 0


def test_hand_over_only_succeeds_for_the_claimer_and_only_once(app: Flask) -> None:
    message_id = queue()
    now = utcnow()
    assert claim_due(now, worker="one") == [message_id]

    assert not hand_over(message_id, "two", now)
    assert hand_over(message_id, "one", now)
    assert not hand_over(message_id, "one", now)
    assert fetch(message_id).handed_over_at == now


def test_limit_leaves_the_rest_for_the_next_run(mail_to: SmtpServer) -> None:
    for n in range(3):
        queue(f"p{n}@example.org")

    first = deliver_pending(limit=2)
    second = deliver_pending(limit=2)

    assert (first.sent, first.still_pending) == (2, 1)
    assert (second.sent, second.still_pending) == (1, 0)
    assert len(mail_to.messages) == 3


def test_summary_reads_as_one_line() -> None:
    from seslip.notifications.delivery import DeliverySummary

    text = str(DeliverySummary(sent=2, retried=1, failed=0, still_pending=4))
    assert text == "Sent 2, will retry 1, failed 0, still pending 4."
    assert "\n" not in text


class _ClosesAfterOne(_Handler):
    """Accepts one message, then answers 421 (service closing) as a server going down does."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.messages:
            return "421 4.3.2 Service shutting down"
        return await super().handle_DATA(server, session, envelope)


def test_server_going_away_mid_run_stops_and_only_counts_the_message_tried(app: Flask) -> None:
    from seslip.extensions import mail

    server = SmtpServer()
    server.handler = _ClosesAfterOne()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    mail.init_app(app)
    ids = [queue(f"r{n}@example.org") for n in range(4)]
    now = utcnow()
    try:
        summary = deliver_pending(now=now)
    finally:
        server.stop()

    assert (summary.sent, summary.retried, summary.still_pending) == (1, 1, 3)
    assert "421" in summary.unreachable and "Stopped early" in str(summary)
    first, refused, *untried = (fetch(i) for i in ids)
    assert first.status == OutboxStatus.SENT
    assert (refused.status, refused.attempts) == (OutboxStatus.PENDING, 1)
    assert refused.next_attempt_at == now + timedelta(minutes=1)
    for message in untried:
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
        assert message.next_attempt_at <= now  # due again at once


class _RecordsHandOff(_Handler):
    """Looks in the database, from the server's side, when each message arrives."""

    def __init__(self, engine: Any) -> None:
        super().__init__()
        self.engine = engine
        self.handed_over: list[bool] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(OutboxMessage.status, OutboxMessage.handed_over_at).where(
                    OutboxMessage.recipient == envelope.rcpt_tos[0]
                )
            ).one()
        in_hand = row.status == OutboxStatus.SENDING and row.handed_over_at is not None
        self.handed_over.append(in_hand)
        return await super().handle_DATA(server, session, envelope)


def test_hand_off_is_committed_before_the_server_gets_the_message(app: Flask) -> None:
    from seslip.extensions import mail

    server = SmtpServer()
    server.handler = _RecordsHandOff(db.engine)
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    mail.init_app(app)
    ids = [queue(f"h{n}@example.org") for n in range(3)]
    try:
        assert deliver_pending().sent == 3
    finally:
        server.stop()

    assert server.handler.handed_over == [True, True, True]
    for message_id in ids:
        stored = fetch(message_id)
        assert stored.status == OutboxStatus.SENT and stored.handed_over_at is not None


class _AsksToStopAfterOne(_Handler):
    """Sets the run's stop flag while the first message is with the server (like SIGTERM)."""

    def __init__(self, stop: threading.Event) -> None:
        super().__init__()
        self.stop = stop

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.stop.set()
        return await super().handle_DATA(server, session, envelope)


def test_stop_finishes_the_message_in_hand_and_claims_nothing_more(app: Flask) -> None:
    from seslip.extensions import mail

    stop = threading.Event()
    server = SmtpServer()
    server.handler = _AsksToStopAfterOne(stop)
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    mail.init_app(app)
    first, *rest = [queue(f"s{n}@example.org") for n in range(4)]
    try:
        summary = deliver_pending(stop=stop)
    finally:
        server.stop()

    assert (summary.sent, summary.still_pending, summary.stopped) == (1, 3, True)
    assert "Stopped early: asked to stop" in str(summary)
    assert fetch(first).status == OutboxStatus.SENT
    for message_id in rest:
        stored = fetch(message_id)
        assert (stored.status, stored.attempts, stored.claimed_at) == (
            OutboxStatus.PENDING, 0, None
        )
    assert [m.recipients[0] for m in server.messages] == ["s0@example.org"]
