"""The network page as the network's home: what members read first, then posts, members and
facts; the chair's tools in a box of their own, shown only to those who run the network."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.networks import appointments as svc
from seslip.panels import panels_by_place
from seslip.parts import Panel
from seslip.timeutil import local_today
from tests.integration.networks.support import World, build_world
from tests.support.factories import login

ORDER = ('id="network-meetings"', 'id="network-posts"', 'id="network-members"',
         'id="network-about"')


@pytest.fixture
def world(app: Flask) -> World:
    w = build_world()
    svc.appoint(w.pm, w.chair, w.alice, today=local_today())
    return w


def _page(app: Flask, world: World, person: object) -> str:
    client: FlaskClient = app.test_client()
    login(client, person)  # type: ignore[arg-type]
    return client.get(f"/networks/{world.network.slug}").get_data(as_text=True)


def test_members_read_the_sections_in_order_without_the_chairs_tools(app: Flask,
                                                                     world: World) -> None:
    page = _page(app, world, world.carol)
    places = [page.index(marker) for marker in ORDER]
    assert places == sorted(places)
    assert 'id="chair-tools"' not in page and "Manage members" not in page
    assert "Appoint a Chair" not in page and "Open nominations for" not in page
    assert '<a href="#network-meetings">Meetings</a>' in page  # "On this page"
    assert 'class="table-stack members-table"' in page
    assert '<th scope="row">Kent</th>' in page  # one row per authority


def test_the_chair_gets_the_tools_grouped_before_what_members_read(app: Flask,
                                                                   world: World) -> None:
    page = _page(app, world, world.alice)
    tools = page.split('id="chair-tools"', 1)[1].split("</section>", 1)[0]
    assert page.index('id="chair-tools"') < page.index(ORDER[0])
    for link in ("Manage members", "Requests to join (0)", "Appoint a Chair",
                 "Open nominations for Vice Chair"):
        assert link in tools
    assert "Edit or archive this network" not in page  # staff only
    staff = _page(app, world, world.pm)
    assert "Edit or archive this network" in staff.split('id="chair-tools"', 1)[1]


def test_panels_go_where_they_ask_and_an_unknown_place_is_not_lost() -> None:
    main, chair, odd, plain = (Panel("a.html", 1), Panel("b.html", 2, place="chair"),
                               Panel("c.html", 3, place="elsewhere"), Panel("d.html", 4))
    places = panels_by_place([main, chair, odd, plain])
    assert places == {"main": [main, odd, plain], "side": [], "chair": [chair]}


def test_meetings_tools_are_with_the_chairs_and_a_vice_chair_sees_only_those(
        app: Flask, world: World) -> None:
    from datetime import time, timedelta

    from seslip.meetings import services as meetings

    meeting = meetings.create_meeting(world.alice, world.network, meetings.MeetingDetails(
        title="Kinship Network, soon", day=local_today() + timedelta(days=20), starts=time(10),
        ends=time(12), place="County Hall, Lewes"))
    meetings.add_item(world.alice, meeting, "Data report", world.carol, 30, True)
    svc.appoint(world.pm, world.vice, world.bob, today=local_today())

    chair = _page(app, world, world.alice).split('id="chair-tools"', 1)[1]
    tools = chair.split("</section>", 1)[0]
    assert "Plan a meeting" in tools and "Papers to chase" in tools
    assert "Data report: Carol Partner" in tools
    assert "Plan a meeting" not in chair.split("</section>", 1)[1]  # not among members' reading

    vice = _page(app, world, world.bob)
    tools = vice.split('id="chair-tools"', 1)[1].split("</section>", 1)[0]
    assert "Plan a meeting" in tools and "Manage members" not in vice

    member = _page(app, world, world.carol)
    assert 'id="chair-tools"' not in member and "Plan a meeting" not in member


def test_a_failed_join_decision_links_its_errors_to_its_fields(app: Flask,
                                                              world: World) -> None:
    """Found by the page sweep once the demo had a request waiting: the summary's links must
    reach the fields of the request that failed, with what was typed kept."""
    from seslip.networks.memberships import request_to_join
    from tests.support.factories import csrf_token

    request = request_to_join(world.outsider, world.network)
    client = app.test_client()
    login(client, world.alice)
    url = f"/networks/{world.network.slug}/requests"
    token = csrf_token(client, url)
    blank = client.post(f"{url}/{request.id}", data={"csrf_token": token})
    page = blank.get_data(as_text=True)
    assert blank.status_code == 422
    assert 'href="#decision-0"' in page and 'id="decision-0"' in page
    declined = client.post(f"{url}/{request.id}", data={
        "csrf_token": token, "decision": "decline", "reason": ""})
    page = declined.get_data(as_text=True)
    assert declined.status_code == 422
    linked = page.split('class="error-summary-list"', 1)[1].split('href="#', 1)[1].split('"')[0]
    assert f'id="{linked}"' in page
    assert 'id="decision-1" name="decision" value="decline" checked' in page
