"""A small world for networks tests, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from seslip.accounts.models import OrgRole, User
from seslip.extensions import db
from seslip.networks.memberships import add_membership
from seslip.networks.models import Network, NetworkKind, Position
from seslip.networks.rules import Eligibility, JoinRule
from seslip.notifications.models import OutboxMessage
from seslip.organisations.models import Organisation, OrganisationKind
from tests.support.factories import make_organisation, make_programme_manager, make_user

TODAY = date(2026, 3, 2)


@dataclass
class World:
    pm: User
    kent: Organisation
    surrey: Organisation
    charity: Organisation
    dcs_group: Network
    dcs_chair: User
    kent_dcs: User
    network: Network
    chair: Position
    vice: Position
    sponsor: Position
    alice: User  # officer, member
    bob: User  # officer, member
    carol: User  # partner, member
    outsider: User  # officer, not a member


def make_network(name: str, **extra: object) -> Network:
    network = Network(
        slug=name.lower().replace(" ", "-"), name=name,
        kind=extra.pop("kind", NetworkKind.NETWORK), purpose=f"Purpose of {name}",
        join_rule=extra.pop("join_rule", JoinRule.ALL_AUTHORITIES), **extra,
    )
    db.session.add(network)
    db.session.commit()
    return network


def make_position(network: Network, title: str, **extra: object) -> Position:
    position = Position(network_id=network.id, title=title, **extra)
    db.session.add(position)
    db.session.commit()
    return position


def build_world() -> World:
    pm = make_programme_manager(name="Pat Manager")
    kent = make_organisation("Kent")
    surrey = make_organisation("Surrey")
    charity = make_organisation("Kinship", kind=OrganisationKind.PARTNER)
    dcs_group = make_network("DCS Group", kind=NetworkKind.GROUP)
    dcs_chair_post = make_position(dcs_group, "Chair", is_chair=True,
                                   eligibility=Eligibility.DCS, term_years=2)
    dcs_chair = make_user(name="Dana Director", organisation=surrey, org_role=OrgRole.DCS)
    kent_dcs = make_user(name="Ken Director", organisation=kent, org_role=OrgRole.DCS)
    add_membership(pm, dcs_group, dcs_chair, started_on=date(2020, 1, 1), today=TODAY)
    add_membership(pm, dcs_group, kent_dcs, started_on=date(2020, 1, 1), today=TODAY)
    from seslip.networks.appointments import appoint

    appoint(pm, dcs_chair_post, dcs_chair, starts_on=date(2025, 1, 1), today=TODAY)

    network = make_network("Kinship Network")
    sponsor = make_position(network, "Sponsor", eligibility=Eligibility.DCS, members_only=False,
                            approval_network_id=dcs_group.id, sort_order=0)
    chair = make_position(network, "Chair", is_chair=True, term_years=2,
                          max_consecutive_terms=2, sort_order=1)
    vice = make_position(network, "Vice Chair", term_years=2, max_holders=2,
                         deputises_for_id=chair.id, sort_order=2)
    alice = make_user(name="Alice Officer", organisation=kent, org_role=OrgRole.OFFICER)
    bob = make_user(name="Bob Officer", organisation=surrey, org_role=OrgRole.OFFICER)
    carol = make_user(name="Carol Partner", organisation=charity, org_role=OrgRole.PARTNER)
    outsider = make_user(name="Olly Outsider", organisation=kent, org_role=OrgRole.OFFICER)
    for person in (alice, bob, carol):
        add_membership(pm, network, person, started_on=date(2020, 1, 1), today=TODAY)
    return World(pm, kent, surrey, charity, dcs_group, dcs_chair, kent_dcs, network, chair,
                  vice, sponsor, alice, bob, carol, outsider)


def outbox(event: str | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if event:
        stmt = stmt.where(OutboxMessage.event == event)
    return list(db.session.scalars(stmt))
