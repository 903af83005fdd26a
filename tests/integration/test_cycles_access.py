"""Who may use each page of the cycles area, role by role, on SQLite and PostgreSQL. The list
of routes is checked against the app's URL map, so a new cycles route without a rule here
fails. The questionnaire pages of a cycle response are checked for contributors too."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.cycles import services as cycles
from seslip.questionnaires.models import AccessLevel
from tests.integration.test_cycles import World, make_world, open_cycle, response_of
from tests.support.factories import csrf_token, login

ROLES = ["anonymous", "other_lead", "respondent", "contributor_edit", "contributor_read",
         "programme_manager", "admin"]

# (method, path, expected status by role, in the order of ROLES). {cycle}, {response} and
# {access} are the cycle, authority A's response and the read contributor's access.
CYCLES = [
    ("GET", "/cycles/", [302, 200, 200, 200, 200, 200, 200]),
    ("GET", "/cycles/new", [302, 403, 403, 403, 403, 200, 200]),
    ("POST", "/cycles/new", [302, 403, 403, 403, 403, 422, 422]),
    ("GET", "/cycles/{cycle}", [302, 403, 403, 403, 403, 200, 200]),
    ("POST", "/cycles/{cycle}/responses/{response}/remind",
     [302, 403, 403, 403, 403, 302, 302]),
    ("POST", "/cycles/{cycle}/close", [302, 403, 403, 403, 403, 302, 302]),
    ("GET", "/cycles/responses/{response}/access", [302, 403, 200, 403, 403, 200, 200]),
    ("POST", "/cycles/responses/{response}/access", [302, 403, 422, 403, 403, 422, 422]),
    ("POST", "/cycles/responses/{response}/confirm", [302, 403, 302, 302, 403, 403, 403]),
    ("GET", "/cycles/responses/{response}/finalise", [302, 403, 200, 200, 200, 200, 200]),
    ("POST", "/cycles/responses/{response}/finalise", [302, 403, 422, 403, 403, 403, 403]),
    # The respondent is the lead member and the edit contributor the DCS: both sign off, but
    # not before every answer is ready (422).
    ("POST", "/cycles/responses/{response}/sign-off", [302, 403, 422, 422, 403, 403, 403]),
    ("POST", "/cycles/responses/{response}/access/{access}/revoke",
     [302, 403, 302, 403, 403, 302, 302]),
]
QUESTIONNAIRE_PAGES = [
    ("GET", "/questionnaires/responses/{response}", [302, 403, 200, 200, 200, 200, 200]),
    ("GET", "/questionnaires/responses/{response}/sections/role_as_lead_member",
     [302, 403, 200, 200, 403, 403, 403]),
    ("POST", "/questionnaires/responses/{response}/answers/ambition",
     [401, 403, 200, 200, 403, 403, 403]),
    ("GET", "/questionnaires/responses/{response}/check", [302, 403, 200, 200, 403, 403, 403]),
    ("GET", "/questionnaires/responses/{response}/answers/ambition/history",
     [302, 403, 200, 200, 200, 200, 200]),
    ("GET", "/questionnaires/responses/{response}/finalise",
     [302, 403, 302, 403, 403, 403, 403]),
]


def _client(app: Flask, world: World, role: str) -> FlaskClient:
    client = app.test_client()
    person = {"other_lead": world.leads[1], "respondent": world.leads[0],
              "contributor_edit": world.dcs[0], "contributor_read": world.officer,
              "programme_manager": world.pm, "admin": world.admin}.get(role)
    if person is not None:
        login(client, person)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_cycles_route_by_role(app: Flask, shipped: None, role: str) -> None:
    world = make_world()
    cycle = open_cycle(world, sign_off_required=True)
    response = response_of(cycle, world.orgs[0])
    cycles.grant_access(world.leads[0], response, world.dcs[0].id, AccessLevel.EDIT)
    read = cycles.grant_access(world.leads[0], response, world.officer.id, AccessLevel.READ)
    ids = {"cycle": cycle.id, "response": response.id, "access": read.id}
    client = _client(app, world, role)
    token = csrf_token(client, "/login" if role == "anonymous" else "/cycles/")
    for method, template, expected in [*CYCLES, *QUESTIONNAIRE_PAGES]:
        path = template.format(**ids)
        headers: dict[str, str] = {"X-CSRFToken": token}
        data: dict[str, Any] | None = None
        if method == "POST":
            data = {"csrf_token": token}
            if path.endswith("/answers/ambition"):
                data.update({"rev.ambition": "0", "ambition": f"Written as {role}"})
                headers["HX-Request"] = "true"
        result = client.open(path, method=method, data=data, headers=headers)
        assert result.status_code == expected[ROLES.index(role)], (method, path, role)


def test_every_cycles_route_has_a_rule(app: Flask) -> None:
    routes = {(method, rule.rule) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("cycles.")
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    listed = {(method, template.replace("{cycle}", "<int:cycle_id>")
               .replace("{response}", "<int:response_id>").replace("{access}", "<int:access_id>"))
              for method, template, _ in CYCLES}
    assert routes == listed
