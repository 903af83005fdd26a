"""Malformed requests get a 400 or 404 that says what is wrong and where, never a 500.

One test per kind found by the attack run (issue 15, item 5); test_hostile_input.py sends the
same kinds of input to every route.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.accounts.models import OrgRole, User
from seslip.extensions import db
from seslip.networks.models import JoinRequest
from seslip.networks.rules import holders_message, term_message
from tests.integration.networks.support import World, build_world
from tests.support.factories import csrf_token, login, make_admin, make_user

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite holds more
HUGE_IDS = [str(2**31), str(2**63), str(2**64), "9" * 5000]


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


def signed_in(app: Flask, user: User) -> tuple[FlaskClient, str]:
    client = app.test_client()
    login(client, user)
    return client, csrf_token(client, "/account")


@pytest.mark.parametrize("ident", HUGE_IDS, ids=["2^31", "2^63", "2^64", "5000-digits"])
def test_ids_past_the_database_integer_are_not_found(app: Flask, world: World,
                                                     ident: str) -> None:
    client, token = signed_in(app, make_admin())
    slug = world.network.slug
    for path in (f"/admin/people/{ident}", f"/admin/audit/{ident}",
                 f"/questionnaires/responses/{ident}", f"/networks/rounds/{ident}",
                 f"/networks/{slug}/posts/{ident}/edit"):
        assert client.get(path).status_code == 404, path
    result = client.post(f"/admin/people/{ident}/deactivate", data={"csrf_token": token})
    assert result.status_code == 404
    assert "Page not found" in result.text


def test_the_largest_id_both_databases_hold_still_reaches_the_view(app: Flask) -> None:
    client, _ = signed_in(app, make_admin())
    result = client.get(f"/admin/people/{MAX_ID}")
    assert result.status_code == 404  # no such person: the view's own message
    assert client.get(f"/admin/people/{MAX_ID + 1}").status_code == 404
    with app.test_request_context():
        assert url_for("people.show", user_id=12) == "/admin/people/12"


def test_nul_in_a_join_message_is_refused_naming_the_field(app: Flask, world: World) -> None:
    client, token = signed_in(app, world.outsider)
    result = client.post(f"/networks/{world.network.slug}/join",
                         data={"csrf_token": token, "message": "Please\x00let me in"})
    assert result.status_code == 400
    assert "The field “message” contains a NUL character" in result.text
    assert "Nothing was changed" in result.text
    assert db.session.scalars(select(JoinRequest)).first() is None


def test_nul_in_a_persons_name_is_refused(app: Flask, world: World) -> None:
    client, token = signed_in(app, make_admin())
    person = world.alice
    result = client.post(f"/admin/people/{person.id}/edit", data={
        "csrf_token": token, "name": "Alice\x00", "email": person.email})
    assert result.status_code == 400
    assert "The field “name” contains a NUL character" in result.text
    db.session.refresh(person)
    assert person.name == "Alice Officer"


def test_nul_in_the_address_or_the_query_is_refused(app: Flask, world: World) -> None:
    client, _ = signed_in(app, world.alice)
    result = client.get("/directory/%00")
    assert result.status_code == 400
    assert "The address contains a NUL character" in result.text
    result = client.get("/directory/?q=%00")
    assert result.status_code == 400
    assert "a NUL character in “q”" in result.text
    assert client.get("/directory/?q=Kent").status_code == 200


@pytest.mark.parametrize("path", ["/login", "/forgot-password"])
def test_a_file_sent_for_a_text_field_is_refused_anonymously(client: FlaskClient,
                                                             path: str) -> None:
    token = csrf_token(client, path)
    result = client.post(path, content_type="multipart/form-data", data={
        "csrf_token": token, "email": (io.BytesIO(b"a@example.org"), "email.txt"),
        "password": "whatever"})
    assert result.status_code == 400
    assert "The field “email” was sent a file, but it takes text." in result.text
    # Without a security token too: the same message, not "the form had expired".
    result = client.post(path, content_type="multipart/form-data",
                         data={"email": (io.BytesIO(b"x"), "x.txt")})
    assert result.status_code == 400 and "was sent a file" in result.text
    # A multipart form without files is a form like any other.
    result = client.post(path, content_type="multipart/form-data",
                         data={"csrf_token": token, "email": "", "password": ""})
    assert result.status_code != 400


def test_a_json_body_to_the_nominations_route_is_refused(app: Flask, world: World) -> None:
    client, token = signed_in(app, world.pm)
    path = f"/networks/{world.network.slug}/posts/{world.chair.id}/nominations"
    result = client.post(path, json={"closes_on": "2030-01-01", "note": "Hi"},
                         headers={"X-CSRFToken": token})
    assert result.status_code == 400
    assert "This address takes a form as a browser sends it, not application/json" in (
        result.text)
    result = client.post(path, data="closes_on=2030-01-01", content_type="text/plain",
                         headers={"X-CSRFToken": token})
    assert result.status_code == 400 and "not text/plain" in result.text
    # A POST without a body (a plain button) is still fine.
    assert client.post("/logout", headers={"X-CSRFToken": token}).status_code == 302


def test_an_htmx_refusal_is_text_the_questionnaire_page_shows(app: Flask) -> None:
    lead = make_user(org_role=OrgRole.LEAD_MEMBER)
    client, token = signed_in(app, lead)
    result = client.post("/questionnaires/responses/1/answers/ambition",
                         data={"ambition": "a\x00b", "rev.ambition": "0"},
                         headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert result.status_code == 400
    # Marked, so the page does not take it for an expired session (questionnaire.js).
    assert result.headers["X-Questionnaire-Error"] == "bad-submission"
    assert result.text.startswith("Not sent: The field “ambition” contains a NUL character")


def test_a_definition_id_longer_than_a_file_name_is_not_found(app: Flask) -> None:
    client, token = signed_in(app, make_user(org_role=OrgRole.LEAD_MEMBER))
    result = client.post(f"/questionnaires/{'x' * 300}/start", data={"csrf_token": token})
    assert result.status_code == 404


def test_the_people_filter_ignores_an_organisation_that_is_not_listed(app: Flask) -> None:
    client, _ = signed_in(app, make_admin(name="Ada Admin"))
    for value in (str(2**63), "9" * 5000):
        result = client.get("/admin/people/", query_string={"organisation": value})
        assert result.status_code == 200
        assert "Ada Admin" in result.text


@pytest.mark.parametrize(("minimum", "maximum", "term", "consecutive", "field"), [
    (1, 2**31, None, None, "max_holders"),
    (2**63, 2**63, None, None, "max_holders"),
    (1, 1, 2, 2**31, "max_consecutive_terms"),
])
def test_post_numbers_have_an_upper_bound(minimum: int, maximum: int, term: int | None,
                                          consecutive: int | None, field: str) -> None:
    problem: Any = holders_message(minimum, maximum, 0, "Chair") or term_message(
        term, consecutive)
    assert problem is not None and problem[0] == field
    assert holders_message(0, 100, 0, "Chair") is None
    assert term_message(10, 20) is None
