"""`flask seslip demo`: realistic, idempotent, refused in production."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from seslip.accounts.models import OrgRole, SiteRole, User
from seslip.accounts.services import authenticate
from seslip.audit.models import AuditEvent
from seslip.demo import ADMIN_EMAIL, DEMO_PASSWORD, PROGRAMME_MANAGER_EMAIL, lead_member_email
from seslip.extensions import db
from seslip.organisations.models import Organisation, OrganisationKind


def _counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Organisation, User, AuditEvent)
    }


def test_demo_twice_creates_everything_once(runner: Any) -> None:
    first = runner.invoke(args=["seslip", "demo"])
    assert first.exit_code == 0, first.output
    after_first = _counts()
    second = runner.invoke(args=["seslip", "demo"])
    assert second.exit_code == 0, second.output
    assert _counts() == after_first
    assert "already there" in second.output and "already there" not in first.output
    for text in (ADMIN_EMAIL, PROGRAMME_MANAGER_EMAIL, lead_member_email("east-sussex"),
                 DEMO_PASSWORD, "/login"):
        assert text in first.output and text in second.output


def test_demo_data_is_the_programme_with_made_up_people(runner: Any) -> None:
    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0
    authorities = db.session.scalars(
        select(Organisation).where(Organisation.kind == OrganisationKind.AUTHORITY)
    ).all()
    assert len(authorities) == 19
    for org in authorities:
        people = db.session.scalars(select(User).where(User.organisation_id == org.id))
        roles = [u.org_role for u in people]
        assert roles.count(OrgRole.LEAD_MEMBER) == 1, org.name
        assert roles.count(OrgRole.DCS) == 1, org.name
    kinship = db.session.scalars(select(User).join(Organisation).where(
        Organisation.slug == "kinship")).one()
    assert kinship.job_title == "Chief Executive"
    people = db.session.scalars(select(User)).all()
    assert all(u.email.endswith(".example") for u in people)
    # Real people named in the seeds must not appear.
    names = " ".join(u.name for u in people)
    for real in ("Jeffery", "Heath", "Peake", "Russell", "Chandler", "Tyndall", "Evans"):
        assert real not in names
    assert {u.site_role for u in people} == {SiteRole.ADMIN, SiteRole.PROGRAMME_MANAGER,
                                             SiteRole.MEMBER}
    # One hash shared by all: argon2 ran once.
    assert len({u.password_hash for u in people}) == 1
    for email in (ADMIN_EMAIL, PROGRAMME_MANAGER_EMAIL, lead_member_email("slough")):
        assert authenticate(email, DEMO_PASSWORD) is not None, email
    created = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "create", AuditEvent.entity_type.in_(["User", "Organisation"])))
    assert created == len(people) + 23


def test_demo_is_refused_in_production(app: Flask, runner: Any) -> None:
    app.config["SESLIP_ENV"] = "production"
    result = runner.invoke(args=["seslip", "demo"])
    assert result.exit_code != 0
    assert "cannot be loaded when SESLIP_ENV is production" in result.output
    assert _counts() == {"Organisation": 0, "User": 0, "AuditEvent": 0}


def test_sync_organisations_command(runner: Any) -> None:
    result = runner.invoke(args=["seslip", "sync-organisations"])
    assert "23 added, 0 corrected" in result.output
    again = runner.invoke(args=["seslip", "sync-organisations"])
    assert "0 added, 0 corrected" in again.output
