"""The networks demo follows the seeds and is idempotent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from seslip.extensions import db
from seslip.networks.models import Appointment, Membership, Network, NetworkKind, Position
from seslip.networks.queries import posts_of
from seslip.organisations.models import OrganisationKind


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Network, Position, Appointment, Membership))


def test_kinship_network_as_in_its_terms_of_reference(runner: Any) -> None:
    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0
    kinship = db.session.scalar(select(Network).where(Network.slug == "regional-kinship-network"))
    posts = posts_of(kinship)
    by_title = {p.title: p for p in posts.positions}
    # one or more Chairs and Vice Chairs; the Vice Chair is the partner charity's Chief Executive
    assert by_title["Chair"].max_holders >= 2 and by_title["Vice Chair"].max_holders >= 2
    assert by_title["Vice Chair"].deputises_for_id == by_title["Chair"].id
    vice = [a.user for a in posts.holding[by_title["Vice Chair"].id]]
    assert [(u.organisation.kind, u.job_title) for u in vice] == [
        (OrganisationKind.PARTNER, "Chief Executive")]
    assert by_title["Sponsor"].approval_network.slug == "se-dcs-group"
    # task and finish groups may be set up under the network
    group = db.session.scalar(select(Network).where(Network.parent_id == kinship.id))
    assert group.kind == NetworkKind.TASK_AND_FINISH and group.ends_on is not None
    assert posts_of(group).chairs()


def test_demo_on_an_existing_database_duplicates_nothing(runner: Any) -> None:
    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0
    before = _counts()
    second = runner.invoke(args=["seslip", "demo"])
    assert second.exit_code == 0, second.output
    assert "Networks: 0 records added." in second.output
    assert _counts() == before
