"""Invitations, password resets, rate limits and sessions through the real pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.accounts import services
from seslip.accounts.models import AccountToken, LoginAttempt, OrgRole, TokenPurpose, User
from seslip.accounts.people import invite
from seslip.accounts.tokens import TokenInvalid, hash_token
from seslip.audit.models import AuditEvent
from seslip.extensions import db
from seslip.notifications.delivery import delivered_bodies
from seslip.notifications.models import OutboxMessage
from seslip.timeutil import utcnow
from tests.support.factories import (
    PASSWORD,
    csrf_token,
    login,
    make_admin,
    make_organisation,
    make_user,
)

NEW_PASSWORD = "a brand new passphrase here"


def outbox_link(recipient: str, event: str) -> str:
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == recipient, OutboxMessage.event == event)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no {event} email to {recipient}"
    text, _ = delivered_bodies(message)  # the outbox holds the link without its secret
    match = re.search(r"http://localhost(/\S+)", text)
    assert match, text
    return match.group(1)


def post(client: FlaskClient, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def client_from(app, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def invite_someone(email: str = "new.person@example.org"):
    admin = make_admin(name="Grace Admin")
    org = make_organisation("Kent County Council")
    user = invite(admin, email=email, name="New Person", organisation_id=org.id,
                  org_role=OrgRole.LEAD_MEMBER)
    return admin, user


# Invitations -------------------------------------------------------------------------------


def test_invited_person_follows_link_sets_password_and_lands_signed_in(client: FlaskClient) -> None:
    _, user = invite_someone()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.event == "invitation"))
    assert message.recipient == "new.person@example.org"
    assert "Grace Admin has invited you" in message.body_text
    assert "Set up your account" in message.body_html
    link = outbox_link(user.email, "invitation")

    page = client.get(link).get_data(as_text=True)
    assert "New Person" in page and "new.person@example.org" in page
    response = post(client, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Welcome to the SESLIP Intranet, New Person" in home

    # The link is spent: a second visit gets the friendly page.
    again = client.get(link)
    assert again.status_code == 410
    assert "This link has expired or has already been used" in again.get_data(as_text=True)


def test_invitation_only_stores_a_hash_of_the_secret(app) -> None:
    _, user = invite_someone()
    secret = outbox_link(user.email, "invitation").rsplit("/", 1)[1]
    token = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    assert token.token_hash == hash_token(secret)
    assert secret not in token.token_hash


def test_invitation_refuses_a_weak_password_and_keeps_the_link_alive(client: FlaskClient) -> None:
    _, user = invite_someone()
    link = outbox_link(user.email, "invitation")
    response = post(client, link, password="short", confirm="short")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Error: Set up your account" in page
    assert "Your password must be at least 12 characters long" in page
    mismatch = post(client, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert "The passwords do not match" in mismatch.get_data(as_text=True)
    assert post(client, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD).status_code == 302


def test_invitation_expires(app) -> None:
    _, user = invite_someone()
    secret = outbox_link(user.email, "invitation").rsplit("/", 1)[1]
    later = utcnow() + timedelta(days=7, minutes=1)
    with pytest.raises(TokenInvalid):
        services.accept_invitation(secret, NEW_PASSWORD, NEW_PASSWORD, now=later)
    assert services.invitation_for(secret, now=utcnow() + timedelta(days=6)) == user


def test_new_invitation_replaces_the_old_link(client: FlaskClient) -> None:
    from seslip.accounts.people import resend_invitation

    admin, user = invite_someone()
    first = outbox_link(user.email, "invitation")
    resend_invitation(admin, user)
    second = outbox_link(user.email, "invitation")
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


# Password reset ----------------------------------------------------------------------------


def _normalised(body: str) -> str:
    return re.sub(r'(csrf_token"[^>]*value="|"X-CSRFToken": ")[^"]+', r"\1TOKEN", body)


def test_reset_request_answers_the_same_for_known_and_unknown_email(app) -> None:
    make_user("known@example.org")
    answers = []
    for email in ("known@example.org", "nobody@example.org"):
        client = app.test_client()
        response = post(client, "/forgot-password", email=email)
        follow = client.get(response.headers["Location"])
        answers.append((response.status_code, response.headers["Location"],
                        _normalised(response.get_data(as_text=True)),
                        follow.status_code, _normalised(follow.get_data(as_text=True))))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert recipients == ["known@example.org"]


def test_password_reset_journey_and_single_use(client: FlaskClient) -> None:
    user = make_user("ada@example.org", name="Ada Lovelace")
    response = post(client, "/forgot-password", email="ADA@example.org ")
    assert response.headers["Location"] == "/forgot-password/sent"
    link = outbox_link("ada@example.org", "password_reset")
    message = db.session.scalar(select(OutboxMessage))
    assert message.subject == "Reset your SESLIP Intranet password"
    assert "Ada Lovelace" in client.get(link).get_data(as_text=True)

    done = post(client, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert "Your password has been reset" in client.get("/").get_data(as_text=True)
    assert client.get(link).status_code == 410
    assert services.authenticate("ada@example.org", NEW_PASSWORD) is not None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(user.id))
    ).all()
    assert "password_reset" in actions


def test_reset_token_refused_on_second_use_and_after_expiry(app) -> None:
    make_user("ada@example.org")
    now = utcnow()
    services.request_password_reset("ada@example.org", now=now)
    secret = outbox_link("ada@example.org", "password_reset").rsplit("/", 1)[1]
    with pytest.raises(TokenInvalid):
        services.reset_password(secret, NEW_PASSWORD, NEW_PASSWORD,
                                now=now + timedelta(hours=1, seconds=1))
    services.reset_password(secret, NEW_PASSWORD, NEW_PASSWORD, now=now + timedelta(minutes=59))
    with pytest.raises(TokenInvalid):
        services.reset_password(secret, NEW_PASSWORD + "2", NEW_PASSWORD + "2",
                                now=now + timedelta(minutes=59))


def test_reset_signs_out_every_other_session(app) -> None:
    user = make_user("ada@example.org")
    other = app.test_client()
    login(other, user)
    assert other.get("/").status_code == 200

    mine = app.test_client()
    post(mine, "/forgot-password", email="ada@example.org")
    link = outbox_link("ada@example.org", "password_reset")
    post(mine, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD)

    assert mine.get("/").status_code == 200
    response = other.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_change_password_keeps_this_session_and_ends_others(app) -> None:
    user = make_user("ada@example.org")
    other, mine = app.test_client(), app.test_client()
    login(other, user)
    login(mine, user)
    wrong = post(mine, "/account", current="not my password", password=NEW_PASSWORD,
                 confirm=NEW_PASSWORD)
    assert wrong.status_code == 422
    assert "Your current password is not correct" in wrong.get_data(as_text=True)

    response = post(mine, "/account", current=PASSWORD, password=NEW_PASSWORD,
                    confirm=NEW_PASSWORD)
    assert response.status_code == 302
    assert "Your password has been changed" in mine.get("/account").get_data(as_text=True)
    assert other.get("/").status_code == 302
    assert services.authenticate("ada@example.org", NEW_PASSWORD) is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "password_change"))


# Rate limits -------------------------------------------------------------------------------


def _login_attempt(client: FlaskClient, email: str, password: str = "wrong password!"):
    return post(client, "/login", email=email, password=password)


def test_rate_limit_per_account(app) -> None:
    make_user("ada@example.org")
    client = app.test_client()
    for _ in range(5):
        assert _login_attempt(client, "ada@example.org").status_code == 422
    # Slowed now from addresses Ada has never signed in from, the right password included.
    other = client_from(app, "10.0.0.9")
    response = _login_attempt(other, "ada@example.org", PASSWORD)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many failed sign-in attempts. Wait 15 seconds and try again, or reset your " \
        "password." in page
    assert 'value="ada@example.org"' in page
    assert "Error: Sign in" in page
    # A different account from the first address still works.
    bob = make_user("bob@example.org")
    login(client, bob)


def test_rate_limit_lifts_after_the_window(app) -> None:
    make_user("ada@example.org")
    start = utcnow() - timedelta(minutes=20)
    for _ in range(5):
        services.authenticate("ada@example.org", "wrong", "1.2.3.4", now=start)
    assert services.authenticate("ada@example.org", PASSWORD, "1.2.3.4") is not None


def test_rate_limit_per_address(app) -> None:
    client = client_from(app, "192.0.2.7")
    for n in range(20):
        assert _login_attempt(client, f"person{n}@example.org").status_code == 422
    response = _login_attempt(client, "someone.else@example.org")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert db.session.query(LoginAttempt).count() == 20


def test_reset_requests_are_rate_limited_per_address(app) -> None:
    client = client_from(app, "192.0.2.8")
    for n in range(20):
        assert post(client, "/forgot-password", email=f"p{n}@example.org").status_code == 302
    response = post(client, "/forgot-password", email="p99@example.org")
    assert response.status_code == 429
    assert "Too many password reset requests" in response.get_data(as_text=True)


def test_one_person_gets_at_most_three_reset_emails_in_the_window(app) -> None:
    make_user("ada@example.org")
    for n in range(5):
        services.request_password_reset("ada@example.org", f"10.0.0.{n}")
    assert db.session.query(OutboxMessage).count() == 3


def test_successful_sign_in_is_audited_and_kept_in_attempts(client: FlaskClient) -> None:
    user = make_user("ada@example.org")
    login(client, user)
    attempt = db.session.scalar(select(LoginAttempt))
    assert attempt.succeeded and attempt.email == "ada@example.org"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login"))


def test_invited_person_cannot_sign_in_before_setting_a_password(client: FlaskClient) -> None:
    invite_someone()
    response = _login_attempt(client, "new.person@example.org", "")
    assert response.status_code == 422


def test_session_cookie_flags(app) -> None:
    user = make_user()
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie  # the test base URL is http


def test_token_purposes_do_not_mix(app) -> None:
    _, user = invite_someone()
    secret = outbox_link(user.email, "invitation").rsplit("/", 1)[1]
    with pytest.raises(TokenInvalid):
        services.reset_for(secret)
    assert db.session.scalar(select(AccountToken.purpose)) == TokenPurpose.INVITATION
    assert db.session.get(User, user.id).password_hash is None


def test_only_one_of_two_racing_requests_can_spend_a_link(app) -> None:
    from seslip.accounts import tokens

    make_user("ada@example.org")
    services.request_password_reset("ada@example.org")
    secret = outbox_link("ada@example.org", "password_reset").rsplit("/", 1)[1]
    seen_by_first = tokens.find_valid(secret, TokenPurpose.PASSWORD_RESET)
    # The second request finishes first.
    services.reset_password(secret, NEW_PASSWORD, NEW_PASSWORD)
    with pytest.raises(TokenInvalid):
        tokens.spend(seen_by_first)


# The same work for every address (issue 15, item 7) ----------------------------------------


def _reset_work(app, query_counter, email: str, address: str) -> tuple[list[str], list[str]]:
    """The SQL statements and the templates one reset request runs."""
    from flask import template_rendered

    rendered: list[str] = []

    def note_template(_sender, template, **_extra) -> None:
        rendered.append(template.name)

    template_rendered.connect(note_template, app)
    try:
        with query_counter.count() as counter:
            services.request_password_reset(email, address)
    finally:
        template_rendered.disconnect(note_template, app)
    # How the savepoint ends (kept or undone) is the one difference; the counter already
    # leaves out SAVEPOINT and RELEASE.
    statements = [sql for sql in counter.statements if not sql.startswith("ROLLBACK TO")]
    return statements, rendered


@pytest.mark.parametrize("other", ["unknown", "deactivated", "fourth-in-the-window"])
def test_a_reset_request_does_the_same_work_whether_or_not_an_email_is_due(
    app, query_counter, other: str
) -> None:
    make_admin(email="admin@example.org")
    make_user("known@example.org")
    email = "nobody@example.org"
    if other == "deactivated":
        email = make_user("gone@example.org").email
        db.session.get(User, services.find_by_email(email).id).is_active_account = False
        db.session.commit()
    elif other == "fourth-in-the-window":
        email = "known.thrice@example.org"
        make_user(email)
        for n in range(3):
            services.request_password_reset(email, f"10.9.0.{n}")
    sent_before = db.session.query(OutboxMessage).count()

    due = _reset_work(app, query_counter, "known@example.org", "10.0.0.1")
    not_due = _reset_work(app, query_counter, email, "10.0.0.2")

    assert due == not_due
    statements, rendered = due
    assert any(sql.startswith("INSERT INTO account_token") for sql in statements)
    assert any(sql.startswith("INSERT INTO outbox_message") for sql in statements)
    assert rendered == ["emails/password_reset_to_person.txt",
                        "emails/password_reset_to_person.html"]
    # ... and only the due one left an email and a live link behind.
    recipients = db.session.scalars(
        select(OutboxMessage.recipient).order_by(OutboxMessage.id).offset(sent_before)).all()
    assert recipients == ["known@example.org"]
    may_hold = {"known@example.org"} | ({email} if other == "fourth-in-the-window" else set())
    holders = db.session.scalars(
        select(User.email).join(AccountToken, AccountToken.user_id == User.id).where(
            AccountToken.purpose == TokenPurpose.PASSWORD_RESET, AccountToken.used_at.is_(None)))
    assert set(holders) == may_hold
