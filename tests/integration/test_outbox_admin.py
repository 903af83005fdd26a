"""The admin outbox pages: listing, filtering, detail, sending again; members are refused."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.audit.models import AuditEvent
from seslip.extensions import db
from seslip.notifications.delivery import deliver_pending, hand_over, mark_claimed
from seslip.notifications.models import OutboxMessage, OutboxStatus
from seslip.notifications.services import PER_PAGE
from seslip.timeutil import utcnow
from tests.support.factories import csrf_token, login, make_admin, make_programme_manager, make_user
from tests.support.smtp import SmtpServer


def add_message(
    recipient: str = "lee@example.org",
    subject: str = "Your invitation",
    status: OutboxStatus = OutboxStatus.PENDING,
    **extra: object,
) -> OutboxMessage:
    message = OutboxMessage(
        event="invitation",
        audience="invitee",
        recipient=recipient,
        subject=subject,
        body_text=f"Hello {recipient},\n\nYou have been invited.",
        body_html="<p>Hello</p>",
        status=status,
        **extra,
    )
    db.session.add(message)
    db.session.commit()
    return message


def handed_over(message: OutboxMessage, at: datetime) -> None:
    """Claimed and handed to SMTP at `at` by a worker that then stopped."""
    assert mark_claimed([message.id], at, "gone") == [message.id]
    db.session.commit()
    assert hand_over(message.id, "gone", at)


def page_text(client: FlaskClient, path: str, **kwargs: object) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_admin_sees_outbox_newest_first_with_status_and_errors(
    app: Flask, client: FlaskClient
) -> None:
    login(client, make_admin())
    add_message("first@example.org", "First email", created_at=utcnow() - timedelta(hours=2))
    add_message(
        "second@example.org",
        "Second email",
        status=OutboxStatus.FAILED,
        attempts=8,
        last_error="The mail server refused the recipient (550 Mailbox unavailable).",
        created_at=utcnow() - timedelta(hours=1),
    )

    html = page_text(client, "/admin/outbox/")

    assert html.index("Second email") < html.index("First email")
    assert "second@example.org" in html and "Failed" in html and "tag-red" in html
    assert "550 Mailbox unavailable" in html
    assert "Waiting to send" in html
    assert "2 emails." in html


def test_filter_by_status_and_htmx_gets_only_the_table(app: Flask, client: FlaskClient) -> None:
    login(client, make_programme_manager())
    add_message("waiting@example.org")
    add_message("broken@example.org", status=OutboxStatus.FAILED)

    full = page_text(client, "/admin/outbox/?status=failed")
    fragment = client.get("/admin/outbox/?status=failed", headers={"HX-Request": "true"})

    assert "broken@example.org" in full and "waiting@example.org" not in full
    assert '<option selected value="failed">' in full
    body = fragment.get_data(as_text=True)
    assert "broken@example.org" in body and "<html" not in body and "<h1>" not in body
    assert "HX-Request" in fragment.headers["Vary"]
    # An unknown status is ignored rather than breaking the page.
    assert "waiting@example.org" in page_text(client, "/admin/outbox/?status=nonsense")


def test_needs_checking_filter_finds_stale_sending_messages(
    app: Flask, client: FlaskClient
) -> None:
    login(client, make_admin())
    stale = add_message("stale@example.org")
    handed_over(stale, utcnow() - timedelta(hours=2))
    fresh = add_message("fresh@example.org")
    handed_over(fresh, utcnow())
    unsent = add_message("unsent@example.org")  # claimed but never handed over: not in doubt
    mark_claimed([unsent.id], utcnow() - timedelta(hours=2))
    db.session.commit()

    html = page_text(client, "/admin/outbox/?status=needs_checking")

    assert "stale@example.org" in html and "fresh@example.org" not in html
    assert "unsent@example.org" not in html
    assert "Needs checking" in html
    detail = page_text(client, f"/admin/outbox/{unsent.id}")
    assert "stopped before handing it to the mail server" in detail
    assert "Send again" not in detail  # the next run sends it by itself


def test_pages_keep_the_filter(app: Flask, client: FlaskClient) -> None:
    login(client, make_admin())
    for n in range(PER_PAGE + 2):
        add_message(f"p{n}@example.org", status=OutboxStatus.SENT)
    add_message("other@example.org")

    first = page_text(client, "/admin/outbox/?status=sent")
    second = page_text(client, "/admin/outbox/?status=sent&page=2")

    assert "Page 1 of 2" in first and 'href="/admin/outbox/?page=2&amp;status=sent"' in first
    assert "Page 2 of 2" in second and second.count("<tr>") == 2 + 1  # 2 rows + header
    assert "other@example.org" not in first + second


def test_detail_shows_text_body_and_sent_message_has_no_resend(
    app: Flask, client: FlaskClient
) -> None:
    login(client, make_admin())
    message = add_message("amy@example.org", status=OutboxStatus.SENT, sent_at=utcnow())

    html = page_text(client, f"/admin/outbox/{message.id}")

    assert "You have been invited." in html and "amy@example.org" in html
    assert "Send again" not in html
    assert client.get("/admin/outbox/999999").status_code == 404


def test_send_again_queues_a_failed_message_and_is_audited(
    app: Flask, client: FlaskClient, mail_to: SmtpServer
) -> None:
    admin = make_admin(name="Ada Admin")
    login(client, admin)
    message = add_message("later@example.org", status=OutboxStatus.FAILED, attempts=8)
    path = f"/admin/outbox/{message.id}"
    assert "Send again" in page_text(client, path)

    response = client.post(f"{path}/send-again", data={"csrf_token": csrf_token(client, path)})

    assert response.status_code == 302 and response.headers["Location"] == path
    db.session.expire_all()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "send_again")).one()
    assert event.actor_id == admin.id and event.entity_type == "OutboxMessage"
    assert event.changes["status"] == ["failed", "pending"]
    assert "queued again" in page_text(client, path)

    assert deliver_pending().sent == 1
    assert len(mail_to.wait_for("later@example.org")) == 1


def test_send_again_refused_for_a_message_that_is_fine(app: Flask, client: FlaskClient) -> None:
    login(client, make_admin())
    message = add_message("ok@example.org", status=OutboxStatus.SENT)
    path = f"/admin/outbox/{message.id}"

    response = client.post(
        f"{path}/send-again", data={"csrf_token": csrf_token(client, path)}, follow_redirects=True
    )

    assert "cannot be sent again" in response.get_data(as_text=True)
    db.session.expire_all()
    assert message.status == OutboxStatus.SENT
    resends = select(AuditEvent).where(AuditEvent.action == "send_again")
    assert db.session.scalars(resends).all() == []


def test_send_again_of_a_stale_message_warns_and_sends_once(
    app: Flask, client: FlaskClient, mail_to: SmtpServer
) -> None:
    login(client, make_admin())
    message = add_message("maybe@example.org")
    handed_over(message, utcnow() - timedelta(hours=1))
    path = f"/admin/outbox/{message.id}"
    html = page_text(client, path)
    assert "may already have arrived" in html

    client.post(f"{path}/send-again", data={"csrf_token": csrf_token(client, path)})

    assert deliver_pending().sent == 1
    assert deliver_pending().sent == 0
    assert len(mail_to.to("maybe@example.org")) == 1


def test_members_get_403_on_every_outbox_page(app: Flask, client: FlaskClient) -> None:
    login(client, make_user())
    message = add_message(status=OutboxStatus.FAILED)
    path = f"/admin/outbox/{message.id}"
    token = csrf_token(client, "/accessibility")

    assert client.get("/admin/outbox/").status_code == 403
    assert client.get(path).status_code == 403
    assert client.get("/admin/outbox/999999").status_code == 403
    assert client.post(f"{path}/send-again", data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert message.status == OutboxStatus.FAILED


def test_outbox_list_query_count_does_not_grow_with_rows(
    app: Flask, client: FlaskClient, query_counter: object
) -> None:
    login(client, make_admin())
    add_message()
    with query_counter.count() as few:  # type: ignore[attr-defined]
        client.get("/admin/outbox/")
    for n in range(10):
        add_message(f"more{n}@example.org")
    with query_counter.count() as many:  # type: ignore[attr-defined]
        client.get("/admin/outbox/")
    assert many.total == few.total
