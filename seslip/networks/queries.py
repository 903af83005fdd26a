"""Read-side helpers shared by the networks services and views: who holds, chairs, belongs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import SiteRole, User
from seslip.errors import NotFound
from seslip.extensions import db
from seslip.markup import render_markdown
from seslip.networks.models import (
    HOLDING,
    PENDING,
    Appointment,
    AppointmentStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Network,
    NominationRound,
    Position,
    RoundStatus,
)
from seslip.networks.rules import Candidate, acting_holders
from seslip.organisations.models import Organisation, OrganisationKind


def get_network(slug: str) -> Network:
    network = db.session.scalar(select(Network).where(Network.slug == slug))
    if network is None:
        raise NotFound(f"There is no network at '{slug}'.")
    return network


def current_memberships_stmt(today: date) -> Select[Membership]:
    return select(Membership).where(
        Membership.started_on <= today,
        or_(Membership.ended_on.is_(None), Membership.ended_on > today),
    )


def current_members(network: Network, today: date) -> list[Membership]:
    stmt = (
        current_memberships_stmt(today)
        .where(Membership.network_id == network.id)
        .options(selectinload(Membership.user), selectinload(Membership.organisation))
    )
    return list(db.session.scalars(stmt))


def membership_of(user: User, network: Network, today: date) -> Membership | None:
    stmt = current_memberships_stmt(today).where(
        Membership.network_id == network.id, Membership.user_id == user.id
    )
    return db.session.scalars(stmt).first()


def candidate(user: User, network: Network, today: date) -> Candidate:
    org = user.organisation
    return Candidate(
        name=user.name,
        org_role=str(user.org_role.value) if user.org_role else None,
        organisation_kind=str(org.kind.value) if org else None,
        is_member=membership_of(user, network, today) is not None,
    )


def appointments_of(
    network: Network, statuses: tuple[AppointmentStatus, ...] = HOLDING + PENDING
) -> list[Appointment]:
    stmt = (
        select(Appointment)
        .join(Position, Appointment.position_id == Position.id)
        .where(Position.network_id == network.id, Appointment.status.in_(statuses))
        .options(selectinload(Appointment.user))
        .order_by(Appointment.starts_on, Appointment.id)
    )
    return list(db.session.scalars(stmt))


@dataclass
class Posts:
    """Who holds each post of one network now, who is pending, and who is acting."""

    positions: list[Position]
    holding: dict[int, list[Appointment]] = field(default_factory=dict)
    pending: dict[int, list[Appointment]] = field(default_factory=dict)
    acting: dict[int, list[User]] = field(default_factory=dict)

    def chairs(self) -> list[User]:
        """People chairing: holders of chair posts, or the acting deputies when those are empty."""
        people: list[User] = []
        for position in self.positions:
            if position.is_chair:
                people += [a.user for a in self.holding.get(position.id, [])]
                people += self.acting.get(position.id, [])
        unique: dict[int, User] = {p.id: p for p in people}
        return list(unique.values())

    def chair_label(self) -> str:
        for position in self.positions:
            if position.is_chair:
                names = [a.user.name for a in self.holding.get(position.id, [])]
                if names:
                    return ", ".join(names)
                acting = [u.name for u in self.acting.get(position.id, [])]
                if acting:
                    return ", ".join(acting) + f" (acting {position.title})"
        return "Vacant"


def _resolve_acting(posts: Posts) -> Posts:
    users = {a.user_id: a.user for items in posts.holding.values() for a in items}
    acting = acting_holders(
        {p.id: [a.user_id for a in posts.holding.get(p.id, [])] for p in posts.positions},
        {p.id: p.deputises_for_id for p in posts.positions},
    )
    posts.acting = {pid: [users[u] for u in ids] for pid, ids in acting.items()}
    return posts


def posts_of(network: Network) -> Posts:
    posts = Posts(positions=network.current_positions)
    for appointment in appointments_of(network):
        bucket = posts.holding if appointment.status in HOLDING else posts.pending
        bucket.setdefault(appointment.position_id, []).append(appointment)
    return _resolve_acting(posts)


def chairs_of(network: Network) -> list[User]:
    return posts_of(network).chairs()


def can_manage(user: User | None, network: Network, posts: Posts | None = None) -> bool:
    """Staff, and the network's chairs (or the Vice Chair acting as Chair), manage a network."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    posts = posts or posts_of(network)
    return any(chair.id == user.id for chair in posts.chairs())


def programme_managers() -> list[User]:
    stmt = select(User).where(
        User.site_role == SiteRole.PROGRAMME_MANAGER, User.is_active_account.is_(True)
    )
    return list(db.session.scalars(stmt))


def person(ident: int | None) -> User | None:
    """The person a form's select names, if there is one."""
    return db.session.get(User, ident) if ident else None


def active_people(members_of: Network | None = None, today: date | None = None) -> list[User]:
    """People with an active account, by name; only the current members of `members_of`."""
    stmt = select(User).where(User.is_active_account.is_(True)).order_by(User.name)
    if members_of is not None and today is not None:
        member_ids = [m.user_id for m in current_members(members_of, today)]
        stmt = stmt.where(User.id.in_(member_ids))
    return list(db.session.scalars(stmt))


def all_networks() -> list[Network]:
    return list(db.session.scalars(select(Network).order_by(Network.name)))


def approving_networks(network: Network) -> list[Network]:
    """The networks that may approve appointments to `network`'s posts: any other, not archived."""
    stmt = (
        select(Network)
        .where(Network.is_archived.is_(False), Network.id != network.id)
        .order_by(Network.name)
    )
    return list(db.session.scalars(stmt))


def authorities() -> list[Organisation]:
    stmt = (
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.AUTHORITY)
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(stmt))


def members_by_organisation(members: list[Membership]) -> list[tuple[str, list[Membership]]]:
    groups: dict[str, list[Membership]] = defaultdict(list)
    for m in members:
        groups[m.organisation.name if m.organisation else "No organisation"].append(m)
    return sorted(
        ((name, sorted(items, key=lambda m: m.user.name)) for name, items in groups.items()),
        key=lambda item: item[0],
    )


def pending_join_requests(network: Network) -> list[JoinRequest]:
    stmt = (
        select(JoinRequest)
        .where(
            JoinRequest.network_id == network.id,
            JoinRequest.status == JoinRequestStatus.PENDING,
        )
        .options(selectinload(JoinRequest.user))
        .order_by(JoinRequest.created_at)
    )
    return list(db.session.scalars(stmt))


def open_rounds(network: Network) -> list[NominationRound]:
    stmt = (
        select(NominationRound)
        .join(Position, NominationRound.position_id == Position.id)
        .where(
            Position.network_id == network.id,
            NominationRound.status.in_([RoundStatus.OPEN, RoundStatus.CLOSED]),
        )
        .order_by(NominationRound.closes_on)
    )
    return list(db.session.scalars(stmt))


def history_of(network: Network) -> list[Appointment]:
    stmt = (
        select(Appointment)
        .join(Position, Appointment.position_id == Position.id)
        .where(Position.network_id == network.id)
        .options(selectinload(Appointment.user), selectinload(Appointment.position))
        .order_by(Position.sort_order, Position.id, Appointment.starts_on.desc(), Appointment.id)
    )
    return list(db.session.scalars(stmt))


def my_networks(user: User, today: date) -> list[tuple[Network, Membership]]:
    stmt = (
        current_memberships_stmt(today)
        .where(Membership.user_id == user.id)
        .options(selectinload(Membership.network))
    )
    rows = [(m.network, m) for m in db.session.scalars(stmt)]
    return sorted(rows, key=lambda row: row[0].name)


@dataclass(frozen=True)
class HomePanel:
    """The home page's networks panel: where `user` is a member, and the posts they hold."""

    memberships: list[tuple[Network, Membership]]
    posts: list[Appointment]


def home_panel(user: User, today: date) -> HomePanel:
    return HomePanel(my_networks(user, today), my_posts(user))


def my_posts(user: User) -> list[Appointment]:
    stmt = (
        select(Appointment)
        .where(Appointment.user_id == user.id, Appointment.status.in_(HOLDING + PENDING))
        .options(selectinload(Appointment.position).selectinload(Position.network))
        .order_by(Appointment.starts_on)
    )
    return list(db.session.scalars(stmt))


@dataclass
class IndexRow:
    network: Network
    chair: str
    members: int
    summary: str = ""


def plain_summary(markdown: str, length: int = 140) -> str:
    """The purpose as plain text for a table cell: Markdown rendered, tags dropped, shortened."""
    text = render_markdown(markdown).striptags()
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def index_rows(kind: str | None, today: date) -> list[IndexRow]:
    """Every open network with its chair and member count, in a fixed number of queries."""
    stmt = select(Network).where(Network.is_archived.is_(False)).order_by(Network.name)
    if kind:
        stmt = stmt.where(Network.kind == kind)
    networks = list(db.session.scalars(stmt.options(selectinload(Network.positions))))
    counts = dict(
        db.session.execute(
            select(Membership.network_id, func.count(Membership.id))
            .where(
                Membership.started_on <= today,
                or_(Membership.ended_on.is_(None), Membership.ended_on > today),
            )
            .group_by(Membership.network_id)
        ).all()
    )
    holding: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in db.session.scalars(
        select(Appointment)
        .where(Appointment.status.in_(HOLDING))
        .options(selectinload(Appointment.user))
    ):
        holding[appointment.position_id].append(appointment)
    rows = []
    for network in networks:
        posts = Posts(positions=network.current_positions)
        posts.holding = {p.id: holding.get(p.id, []) for p in posts.positions}
        _resolve_acting(posts)
        rows.append(IndexRow(network, posts.chair_label(), counts.get(network.id, 0),
                             plain_summary(network.purpose)))
    return rows


# --- "My next things" on the home page (listed in seslip/panels.py) --------------------------


def chaired_network_ids(user: User) -> set[int]:
    """The networks `user` chairs: a chair post held, or a deputy post while its chair post is
    empty (acting)."""
    held = [a for a in my_posts(user) if a.status in HOLDING]
    chaired = {a.position.network_id for a in held if a.position.is_chair}
    deputising = {a.position.deputises_for_id: a.position.network_id for a in held
                  if a.position.deputises_for_id is not None}
    if deputising:
        filled = set(db.session.scalars(select(Appointment.position_id).where(
            Appointment.position_id.in_(deputising), Appointment.status.in_(HOLDING))))
        chaired |= {network for post, network in deputising.items() if post not in filled}
    return chaired


def approvals_waiting(network_ids: set[int]) -> list[Appointment]:
    """Appointments waiting for the approval of one of these networks (by its chair)."""
    if not network_ids:
        return []
    stmt = (select(Appointment).join(Position, Appointment.position_id == Position.id)
            .where(Appointment.status == AppointmentStatus.AWAITING_APPROVAL,
                   Position.approval_network_id.in_(network_ids))
            .options(selectinload(Appointment.user),
                     selectinload(Appointment.position).selectinload(Position.network))
            .order_by(Appointment.created_at, Appointment.id))
    return list(db.session.scalars(stmt))


def join_requests_waiting(network_ids: set[int] | None) -> list[tuple[Network, int, date]]:
    """For each of these networks (None: every network) with requests to join: the network,
    how many, and the day the oldest was made."""
    if network_ids is not None and not network_ids:
        return []
    stmt = (select(JoinRequest.network_id, func.count(), func.min(JoinRequest.created_at))
            .where(JoinRequest.status == JoinRequestStatus.PENDING)
            .group_by(JoinRequest.network_id).order_by(JoinRequest.network_id))
    if network_ids is not None:
        stmt = stmt.where(JoinRequest.network_id.in_(network_ids))
    rows = list(db.session.execute(stmt))
    if not rows:
        return []
    networks = {n.id: n for n in db.session.scalars(
        select(Network).where(Network.id.in_([r[0] for r in rows])))}
    return [(networks[nid], count, oldest.date()) for nid, count, oldest in rows]
