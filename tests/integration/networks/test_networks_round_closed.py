"""When nominations close, the chairs and the programme manager get one email listing them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.errors import ServiceError
from seslip.networks import appointments as svc
from seslip.networks.models import RoundStatus
from seslip.networks.rotation import tick
from seslip.timeutil import local_today
from tests.integration.networks.support import TODAY, World, build_world, outbox
from tests.support.factories import csrf_token, login


@pytest.fixture
def world(app: Flask) -> World:
    world = build_world()
    svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2025, 6, 1),
                today=date(2025, 6, 1))
    return world


def _round_with_nominations(world: World, today: date = TODAY):  # type: ignore[no-untyped-def]
    closes_on = today + timedelta(days=18)
    rnd = svc.open_round(world.pm, world.vice, closes_on, "Two places", today=today)
    svc.nominate(world.bob, rnd, world.bob, "I would like to help.", today=today)
    svc.nominate(world.alice, rnd, world.carol, today=today)
    return rnd


def test_tick_closes_an_overdue_round_and_emails_once(world: World) -> None:
    rnd = _round_with_nominations(world)
    assert tick(date(2026, 3, 20)).rounds_closed == []  # open up to and including the day
    report = tick(date(2026, 3, 21))
    assert report.rounds_closed == ["Vice Chair of Kinship Network"]
    assert rnd.status == RoundStatus.CLOSED
    sent = outbox("nomination_round_closed")
    assert sorted(m.recipient for m in sent) == sorted([world.alice.email, world.pm.email])
    assert {m.audience for m in sent} == {"chairs"}
    body = sent[0].body_text
    assert "Nominations for Vice Chair of Kinship Network closed on 20 March 2026" in body
    assert "2 nominations" in body
    assert "Bob Officer, Surrey, nominated by themselves" in body
    assert '"I would like to help."' in body
    assert "Carol Partner, Kinship, nominated by Alice Officer" in body
    assert f"/networks/rounds/{rnd.id}" in body
    assert "Carol Partner" in sent[0].body_html
    tick(date(2026, 3, 22))
    assert len(outbox("nomination_round_closed")) == 2


def test_manual_close_emails_once_and_tick_adds_nothing(
    client: FlaskClient, world: World
) -> None:
    rnd = _round_with_nominations(world, local_today())
    login(client, world.alice)
    url = f"/networks/rounds/{rnd.id}"
    response = client.post(f"{url}/close", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert rnd.status == RoundStatus.CLOSED
    assert len(outbox("nomination_round_closed")) == 2
    response = client.post(f"{url}/close", data={"csrf_token": csrf_token(client, url)})
    assert "This round is not open." in client.get(url).get_data(as_text=True)
    with pytest.raises(ServiceError, match="not open"):
        svc.close_round(None, rnd)
    tick(local_today() + timedelta(days=60))
    assert len(outbox("nomination_round_closed")) == 2


def test_a_round_nobody_answered_says_so_and_can_be_replaced(world: World) -> None:
    rnd = svc.open_round(world.pm, world.vice, date(2026, 3, 20), today=TODAY)
    tick(date(2026, 3, 21))
    body = outbox("nomination_round_closed")[0].body_text
    assert "Nobody was nominated." in body
    assert "open nominations again or appoint someone directly" in body
    again = svc.open_round(world.pm, world.vice, date(2026, 4, 30), today=date(2026, 3, 21))
    assert again.id != rnd.id
    with pytest.raises(ServiceError, match="already running"):
        svc.open_round(world.pm, world.vice, date(2026, 5, 30), today=date(2026, 3, 21))


def test_a_close_that_lost_the_race_sends_nothing(world: World) -> None:
    from sqlalchemy import update

    from seslip.extensions import db
    from seslip.networks.models import NominationRound

    rnd = _round_with_nominations(world)
    # Another worker closed the round after this one loaded it: our copy still says open.
    db.session.execute(update(NominationRound).where(NominationRound.id == rnd.id)
                       .values(status=RoundStatus.CLOSED)
                       .execution_options(synchronize_session=False))
    assert rnd.status == RoundStatus.OPEN
    with pytest.raises(ServiceError, match="not open"):
        svc.close_round(None, rnd)
    assert outbox("nomination_round_closed") == []
