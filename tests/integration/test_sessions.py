"""Sessions end on the server: a copy of a session cookie stops working when its session ends."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.accounts import tokens
from seslip.accounts.models import OrgRole, SignedInSession, TokenPurpose, User
from seslip.accounts.people import set_active
from seslip.audit.models import AuditEvent
from seslip.extensions import db
from tests.support.factories import (
    PASSWORD,
    csrf_token,
    login,
    make_admin,
    make_organisation,
    make_user,
)

pytestmark = pytest.mark.usefixtures("shipped")

LEAD = "lead-member-self-assessment-2022-23"
NEW_PASSWORD = "a brand new passphrase here"


class Browser:
    """A signed-in test client that can autosave an answer, as the questionnaire page does."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app, self.client = app, client
        self.token = csrf_token(client, "/questionnaires/")

    def copy(self) -> Browser:
        """Another browser holding a copy of this one's cookies (a stolen session)."""
        other = self.app.test_client()
        cookie = self.client.get_cookie("session")
        assert cookie is not None
        other.set_cookie("session", cookie.value)
        copied = Browser.__new__(Browser)
        copied.app, copied.client, copied.token = self.app, other, self.token
        return copied

    def autosave(self, response_id: int, text: str) -> int:
        return self.client.post(
            f"/questionnaires/responses/{response_id}/answers/ambition",
            data={"ambition": text, "rev.ambition": "0"},
            headers={"X-CSRFToken": self.token, "HX-Request": "true"},
        ).status_code

    def page(self) -> int:
        return self.client.get("/account").status_code


def signed_in(app: Flask, user: User) -> Browser:
    client = app.test_client()
    login(client, user)
    return Browser(app, client)


def lead_member() -> User:
    return make_user("lead@example.org", organisation=make_organisation("Kent County Council"),
                     org_role=OrgRole.LEAD_MEMBER)


def start_response(browser: Browser) -> int:
    response = browser.client.post(f"/questionnaires/{LEAD}/start",
                                   data={"csrf_token": browser.token})
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def assert_signed_out(browser: Browser, response_id: int) -> None:
    page = browser.client.get("/account")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    assert browser.client.get(page.headers["Location"]).status_code == 200  # the sign-in page
    # htmx gets 401 (the page keeps what was typed), and nothing is saved.
    assert browser.autosave(response_id, "written by whoever holds the copy") == 401


def test_signing_out_ends_every_copy_of_the_cookie(app: Flask) -> None:
    mine = signed_in(app, lead_member())
    response_id = start_response(mine)
    copy = mine.copy()
    assert copy.page() == 200 and copy.autosave(response_id, "before") == 200

    signed_out = mine.client.post("/logout", data={"csrf_token": mine.token})
    assert signed_out.status_code == 302

    assert_signed_out(copy, response_id)
    assert mine.page() == 302
    session_row = db.session.scalar(select(SignedInSession))
    assert session_row.ended_at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "logout"))


def test_deactivation_ends_the_persons_sessions(app: Flask) -> None:
    person = lead_member()
    mine = signed_in(app, person)
    response_id = start_response(mine)
    copy = mine.copy()
    set_active(make_admin(), person, False)
    assert_signed_out(copy, response_id)
    assert db.session.scalars(select(SignedInSession.ended_at)).all() != [None]
    # Reactivating does not bring an old cookie back to life.
    set_active(make_admin(), person, True)
    assert_signed_out(copy, response_id)
    assert signed_in(app, person).page() == 200


def test_a_password_change_elsewhere_ends_other_sessions_and_their_copies(app: Flask) -> None:
    person = lead_member()
    other = signed_in(app, person)
    response_id = start_response(other)
    copy = other.copy()
    mine = signed_in(app, person)
    changed = mine.client.post("/account", data={
        "csrf_token": csrf_token(mine.client, "/account"), "current": PASSWORD,
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    assert mine.page() == 200  # this browser has a new session
    assert_signed_out(other, response_id)
    assert_signed_out(copy, response_id)


def test_following_a_reset_link_while_signed_in_ends_the_earlier_session(app: Flask) -> None:
    first, second = make_user(), make_user()
    browser = signed_in(app, first)
    copy = browser.copy()
    secret, _ = tokens.issue(second, TokenPurpose.PASSWORD_RESET)
    db.session.commit()
    link = f"/reset-password/{secret}"
    reset = browser.client.post(link, data={"csrf_token": csrf_token(browser.client, link),
                                            "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert reset.status_code == 302
    assert copy.page() == 302  # the first person's session ended with the switch
    live = db.session.scalars(
        select(SignedInSession.user_id).where(SignedInSession.ended_at.is_(None))
    ).all()
    assert live == [second.id]


def test_the_database_keeps_only_a_hash_of_the_session_secret(app: Flask) -> None:
    browser = signed_in(app, make_user())
    with browser.client.session_transaction() as session:
        secret = session["sid"]
    row = db.session.scalar(select(SignedInSession))
    assert len(secret) >= 40 and secret not in row.token_hash
