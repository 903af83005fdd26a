"""App-wide security rules, checked against every route the app has (so new routes are covered).

- Anonymous people are sent to the login page everywhere but an explicit list of public views.
- Signed-in members get 403 on every /admin page.
- A POST without a CSRF token is refused, from a form and from htmx.
- Security headers and cookie flags.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from seslip.config import load_config
from seslip.factory import create_app
from tests.support.factories import PASSWORD, csrf_token, login, make_user

# Every view reachable without signing in. Adding one to the app must be a decision, so it
# must be added here too.
PUBLIC_ENDPOINTS = {
    "accounts.login",
    "accounts.logout",  # signing out with an expired session must still work
    "accounts.forgot_password",
    "accounts.reset_sent",
    "accounts.reset_password",
    "accounts.accept_invitation",
    "core.healthz",
    "core.accessibility",
    "questionnaires.schema",  # the form-definition JSON Schema, for editors' tooling
    "meetings.person_feed",  # calendar apps: the private link's secret is the authority
    "meetings.network_feed",
}

ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")


def example_path(rule: Rule) -> str:
    """A concrete URL for `rule`: ints are 1, `any(...)` its first choice, strings "x"."""

    def value(match: re.Match[str]) -> str:
        converter = match.group("converter") or "default"
        if converter in {"int", "float"}:
            return "1"
        if converter == "any":
            return match.group("args").split(",")[0].strip().strip("'\"")
        return "x"

    return ARGUMENT.sub(value, rule.rule)


def app_rules(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
    )


def methods(rule: Rule) -> set[str]:
    return set(rule.methods or ()) - {"HEAD", "OPTIONS"}


def is_public(app: Flask, endpoint: str) -> bool:
    return bool(getattr(app.view_functions[endpoint], "is_public", False))


def assert_sent_to_login(response: Any, what: str) -> None:
    assert response.status_code == 302, f"{what} answered {response.status_code}, not a redirect"
    assert response.headers["Location"].startswith("/login"), (
        f"{what} redirected to {response.headers['Location']}, not the login page"
    )


def test_public_views_are_exactly_the_allowlist(app: Flask) -> None:
    public = {r.endpoint for r in app_rules(app) if is_public(app, r.endpoint)}
    assert public == PUBLIC_ENDPOINTS


def test_example_paths_match_their_own_rule(app: Flask) -> None:
    # Guards the test below: a made-up URL that matched nothing would be a 404, not a check.
    adapter = app.url_map.bind("localhost")
    for rule in app_rules(app):
        method = "GET" if "GET" in methods(rule) else "POST"
        endpoint, _ = adapter.match(example_path(rule), method=method)
        assert endpoint == rule.endpoint, rule.rule


def test_anonymous_people_are_sent_to_login_from_every_other_page(
    app: Flask, client: FlaskClient
) -> None:
    token = csrf_token(client, "/login")  # a real token: the login check must still stop them
    checked = 0
    for rule in app_rules(app):
        if is_public(app, rule.endpoint):
            continue
        path = example_path(rule)
        if "GET" in methods(rule):
            assert_sent_to_login(client.get(path), f"GET {path}")
        else:
            response = client.post(path, data={"csrf_token": token})
            assert_sent_to_login(response, f"POST {path}")
        checked += 1
    assert checked > 10


def test_public_pages_answer_anonymous_people(client: FlaskClient) -> None:
    for path in ("/login", "/forgot-password", "/healthz", "/accessibility"):
        assert client.get(path).status_code == 200, path


def test_members_get_403_on_every_admin_page(app: Flask, client: FlaskClient) -> None:
    login(client, make_user())
    token = csrf_token(client, "/accessibility")
    admin_rules = [r for r in app_rules(app) if r.rule.startswith("/admin")]
    assert {"admin.index", "notifications.index", "audit.index"} <= {
        r.endpoint for r in admin_rules
    }
    refused = []
    for rule in admin_rules:
        path = example_path(rule)
        for method in sorted(methods(rule)):
            response = client.open(path, method=method, data={"csrf_token": token})
            if response.status_code != 403:
                refused.append(f"{method} {path}: {response.status_code}")
    assert refused == [], "members must get 403 on admin pages"


def test_post_without_csrf_token_is_refused_from_a_form(client: FlaskClient) -> None:
    user = make_user()

    response = client.post("/login", data={"email": user.email, "password": PASSWORD})

    assert response.status_code == 400
    assert "nothing was changed" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # not signed in


def test_logout_without_csrf_token_is_refused(client: FlaskClient) -> None:
    login(client, make_user())

    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200  # still signed in


def test_htmx_post_needs_the_csrf_header(client: FlaskClient) -> None:
    login(client, make_user())
    token = csrf_token(client, "/accessibility")

    refused = client.post("/logout", headers={"HX-Request": "true"})
    assert refused.status_code == 400
    assert "<html" not in refused.get_data(as_text=True)  # htmx gets a message, not a page
    assert client.get("/account").status_code == 200

    accepted = client.post("/logout", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert accepted.status_code == 302
    assert client.get("/account").status_code == 302  # signed out


def test_form_post_with_token_is_accepted(client: FlaskClient) -> None:
    user = make_user()
    token = csrf_token(client, "/login")

    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 302


def test_the_page_carries_the_token_htmx_sends(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'>", html)


@pytest.mark.parametrize("path", ["/login", "/healthz", "/no-such-page"])
def test_security_headers(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_not_cached(client: FlaskClient) -> None:
    login(client, make_user())
    assert client.get("/account").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("path", "status"), [("/no-such-page", 404), ("/logout", 405),
                                              ("/networks/rounds/999999", 404)])
def test_error_pages_for_signed_in_people_are_not_cached(
    client: FlaskClient, path: str, status: int
) -> None:
    login(client, make_user(name="Petra Private"))
    response = client.get(path)
    assert response.status_code == status
    assert "Petra Private" in response.get_data(as_text=True)  # the page is personal
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client: FlaskClient) -> None:
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")


def _session_cookie(response: Any) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[-1]


def test_session_cookie_is_httponly_and_lax_not_secure_over_http(client: FlaskClient) -> None:
    cookie = _session_cookie(client.get("/login"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # http://localhost in tests: a Secure cookie would be lost


def test_session_cookie_is_secure_when_the_site_is_https(app: Flask, tmp_path: Path) -> None:
    config = load_config(
        {
            "SESLIP_ENV": "testing",
            "SESLIP_BASE_URL": "https://intranet.seslip.example",
            "SESLIP_SECRET_KEY": "k" * 48,
            "SESLIP_INSTANCE_PATH": str(tmp_path / "https-instance"),
            "SESLIP_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    https_app = create_app(config)
    assert https_app.config["SESSION_COOKIE_SECURE"] is True
    assert https_app.config["REMEMBER_COOKIE_SECURE"] is True

    with https_app.app_context():
        response = https_app.test_client().get("/login", base_url="https://localhost")
        from seslip.extensions import db

        db.session.remove()
        db.engine.dispose()

    cookie = _session_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
