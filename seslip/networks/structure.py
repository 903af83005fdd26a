"""Setting up networks and their posts: create, edit, archive a network; add, edit, retire a post.

Staff only (admins and the programme manager), chairs included: a post's rules (term length and
limit, eligibility, approval by another network) bind the chair themselves, and the terms of
reference give changes such as a new Sponsor to the SE DCS group, so a chair must not be able
to rewrite them. Chairs keep running their network: members, appointments, nominations.
Nothing is deleted: networks are archived, posts retired, and every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from seslip.accounts.models import OrgRole, User
from seslip.audit.services import assign, record
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.networks.models import (
    HOLDING,
    PENDING,
    Appointment,
    Network,
    NetworkKind,
    NominationRound,
    Position,
    RoundStatus,
)
from seslip.networks.rules import (
    SLUG_RESERVED,
    Eligibility,
    JoinRule,
    creates_cycle,
    holders_message,
    network_shape_message,
    slugify,
    term_message,
)
from seslip.organisations.models import OrganisationKind
from seslip.permissions import require_staff
from seslip.timeutil import format_date, local_today


@dataclass
class NetworkValues:
    name: str
    kind: NetworkKind
    purpose: str = ""
    join_rule: JoinRule = JoinRule.ALL_AUTHORITIES
    join_roles: tuple[str, ...] = ()
    meeting_pattern: str = ""
    parent_id: int | None = None
    established_on: date | None = None
    ends_on: date | None = None


def _fail(problem: tuple[str, str] | None) -> None:
    if problem:
        raise ServiceError(problem[1], problem[0])


def _network_fields(values: NetworkValues, network: Network | None) -> dict[str, Any]:
    name = " ".join(values.name.split())
    if not name:
        raise ServiceError("Enter the network's name.", "name")
    taken = select(Network.name).where(func.lower(Network.name) == name.lower())
    if network is not None:
        taken = taken.where(Network.id != network.id)
    existing = db.session.scalar(taken)
    if existing is not None:
        raise ServiceError(f"Another network is already called {existing}.", "name")
    roles = tuple(r for r in values.join_roles if r in {o.value for o in OrgRole})
    if values.join_rule == JoinRule.NAMED_ROLES and not roles:
        raise ServiceError("Choose at least one role that may join.", "join_roles")
    parent = db.session.get(Network, values.parent_id) if values.parent_id else None
    if values.parent_id and parent is None:
        raise ServiceError("Choose a parent network from the list.", "parent")
    if parent is not None and network is not None:
        links = {n.id: n.parent_id for n in db.session.scalars(select(Network))}
        if creates_cycle(network.id, parent.id, links):
            raise ServiceError(
                f"{parent.name} cannot be the parent: it is {network.name} itself or one of "
                "its groups.", "parent")
    keeps_parent = network is not None and parent is not None and network.parent_id == parent.id
    if parent is not None and parent.is_archived and not keeps_parent:
        raise ServiceError(f"{parent.name} is archived: choose a current network.", "parent")
    _fail(network_shape_message(values.kind == NetworkKind.TASK_AND_FINISH, parent is not None,
                                values.established_on, values.ends_on))
    return {
        "name": name, "kind": values.kind, "purpose": values.purpose.strip(),
        "join_rule": values.join_rule,
        "join_roles": ",".join(roles) if values.join_rule == JoinRule.NAMED_ROLES else "",
        "meeting_pattern": values.meeting_pattern.strip(),
        "parent_id": parent.id if parent else None,
        "established_on": values.established_on, "ends_on": values.ends_on,
    }


def _free_slug(name: str) -> str:
    base = slugify(name)
    if base in SLUG_RESERVED:
        base = f"{base}-network"
    taken = set(db.session.scalars(select(Network.slug).where(Network.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_network(actor: User, values: NetworkValues) -> Network:
    require_staff(actor)
    fields = _network_fields(values, None)
    network = Network(slug=_free_slug(fields["name"]), **fields)
    db.session.add(network)
    db.session.flush()
    record(actor, "create", network, f"Created {network.name}", {"slug": network.slug, **fields})
    db.session.commit()
    return network


def update_network(actor: User, network: Network, values: NetworkValues) -> Network:
    """Edit a network's details. Its web address (slug) stays, so links in emails keep working."""
    require_staff(actor)
    changes = assign(network, _network_fields(values, network))
    if changes:
        record(actor, "update", network, f"Edited {network.name}", changes)
    db.session.commit()
    return network


def set_archived(actor: User, network: Network, archived: bool, today: date | None = None
                 ) -> Network:
    """Archive (or bring back) a network: it leaves the index and keeps its page and history."""
    require_staff(actor)
    if network.is_archived == archived:
        state = "archived" if archived else "not archived"
        raise ServiceError(f"{network.name} is already {state}.")
    if archived:
        live = [c.name for c in network.children if not c.is_archived]
        if live:
            raise ServiceError(
                f"{network.name} cannot be archived while its groups are current: archive "
                f"{', '.join(live)} first.")
    changes = assign(network, {"is_archived": archived})
    record(actor, "archive" if archived else "restore", network,
           f"{'Archived' if archived else 'Brought back'} {network.name}", changes)
    db.session.commit()
    return network


# Posts ---------------------------------------------------------------------------------------


@dataclass
class PositionValues:
    title: str
    description: str = ""
    is_chair: bool = False
    min_holders: int = 1
    max_holders: int = 1
    term_years: int | None = None
    max_consecutive_terms: int | None = None
    eligibility: Eligibility = Eligibility.ANYONE
    eligibility_value: str = ""
    members_only: bool = True
    approval_network_id: int | None = None
    deputises_for_id: int | None = None


def _holding_count(position: Position | None) -> int:
    if position is None or position.id is None:
        return 0
    stmt = select(func.count(Appointment.id)).where(
        Appointment.position_id == position.id, Appointment.status.in_(HOLDING))
    return db.session.scalar(stmt) or 0


def _position_fields(
    network: Network, values: PositionValues, position: Position | None
) -> dict[str, Any]:
    title = " ".join(values.title.split())
    if not title:
        raise ServiceError("Enter the post's title, for example Chair.", "title")
    others = [p for p in network.current_positions if p is not position]
    same = next((p for p in others if p.title.lower() == title.lower()), None)
    if same is not None:
        raise ServiceError(f"{network.name} already has a post called {same.title}.", "title")
    _fail(holders_message(values.min_holders, values.max_holders, _holding_count(position),
                          title))
    _fail(term_message(values.term_years, values.max_consecutive_terms))
    kind_value = ""
    if values.eligibility == Eligibility.ORGANISATION_KIND:
        kind_value = values.eligibility_value
        if kind_value not in {k.value for k in OrganisationKind}:
            raise ServiceError("Choose the kind of organisation holders must come from.",
                               "eligibility_value")
    approving = db.session.get(Network, values.approval_network_id) \
        if values.approval_network_id else None
    if approving is not None and approving.id == network.id:
        raise ServiceError("A change cannot need the approval of the same network: choose "
                           "another network, or none.", "approval_network")
    if values.approval_network_id and (approving is None or approving.is_archived):
        raise ServiceError("Choose a current network to approve changes, or none.",
                           "approval_network")
    deputy_of = next((p for p in others if p.id == values.deputises_for_id), None)
    if values.deputises_for_id and deputy_of is None:
        raise ServiceError(f"Choose a post of {network.name} to deputise for, or none.",
                           "deputises_for")
    if deputy_of is not None and position is not None and creates_cycle(
        position.id, deputy_of.id, {p.id: p.deputises_for_id for p in network.positions}
    ):
        raise ServiceError(f"{title} cannot deputise for {deputy_of.title}: "
                           f"{deputy_of.title} already deputises for {title}.", "deputises_for")
    return {
        "title": title, "description": values.description.strip(), "is_chair": values.is_chair,
        "min_holders": values.min_holders, "max_holders": values.max_holders,
        "term_years": values.term_years, "max_consecutive_terms": values.max_consecutive_terms,
        "eligibility": values.eligibility, "eligibility_value": kind_value,
        "members_only": values.members_only,
        "approval_network_id": approving.id if approving else None,
        "deputises_for_id": deputy_of.id if deputy_of else None,
    }


def _require_current(network: Network) -> None:
    if network.is_archived:
        raise ServiceError(f"{network.name} is archived: bring it back before changing its posts.")


def create_position(actor: User, network: Network, values: PositionValues) -> Position:
    require_staff(actor)
    _require_current(network)
    fields = _position_fields(network, values, None)
    order = max((p.sort_order for p in network.positions), default=-1) + 1
    position = Position(network_id=network.id, sort_order=order, **fields)
    db.session.add(position)
    db.session.flush()
    record(actor, "create", position, f"Added the post {position.title} to {network.name}",
           fields)
    db.session.commit()
    return position


def update_position(actor: User, position: Position, values: PositionValues) -> Position:
    require_staff(actor)
    _require_current(position.network)
    _require_not_retired(position)
    changes = assign(position, _position_fields(position.network, values, position))
    if changes:
        record(actor, "update", position,
               f"Edited the post {position.title} of {position.network.name}", changes)
    db.session.commit()
    return position


def _require_not_retired(position: Position) -> None:
    if position.retired_on is not None:
        raise ServiceError(f"{position.title} was retired on {format_date(position.retired_on)}.")


def retire_position(actor: User, position: Position, today: date | None = None) -> Position:
    """Retire a post nobody holds or is about to hold. Its history stays."""
    require_staff(actor)
    _require_not_retired(position)
    today = today or local_today()
    title = position.title
    held = db.session.scalar(select(func.count(Appointment.id)).where(
        Appointment.position_id == position.id, Appointment.status.in_(HOLDING + PENDING)))
    if held:
        raise ServiceError(
            f"{title} cannot be retired while someone holds it or is proposed for it: end "
            "those appointments first.")
    running = db.session.scalar(select(NominationRound.id).where(
        NominationRound.position_id == position.id,
        NominationRound.status.in_([RoundStatus.OPEN, RoundStatus.CLOSED])))
    if running is not None:
        raise ServiceError(f"{title} cannot be retired while nominations for it are running.")
    deputies = [p.title for p in position.network.current_positions
                if p.deputises_for_id == position.id]
    if deputies:
        raise ServiceError(f"{title} cannot be retired: {', '.join(deputies)} deputises for it. "
                           "Change that post first.")
    changes = assign(position, {"retired_on": today})
    record(actor, "retire", position, f"Retired the post {title} of {position.network.name}",
           changes)
    db.session.commit()
    return position
