"""A terms-of-reference world: the networks world (Kinship Network, whose Sponsor the DCS
Group approves) with the shipped template in the library and chairs appointed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seslip.accounts.models import User
from seslip.library.services import sync
from seslip.networks.appointments import appoint
from seslip.networks.memberships import add_membership
from seslip.networks.models import Network
from seslip.terms import services
from seslip.terms.models import TermsDraft
from tests.integration.networks.support import TODAY, World, build_world, make_network
from tests.support.factories import make_admin, make_user


@dataclass
class TermsWorld:
    w: World
    admin: User
    chair: User  # alice chairs the Kinship Network
    vice: User  # bob is its Vice Chair
    member: User  # carol
    approver: User  # dana chairs the DCS Group
    network: Network
    plain: Network  # a network whose changes need no other body (chaired by paula)
    plain_chair: User


def build_terms_world() -> TermsWorld:
    assert all(outcome.done == "imported" for outcome in sync(None))
    w = build_world()
    admin = make_admin(name="Ada Admin")
    appoint(w.pm, w.chair, w.alice, starts_on=TODAY, today=TODAY)
    appoint(w.pm, w.vice, w.bob, starts_on=TODAY, today=TODAY)
    plain = make_network("Lead Member Network")
    from tests.integration.networks.support import make_position

    plain_post = make_position(plain, "Chair", is_chair=True, term_years=2)
    paula = make_user(name="Paula Lead", organisation=w.kent)
    add_membership(w.pm, plain, paula, started_on=date(2020, 1, 1), today=TODAY)
    appoint(w.pm, plain_post, paula, starts_on=TODAY, today=TODAY)
    return TermsWorld(w, admin, w.alice, w.bob, w.carol, w.dcs_chair, w.network, plain, paula)


def draft_with(world: TermsWorld, sponsor: str = "The Sponsor is Dr Mac Heath.") -> TermsDraft:
    draft = services.start_draft(world.chair, world.network)
    row = services.section_row(draft, "sponsor")
    services.save_section(world.chair, draft, "sponsor", sponsor,
                          {"sponsor_name": "Dr Mac Heath", "sponsor_approved_by": "DCS Group"},
                          row.revision)
    return draft
