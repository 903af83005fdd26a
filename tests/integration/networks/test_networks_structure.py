"""Staff set up networks and posts in the browser: validation, audit, archive and retire rules."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.audit.models import AuditEvent
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.networks import appointments as appoint_svc
from seslip.networks import structure as svc
from seslip.networks.models import Network, NetworkKind, Position
from seslip.networks.rules import Eligibility, JoinRule
from seslip.timeutil import local_today
from tests.integration.networks.support import World, build_world
from tests.support.factories import csrf_token, login


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


def _audit(entity: object, action: str) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(
        AuditEvent.entity_type == type(entity).__name__,
        AuditEvent.entity_id == str(entity.id),  # type: ignore[attr-defined]
        AuditEvent.action == action,
    )
    return list(db.session.scalars(stmt))


def _post(client: FlaskClient, url: str, **data: object) -> tuple[int, str, str]:
    response = client.post(url, data={"csrf_token": csrf_token(client, url), **data})
    return (response.status_code, response.get_data(as_text=True),
            response.headers.get("Location", ""))


NETWORK_FORM = {"name": "Kinship Data Group", "kind": "task_and_finish",
                "purpose": "Look at the *data*.", "join_rule": "all_authorities",
                "meeting_pattern": "Monthly", "parent": "0", "ends_on": ""}


def test_task_and_finish_group_needs_parent_and_end_date(
    client: FlaskClient, world: World
) -> None:
    login(client, world.pm)
    status, page, _ = _post(client, "/networks/new", **NETWORK_FORM)
    assert status == 422
    assert "<title>Error:" in page
    assert "Choose the parent network: a task and finish group belongs to one." in page
    assert 'value="Kinship Data Group"' in page  # what was typed is kept
    status, page, _ = _post(client, "/networks/new",
                            **{**NETWORK_FORM, "parent": str(world.network.id)})
    assert status == 422
    assert "Enter the end date: a task and finish group has one." in page
    status, _, location = _post(client, "/networks/new",
                                **{**NETWORK_FORM, "parent": str(world.network.id),
                                   "ends_on": "2026-12-31"})
    assert status == 302 and location.endswith("/networks/kinship-data-group")
    group = db.session.scalar(select(Network).where(Network.slug == "kinship-data-group"))
    assert group.parent_id == world.network.id and group.ends_on == date(2026, 12, 31)
    assert _audit(group, "create")[0].actor_id == world.pm.id
    parent_page = client.get(f"/networks/{world.network.slug}").get_data(as_text=True)
    assert "Kinship Data Group" in parent_page and "ends 31 December 2026" in parent_page
    page = client.get("/networks/kinship-data-group").get_data(as_text=True)
    assert "<em>data</em>" in page  # the purpose is Markdown


def test_network_validation_messages(world: World) -> None:
    values = svc.NetworkValues(name="  ", kind=NetworkKind.NETWORK)
    with pytest.raises(ServiceError, match="Enter the network's name") as caught:
        svc.create_network(world.pm, values)
    assert caught.value.field == "name"
    with pytest.raises(ServiceError, match="Another network is already called Kinship Network"):
        svc.create_network(world.pm, svc.NetworkValues("kinship  network", NetworkKind.GROUP))
    with pytest.raises(ServiceError, match="Choose at least one role"):
        svc.create_network(world.pm, svc.NetworkValues("Leads", NetworkKind.NETWORK,
                                                       join_rule=JoinRule.NAMED_ROLES))
    with pytest.raises(ServiceError, match="end date must be after"):
        svc.create_network(world.pm, svc.NetworkValues(
            "Set", NetworkKind.ACTION_LEARNING_SET, established_on=date(2026, 5, 1),
            ends_on=date(2026, 4, 1)))
    made = svc.create_network(world.pm, svc.NetworkValues(
        "Lead Members", NetworkKind.NETWORK, join_rule=JoinRule.NAMED_ROLES,
        join_roles=("lead_member", "not-a-role")))
    assert made.join_roles == "lead_member"


def test_a_network_cannot_sit_under_its_own_group(world: World) -> None:
    child = svc.create_network(world.pm, svc.NetworkValues(
        "Child Group", NetworkKind.GROUP, parent_id=world.network.id))
    values = svc.NetworkValues(world.network.name, NetworkKind.NETWORK, parent_id=child.id)
    with pytest.raises(ServiceError, match="cannot be the parent") as caught:
        svc.update_network(world.pm, world.network, values)
    assert caught.value.field == "parent"


def test_edit_is_audited_with_a_diff_and_keeps_the_slug(client: FlaskClient, world: World) -> None:
    login(client, world.pm)
    url = f"/networks/{world.network.slug}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Kinship Network"' in page
    form = {"name": "Regional Kinship Network", "kind": "network", "purpose": "New purpose",
            "join_rule": "authorities_and_partners", "meeting_pattern": "Quarterly",
            "parent": "0"}
    status, _, location = _post(client, url, **form)
    assert status == 302 and location.endswith(f"/networks/{world.network.slug}")
    assert world.network.name == "Regional Kinship Network"
    changes = _audit(world.network, "update")[-1].changes
    assert changes["name"] == ["Kinship Network", "Regional Kinship Network"]
    assert changes["meeting_pattern"] == ["", "Quarterly"]
    assert "slug" not in changes


def test_archive_leaves_the_index_but_keeps_the_page(client: FlaskClient, world: World) -> None:
    login(client, world.pm)
    status, _, _ = _post(client, f"/networks/{world.network.slug}/archive")
    assert status == 302 and world.network.is_archived
    index = client.get("/networks/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "DCS Group" in index and "Kinship Network" not in index
    page = client.get(f"/networks/{world.network.slug}").get_data(as_text=True)
    assert "Archived." in page and "Sponsor" in page
    assert _audit(world.network, "archive")[0].changes == {"is_archived": [False, True]}
    _post(client, f"/networks/{world.network.slug}/archive")  # bring it back
    assert not world.network.is_archived
    index = client.get("/networks/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Kinship Network" in index


def test_a_network_with_current_groups_cannot_be_archived(world: World) -> None:
    svc.create_network(world.pm, svc.NetworkValues(
        "Data Group", NetworkKind.GROUP, parent_id=world.network.id))
    with pytest.raises(ServiceError, match="archive Data Group first"):
        svc.set_archived(world.pm, world.network, True)


def test_chairs_do_not_change_the_rules_of_their_posts(world: World) -> None:
    appoint_svc.appoint(world.pm, world.chair, world.alice, today=local_today())
    with pytest.raises(PermissionDenied):
        svc.update_position(world.alice, world.chair, svc.PositionValues(
            "Chair", is_chair=True, term_years=5))
    with pytest.raises(PermissionDenied):
        svc.create_network(world.alice, svc.NetworkValues("Mine", NetworkKind.GROUP))


POST_FORM = {"title": "Vice Chair (partner charity)", "min_holders": "0", "max_holders": "1",
             "term_years": "2", "max_consecutive_terms": "", "eligibility": "partner",
             "eligibility_value": "", "members_only": "y", "approval_network": "0",
             "deputises_for": "0"}


def test_add_and_edit_a_post_through_the_form(client: FlaskClient, world: World) -> None:
    login(client, world.pm)
    url = f"/networks/{world.network.slug}/posts/new"
    status, page, _ = _post(client, url, **{**POST_FORM, "min_holders": "2"})
    assert status == 422
    assert "The maximum number of holders must be at least the minimum." in page
    status, page, _ = _post(client, url, **{**POST_FORM, "term_years": "",
                                            "max_consecutive_terms": "2"})
    assert "Set a term length to limit consecutive terms" in page
    status, _, location = _post(client, url, **{**POST_FORM,
                                                "deputises_for": str(world.chair.id)})
    post = db.session.scalar(select(Position).where(Position.title == POST_FORM["title"]))
    assert status == 302 and location.endswith(f"#post-{post.id}")
    assert post.eligibility == Eligibility.PARTNER and post.deputises_for_id == world.chair.id
    assert post.sort_order == 3 and post.members_only
    assert _audit(post, "create")[0].changes["eligibility"] == "partner"

    edit = f"/networks/{world.network.slug}/posts/{post.id}/edit"
    assert 'value="Vice Chair (partner charity)"' in client.get(edit).get_data(as_text=True)
    status, _, _ = _post(client, edit, **{**POST_FORM, "approval_network":
                                          str(world.dcs_group.id)})
    assert status == 302
    assert post.approval_network_id == world.dcs_group.id and post.deputises_for_id is None
    changes = _audit(post, "update")[-1].changes
    assert changes["approval_network_id"] == [None, world.dcs_group.id]


def test_post_validation_messages(world: World) -> None:
    def attempt(**values: object) -> ServiceError:
        with pytest.raises(ServiceError) as caught:
            svc.create_position(world.pm, world.network,
                                svc.PositionValues(**{"title": "Secretary", **values}))
        return caught.value

    assert attempt(title="vice chair").message == (
        "Kinship Network already has a post called Vice Chair.")
    assert attempt(max_holders=0).field == "max_holders"
    assert attempt(term_years=11).field == "term_years"
    assert attempt(eligibility=Eligibility.ORGANISATION_KIND).field == "eligibility_value"
    assert "same network" in attempt(approval_network_id=world.network.id).message
    other = svc.create_network(world.pm, svc.NetworkValues("Other", NetworkKind.GROUP))
    other_post = svc.create_position(world.pm, other, svc.PositionValues("Chair"))
    assert attempt(deputises_for_id=other_post.id).field == "deputises_for"


def test_deputising_cannot_go_round_in_a_circle(world: World) -> None:
    with pytest.raises(ServiceError, match="Vice Chair already deputises for Chair"):
        svc.update_position(world.pm, world.chair, svc.PositionValues(
            "Chair", is_chair=True, deputises_for_id=world.vice.id))


def test_maximum_cannot_drop_below_the_current_holders(world: World) -> None:
    today = local_today()
    appoint_svc.appoint(world.pm, world.vice, world.alice, today=today)
    appoint_svc.appoint(world.pm, world.vice, world.bob, today=today)
    with pytest.raises(ServiceError, match="2 people hold Vice Chair now"):
        svc.update_position(world.pm, world.vice, svc.PositionValues(
            "Vice Chair", deputises_for_id=world.chair.id, max_holders=1))


def test_a_held_post_cannot_be_retired(client: FlaskClient, world: World) -> None:
    appoint_svc.appoint(world.pm, world.vice, world.bob, today=local_today())
    login(client, world.pm)
    url = f"/networks/{world.network.slug}/posts/{world.vice.id}/retire"
    status, _, _ = _post(client, url)
    assert status == 302 and world.vice.retired_on is None
    page = client.get(f"/networks/{world.network.slug}").get_data(as_text=True)
    assert "Vice Chair cannot be retired while someone holds it" in page
    with pytest.raises(ServiceError, match="Vice Chair deputises for it"):
        svc.retire_position(world.pm, world.chair)


def test_retired_post_keeps_its_history_and_takes_no_appointments(world: World) -> None:
    today = local_today()
    made = appoint_svc.appoint(world.pm, world.vice, world.bob, today=today)
    appoint_svc.end_appointment(world.pm, made, "Stepped down", today=today)
    svc.retire_position(world.pm, world.vice, today=today)
    assert world.vice.retired_on == today
    assert _audit(world.vice, "retire")[0].actor_id == world.pm.id
    assert world.vice not in world.network.current_positions
    with pytest.raises(ServiceError, match="has been retired"):
        appoint_svc.appoint(world.pm, world.vice, world.alice, today=today)
    with pytest.raises(ServiceError, match="was retired on"):
        svc.retire_position(world.pm, world.vice)
    from seslip.networks.queries import history_of

    assert made in history_of(world.network)
