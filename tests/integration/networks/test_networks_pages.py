"""Networks pages: who may open what, forms without JavaScript, query counts, the tick CLI."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.accounts.models import OrgRole
from seslip.audit.models import AuditEvent
from seslip.extensions import db
from seslip.networks import appointments as svc
from seslip.networks.memberships import add_membership, request_to_join
from seslip.networks.models import Appointment, AppointmentStatus, Membership
from seslip.timeutil import local_today
from tests.integration.networks.support import World, build_world, make_network, outbox
from tests.support.factories import csrf_token, login, make_admin, make_user


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


def _ids(world: World) -> dict[str, object]:
    today = local_today()
    chair = svc.appoint(world.pm, world.chair, world.alice, today=today)
    proposal = svc.appoint(world.pm, world.sponsor, world.kent_dcs, today=today)
    rnd = svc.open_round(world.pm, world.vice, date(today.year + 1, 1, 1), today=today)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == world.bob.id))

    request = request_to_join(world.outsider, world.network, today=today)
    return {
        "slug": world.network.slug, "position_id": world.vice.id, "round_id": rnd.id,
        "appointment_id": proposal.id, "membership_id": membership.id,
        "request_id": request.id, "chair_id": chair.id,
    }


def _url(app: Flask, endpoint: str, ids: dict[str, object]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {arg: ids["chair_id"] if endpoint == "networks.end_appointment" else ids[arg]
              for arg in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


# (endpoint, method) -> which roles may use it; others get 403 (anonymous: login redirect).
EVERYONE = {"member", "chair", "pm", "admin"}
MANAGERS = {"chair", "pm", "admin"}
STAFF = {"pm", "admin"}
ACCESS = {
    ("networks.index", "GET"): EVERYONE,
    ("networks.mine", "GET"): EVERYONE,
    ("networks.show", "GET"): EVERYONE,
    ("networks.history", "GET"): EVERYONE,
    ("networks.join", "GET"): EVERYONE,
    ("networks.round", "GET"): EVERYONE,
    ("networks.members", "GET"): MANAGERS,
    ("networks.join_requests", "GET"): MANAGERS,
    ("networks.appoint", "GET"): MANAGERS,
    ("networks.open_round", "GET"): MANAGERS,
    # the Sponsor's approval is for the DCS group's chair and staff only
    ("networks.approval", "GET"): {"pm", "admin"},
    ("networks.end_member", "POST"): MANAGERS,
    ("networks.decide_join", "POST"): MANAGERS,
    ("networks.end_appointment", "POST"): MANAGERS,
    ("networks.close_round", "POST"): MANAGERS,
    ("networks.appoint_from_round", "POST"): MANAGERS,
    ("networks.nominate", "POST"): EVERYONE,
    ("networks.members", "POST"): MANAGERS,
    ("networks.join", "POST"): EVERYONE,
    ("networks.appoint", "POST"): MANAGERS,
    ("networks.open_round", "POST"): MANAGERS,
    ("networks.approval", "POST"): {"pm", "admin"},
    # setting up networks and posts is for staff only, chairs included (see structure.py)
    ("networks.new_network", "GET"): STAFF,
    ("networks.new_network", "POST"): STAFF,
    ("networks.edit_network", "GET"): STAFF,
    ("networks.edit_network", "POST"): STAFF,
    ("networks.new_post", "GET"): STAFF,
    ("networks.new_post", "POST"): STAFF,
    ("networks.edit_post", "GET"): STAFF,
    ("networks.edit_post", "POST"): STAFF,
    ("networks.retire_post", "POST"): STAFF,
    ("networks.archive_network", "POST"): STAFF,
}


def test_every_networks_route_is_in_the_table(app: Flask) -> None:
    found = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("networks.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert found == set(ACCESS)


@pytest.mark.parametrize("role", ["anonymous", "member", "chair", "pm", "admin"])
def test_route_by_role(app: Flask, client: FlaskClient, world: World, role: str) -> None:
    ids = _ids(world)
    people = {"member": world.bob, "chair": world.alice, "pm": world.pm,
              "admin": make_admin(name="Ada Admin")}
    if role != "anonymous":
        login(client, people[role])
    token = csrf_token(client, "/login") if role == "anonymous" else csrf_token(client, "/")
    for (endpoint, method), allowed in ACCESS.items():
        url = _url(app, endpoint, ids)
        if method == "GET":
            response = client.get(url)
        else:
            # an empty form: authorised people get a validation answer, never a 403
            response = client.post(url, data={"csrf_token": token})
        if role == "anonymous":
            assert response.status_code == 302, (endpoint, response.status_code)
            assert "/login" in response.headers["Location"]
        elif role in allowed:
            assert response.status_code in {200, 302, 422}, (endpoint, role, response.status_code)
        else:
            assert response.status_code == 403, (endpoint, role, response.status_code)


def test_network_page_shows_posts_members_and_missing_authorities(
    client: FlaskClient, world: World
) -> None:
    today = local_today()
    svc.appoint(world.pm, world.vice, world.bob, today=today)
    login(client, world.bob)
    page = client.get(f"/networks/{world.network.slug}").get_data(as_text=True)
    assert "Bob Officer is acting Chair" in " ".join(page.split())
    assert "Every authority has at least one member." in page  # the world has two authorities
    assert "Kent" in page and "Surrey" in page
    assert "A change needs the approval of" in page


def test_holdover_is_shown_in_words(client: FlaskClient, world: World) -> None:
    today = local_today()
    start = date(today.year - 2, today.month, 1)
    made = svc.appoint(world.pm, world.chair, world.alice, starts_on=start, today=start)
    made.status = AppointmentStatus.HOLDOVER
    db.session.commit()
    login(client, world.bob)
    page = client.get(f"/networks/{world.network.slug}").get_data(as_text=True)
    assert "Holdover" in page and "continues until a successor takes over" in page


def test_network_page_query_count_does_not_grow_with_members(
    client: FlaskClient, world: World, query_counter
) -> None:
    login(client, world.bob)
    url = f"/networks/{world.network.slug}"
    client.get(url)
    with query_counter.count() as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        person = make_user(name=f"Extra {n}", organisation=world.kent, org_role=OrgRole.OFFICER)
        add_membership(world.pm, world.network, person)
    with query_counter.count() as many:
        assert client.get(url).status_code == 200
    assert many.total == few.total


def test_index_filters_by_kind_with_and_without_htmx(client: FlaskClient, world: World) -> None:
    login(client, world.bob)
    page = client.get("/networks/?kind=group").get_data(as_text=True)
    assert "DCS Group" in page and "Kinship Network" not in page
    fragment = client.get("/networks/?kind=network", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "Kinship Network" in text
    assert "HX-Request" in fragment.headers["Vary"]


def test_add_member_form_re_renders_errors(client: FlaskClient, world: World) -> None:
    login(client, world.pm)
    url = f"/networks/{world.network.slug}/members"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "person": "0"})
    assert response.status_code == 422
    assert "<title>Error:" in response.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "person": str(world.outsider.id)})
    assert response.status_code == 302


def test_a_refused_appointment_leaves_no_row_behind(client: FlaskClient, world: World) -> None:
    # The service flushes the appointment and its audit entry, then finds that the approving
    # network has no chair to ask: the page says so, and none of it stays in the session.
    world.sponsor.approval_network_id = make_network("Chairless Group").id
    db.session.commit()
    login(client, world.pm)
    url = f"/networks/{world.network.slug}/posts/{world.sponsor.id}/appoint"
    token = csrf_token(client, url)
    audit_before = len(db.session.scalars(select(AuditEvent)).all())
    response = client.post(url, data={"csrf_token": token, "person": str(world.kent_dcs.id)})
    assert response.status_code == 422
    assert "which has no chair to approve it" in response.get_data(as_text=True)
    assert db.session.scalars(
        select(Appointment).where(Appointment.position_id == world.sponsor.id)).all() == []
    assert len(db.session.scalars(select(AuditEvent)).all()) == audit_before


def test_approval_page_approves_by_post_never_by_get(client: FlaskClient, world: World) -> None:
    proposal = svc.appoint(world.pm, world.sponsor, world.kent_dcs, today=local_today())
    login(client, world.dcs_chair)
    url = f"/networks/approvals/{proposal.id}"
    assert client.get(url).status_code == 200
    assert proposal.status == AppointmentStatus.AWAITING_APPROVAL
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "decision": "decline"})
    assert response.status_code == 422
    assert "Enter the reason" in response.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "decision": "approve"})
    assert response.status_code == 302
    assert proposal.status == AppointmentStatus.ACTIVE


def test_tick_cli_is_safe_to_run_twice(runner, world: World) -> None:
    svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2024, 5, 1),
                today=date(2024, 5, 1))
    first = runner.invoke(args=["seslip", "tick", "--today", "2026-03-01"])
    assert first.exit_code == 0, first.output
    assert "Reminder sent: before-90 for Alice Officer as Chair" in first.output
    count = len(outbox())
    second = runner.invoke(args=["seslip", "tick", "--today", "2026-03-01"])
    assert second.output.strip() == "Nothing was due."
    assert len(outbox()) == count


@pytest.mark.parametrize("role", ["outsider", "other-network", "member", "chair", "pm", "admin"])
def test_nomination_statements_are_for_members_and_staff(
    app: Flask, client: FlaskClient, world: World, role: str
) -> None:
    today = local_today()
    svc.appoint(world.pm, world.chair, world.alice, today=today)
    rnd = svc.open_round(world.pm, world.vice, date(today.year + 1, 1, 1), today=today)
    svc.nominate(world.bob, rnd, world.bob, "I chaired the kinship carers' forum", today=today)
    people = {"outsider": world.outsider, "other-network": world.kent_dcs, "member": world.carol,
              "chair": world.alice, "pm": world.pm, "admin": make_admin(name="Ada Admin")}
    login(client, people[role])
    page = client.get(f"/networks/rounds/{rnd.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Bob Officer" in html  # who stands is no secret to signed-in people
    shown = "I chaired the kinship carers&#39; forum" in html
    assert shown == (role not in {"outsider", "other-network"}), role


def test_home_page_shows_my_networks_and_posts(client: FlaskClient, world: World) -> None:
    svc.appoint(world.pm, world.chair, world.alice, today=local_today())
    login(client, world.alice)
    html = client.get("/").get_data(as_text=True)
    panel = html.split('id="home-networks"')[1]
    assert f'href="/networks/{world.network.slug}">Kinship Network</a>' in panel
    assert "My posts" in panel and "Chair, Kinship Network" in panel
    other = client.application.test_client()
    login(other, world.outsider)
    assert "You are not in any network yet" in other.get("/").get_data(as_text=True)
