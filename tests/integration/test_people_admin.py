"""People administration: who may see it, who may grant what, deactivation."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.accounts.models import OrgRole, SiteRole, User
from seslip.audit.models import AuditEvent
from seslip.extensions import db
from seslip.notifications.models import OutboxMessage
from seslip.organisations.models import OrganisationKind
from tests.support.factories import (
    csrf_token,
    login,
    make_admin,
    make_organisation,
    make_programme_manager,
    make_user,
)


def post(client: FlaskClient, path: str, form_page: str | None = None, **data: str):
    return client.post(path, data={"csrf_token": csrf_token(client, form_page or path), **data})


def invite_data(org_id: int, **extra: str) -> dict[str, str]:
    return {"name": "Nia Newcomer", "email": "nia@example.org", "job_title": "",
            "organisation_id": str(org_id), "org_role": "officer", **extra}


@pytest.mark.parametrize("path", ["/admin/people/", "/admin/people/invite"])
def test_members_are_refused(client: FlaskClient, path: str) -> None:
    login(client, make_user())
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("maker", [make_admin, make_programme_manager])
def test_staff_see_the_list_and_can_filter(client: FlaskClient, maker) -> None:
    kent = make_organisation("Kent County Council")
    surrey = make_organisation("Surrey County Council")
    make_user(name="Kate Kent", organisation=kent, org_role=OrgRole.DCS)
    make_user(name="Sam Surrey", organisation=surrey, org_role=OrgRole.LEAD_MEMBER)
    login(client, maker())
    page = client.get("/admin/people/").get_data(as_text=True)
    assert "Kate Kent" in page and "Sam Surrey" in page
    filtered = client.get(f"/admin/people/?organisation={kent.id}").get_data(as_text=True)
    assert "Kate Kent" in filtered and "Sam Surrey" not in filtered
    by_role = client.get("/admin/people/?role=lead_member").get_data(as_text=True)
    assert "Sam Surrey" in by_role and "Kate Kent" not in by_role
    fragment = client.get("/admin/people/?q=kate", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "Kate Kent" in body and "Sam Surrey" not in body
    assert "HX-Request" in fragment.headers["Vary"]


def test_people_list_loads_in_constant_queries(client: FlaskClient, query_counter) -> None:
    org = make_organisation()
    for _ in range(3):
        make_user(organisation=org)
    login(client, make_admin())
    client.get("/admin/people/")  # warm up
    with query_counter.count() as counted:
        client.get("/admin/people/")
    few = counted.total
    for _ in range(5):
        make_user(organisation=org)
    with query_counter.count() as counted:
        page = client.get("/admin/people/").get_data(as_text=True)
    assert page.count("/admin/people/") > 8
    assert counted.total == few


def test_programme_manager_invites_a_member(client: FlaskClient) -> None:
    org = make_organisation("Medway Council")
    pm = make_programme_manager(name="Pat Manager")
    login(client, pm)
    form = client.get("/admin/people/invite").get_data(as_text=True)
    assert 'name="site_role"' not in form  # only admins grant site roles
    response = post(client, "/admin/people/invite", **invite_data(org.id))
    assert response.status_code == 302
    nia = db.session.scalar(select(User).where(User.email == "nia@example.org"))
    assert nia.site_role == SiteRole.MEMBER and nia.password_hash is None
    assert nia.organisation_id == org.id and nia.org_role == OrgRole.OFFICER
    message = db.session.scalar(select(OutboxMessage))
    assert message.recipient == "nia@example.org" and "Pat Manager" in message.body_text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "invite"))
    person_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Invited" in person_page and "Send a new invitation" in person_page


def test_programme_manager_cannot_grant_site_roles(client: FlaskClient) -> None:
    org = make_organisation()
    login(client, make_programme_manager())
    response = post(client, "/admin/people/invite", **invite_data(org.id, site_role="admin"))
    # The field is not on their form, so the request is read as a member invitation.
    assert response.status_code == 302
    assert db.session.scalar(select(User.site_role).where(User.email == "nia@example.org")) \
        == SiteRole.MEMBER

    from seslip.accounts.people import invite
    from seslip.errors import PermissionDenied

    pm = db.session.scalar(select(User).where(User.site_role == SiteRole.PROGRAMME_MANAGER))
    with pytest.raises(PermissionDenied):
        invite(pm, email="x@example.org", name="X", organisation_id=org.id,
               org_role=OrgRole.OFFICER, site_role=SiteRole.ADMIN)


def test_admin_grants_programme_manager(client: FlaskClient) -> None:
    org = make_organisation(kind=OrganisationKind.PARTNER)
    login(client, make_admin())
    response = post(client, "/admin/people/invite",
                    **invite_data(org.id, site_role="programme_manager"))
    assert response.status_code == 302
    assert db.session.scalar(select(User.site_role).where(User.email == "nia@example.org")) \
        == SiteRole.PROGRAMME_MANAGER


def test_inviting_a_known_email_tells_the_admin(client: FlaskClient) -> None:
    org = make_organisation()
    make_user("nia@example.org", name="Nia Existing")
    login(client, make_admin())
    response = post(client, "/admin/people/invite", **invite_data(org.id, email="NIA@example.org"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nia Existing &lt;nia@example.org&gt; already has an account" in page
    assert "Error: Invite a person" in page


def test_invite_form_errors_keep_what_was_typed(client: FlaskClient) -> None:
    login(client, make_admin())
    response = post(client, "/admin/people/invite", name="Nia", email="not-an-email",
                    organisation_id="", org_role="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter an email address in the correct format" in page
    assert "Choose the person&#39;s organisation" in page
    assert 'value="not-an-email"' in page and 'value="Nia"' in page


def test_edit_person_is_audited(client: FlaskClient) -> None:
    org = make_organisation()
    person = make_user(name="Old Name")
    login(client, make_admin())
    path = f"/admin/people/{person.id}/edit"
    response = post(client, path, name="New Name", job_title="Head of service",
                    organisation_id=str(org.id), org_role="dcs", site_role="member")
    assert response.status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.changes["name"] == ["Old Name", "New Name"]
    assert event.changes["org_role"] == [None, "dcs"]


def test_admin_cannot_demote_or_deactivate_themself(client: FlaskClient) -> None:
    admin = make_admin()
    login(client, admin)
    response = post(client, f"/admin/people/{admin.id}/edit", name=admin.name,
                    organisation_id="", org_role="", site_role="member")
    assert response.status_code == 422
    assert "You cannot change your own site role" in response.get_data(as_text=True)
    post(client, f"/admin/people/{admin.id}/deactivate", form_page=f"/admin/people/{admin.id}")
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active_account
    assert db.session.get(User, admin.id).site_role == SiteRole.ADMIN


def test_programme_manager_cannot_change_an_admin(client: FlaskClient) -> None:
    admin = make_admin()
    login(client, make_programme_manager())
    response = post(client, f"/admin/people/{admin.id}/deactivate",
                    form_page=f"/admin/people/{admin.id}")
    assert response.status_code == 403
    response = post(client, f"/admin/people/{admin.id}/edit", name="Renamed",
                    organisation_id="", org_role="")
    assert response.status_code == 403


def test_deactivation_signs_the_person_out_and_reactivation_restores(app) -> None:
    person = make_user()
    theirs, mine = app.test_client(), app.test_client()
    login(theirs, person)
    login(mine, make_admin())
    page = f"/admin/people/{person.id}"
    assert post(mine, f"{page}/deactivate", form_page=page).status_code == 302
    assert theirs.get("/").status_code == 302
    assert "Deactivated" in mine.get(page).get_data(as_text=True)
    post(mine, f"{page}/reactivate", form_page=page)
    login(theirs, person)
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_id == str(person.id))).all()
    assert "deactivate" in actions and "reactivate" in actions
