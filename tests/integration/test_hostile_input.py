"""Hostile input on every route: no request may get a 500, on SQLite and PostgreSQL.

The routes come from app.url_map, so a new route is covered without editing this file. URL
parameters get huge ids, NUL bytes and path tricks (the other parameters a real value, so the
view gets as far as it can); every field of every form (found on the pages the app renders,
or else among the WTForms forms) gets hostile values one at a time on top of a valid
submission, then a file, then a JSON and a plain-text body. Once anonymous and once as the
demo's admin.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
import re
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from wtforms.fields.core import UnboundField

import seslip
from seslip.accounts.models import OrgRole, SiteRole, User
from seslip.audit.models import AuditEvent
from seslip.challenge.models import PlanPriority, Theme, Triad, TriadMember
from seslip.cycles.models import Cycle
from seslip.demo import ADMIN_EMAIL, DEMO_PASSWORD
from seslip.events.models import Cohort, Event, EventPaper, EventSession, LearningSet, Registration
from seslip.extensions import db
from seslip.formengine import read_form
from seslip.meetings.models import PaperVersion
from seslip.networks import appointments
from seslip.networks.memberships import request_to_join
from seslip.networks.models import (
    Appointment,
    JoinRequest,
    Membership,
    NominationRound,
    Position,
)
from seslip.notifications.models import OutboxMessage
from seslip.organisations.models import Organisation
from seslip.questionnaires import services as questionnaires
from seslip.questionnaires.models import Response, ResponseAccess
from tests.support.factories import login

LEAD = "lead-member-self-assessment-2022-23"
# Ids past PostgreSQL's integer and SQLite's 64 bits, and past Python's int() digit limit.
BIG = [str(2**31), str(2**63), "9" * 5000]
IN_URLS = [*BIG, "a\x00b", "x" * 3000, "../../../etc/passwd", "<script>alert(1)</script>"]
# Each field in turn (the others valid), so a value that passes validation reaches the service.
IN_FIELDS = [*BIG, "a\x00b", "x" * 3000, "9999-12-31"]
# Every field at once: cheaper, for values that only need to reach the form.
IN_ALL_FIELDS = [*IN_FIELDS, "-1", "0000-00-00", "\u202e\U0001f600 ", "<script>x</script>"]
CONTROL = {"csrf_token"}


# --- the data the routes work on ------------------------------------------------------------------


def _first(model: Any, *where: Any) -> Any:
    return db.session.scalars(select(model).where(*where).order_by(model.id)).first()


def _realistic_data(runner: Any) -> dict[str, str]:
    """The demo, plus one of everything a URL can name; returns a real value per URL
    parameter name (a new parameter falls back to "1")."""
    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0
    admin = _first(User, User.email == ADMIN_EMAIL)
    lead = _first(User, User.org_role == OrgRole.LEAD_MEMBER)
    position = _first(Position)
    network = position.network
    outsider = _first(User, User.site_role == SiteRole.MEMBER,
                      User.id.not_in(select(Membership.user_id).where(
                          Membership.network_id == network.id)))
    # If a rule refuses (the network's join rule, the post's state), the id falls back.
    with contextlib.suppress(seslip.errors.ServiceError):
        request_to_join(outsider, network, "Hello")
    with contextlib.suppress(seslip.errors.ServiceError):
        appointments.open_round(admin, position, date.today() + timedelta(days=30), "Note")
    response = questionnaires.start_or_continue(lead, LEAD)
    questionnaires.save_answer(lead, response, "ambition",
                              read_form({"ambition": "Mine."}).answer("ambition"), 0)
    db.session.commit()

    def ident(model: Any, *where: Any) -> str:
        found = _first(model, *where)
        return str(found.id) if found is not None else "1"

    org = _first(Organisation)
    version = _first(PaperVersion)
    member = _first(TriadMember)  # an authority in a triad, for the challenge area's URLs
    return {
        "event_id": ident(AuditEvent),
        "message_id": ident(OutboxMessage),
        "user_id": str(lead.id),
        "membership_id": ident(Membership, Membership.network_id == network.id),
        "position_id": str(position.id),
        "request_id": ident(JoinRequest, JoinRequest.network_id == network.id),
        "appointment_id": ident(Appointment),
        "round_id": ident(NominationRound),
        "response_id": str(response.id),
        "definition_id": LEAD,
        "section_id": "role_as_lead_member",
        "question_id": "ambition",
        "token": "not-a-real-token",
        "action": "reactivate",
        "filename": "css/app.css",
        # Two blueprints have slugs: a network's, or an organisation's in the directory.
        "slug:networks": network.slug,
        "slug:organisations": org.slug,
        "slug:meetings": network.slug,
        "meeting_id": str(version.paper.meeting_id),
        "item_id": str(version.paper.item_id),
        "paper_id": str(version.paper_id),
        "version_id": str(version.id),
        "event_id:events": ident(Event),
        "session_id:events": ident(EventSession),
        "registration_id": ident(Registration),
        "paper_id:events": ident(EventPaper),
        "cohort_id": ident(Cohort),
        "set_id": ident(LearningSet),
        "cycle_id": ident(Cycle),
        "response_id:cycles": ident(Response, Response.cycle_id.is_not(None)),
        "access_id": ident(ResponseAccess),
        "triad_id": ident(Triad),
        "organisation_id": str(member.organisation_id if member else org.id),
        "response_id:challenge": ident(Response, Response.cycle_id.is_not(None)),
        "theme_id": ident(Theme),
        "priority_id": ident(PlanPriority),
    }


# --- URLs -----------------------------------------------------------------------------------------


def _real(rule: Rule, name: str, real: dict[str, str]) -> str:
    blueprint = rule.endpoint.partition(".")[0]
    return real.get(f"{name}:{blueprint}", real.get(name, "1"))


def _url(rule: Rule, values: dict[str, str]) -> str:
    def part(match: re.Match[str]) -> str:
        return quote(values[match.group(1)], safe="/" if match.group(0).startswith("<path")
                     else "")

    return re.sub(r"<(?:[^<>:]+(?:\([^)]*\))?:)?([^<>]+)>", part, rule.rule)


def _urls(rule: Rule, real: dict[str, str]) -> Iterator[str]:
    """The real URL, then each parameter in turn hostile (the others real)."""
    values = {name: _real(rule, name, real) for name in rule.arguments}
    yield _url(rule, values)
    for name in sorted(rule.arguments):
        for hostile in IN_URLS:
            yield _url(rule, {**values, name: hostile})


# --- forms ------------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every <form> of a page: method, action and {field name: a value a person could send}."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._fields = {}
            self.forms.append((a.get("method", "get").lower(), a.get("action", ""),
                               self._fields))
        if self._fields is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input" and a.get("type") in ("checkbox", "radio"):
            if name not in self._fields or "checked" in a:
                self._fields[name] = a.get("value", "on")
        elif tag == "input" and a.get("type") not in ("submit", "button", "image", "file"):
            self._fields.setdefault(name, a.get("value", ""))
        elif tag == "button" and a.get("value"):
            self._fields.setdefault(name, a["value"])
        elif tag == "select":
            self._select = name
            self._fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            self._fields[name] = ""
        # An option: the selected one, else the first real one (not "Choose...").
        elif tag == "option" and self._select and (
                "selected" in a or self._fields[self._select] in ("", "0")):
            self._fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._fields = None


def _wtforms_fields() -> set[str]:
    """Every field name of the app's WTForms forms: the fallback for a form no page showed."""
    names: set[str] = set()
    for module in pkgutil.walk_packages(seslip.__path__, "seslip."):
        if not module.name.endswith(".forms"):
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and issubclass(value, FlaskForm):
                for cls in value.__mro__:
                    names.update(key for key, field in vars(cls).items()
                                 if isinstance(field, UnboundField))
    return names


def _endpoint_of(app: Flask, path: str, method: str) -> str | None:
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method=method)
    except HTTPException:
        return None
    return str(endpoint)


class Run:
    """One role's hostile run: the requests sent and the ones that got a 500."""

    def __init__(self, app: Flask, client: FlaskClient, sign_in: Any) -> None:
        self.app = app
        self.client = client
        self.sign_in = sign_in
        self.sent = 0
        self.offenders: list[str] = []
        self.forms: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}

    def send(self, method: str, url: str, note: str = "", **kwargs: Any) -> Any:
        self.sent += 1
        try:
            result = self.client.open(url, method=method, **kwargs)
        except Exception as error:  # TESTING propagates what would be a 500
            db.session.rollback()
            self.offenders.append(f"500 {method} {url[:120]!r} {note[:80]}: {error!r:.150}")
            return None
        result.get_data()
        result.close()  # static files stay open otherwise
        if result.status_code >= 500:
            self.offenders.append(f"{result.status_code} {method} {url[:120]!r} {note[:80]}")
        return result

    def token(self) -> str:
        html = self.client.get("/login").get_data(as_text=True)
        if "csrf_token" not in html:
            html = self.client.get("/account").get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        return match.group(1) if match else ""

    def collect_forms(self, url: str, html: str) -> None:
        parser = _Forms()
        parser.feed(html)
        for method, action, fields in parser.forms:
            path = urlsplit(action).path or urlsplit(url).path
            endpoint = _endpoint_of(self.app, path, method.upper())
            if endpoint is not None:
                self.forms.setdefault((endpoint, method), (action or url, fields))

    def still_signed_in(self) -> None:
        if self.sign_in is not None and self.client.get("/account").status_code != 200:
            self.sign_in()


def _rules(app: Flask) -> list[Rule]:
    # Signing out last, so the signed-in run stays signed in for the others.
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "accounts.logout",
                                                           r.rule))


def _hostile_run(app: Flask, run: Run, real: dict[str, str]) -> None:
    rules = _rules(app)
    # GET every route (real and hostile URLs); remember the forms the real pages show.
    for rule in rules:
        if "GET" not in (rule.methods or set()):
            continue
        for n, url in enumerate(_urls(rule, real)):
            result = run.send("GET", url)
            if n == 0 and result is not None and result.mimetype == "text/html":
                run.collect_forms(url, result.get_data(as_text=True))
    # Search and filter forms (method GET): each field hostile in the query string.
    for (_endpoint, method), (action, fields) in list(run.forms.items()):
        if method != "get":
            continue
        for name in fields:
            for hostile in IN_FIELDS:
                run.send("GET", action, name, query_string={**fields, name: hostile})
    fallback = {name: "" for name in _wtforms_fields()}
    for rule in rules:
        if "POST" not in (rule.methods or set()):
            continue
        token = run.token()
        urls = list(_urls(rule, real))
        found = run.forms.get((rule.endpoint, "post"))
        action, fields = found or (urls[0], fallback)
        base = {**fields, "csrf_token": token}
        headers = {"X-CSRFToken": token}
        for url in urls:  # hostile URLs with a plain submission
            run.send("POST", url, data=base, headers=headers)
        names = [name for name in fields if name not in CONTROL]
        if found:  # each field of the form in turn, the others as a person would send them
            for name in names:
                for hostile in IN_FIELDS:
                    run.send("POST", action, f"{name}={hostile!r}",
                             data={**base, name: hostile}, headers=headers)
                run.send("POST", action, f"file in {name}",
                         data={**base, name: (io.BytesIO(b"GIF89a\x00"), "x.gif")},
                         headers=headers, content_type="multipart/form-data")
        # Every field at once (all a form has, when no page showed it to this role).
        for hostile in IN_ALL_FIELDS:
            run.send("POST", action, f"every field {hostile!r}",
                     data={**base, **dict.fromkeys(names, hostile)}, headers=headers)
        run.send("POST", action, "every field twice, the second NUL", headers=headers,
                 data=MultiDict([*base.items(), *((name, "\x00") for name in names)]))
        run.send("POST", action, "every field a file", headers=headers,
                 data={**base, **{name: (io.BytesIO(b"x"), "x.txt") for name in names}},
                 content_type="multipart/form-data")
        run.send("POST", action, "json", json=base, headers=headers)
        run.send("POST", action, "text", data="\x00 plain", headers=headers,
                 content_type="text/plain")
        run.send("POST", action, "htmx", data={**base, **dict.fromkeys(names, "\x00")},
                 headers={**headers, "HX-Request": "true"})
        run.still_signed_in()


@pytest.fixture
def real(app: Flask, runner: Any) -> dict[str, str]:
    return _realistic_data(runner)


def test_no_hostile_request_gets_a_500_anonymous(app: Flask, real: dict[str, str]) -> None:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.1"  # its failed sign-ins slow only itself
    run = Run(app, client, None)
    _hostile_run(app, run, real)
    assert not run.offenders, f"{len(run.offenders)} of {run.sent}:\n" + "\n".join(
        run.offenders[:40])
    assert run.sent > 800


def test_no_hostile_request_gets_a_500_signed_in_as_admin(app: Flask,
                                                          real: dict[str, str]) -> None:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.2"
    admin = _first(User, User.email == ADMIN_EMAIL)

    def sign_in() -> None:
        login(client, admin, DEMO_PASSWORD)

    sign_in()
    run = Run(app, client, sign_in)
    _hostile_run(app, run, real)
    assert not run.offenders, f"{len(run.offenders)} of {run.sent}:\n" + "\n".join(
        run.offenders[:40])
    assert len(run.forms) > 20  # it found the app's forms on its pages
    assert run.sent > 1500
