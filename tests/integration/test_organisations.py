"""The directory, organisation pages and staff edits, through the web and the services."""

from __future__ import annotations

from html import unescape

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from seslip.accounts.models import OrgRole
from seslip.audit.models import AuditEvent
from seslip.errors import NotFound, PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.organisations import services
from seslip.organisations.models import Organisation, OrganisationKind
from tests.support.factories import (
    csrf_token,
    login,
    make_admin,
    make_programme_manager,
    make_user,
)


@pytest.fixture
def orgs(app) -> dict[str, Organisation]:
    services.ensure_organisations(None)
    return {o.slug: o for o in db.session.scalars(select(Organisation))}


def _audits(action: str, entity_type: str = "Organisation") -> int:
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == action, AuditEvent.entity_type == entity_type
        )
    )


def test_ensure_organisations_is_idempotent_and_audited(app) -> None:
    assert services.ensure_organisations(None) == (23, 0)
    assert _audits("create") == 23
    assert services.ensure_organisations(None) == (0, 0)
    assert _audits("create") == 23
    assert db.session.scalar(select(func.count(Organisation.id))) == 23


def test_ensure_organisations_corrects_a_changed_name_and_audits_it(orgs) -> None:
    orgs["slough"].note = "Something else"
    db.session.commit()
    assert services.ensure_organisations(None) == (0, 1)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.changes == {
        "note": ["Something else", "Children's services delivered by Slough Children First"]
    }


def test_directory_lists_19_authorities_and_partners_with_people_counts(
    client: FlaskClient, orgs
) -> None:
    make_user(organisation=orgs["kent"], org_role=OrgRole.DCS)
    make_user(organisation=orgs["kent"], org_role=OrgRole.LEAD_MEMBER)
    login(client, make_user())
    html = unescape(client.get("/directory/").get_data(as_text=True))
    assert "Member authorities (19)" in html
    assert "Partner organisations (4)" in html
    assert "Royal Borough of Windsor and Maidenhead" in html
    assert 'href="/directory/slough"' in html
    assert "Children's services delivered by Slough Children First" in html
    kent = html.index('href="/directory/kent"')
    assert "2 people" in html[kent : html.index("</li>", kent)]


def test_directory_search_filters_on_organisation_or_person_name(
    client: FlaskClient, orgs
) -> None:
    make_user(name="Zebedee Quill", organisation=orgs["medway"], org_role=OrgRole.OFFICER)
    login(client, make_user())
    html = client.get("/directory/?q=sussex").get_data(as_text=True)
    assert "Member authorities (2)" in html
    assert "East Sussex" in html and "West Sussex" in html and "Kent" not in html
    assert "Partner organisations (0)" in html
    assert "No partner organisation matches your search." in html
    by_person = client.get("/directory/?q=zebedee").get_data(as_text=True)
    assert "Member authorities (1)" in by_person and "Medway" in by_person
    # A wildcard character is searched for literally.
    assert "Member authorities (0)" in client.get("/directory/?q=%25").get_data(as_text=True)


def test_directory_search_answers_htmx_with_the_fragment_only(client: FlaskClient, orgs) -> None:
    login(client, make_user())
    response = client.get("/directory/?q=kent", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert "<html" not in html and "Member authorities (1)" in html
    assert 'hx-swap-oob="innerHTML"' in html and "1 organisation matches" in html
    restore = client.get(
        "/directory/?q=kent",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.get_data(as_text=True)


def test_archived_organisation_leaves_the_directory_but_keeps_its_page(
    client: FlaskClient, orgs
) -> None:
    admin = make_admin()
    services.update_organisation(admin, orgs["solace"], archived=True)
    login(client, make_user())
    assert 'href="/directory/solace"' not in client.get("/directory/").get_data(as_text=True)
    page = client.get("/directory/solace").get_data(as_text=True)
    assert "Archived" in page


def test_organisation_page_groups_people_by_role_in_a_fixed_order(
    client: FlaskClient, orgs
) -> None:
    slough = orgs["slough"]
    make_user("officer@slough.example", name="Olive Officer", organisation=slough,
              org_role=OrgRole.OFFICER)
    make_user("dcs@slough.example", name="Dina Director", organisation=slough,
              org_role=OrgRole.DCS)
    make_user("lead@slough.example", name="Cllr Lena Lead", organisation=slough,
              org_role=OrgRole.LEAD_MEMBER)
    gone = make_user("gone@slough.example", name="Gone Person", organisation=slough,
                     org_role=OrgRole.OFFICER)
    gone.is_active_account = False
    db.session.commit()
    groups = services.people_by_role(slough)
    assert [g.role for g in groups] == [OrgRole.LEAD_MEMBER, OrgRole.DCS, OrgRole.OFFICER]
    assert [p.name for p in groups[2].people] == ["Olive Officer"]

    login(client, make_user())
    html = unescape(client.get("/directory/slough").get_data(as_text=True))
    assert "<h1>Slough</h1>" in html
    assert "Children's services delivered by Slough Children First" in html
    order = [html.index(s) for s in ("Cllr Lena Lead", "Dina Director", "Olive Officer")]
    assert order == sorted(order)
    assert 'href="mailto:dcs@slough.example"' in html
    assert "Gone Person" not in html
    assert "/directory/slough/edit" not in html  # members do not edit


def test_unknown_organisation_is_404(client: FlaskClient, orgs) -> None:
    login(client, make_user())
    assert client.get("/directory/atlantis").status_code == 404
    with pytest.raises(NotFound):
        services.get_by_slug("atlantis")


def test_staff_edit_an_organisation_and_the_change_is_audited(client: FlaskClient, orgs) -> None:
    manager = make_programme_manager()
    login(client, manager)
    page = client.get("/directory/kent").get_data(as_text=True)
    assert 'href="/directory/kent/edit"' in page
    token = csrf_token(client, "/directory/kent/edit")
    response = client.post(
        "/directory/kent/edit",
        data={"csrf_token": token, "name": "Kent", "kind": "authority", "note": "Garden of England",
              "website": "https://www.kent.gov.uk"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/directory/kent"
    db.session.refresh(orgs["kent"])
    assert orgs["kent"].note == "Garden of England"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.actor_id == manager.id
    assert event.changes == {"note": ["", "Garden of England"],
                             "website": ["", "https://www.kent.gov.uk"]}
    assert 'href="https://www.kent.gov.uk"' in client.get("/directory/kent").get_data(as_text=True)


def test_edit_with_errors_rerenders_422_keeping_what_was_typed(client: FlaskClient, orgs) -> None:
    login(client, make_admin())
    token = csrf_token(client, "/directory/kent/edit")
    response = client.post(
        "/directory/kent/edit",
        data={"csrf_token": token, "name": "", "kind": "authority", "note": "Kept note",
              "website": "kent.gov.uk"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error: Edit Kent" in html
    assert "Enter the organisation&#39;s name" in html  # escaped once, as HTML should be
    assert "Kept note" in html
    response = client.post(
        "/directory/kent/edit",
        data={"csrf_token": token, "name": "Medway", "kind": "authority", "website": "kent"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the website as a full address" in html
    response = client.post(
        "/directory/kent/edit",
        data={"csrf_token": token, "name": "Medway", "kind": "authority"},
    )
    assert "Another organisation already has this name" in response.get_data(as_text=True)
    assert _audits("update") == 0


def test_staff_add_a_partner(client: FlaskClient, orgs) -> None:
    admin = make_admin()
    login(client, admin)
    token = csrf_token(client, "/directory/new")
    bad = client.post("/directory/new", data={"csrf_token": token, "name": "Ofsted",
                                              "kind": "partner", "slug": "kent"})
    assert bad.status_code == 422
    assert "already uses this web address name" in bad.get_data(as_text=True)
    response = client.post(
        "/directory/new",
        data={"csrf_token": token, "name": "Research in Practice", "kind": "partner",
              "slug": "research-in-practice", "note": "Evidence for practice"},
    )
    assert response.headers["Location"] == "/directory/research-in-practice"
    assert "Partner organisations (5)" in client.get("/directory/").get_data(as_text=True)
    assert _audits("create") == 24


def test_services_refuse_members(orgs) -> None:
    member = make_user()
    with pytest.raises(PermissionDenied):
        services.update_organisation(member, orgs["kent"], note="x")
    with pytest.raises(PermissionDenied):
        services.create_organisation(member, slug="x", name="X", kind=OrganisationKind.PARTNER)
    with pytest.raises(ServiceError):
        services.create_organisation(make_admin(), slug="new", name="New", kind="partner")


ROUTES = ["/", "/directory/", "/directory/slough", "/directory/slough/edit", "/directory/new",
          "/admin/"]
STAFF_ONLY = {"/directory/slough/edit", "/directory/new", "/admin/"}


@pytest.mark.parametrize("role", ["anonymous", "member", "programme_manager", "admin"])
def test_routes_by_role(client: FlaskClient, orgs, role: str) -> None:
    makers = {"member": make_user, "programme_manager": make_programme_manager,
              "admin": make_admin}
    if role != "anonymous":
        login(client, makers[role]())
    for path in ROUTES:
        response = client.get(path)
        if role == "anonymous":
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/login"), path
        elif role == "member" and path in STAFF_ONLY:
            assert response.status_code == 403, path
        else:
            assert response.status_code == 200, path


def test_directory_query_count_does_not_grow_with_people(
    client: FlaskClient, orgs, query_counter
) -> None:
    user = make_user(organisation=orgs["kent"], org_role=OrgRole.OFFICER)
    login(client, user)

    def count() -> int:
        db.session.expire_all()
        with query_counter.count() as counted:
            assert client.get("/directory/").status_code == 200
        return counted.total

    before = count()
    for slug in ("kent", "medway", "surrey", "adcs", "slough"):
        for role in (OrgRole.DCS, OrgRole.OFFICER):
            make_user(organisation=orgs[slug], org_role=role)
    assert count() == before
    assert before <= 4  # the signed-in user, authorities, partners


def test_organisation_page_query_count_does_not_grow_with_people(
    client: FlaskClient, orgs, query_counter
) -> None:
    login(client, make_user())

    def count() -> int:
        db.session.expire_all()
        with query_counter.count() as counted:
            assert client.get("/directory/surrey").status_code == 200
        return counted.total

    before = count()
    for role in (OrgRole.DCS, OrgRole.OFFICER, OrgRole.OFFICER, OrgRole.LEAD_MEMBER):
        make_user(organisation=orgs["surrey"], org_role=role)
    assert count() == before
