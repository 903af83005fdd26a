"""Factories for people, authorities and other records. They call the real services."""

from __future__ import annotations

import itertools
from typing import Any

from flask.testing import FlaskClient

from seslip.accounts.models import OrgRole, SiteRole, User
from seslip.accounts.services import create_user
from seslip.extensions import db
from seslip.organisations.models import Organisation, OrganisationKind

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_organisation(
    name: str | None = None, kind: OrganisationKind = OrganisationKind.AUTHORITY, **extra: Any
) -> Organisation:
    n = next(_seq)
    name = name or f"Test Authority {n}"
    org = Organisation(
        name=name, slug=extra.pop("slug", name.lower().replace(" ", "-")), kind=kind, **extra
    )
    db.session.add(org)
    db.session.commit()
    return org


def make_user(
    email: str | None = None,
    *,
    name: str | None = None,
    site_role: SiteRole = SiteRole.MEMBER,
    organisation: Organisation | None = None,
    org_role: OrgRole | None = None,
    password: str | None = PASSWORD,
) -> User:
    n = next(_seq)
    return create_user(
        None,
        email=email or f"person{n}@example.org",
        name=name or f"Person {n}",
        site_role=site_role,
        organisation_id=organisation.id if organisation else None,
        org_role=org_role,
        password=password,
    )


def make_admin(**kwargs: Any) -> User:
    return make_user(site_role=SiteRole.ADMIN, **kwargs)


def make_programme_manager(**kwargs: Any) -> User:
    return make_user(site_role=SiteRole.PROGRAMME_MANAGER, **kwargs)


def login(client: FlaskClient, user: User, password: str = PASSWORD) -> None:
    """Sign in through the real login form (CSRF is on in tests, so fetch a token first)."""
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    # Test requests share the fixture's app context, so `g` outlives a request: drop the CSRF
    # token Flask-WTF cached there for the session that signing in cleared.
    from flask import g

    g.pop("csrf_token", None)


def csrf_token(client: FlaskClient, path: str) -> str:
    """Read the CSRF token from a page, as a browser would."""
    import re

    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)
