"""No outbox page and no database row hands anyone a working invitation or reset link.

The attack this guards against: request a reset for the admin's address, read the newest
message in Admin -> Email outbox as the programme manager, follow the link, become the admin.
Here every string a staff member can see (every outbox page) and every value stored in every
table is tried as a link; then the email the recipient really gets must still work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import select, text

from seslip.accounts.models import AccountToken, OrgRole, User
from seslip.accounts.people import invite, resend_invitation
from seslip.extensions import db, mail
from seslip.factory import create_app
from seslip.notifications.delivery import deliver_pending
from seslip.notifications.models import OutboxMessage, OutboxStatus
from seslip.notifications.services import STATUS_FILTERS
from tests.conftest import PG_URL, make_test_config
from tests.support.databases import postgres_database
from tests.support.factories import (
    PASSWORD,
    csrf_token,
    login,
    make_admin,
    make_organisation,
    make_programme_manager,
)
from tests.support.smtp import SmtpServer

TAKEOVER_PASSWORD = "the attacker now owns this one"
STAFF_ROLES = {"admin": make_admin, "programme_manager": make_programme_manager}
SECRETISH = re.compile(r"[A-Za-z0-9_-]{20,}")  # the secrets are 43 such characters


def post(client: FlaskClient, path: str, **data: str) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def request_reset(app: Flask, email: str) -> None:
    post(app.test_client(), "/forgot-password", email=email)


def invite_someone(actor: User, email: str = "new.person@example.org") -> User:
    org = make_organisation()
    return invite(actor, email=email, name="New Person", organisation_id=org.id,
                  org_role=OrgRole.OFFICER)


def outbox_pages(client: FlaskClient) -> list[str]:
    """Every outbox page staff can open: the list (each filter, page and fragment), each email."""
    paths = [f"/admin/outbox/?status={value}" for value, _ in STATUS_FILTERS]
    pages = [client.get(p).get_data(as_text=True) for p in paths]
    fragment = client.get("/admin/outbox/", headers={"HX-Request": "true"})
    pages.append(fragment.get_data(as_text=True))
    for message_id in db.session.scalars(select(OutboxMessage.id)):
        response = client.get(f"/admin/outbox/{message_id}")
        assert response.status_code == 200
        pages.append(response.get_data(as_text=True))
    return pages


def every_stored_value() -> list[str]:
    """Every text value in every table: what a copy of the database would hold."""
    db.session.expire_all()
    values = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            values += [str(v) for v in row.values() if v is not None]
    return values


def candidates(texts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in texts:
        found.update(SECRETISH.findall(chunk))
        links = re.findall(r"/(?:invitation|reset-password)/([^\s\"'<>]+)", chunk)
        found.update(links)
    return found


def working_links(app: Flask, secrets: set[str]) -> list[str]:
    """The ones that open a set-a-password form (200); a dead link answers 410."""
    client = app.test_client()
    return [
        path
        for secret in secrets
        for path in (f"/reset-password/{secret}", f"/invitation/{secret}")
        if client.get(path).status_code == 200
    ]


def try_takeover(app: Flask, secrets: set[str]) -> None:
    for secret in secrets:
        client = app.test_client()
        path = f"/reset-password/{secret}"
        if client.get(path).status_code == 200:
            post(client, path, password=TAKEOVER_PASSWORD, confirm=TAKEOVER_PASSWORD)


def can_sign_in(app: Flask, email: str, password: str) -> bool:
    client = app.test_client()
    response = post(client, "/login", email=email, password=password)
    return response.status_code == 302


def delivered_link(server: SmtpServer, address: str) -> str:
    [message] = server.wait_for(address)[-1:]
    [link] = [x for x in message.links() if "/invitation/" in x or "/reset-password/" in x]
    assert link in message.html  # the HTML part carries the same working link
    return link.removeprefix("http://localhost")


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_see_no_working_link_and_the_recipient_gets_one(
    app: Flask, client: FlaskClient, mail_to: SmtpServer, role: str
) -> None:
    boss = make_admin(email="boss@example.org", name="Bea Boss")
    viewer = STAFF_ROLES[role](email="viewer@example.org", name="Val Viewer")
    newcomer = invite_someone(boss)
    request_reset(app, "boss@example.org")
    # One of each state: a reset already sent, a new invitation and a new reset waiting.
    assert deliver_pending().sent == 2
    mail_to.messages.clear()
    request_reset(app, "viewer@example.org")
    resend_invitation(boss, newcomer)
    login(client, viewer)

    seen = outbox_pages(client)
    assert any("Reset your SESLIP Intranet password" in page for page in seen)
    found = candidates(seen) | candidates(every_stored_value())

    assert working_links(app, found) == []
    try_takeover(app, found)
    assert can_sign_in(app, "boss@example.org", PASSWORD)
    assert not can_sign_in(app, "boss@example.org", TAKEOVER_PASSWORD)
    assert any("[link hidden" in page for page in seen)  # the page says why it is missing

    # What the recipients receive still works.
    assert deliver_pending().sent == 2
    reset = delivered_link(mail_to, "viewer@example.org")
    assert reset.startswith("/reset-password/")
    person = app.test_client()
    assert person.get(reset).status_code == 200
    response = post(person, reset, password=TAKEOVER_PASSWORD, confirm=TAKEOVER_PASSWORD)
    assert response.status_code == 302
    assert can_sign_in(app, "viewer@example.org", TAKEOVER_PASSWORD)
    invitation = delivered_link(mail_to, "new.person@example.org")
    assert app.test_client().get(invitation).status_code == 200
    # Once sent, the secret cannot be rebuilt from the database at all.
    assert set(db.session.scalars(select(AccountToken.seed))) == {""}


def send_again(client: FlaskClient, message: OutboxMessage) -> str:
    path = f"/admin/outbox/{message.id}"
    response = client.post(
        f"{path}/send-again", data={"csrf_token": csrf_token(client, path)}, follow_redirects=True
    )
    return response.get_data(as_text=True)


def test_a_failed_reset_sent_again_from_the_outbox_still_carries_a_working_link(
    app: Flask, client: FlaskClient, mail_to: SmtpServer
) -> None:
    app.config.update(SESLIP_MAIL_MAX_ATTEMPTS=1)
    make_admin(email="ada@example.org")
    login(client, make_programme_manager())
    mail_to.refuse("ada@example.org")
    request_reset(app, "ada@example.org")
    assert deliver_pending().failed == 1
    message = db.session.scalars(select(OutboxMessage)).one()
    assert "Send again" in client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)

    mail_to.handler.refused.clear()
    assert "queued again" in send_again(client, message)
    assert deliver_pending().sent == 1

    link = delivered_link(mail_to, "ada@example.org")
    assert app.test_client().get(link).status_code == 200


def test_a_replaced_invitation_is_not_sent_and_cannot_be_sent_again(
    app: Flask, client: FlaskClient, mail_to: SmtpServer
) -> None:
    admin = make_admin()
    login(client, admin)
    person = invite_someone(admin)
    resend_invitation(admin, person)  # before the first one went: its link no longer works
    first, second = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()

    summary = deliver_pending()

    assert (summary.sent, summary.failed) == (1, 1)
    assert len(mail_to.to("new.person@example.org")) == 1
    db.session.expire_all()
    assert second.status == OutboxStatus.SENT
    assert first.status == OutboxStatus.FAILED and "replaced by a newer one" in first.last_error
    page = client.get(f"/admin/outbox/{first.id}").get_data(as_text=True)
    assert "Send again" not in page and "sending it again would not help" in page
    assert "Not sent: the link in it no longer works." in page
    assert f"/admin/people/{person.id}" in page
    assert "cannot be sent again" in send_again(client, first)
    db.session.expire_all()
    assert first.status == OutboxStatus.FAILED
    assert app.test_client().get(delivered_link(mail_to, person.email)).status_code == 200


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
    elif not PG_URL:
        pytest.skip("PostgreSQL tests need SESLIP_TEST_DATABASE_URL (CI sets it)")
    else:
        with postgres_database(PG_URL) as database:
            yield database.url


def test_migration_redacts_links_already_stored_and_marks_sending_as_handed_over(
    empty_database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_test_config(empty_database_url, tmp_path))
    insert = text(
        "INSERT INTO outbox_message (event, audience, recipient, subject, body_text, body_html,"
        " status, attempts, last_error, created_at, next_attempt_at, claimed_at)"
        " VALUES (:event, 'x', 'a@example.org', 's', :body, :html, :status, 0, '',"
        " '2026-12-01 09:00:00', '2026-12-01 09:00:00', :claimed)"
    )
    secret = "Zk3v9Q0xR7mW2pL5sT8yB1nC4dF6gH0jK3lM5oP7qR9"
    with app.app_context():
        upgrade(revision="3befe21237c8")
        rows: list[dict[str, Any]] = [
            {"event": "password_reset", "status": "SENT", "claimed": None,
             "body": f"open\n\nhttp://localhost/reset-password/{secret}\n\nbye",
             "html": f'<a href="http://localhost/reset-password/{secret}">x</a>'},
            {"event": "invitation", "status": "PENDING", "claimed": None,
             "body": f"http://localhost/invitation/{secret}x", "html": ""},
            {"event": "meeting", "status": "SENDING", "claimed": "2026-12-01 09:01:00",
             "body": "Papers: http://localhost/networks/3", "html": ""},
        ]
        for row in rows:
            db.session.execute(insert, row)
        db.session.commit()

        upgrade()

        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        stored = " ".join(m.body_text + m.body_html for m in messages)
        assert secret not in stored
        assert "http://localhost/reset-password/secret-added-when-sent" in messages[0].body_text
        assert messages[1].has_secret_link
        assert messages[2].body_text == "Papers: http://localhost/networks/3"
        # It may have gone: a person decides.
        assert messages[2].handed_over_at == messages[2].claimed_at
        assert messages[1].handed_over_at is None
        # The waiting invitation has no token to rebuild its link from: it fails, saying why.
        server = SmtpServer().start()
        app.config.update(MAIL_PORT=server.port)
        mail.init_app(app)
        try:
            summary = deliver_pending()
        finally:
            server.stop()
        assert (summary.sent, summary.failed) == (0, 1) and server.messages == []
        db.session.expire_all()
        assert "Send a new invitation" in messages[1].last_error
        db.session.remove()
        db.engine.dispose()
