"""My next things on the home page: each source, the grouping by when, the empty state and a
pinned query count."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.meetings import services as meetings
from seslip.networks import appointments as svc
from seslip.networks.memberships import request_to_join
from seslip.timeutil import local_today
from tests.integration.networks.support import World, build_world
from tests.support.factories import login, make_user


@pytest.fixture
def world(app: Flask) -> World:
    w = build_world()
    today = local_today()
    svc.appoint(w.pm, w.chair, w.alice, today=today)
    return w


def _meeting(w: World, title: str, days: int) -> None:
    meetings.create_meeting(w.alice, w.network, meetings.MeetingDetails(
        title=title, day=local_today() + timedelta(days=days), starts=time(10), ends=time(12),
        place="County Hall, Lewes"))


def _section(client: FlaskClient) -> str:
    page = " ".join(client.get("/").get_data(as_text=True).split())
    return page.split('id="home-next-things"', 1)[1].split("</section>", 1)[0]


def test_chair_sees_requests_and_members_see_coming_meetings(app: Flask, client: FlaskClient,
                                                            world: World) -> None:
    request_to_join(world.outsider, world.network, "Kent's kinship lead")
    _meeting(world, "Kinship Network, soon", 3)
    _meeting(world, "Kinship Network, later", 40)
    _meeting(world, "Kinship Network, next year", 200)  # beyond what "next" means
    login(client, world.alice)
    mine = _section(client)
    assert "1 request to join Kinship Network waiting for your answer" in mine
    assert f'href="/networks/{world.network.slug}/requests"' in mine
    assert mine.index(">Today<") < mine.index("In the next 7 days") < \
        mine.index("Later")
    assert mine.index("Kinship Network, soon") < mine.index("Kinship Network, later")
    assert "next year" not in mine
    assert "at 10:00" in mine  # the meeting's date and London time

    member = app.test_client()
    login(member, world.carol)  # a member: the meetings, not the chair's requests
    carols = _section(member)
    assert "Kinship Network, soon" in carols and "request to join" not in carols


def test_approving_chair_sees_the_approval_waiting(app: Flask, client: FlaskClient,
                                                   world: World) -> None:
    proposal = svc.appoint(world.pm, world.sponsor, world.kent_dcs, today=local_today())
    login(client, world.dcs_chair)
    mine = _section(client)
    assert "Approve or decline Ken Director as Sponsor of Kinship Network" in mine
    assert f'href="/networks/approvals/{proposal.id}"' in mine
    proposer = app.test_client()
    login(proposer, world.alice)  # chairs the proposing network, not the approving one
    assert "Approve or decline" not in _section(proposer)


def test_cancelled_meetings_are_not_next_things(client: FlaskClient, world: World) -> None:
    _meeting(world, "Kinship Network, called off", 5)
    meeting = meetings.upcoming(world.network)[0]
    meetings.cancel_meeting(world.alice, meeting, "The room is unavailable")
    login(client, world.carol)
    assert "called off" not in _section(client)


def test_nothing_waiting_says_so(client: FlaskClient, world: World) -> None:
    login(client, world.outsider)
    assert "Nothing is waiting for you" in _section(client)


def test_home_page_query_count_is_pinned(client: FlaskClient, world: World,
                                         query_counter) -> None:  # type: ignore[no-untyped-def]
    request_to_join(world.outsider, world.network)
    _meeting(world, "Kinship Network, soon", 3)
    login(client, world.alice)
    with query_counter.count() as few:
        assert client.get("/").status_code == 200
    for n in range(3):  # more meetings, requests and networks: the same queries
        _meeting(world, f"Kinship Network {n}", 10 + n)
        request_to_join(make_user(name=f"Newcomer {n}", organisation=world.kent),
                        world.network)
    with query_counter.count() as many:
        assert client.get("/").status_code == 200
    # cycles 1, challenge 2, events 2; programmes 4 (papers owed, actions, suggestions, meetings
    # to confirm)
    assert many.total == few.total == 28, few.statements


def test_the_demo_chair_has_a_request_waiting(app: Flask, client: FlaskClient) -> None:
    from sqlalchemy import select

    from seslip.accounts.models import User
    from seslip.demo import CHAIR_EMAIL, DEMO_PASSWORD, run_demo
    from seslip.extensions import db

    run_demo(lambda _line: None)
    chair = db.session.scalar(select(User).where(User.email == CHAIR_EMAIL))
    login(client, chair, DEMO_PASSWORD)
    assert "1 request to join South East Lead Member Network waiting" in _section(client)
    assert run_demo(lambda _line: None) == 0


def test_the_programme_manager_answers_requests_where_nobody_chairs(app: Flask,
                                                                    world: World) -> None:
    from tests.integration.networks.support import make_network

    unchaired = make_network("Data Network")
    request_to_join(world.outsider, unchaired)
    request_to_join(world.outsider, world.network)  # Alice chairs this one: hers, not the PM's
    pm = app.test_client()
    login(pm, world.pm)
    mine = _section(pm)
    assert "1 request to join Data Network waiting for your answer" in mine
    assert "request to join Kinship Network" not in mine
