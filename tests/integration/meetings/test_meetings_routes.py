"""Every route of the meetings area, by role: anonymous, an outsider, a member, the chair, the
programme manager and an admin. A route added without a line here fails the first test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.meetings import calendar, services
from tests.integration.meetings.support import PDF, MeetingWorld, build_meeting_world
from tests.support.factories import csrf_token, login

ROLES = ("anonymous", "outsider", "member", "chair", "programme_manager", "admin")
SEE = {"member", "chair", "programme_manager", "admin"}  # may read
RUN = {"chair", "programme_manager", "admin"}  # may change
SIGNED_IN = set(ROLES) - {"anonymous"}
PUBLIC = set(ROLES)  # no session: the calendar link's secret is the authority


@dataclass
class Route:
    endpoint: str
    method: str
    url: Callable[[MeetingWorld, dict[str, Any]], str]
    allowed: set[str]
    data: Callable[[MeetingWorld], dict[str, str]] = lambda mw: {}


def _m(path: str) -> Callable[[MeetingWorld, dict[str, Any]], str]:
    return lambda mw, ids: f"/meetings/{mw.meeting.id}{path.format(**ids)}"


def _n(path: str) -> Callable[[MeetingWorld, dict[str, Any]], str]:
    return lambda mw, ids: f"/networks/{mw.network.slug}{path}"


ROUTES = [
    # First: the member's calendar link (a later role's "renew" does not touch it).
    Route("meetings.person_feed", "GET",
          lambda mw, ids: f"/calendar/{ids['secret']}/meetings.ics", PUBLIC),
    Route("meetings.network_feed", "GET",
          lambda mw, ids: f"/calendar/{ids['secret']}/networks/{mw.network.slug}.ics", PUBLIC),
    Route("meetings.calendar_page", "GET", lambda mw, ids: "/account/calendar", SIGNED_IN),
    Route("meetings.calendar_renew", "POST", lambda mw, ids: "/account/calendar/renew",
          SIGNED_IN),
    Route("meetings.calendar_revoke", "POST", lambda mw, ids: "/account/calendar/revoke",
          SIGNED_IN),
    Route("meetings.index", "GET", _n("/meetings"), SEE),
    Route("meetings.actions", "GET", _n("/actions"), SEE),
    Route("meetings.new", "GET", _n("/meetings/new"), RUN),
    Route("meetings.pattern", "GET", _n("/meetings/pattern"), RUN),
    Route("meetings.pattern", "POST", _n("/meetings/pattern"), RUN, lambda mw: {
        "per_year": "4", "first_month": "3", "week": "2", "weekday": "2", "starts": "10:00",
        "ends": "12:00", "online_link": "https://teams.example/k", "joint_network": "0",
        "months_ahead": "12", "active": "y"}),
    Route("meetings.new", "POST", _n("/meetings/new"), RUN, lambda mw: {
        "title": "New", "day": "2026-05-01", "starts": "10:00", "ends": "11:00",
        "place": "Here", "joint_network": "0"}),
    Route("meetings.show", "GET", _m(""), SEE),
    Route("meetings.edit", "GET", _m("/edit"), RUN),
    Route("meetings.confirm", "POST", _m("/confirm"), RUN),
    Route("meetings.edit", "POST", _m("/edit"), RUN, lambda mw: {
        "title": "Changed", "day": "2026-03-20", "starts": "10:00", "ends": "12:00",
        "place": "Here", "joint_network": "0"}),
    Route("meetings.add_item", "GET", _m("/items/new"), RUN),
    Route("meetings.add_item", "POST", _m("/items/new"), RUN,
          lambda mw: {"title": "Any other business", "owner": "0"}),
    Route("meetings.edit_item", "GET", _m("/items/{item}/edit"), RUN),
    Route("meetings.edit_item", "POST", _m("/items/{item}/edit"), RUN,
          lambda mw: {"title": "Data", "owner": str(mw.owner.id), "paper_expected": "y"}),
    Route("meetings.move_item", "POST", _m("/items/{item}/move"), RUN,
          lambda mw: {"direction": "up"}),
    Route("meetings.send_agenda", "POST", _m("/send"), RUN),
    # Members who own no item may not upload; the owner may (tested in the services tests).
    Route("meetings.upload_paper", "GET", _m("/papers/new"), RUN),
    Route("meetings.upload_paper", "POST", _m("/papers/new"), RUN,
          lambda mw: {"item": str(mw.item.id)}),
    Route("meetings.replace_paper", "GET", _m("/papers/{paper}/replace"), RUN),
    Route("meetings.replace_paper", "POST", _m("/papers/{paper}/replace"), RUN),
    Route("meetings.download", "GET", _m("/papers/{paper}/versions/{version}"), SEE),
    Route("meetings.record", "GET", _m("/record"), RUN),
    Route("meetings.record", "POST", _m("/record"), RUN,
          lambda mw: {"attendance": "A", "apologies": "", "decisions": "D"}),
    Route("meetings.add_action", "POST", _m("/actions"), RUN, lambda mw: {
        "action-description": "Do it", "action-owner": str(mw.owner.id)}),
    Route("meetings.approve_record", "POST", _m("/record/approve"), RUN),
    Route("meetings.complete_action", "POST", _m("/actions/{action}/done"), RUN),
    # Last: a cancelled meeting refuses changes.
    Route("meetings.cancel", "POST", _m("/cancel"), RUN, lambda mw: {"reason": "Snow"}),
]


def test_every_meetings_route_is_in_the_table(app: Flask) -> None:
    rules = {(r.endpoint, m) for r in app.url_map.iter_rules()
             if r.endpoint.startswith("meetings.") for m in (r.methods or set()) - {"HEAD",
                                                                                  "OPTIONS"}}
    assert rules == {(r.endpoint, r.method) for r in ROUTES}


def _people(mw: MeetingWorld) -> dict[str, object]:
    return {"outsider": mw.w.outsider, "member": mw.member, "chair": mw.chair,
            "programme_manager": mw.w.pm, "admin": mw.admin}


@pytest.mark.parametrize("role", ROLES)
def test_routes_by_role(app: Flask, role: str) -> None:
    mw = build_meeting_world()
    version = services.upload_paper(mw.owner, mw.meeting, mw.item, "", "p.pdf", PDF)
    action = services.add_action(mw.chair, mw.meeting, "Do it", mw.owner, None)
    secret = calendar.secret_of(calendar.renew(mw.member))
    ids = {"item": mw.item.id, "paper": version.paper_id, "version": version.id,
           "action": action.id, "secret": secret}
    problems = []
    for route in ROUTES:
        client: FlaskClient = app.test_client()
        if role == "anonymous":
            token = csrf_token(client, "/login")  # so the refusal is the sign-in, not CSRF
        else:
            login(client, _people(mw)[role])  # type: ignore[arg-type]
            token = csrf_token(client, "/account")
        data = {"csrf_token": token, **route.data(mw)}
        kwargs = {}
        if route.endpoint in ("meetings.upload_paper", "meetings.replace_paper") and \
                route.method == "POST":
            import io

            data["file"] = (io.BytesIO(PDF), "p.pdf")  # type: ignore[assignment]
            kwargs["content_type"] = "multipart/form-data"
        url = route.url(mw, ids)
        response = (client.get(url) if route.method == "GET"
                    else client.post(url, data=data, **kwargs))
        status = response.status_code
        if route.allowed == PUBLIC:
            ok = status == 200 and response.mimetype == "text/calendar"
        elif role == "anonymous":
            ok = status == 302 and "/login" in response.headers["Location"]
        elif role in route.allowed:
            ok = status in (200, 302)
        else:
            ok = status == 403
        if not ok:
            problems.append(f"{route.method} {route.endpoint} as {role}: {status}")
    assert not problems, "\n".join(problems)
