"""The home page's shortcuts and the admin dashboard's cards."""

from __future__ import annotations

import re

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import BuildError

from seslip import templating
from seslip.accounts.models import OrgRole
from seslip.admin import views as admin_views
from seslip.organisations.services import ensure_organisations, get_by_slug
from tests.support.factories import login, make_admin, make_programme_manager, make_user


def test_home_explains_seslip_and_links_to_the_directory_and_my_authority(
    client: FlaskClient,
) -> None:
    ensure_organisations(None)
    user = make_user(name="Ada Lovelace", organisation=get_by_slug("medway"),
                     org_role=OrgRole.OFFICER)
    login(client, user)
    html = client.get("/").get_data(as_text=True)
    assert "Welcome, Ada Lovelace" in html
    assert "Your shortcuts" in html
    assert 'href="/directory/"' in html
    assert 'href="/directory/medway"' in html
    assert "Memorandum of Understanding" in html
    assert "Programme Steering Group" in html
    assert "Regional Improvement Plan" in html
    assert 'href="/directory/east-sussex"' in html
    assert 'href="/admin/"' not in html.split("Your shortcuts")[1]


def test_home_shortcuts_for_staff_include_admin(client: FlaskClient) -> None:
    login(client, make_programme_manager())
    html = client.get("/").get_data(as_text=True)
    assert 'href="/admin/"' in html.split("Your shortcuts")[1]


def test_admin_dashboard_links_to_every_tool_in_order(app: Flask, client: FlaskClient) -> None:
    login(client, make_admin())
    response = client.get("/admin/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/directory/"' in html and 'href="/directory/new"' in html
    with app.test_request_context():
        expected = [url_for(c.endpoint) for c in admin_views.CARDS]
    assert re.findall(r'<h2 class="card-title"><a href="([^"]+)"', html) == expected


def test_a_misspelt_endpoint_fails_rather_than_vanishing(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A card (or a navigation entry) for an endpoint that does not exist is a bug to see.
    login(client, make_admin())
    monkeypatch.setattr(
        admin_views, "CARDS", (*admin_views.CARDS, admin_views.Card("nowhere.index", "Nowhere", ""))
    )
    with pytest.raises(BuildError):
        client.get("/admin/")
    monkeypatch.undo()
    monkeypatch.setattr(templating, "NAVIGATION", (*templating.NAVIGATION,
                                                   ("nowhere.index", "Nowhere", False)))
    with pytest.raises(BuildError):
        client.get("/")


def test_admin_dashboard_is_for_staff_only(client: FlaskClient) -> None:
    login(client, make_user())
    assert client.get("/admin/").status_code == 403
