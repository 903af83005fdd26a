"""One rule for an open nomination round, and the loaders' order: a 404 before a 403."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.extensions import db
from seslip.networks import appointments
from seslip.networks.models import NominationRound, RoundStatus
from tests.integration.networks.support import World, build_world, make_network, make_position
from tests.support.factories import login

TODAY = date(2026, 3, 2)


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


def test_a_round_is_open_up_to_its_closing_day_in_python_and_in_sql(world: World) -> None:
    made = appointments.open_round(world.pm, world.vice, TODAY + timedelta(days=3), today=TODAY)

    def open_on(day: date) -> tuple[bool, bool]:
        in_sql = db.session.scalar(
            select(NominationRound.id).where(NominationRound.open_on(day))) == made.id
        return made.open_on(day), in_sql

    assert open_on(TODAY + timedelta(days=3)) == (True, True)
    assert open_on(TODAY + timedelta(days=4)) == (False, False)
    made.status = RoundStatus.CLOSED
    db.session.commit()
    assert open_on(TODAY) == (False, False)


def test_a_post_of_another_network_is_not_found_before_permission_is_asked(
    client: FlaskClient, world: World
) -> None:
    elsewhere = make_position(make_network("Other Network"), "Chair", is_chair=True)
    login(client, world.bob)  # a member, not a manager: a real post of theirs would be a 403
    ours = f"/networks/{world.network.slug}/posts/{world.chair.id}/appoint"
    theirs = f"/networks/{world.network.slug}/posts/{elsewhere.id}/appoint"
    assert client.get(ours).status_code == 403
    assert client.get(theirs).status_code == 404
    assert client.get(f"/networks/{world.network.slug}/posts/{elsewhere.id}/edit"
                      ).status_code == 404
