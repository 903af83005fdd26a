"""Every route of the events area, by role: anonymous, an outsider, a participant of the
cohort, a network's chair, the programme manager and an admin. A route added without a line
here fails the first test."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.events import programme, services
from seslip.events.models import EventKind
from seslip.meetings.demo import demo_pdf
from seslip.timeutil import local_today
from tests.integration.events.support import EventWorld, build_event_world
from tests.support.factories import csrf_token, login

ROLES = ("anonymous", "outsider", "participant", "chair", "programme_manager", "admin")
SIGNED_IN = set(ROLES) - {"anonymous"}
STAFF = {"programme_manager", "admin"}
ORGANISE = STAFF  # the cohort's event: the programme team (a network's: its chairs too)
PARTICIPANT = STAFF | {"participant"}
PDF = demo_pdf("Slides")


@dataclass
class Route:
    endpoint: str
    method: str
    path: str  # formatted with the ids
    allowed: set[str]
    data: Callable[[dict[str, Any]], dict[str, Any]] = lambda ids: {}


def _event_form(ids: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "workshop", "title": "A workshop", "day": ids["day"], "starts": "10:00",
            "ends": "12:00", "place": "London", "network": str(ids["network"]), "cohort": "0"}


ROUTES = [
    Route("events.index", "GET", "/events", SIGNED_IN),
    Route("events.new", "GET", "/events/new", STAFF | {"chair"}),
    Route("events.new", "POST", "/events/new", STAFF | {"chair"}, _event_form),
    Route("events.show", "GET", "/events/{event}", SIGNED_IN),
    Route("events.edit", "GET", "/events/{event}/edit", ORGANISE),
    Route("events.edit", "POST", "/events/{event}/edit", ORGANISE, lambda ids: {
        **_event_form(ids), "title": "Induction day", "network": "0",
        "cohort": str(ids["cohort"]), "starts": "00:01", "ends": "23:59"}),
    Route("events.add_session", "GET", "/events/{event}/sessions/new", ORGANISE),
    Route("events.add_session", "POST", "/events/{event}/sessions/new", ORGANISE,
          lambda ids: {"starts": "10:00", "title": "Welcome", "speakers": "Jo – LGA"}),
    Route("events.edit_session", "GET", "/events/{event}/sessions/{session}/edit", ORGANISE),
    Route("events.edit_session", "POST", "/events/{event}/sessions/{session}/edit", ORGANISE,
          lambda ids: {"starts": "10:00", "title": "Welcome back"}),
    Route("events.register", "POST", "/events/{event}/register", PARTICIPANT),
    Route("events.cancel_registration", "POST",
          "/events/{event}/registrations/{registration}/cancel", PARTICIPANT),
    Route("events.attendance", "GET", "/events/{event}/attendance", ORGANISE),
    Route("events.attendance", "POST", "/events/{event}/attendance", ORGANISE,
          lambda ids: {"present": str(ids["participant"])}),
    Route("events.registrations_csv", "GET", "/events/{event}/registrations.csv", ORGANISE),
    Route("events.send_feedback", "POST", "/events/{event}/feedback", ORGANISE,
          lambda ids: {"feedback-definition": "induction-day-feedback"}),
    Route("events.upload_paper", "GET", "/events/{event}/papers/new", ORGANISE),
    Route("events.upload_paper", "POST", "/events/{event}/papers/new", ORGANISE,
          lambda ids: {"title": "Slides", "file": (io.BytesIO(PDF), "slides.pdf")}),
    Route("events.download", "GET", "/events/{event}/papers/{paper}", SIGNED_IN),
    Route("events.programme_index", "GET", "/programme", SIGNED_IN),
    Route("events.new_cohort", "GET", "/programme/new", STAFF),
    Route("events.new_cohort", "POST", "/programme/new", STAFF,
          lambda ids: {"name": "Another", "year": "2027-28"}),
    Route("events.cohort", "GET", "/programme/{cohort}", PARTICIPANT),
    Route("events.add_participants", "POST", "/programme/{cohort}/participants", STAFF,
          lambda ids: {"people": str(ids["outsider"])}),
    Route("events.new_set", "GET", "/programme/{cohort}/sets/new", STAFF),
    Route("events.new_set", "POST", "/programme/{cohort}/sets/new", STAFF, lambda ids: {
        "name": "Set 2", "first_day": ids["day"], "starts": "10:00", "ends": "16:00",
        "members": str(ids["participant"])}),
    Route("events.learning_set", "GET", "/programme/sets/{set}", PARTICIPANT),
    Route("events.move_day", "POST", "/programme/sets/{set}/days/{day_id}", STAFF,
          lambda ids: {"day": ids["day"]}),
    # Last: a cancelled event refuses changes.
    Route("events.cancel", "POST", "/events/{event}/cancel", ORGANISE,
          lambda ids: {"reason": "Snow"}),
]


def test_every_events_route_is_in_the_table(app: Flask) -> None:
    rules = {(r.endpoint, m) for r in app.url_map.iter_rules()
             if r.endpoint.startswith("events.") for m in (r.methods or set()) - {"HEAD",
                                                                                "OPTIONS"}}
    assert rules == {(r.endpoint, r.method) for r in ROUTES}


def _world() -> tuple[EventWorld, dict[str, Any]]:
    ew = build_event_world()
    today = local_today()
    event = services.create_event(ew.w.pm, services.EventDetails(
        EventKind.INDUCTION_DAY, "Induction day", today, time(0, 1), time(23, 59),
        place="London", cohort=ew.cohort, capacity=10))
    part = services.save_session(ew.w.pm, event, None, time(9), None, "Welcome")
    reg = services.register(ew.lead, event, today)
    paper = services.upload_paper(ew.w.pm, event, "Slides", "s.pdf", PDF)
    found = programme.create_learning_set(ew.w.pm, ew.cohort, programme.SetDetails(
        "Set 1", today, time(10), time(16)), [ew.lead])
    ids = {"event": event.id, "session": part.id, "registration": reg.id, "paper": paper.id,
           "cohort": ew.cohort.id, "set": found.id, "day_id": found.sessions[1].id,
           "network": ew.network.id, "participant": ew.lead.id, "outsider": ew.w.outsider.id,
           "day": today.isoformat()}
    return ew, ids


@pytest.mark.parametrize("role", ROLES)
def test_routes_by_role(app: Flask, shipped: None, role: str) -> None:
    ew, ids = _world()
    people = {"outsider": ew.w.outsider, "participant": ew.lead, "chair": ew.chair,
              "programme_manager": ew.w.pm, "admin": ew.admin}
    problems = []
    for route in ROUTES:
        client: FlaskClient = app.test_client()
        if role == "anonymous":
            token = csrf_token(client, "/login")  # so the refusal is the sign-in, not CSRF
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
            ok = status in (200, 302)
        else:
            ok = status == 403
        if not ok:
            problems.append(f"{route.method} {route.endpoint} as {role}: {status}")
    assert not problems, "\n".join(problems)
