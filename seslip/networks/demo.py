"""Demo networks from the seeds, with made-up people from seslip/demo.py. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from seslip.accounts.models import OrgRole, User
from seslip.audit.services import record
from seslip.demo import ADMIN_EMAIL, DemoContext, demo_step
from seslip.extensions import db
from seslip.networks.appointments import appoint, approve
from seslip.networks.memberships import add_membership
from seslip.networks.models import (
    Appointment,
    AppointmentStatus,
    Network,
    NetworkKind,
    Position,
)
from seslip.networks.queries import membership_of
from seslip.networks.rules import Eligibility, JoinRule, add_years
from seslip.notifications.models import OutboxMessage
from seslip.organisations.models import Organisation
from seslip.timeutil import local_today


@dataclass
class PostSpec:
    title: str
    is_chair: bool = False
    min_holders: int = 1
    max_holders: int = 1
    term_years: int | None = 2
    max_consecutive_terms: int | None = None
    eligibility: Eligibility = Eligibility.ANYONE
    members_only: bool = True
    approval_by: str | None = None  # slug of the approving network
    deputises: str | None = None  # title of the post deputised for
    description: str = ""


@dataclass
class NetworkSpec:
    slug: str
    name: str
    kind: NetworkKind
    purpose: str
    meeting_pattern: str
    join_rule: JoinRule = JoinRule.ALL_AUTHORITIES
    join_roles: str = ""
    established_on: date | None = None
    posts: list[PostSpec] = field(default_factory=list)
    parent: str | None = None  # slug of the parent network
    runs_for_days: int | None = None  # a task and finish group ends this long after creation


CHAIR = PostSpec("Chair", is_chair=True, max_consecutive_terms=2)

NETWORKS = (
    NetworkSpec(
        "se-dcs-group", "South East DCS Group", NetworkKind.GROUP,
        "The directors of children's services of the 19 authorities: oversees the programme's "
        "networks and approves changes of network sponsor.",
        "Several times a year, two in person in London on a Friday after the Lead Member "
        "Network meeting.",
        JoinRule.NAMED_ROLES, "dcs",
        posts=[PostSpec("Chair", is_chair=True, eligibility=Eligibility.DCS,
                        max_consecutive_terms=2)],
    ),
    NetworkSpec(
        "seslip-steering-group", "SESLIP Programme Steering Group", NetworkKind.STEERING_GROUP,
        "Steers the South East Sector-Led Improvement Programme and its Regional Improvement "
        "Plan. East Sussex County Council is the lead authority and its DCS chairs the group.",
        "Online, for example 15:30 to 17:00.",
        JoinRule.BY_INVITATION,
        posts=[PostSpec("Chair", is_chair=True, term_years=None, eligibility=Eligibility.DCS,
                        description="The DCS of East Sussex, the lead authority.")],
    ),
    NetworkSpec(
        "lead-member-network", "South East Lead Member Network", NetworkKind.NETWORK,
        "Lead Members for Children's Services across the region, and members with roles such "
        "as lead for education or SEND: expert workshops, discussion of key issues in "
        "children's services and sharing of good practice. Feeds into LGA national policy.",
        "Several times a year. Two in person in London on a Friday, 10:00 to 12:00, before a "
        "joint meeting with the region's Directors of Children's Services.",
        JoinRule.NAMED_ROLES, "lead_member",
        posts=[
            PostSpec("Chair", is_chair=True, max_consecutive_terms=2,
                     eligibility=Eligibility.LEAD_MEMBER,
                     description="Held for two years to ensure continuity."),
            PostSpec("Vice Chair", eligibility=Eligibility.LEAD_MEMBER, deputises="Chair",
                     description="Provides deputising capacity."),
        ],
    ),
    NetworkSpec(
        "regional-kinship-network", "South East Regional Kinship Network", NetworkKind.NETWORK,
        "Sector-led leadership and support to kinship practice in the South East: good "
        "practice and concerns to the regional DCS group, regional responses to national "
        "consultations, analysis of data, and national messages cascaded across the region.",
        "Quarterly.",
        established_on=date(2023, 6, 1),
        posts=[
            PostSpec("Sponsor", term_years=None, eligibility=Eligibility.DCS,
                     members_only=False, approval_by="se-dcs-group",
                     description="A DCS in the South East region. Any change of Sponsor is "
                                 "approved by the South East DCS Group."),
            # "One or more Chairs and Vice Chairs", appointed from the membership. The terms
            # of reference reserve no place for the partner charity: its Chief Executive is
            # Vice Chair as a member, so one Vice Chair post with two places fits both an
            # authority's Vice Chair and the charity's, without inventing a rule.
            PostSpec("Chair", is_chair=True, max_holders=2, max_consecutive_terms=2,
                     description="Supports the SESLIP-appointed consultant in devising agendas, "
                                 "chairs meetings and represents the network at national "
                                 "events."),
            PostSpec("Vice Chair", max_holders=2, deputises="Chair",
                     description="Deputises for the Chair. Open to any member, from an "
                                 "authority or a partner organisation."),
        ],
    ),
    NetworkSpec(
        "kinship-data-task-and-finish-group", "Kinship Data Task and Finish Group",
        NetworkKind.TASK_AND_FINISH,
        "Analyses the region's kinship data to identify key lines of enquiry for the South East "
        "Regional Kinship Network's work programme.",
        "Monthly on Microsoft Teams until the group reports.",
        parent="regional-kinship-network", runs_for_days=180,
        posts=[PostSpec("Chair", is_chair=True, term_years=None, min_holders=0)],
    ),
    NetworkSpec(
        "ad-safeguarding-network", "AD Safeguarding Network", NetworkKind.NETWORK,
        "Assistant directors responsible for safeguarding across the 19 authorities.",
        "Monthly, 10:00 to 13:00 on Microsoft Teams.",
        posts=[CHAIR, PostSpec("Vice Chair", min_holders=0, deputises="Chair")],
    ),
)


def _person(slug: str, role: OrgRole | None = None, name: str | None = None) -> User:
    stmt = select(User).join(Organisation).where(Organisation.slug == slug)
    if role is not None:
        stmt = stmt.where(User.org_role == role)
    if name is not None:
        stmt = stmt.where(User.name == name)
    found = db.session.scalars(stmt.order_by(User.id)).first()
    if found is None:
        raise LookupError(f"The networks demo needs a person at {slug} ({role or name}).")
    return found


def _people(role: OrgRole) -> list[User]:
    return list(db.session.scalars(select(User).where(User.org_role == role).order_by(User.id)))


def _ensure_network(spec: NetworkSpec) -> tuple[Network, int]:
    network = db.session.scalar(select(Network).where(Network.slug == spec.slug))
    if network is not None:
        return network, 0
    parent = (db.session.scalar(select(Network).where(Network.slug == spec.parent))
              if spec.parent else None)
    today = local_today()
    network = Network(
        slug=spec.slug, name=spec.name, kind=spec.kind, purpose=spec.purpose,
        meeting_pattern=spec.meeting_pattern, join_rule=spec.join_rule,
        join_roles=spec.join_roles, established_on=spec.established_on,
        parent_id=parent.id if parent else None,
        ends_on=today + timedelta(days=spec.runs_for_days) if spec.runs_for_days else None,
    )
    db.session.add(network)
    db.session.flush()
    by_title: dict[str, Position] = {}
    for order, post in enumerate(spec.posts):
        approving = (
            db.session.scalar(select(Network).where(Network.slug == post.approval_by))
            if post.approval_by else None
        )
        position = Position(
            network_id=network.id, title=post.title, description=post.description,
            is_chair=post.is_chair, min_holders=post.min_holders, max_holders=post.max_holders,
            term_years=post.term_years, max_consecutive_terms=post.max_consecutive_terms,
            eligibility=post.eligibility, members_only=post.members_only,
            approval_network_id=approving.id if approving else None,
            deputises_for_id=by_title[post.deputises].id if post.deputises else None,
            sort_order=order,
        )
        db.session.add(position)
        db.session.flush()
        by_title[post.title] = position
    record(None, "create", network, f"Demo: created {network.name}",
           {"kind": network.kind, "posts": [p.title for p in spec.posts]})
    db.session.commit()
    return network, 1 + len(spec.posts)


def _post(network: Network, title: str) -> Position:
    return next(p for p in network.positions if p.title == title)


def _members(actor: User, network: Network, people: list[User], since: date, today: date) -> int:
    added = 0
    for person in people:
        if membership_of(person, network, today) is None:
            add_membership(actor, network, person, started_on=since, today=today)
            added += 1
    return added


def _appoint_once(
    actor: User, position: Position, person: User, starts_on: date, today: date,
    holdover: bool = False,
) -> int:
    if db.session.scalar(select(Appointment.id).where(Appointment.position_id == position.id)):
        return 0
    made = appoint(actor, position, person, starts_on=starts_on, today=today)
    if holdover:
        made.status = AppointmentStatus.HOLDOVER
        record(None, "holdover", made, f"Demo: {person.name} is in holdover as {position.title}")
        db.session.commit()
    return 1


def _unqueue(event: str) -> None:
    """Drop the not yet committed outbox messages for `event` from this transaction."""
    for message in [m for m in db.session.new if isinstance(m, OutboxMessage)]:
        if message.event == event:
            db.session.expunge(message)


def _ago(today: date, years: int, days: int) -> date:
    """A start date whose `years`-year term ends `days` from today (negative: in the past)."""
    return add_years(today + timedelta(days=days), -years)


@demo_step
def networks(ctx: DemoContext) -> int:
    today = local_today()
    admin = ctx.user(ADMIN_EMAIL)
    if admin is None:
        raise LookupError("The networks demo needs the demo admin account.")
    created = 0
    built = {}
    for spec in NETWORKS:
        built[spec.slug], n = _ensure_network(spec)
        created += n
    since = date(2023, 6, 1)
    dcs_group = built["se-dcs-group"]
    created += _members(admin, dcs_group, _people(OrgRole.DCS), since, today)
    kent_dcs = _person("kent", OrgRole.DCS)
    created += _appoint_once(admin, _post(dcs_group, "Chair"), kent_dcs,
                             _ago(today, 2, 200), today)

    steering = built["seslip-steering-group"]
    east_sussex_dcs = _person("east-sussex", OrgRole.DCS)
    steering_people = [east_sussex_dcs, kent_dcs, _person("hampshire", OrgRole.DCS),
                       _person("surrey", OrgRole.DCS), _person("lga", OrgRole.PARTNER),
                       _person("adcs", OrgRole.PARTNER)]
    created += _members(admin, steering, steering_people, since, today)
    created += _appoint_once(admin, _post(steering, "Chair"), east_sussex_dcs,
                             date(2022, 9, 1), today)

    lead = built["lead-member-network"]
    # Three authorities have no lead member in the network yet, as in real life.
    absent = {"isle-of-wight", "slough", "wokingham"}
    lead_members = [p for p in _people(OrgRole.LEAD_MEMBER)
                    if p.organisation and p.organisation.slug not in absent]
    created += _members(admin, lead, lead_members, since, today)
    # The Chair's two-year term ends in 45 days; the Vice Chair's later.
    created += _appoint_once(admin, _post(lead, "Chair"), _person("kent", OrgRole.LEAD_MEMBER),
                             _ago(today, 2, 45), today)
    created += _appoint_once(admin, _post(lead, "Vice Chair"),
                             _person("surrey", OrgRole.LEAD_MEMBER), _ago(today, 2, 300), today)

    kinship = built["regional-kinship-network"]
    kinship_people = [
        _person("milton-keynes", name="Grace Holbrook"), _person("kinship", OrgRole.PARTNER),
        _person("slough", name="Owen Pritchard"), _person("kent", name="Sunita Rao"),
        _person("east-sussex", name="Laura Pemberton"),
    ]
    created += _members(admin, kinship, kinship_people, date(2023, 6, 1), today)
    sponsor = _post(kinship, "Sponsor")
    if not db.session.scalar(select(Appointment.id).where(Appointment.position_id == sponsor.id)):
        made = appoint(admin, sponsor, _person("milton-keynes", OrgRole.DCS),
                       starts_on=date(2023, 6, 1), today=today, commit=False)
        # The SE DCS group's chair approves the Sponsor in the same breath, so the request
        # for approval must not wait in the outbox as if the decision were still to come.
        _unqueue("approval_requested")
        approve(kent_dcs, made, today=today)
        created += 1
    # The Chair's term ended 20 days ago with no successor: holdover.
    created += _appoint_once(admin, _post(kinship, "Chair"), kinship_people[0],
                             _ago(today, 2, -20), today, holdover=True)
    created += _appoint_once(admin, _post(kinship, "Vice Chair"), kinship_people[1],
                             _ago(today, 2, 400), today)

    data_group = built["kinship-data-task-and-finish-group"]
    started = today - timedelta(days=30)
    created += _members(admin, data_group, kinship_people[:3], started, today)
    created += _appoint_once(admin, _post(data_group, "Chair"), kinship_people[2], started,
                             today)

    ad = built["ad-safeguarding-network"]
    created += _members(admin, ad, kinship_people[2:],
                        since, today)
    created += _appoint_once(admin, _post(ad, "Chair"), kinship_people[4],
                             _ago(today, 2, 80), today)
    ctx.echo(f"Networks: {created} records added.")
    return created
