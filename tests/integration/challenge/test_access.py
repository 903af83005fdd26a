"""Every route of seslip/challenge, for every role the access rules name. A route added to the
blueprint without a rule here fails `test_every_route_has_a_rule`.

The record each URL names belongs to Kent (the respondent's authority), in a triad with Medway
(the peer) and Slough; Reading is in no triad (the outsider); Kent's DCS contributes; the
facilitator facilitates the triad. Kent has finalised, so peers may read it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.accounts.models import User
from seslip.challenge import plan
from tests.integration.challenge.support import (
    World,
    build,
    fill_and_finalise,
    form_triad,
    record_outcomes,
)
from tests.support.factories import login

pytestmark = pytest.mark.usefixtures("shipped")

ROLES = ("anonymous", "outsider", "peer", "respondent", "contributor", "facilitator",
         "programme_manager", "admin")
STAFF = {"programme_manager", "admin"}
SIGNED_IN = set(ROLES) - {"anonymous"}
TRIAD = {"peer", "respondent", "contributor", "facilitator"} | STAFF
AUTHORITY = {"respondent", "contributor"} | STAFF


@dataclass(frozen=True)
class Rule:
    method: str
    url: Callable[[World], str]
    allowed: set[str]


def _theme(w: World) -> int:
    return plan.themes()[0].id


def _priority(w: World) -> int:
    return plan.priorities()[0].id


def _kent(w: World) -> int:
    return w.responses[0].id


def _triad(w: World) -> int:
    assert w.triad is not None
    return w.triad.id


RULES: dict[tuple[str, str], Rule] = {
    ("challenge.index", "GET"): Rule("GET", lambda w: "/challenge", SIGNED_IN),
    ("challenge.cycle_triads", "GET"): Rule(
        "GET", lambda w: f"/challenge/cycles/{w.cycle.id}/triads", STAFF),
    ("challenge.cycle_triads", "POST"): Rule(
        "POST", lambda w: f"/challenge/cycles/{w.cycle.id}/triads", STAFF),
    ("challenge.triad", "GET"): Rule("GET", lambda w: f"/challenge/triads/{_triad(w)}", TRIAD),
    ("challenge.edit_triad", "GET"): Rule(
        "GET", lambda w: f"/challenge/triads/{_triad(w)}/edit", STAFF),
    ("challenge.edit_triad", "POST"): Rule(
        "POST", lambda w: f"/challenge/triads/{_triad(w)}/edit", STAFF),
    ("challenge.peer_response", "GET"): Rule(
        "GET", lambda w: f"/challenge/responses/{_kent(w)}", TRIAD),
    ("challenge.comment", "POST"): Rule(
        "POST", lambda w: f"/challenge/responses/{_kent(w)}/comments", TRIAD),
    ("challenge.outcome", "GET"): Rule(
        "GET", lambda w: f"/challenge/triads/{_triad(w)}/outcomes/{w.orgs[0].id}",
        AUTHORITY | {"facilitator"}),
    ("challenge.outcome", "POST"): Rule(
        "POST", lambda w: f"/challenge/triads/{_triad(w)}/outcomes/{w.orgs[0].id}",
        STAFF | {"facilitator"}),
    ("challenge.regional_page", "GET"): Rule(
        "GET", lambda w: f"/challenge/cycles/{w.cycle.id}/regional", STAFF),
    ("challenge.regional_docx", "GET"): Rule(
        "GET", lambda w: f"/challenge/cycles/{w.cycle.id}/regional.docx", STAFF),
    ("challenge.regional_csv", "GET"): Rule(
        "GET", lambda w: f"/challenge/cycles/{w.cycle.id}/regional.csv", STAFF),
    ("challenge.compare_years", "GET"): Rule(
        "GET", lambda w: f"/challenge/cycles/{w.cycle.id}/authorities/{w.orgs[0].id}/compare",
        AUTHORITY),
    ("challenge.themes", "GET"): Rule("GET", lambda w: "/challenge/themes", STAFF),
    ("challenge.themes", "POST"): Rule("POST", lambda w: "/challenge/themes", STAFF),
    ("challenge.theme_priorities", "POST"): Rule(
        "POST", lambda w: f"/challenge/themes/{_theme(w)}/priorities", STAFF),
    ("challenge.archive_theme", "POST"): Rule(
        "POST", lambda w: f"/challenge/themes/{_theme(w)}/archive", STAFF),
    ("challenge.archive_priority", "POST"): Rule(
        "POST", lambda w: f"/challenge/priorities/{_priority(w)}/archive", STAFF),
}


def test_every_route_has_a_rule(app: Flask) -> None:
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("challenge.")
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    assert routes == set(RULES)


@pytest.fixture
def world(app: Flask) -> World:
    w = build()
    form_triad(w)
    fill_and_finalise(w.leads[0], w.responses[0])
    record_outcomes(w)
    return w


def _person(w: World, role: str) -> User | None:
    return {"anonymous": None, "outsider": w.leads[3], "peer": w.leads[1],
            "respondent": w.leads[0], "contributor": w.dcs, "facilitator": w.facilitator,
            "programme_manager": w.pm, "admin": w.admin}[role]


def _token(client: FlaskClient) -> str:
    html = client.get("/challenge").get_data(as_text=True)
    match = re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert match
    return match.group(1)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rules_allow(app: Flask, world: World, role: str) -> None:
    client = app.test_client()
    person = _person(world, role)
    if person is not None:
        login(client, person)
    token = _token(client) if person is not None else ""
    wrong: list[str] = []
    for (endpoint, _), rule in RULES.items():
        url = rule.url(world)
        if rule.method == "GET":
            answer = client.get(url)
        else:  # a valid token and nothing else: refused, or a form asking for more
            answer = client.post(url, data={"csrf_token": token})
        code = answer.status_code
        if person is None:  # to the sign-in page; a POST is refused first for its CSRF token
            ok = (code == 302 and "/login" in answer.headers["Location"]) or (
                rule.method == "POST" and code == 400)
        elif role in rule.allowed:
            ok = code in (200, 302, 400, 422)
        else:
            ok = code == 403
        if not ok:
            wrong.append(f"{rule.method} {url} ({endpoint}): {code}")
    assert not wrong, f"{role}: " + "; ".join(wrong)
