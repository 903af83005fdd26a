"""Every route of the programmes area, by role: anonymous, an outsider, a member, the chair,
the vice chair, the programme manager and an admin. A route added without a line here fails the
first test."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.meetings import services as meetings
from seslip.networks.appointments import appoint
from seslip.programmes import services, work
from seslip.timeutil import local_today
from tests.integration.meetings.support import PDF, MeetingWorld, build_meeting_world
from tests.integration.networks.support import TODAY
from tests.support.factories import csrf_token, login

ROLES = ("anonymous", "outsider", "member", "chair", "vice_chair", "programme_manager",
         "admin")
RUN = {"chair", "vice_chair", "programme_manager", "admin"}
SEE = RUN | {"member"}
SIGNED_IN = set(ROLES) - {"anonymous"}


@dataclass
class Route:
    endpoint: str
    method: str
    path: str  # formatted with slug, suggestion, item
    allowed: set[str]
    data: Callable[[dict[str, Any]], dict[str, Any]] = lambda ids: {}


ROUTES = [
    Route("programmes.forward", "GET", "/networks/{slug}/programme", SEE),
    Route("programmes.suggest", "GET", "/networks/{slug}/programme/suggest", SEE),
    Route("programmes.suggest", "POST", "/networks/{slug}/programme/suggest", SEE,
          lambda ids: {"title": "A topic", "details": ""}),
    Route("programmes.triage", "GET", "/networks/{slug}/programme/suggestions/{suggestion}/"
          "triage", RUN),
    Route("programmes.triage", "POST", "/networks/{slug}/programme/suggestions/{suggestion}/"
          "triage", RUN, lambda ids: {"outcome": "later", "meeting": "0", "owner": "0"}),
    Route("programmes.mine", "GET", "/suggestions", SIGNED_IN),
    Route("programmes.work_programme", "GET", "/networks/{slug}/work-programme", SEE),
    Route("programmes.new_item", "GET", "/networks/{slug}/work-programme/new", RUN),
    Route("programmes.new_item", "POST", "/networks/{slug}/work-programme/new", RUN,
          lambda ids: {"title": "Item", "year": str(ids["year"]), "owner": "0",
                       "status": "not_started"}),
    Route("programmes.edit_item", "GET", "/networks/{slug}/work-programme/{item}/edit", RUN),
    Route("programmes.edit_item", "POST", "/networks/{slug}/work-programme/{item}/edit", RUN,
          lambda ids: {"title": "Data", "year": str(ids["year"]), "owner": "0",
                       "status": "in_progress"}),
    Route("programmes.set_status", "POST", "/networks/{slug}/work-programme/{item}/status",
          RUN, lambda ids: {"status": "on_hold"}),
    Route("programmes.new_group", "GET", "/networks/{slug}/work-programme/{item}/group", RUN),
    Route("programmes.new_group", "POST", "/networks/{slug}/work-programme/{item}/group", RUN,
          lambda ids: {"name": "G", "purpose": "P", "ends_on": "2099-01-01"}),
    Route("programmes.new_report", "GET", "/networks/{slug}/reports/new", RUN),
    Route("programmes.new_report", "POST", "/networks/{slug}/reports/new", RUN,
          lambda ids: {"title": "Report", "audience": "dcs_group", "group": "0",
                       "file": (io.BytesIO(PDF), "r.pdf")}),
]


def test_every_programmes_route_is_in_the_table(app: Flask) -> None:
    rules = {(r.endpoint, m) for r in app.url_map.iter_rules()
             if r.endpoint.startswith("programmes.")
             for m in (r.methods or set()) - {"HEAD", "OPTIONS"}}
    assert rules == {(r.endpoint, r.method) for r in ROUTES}


def _world() -> tuple[MeetingWorld, dict[str, Any], dict[str, Any]]:
    mw = build_meeting_world()
    vice = mw.owner  # a member, made vice chair
    appoint(mw.w.pm, mw.w.vice, vice, starts_on=TODAY, today=TODAY)
    day = local_today() + timedelta(days=30)
    meetings.create_meeting(mw.chair, mw.network, meetings.MeetingDetails(
        title="Next", day=day, starts=time(10), ends=time(12), place="Lewes"))
    suggestion = services.suggest(mw.member, mw.network, "Topic")
    item = work.add_item(mw.chair, mw.network, work.ItemValues(
        "Item", work.programme_year(local_today())))
    people = {"outsider": mw.w.outsider, "member": mw.member, "chair": mw.chair,
              "vice_chair": vice, "programme_manager": mw.w.pm, "admin": mw.admin}
    ids = {"slug": mw.network.slug, "suggestion": suggestion.id, "item": item.id,
           "year": item.year}
    return mw, people, ids


@pytest.mark.parametrize("role", ROLES)
def test_routes_by_role(app: Flask, role: str) -> None:
    _, people, ids = _world()
    problems = []
    for route in ROUTES:
        client: FlaskClient = app.test_client()
        if role == "anonymous":
            token = csrf_token(client, "/login")
        else:
            login(client, people[role])
            token = csrf_token(client, "/account")
        url = route.path.format(**ids)
        if route.method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token, **route.data(ids)},
                                   content_type="multipart/form-data")
        status = response.status_code
        if role == "anonymous":
            ok = status == 302 and "/login" in response.headers["Location"]
        elif role in route.allowed:
            ok = status in (200, 302, 422)  # 422: allowed, but the input is refused
        else:
            ok = status == 403
        if not ok:
            problems.append(f"{route.method} {route.endpoint} as {role}: {status}")
    assert not problems, "\n".join(problems)


def test_a_suggestion_of_another_network_is_not_found(app: Flask, client: FlaskClient) -> None:
    mw, _people, ids = _world()
    login(client, mw.w.pm)
    assert client.get(f"/networks/{mw.w.dcs_group.slug}/programme/suggestions/"
                      f"{ids['suggestion']}/triage").status_code == 404
    assert client.get(f"/networks/{mw.w.dcs_group.slug}/work-programme/{ids['item']}/edit"
                      ).status_code == 404


def test_the_status_changes_in_place_with_htmx(app: Flask, client: FlaskClient) -> None:
    mw, _people, ids = _world()
    login(client, mw.chair)
    path = f"/networks/{ids['slug']}/work-programme"
    response = client.post(f"{path}/{ids['item']}/status", headers={
        "HX-Request": "true", "X-CSRFToken": csrf_token(client, path)},
        data={"status": "done"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<tr id="work-item-')
    assert "“Item” is now done." in html


def test_the_network_page_shows_the_section_and_the_chair_tools_to_the_chair(
        app: Flask, client: FlaskClient) -> None:
    mw, _people, ids = _world()
    login(client, mw.member)
    html = client.get(f"/networks/{ids['slug']}").get_data(as_text=True)
    assert "Forward programme and work programme" in html and "Suggest a topic" in html
    assert "Suggestions to triage" not in html
    chair = app.test_client()
    login(chair, mw.chair)
    html = chair.get(f"/networks/{ids['slug']}").get_data(as_text=True)
    assert "Suggestions to triage (1)" in html


def test_programme_pages_cost_the_same_queries_however_long(
        app: Flask, client: FlaskClient, query_counter: Any) -> None:
    mw, _people, ids = _world()
    login(client, mw.chair)
    pages = [f"/networks/{ids['slug']}/programme", f"/networks/{ids['slug']}/work-programme",
             "/suggestions"]
    def add(n: int, person: Any) -> None:
        made = services.suggest(person, mw.network, f"Topic {n}")
        if n % 2:
            services.triage(mw.chair, made, services.Triage(services.Outcome.LATER))
        work.add_item(mw.chair, mw.network, work.ItemValues(
            f"Item {n}", ids["year"], owner=person))

    add(0, mw.chair)
    add(1, mw.chair)
    for page in pages:
        client.get(page)
    few = []
    for page in pages:
        with query_counter.count() as counted:
            assert client.get(page).status_code == 200
        few.append(counted.total)
    for n, person in enumerate((mw.member, mw.owner, mw.chair) * 2, start=2):
        add(n, person)
    for page in pages:
        client.get(page)
    many = []
    for page in pages:
        with query_counter.count() as counted:
            assert client.get(page).status_code == 200
        many.append(counted.total)
    assert many == few


def test_your_suggestions_are_yours_alone(app: Flask) -> None:
    mw, _people, ids = _world()
    services.triage(mw.chair, services.get_suggestion(mw.network, ids["suggestion"]),
                    services.Triage(services.Outcome.DECLINED, note="Covered elsewhere."))
    member, other = app.test_client(), app.test_client()
    login(member, mw.member)
    login(other, mw.owner)
    mine = member.get("/suggestions").get_data(as_text=True)
    assert "Topic" in mine and "Reason: Covered elsewhere." in mine
    assert "Covered elsewhere." not in other.get("/suggestions").get_data(as_text=True)
    # Other members do not see declined suggestions on the forward programme; the chairs do.
    from seslip.networks.memberships import add_membership
    from tests.support.factories import make_user

    dora = make_user(name="Dora Member", organisation=mw.w.kent)
    add_membership(mw.w.pm, mw.network, dora)
    plain = app.test_client()
    login(plain, dora)
    page = plain.get(f"/networks/{ids['slug']}/programme").get_data(as_text=True)
    assert "Forward programme of Kinship Network" in page
    assert "Covered elsewhere." not in page
    assert "Covered elsewhere." in other.get(f"/networks/{ids['slug']}/programme").get_data(
        as_text=True)  # the vice chair


def test_a_refused_triage_keeps_what_was_typed(app: Flask, client: FlaskClient) -> None:
    mw, _people, ids = _world()
    login(client, mw.chair)
    path = f"/networks/{ids['slug']}/programme/suggestions/{ids['suggestion']}/triage"
    response = client.post(path, data={
        "csrf_token": csrf_token(client, path), "outcome": "agenda", "meeting": "0",
        "owner": "0", "minutes": "25", "note": "Ask Kent to lead it."})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the meeting whose agenda it goes on." in html
    assert "Ask Kent to lead it." in html and 'value="25"' in html
    assert services.get_suggestion(mw.network, ids["suggestion"]).outcome.value == "awaiting"
