"""Who may see what in peer challenge. One owner per rule:

- a cycle response's *people* are its respondent (owner) and contributors (unrevoked
  ResponseAccess rows);
- a finalised response is readable by the people of the other authorities in its triad and
  by the triad's facilitator (`peer_can_read`; the questionnaire's read check calls it);
- an authority's outcome is seen by its own people, the facilitator, staff and the steering
  group (`can_see_outcome`); the regional picture by staff and the steering group.
"""

from __future__ import annotations

from sqlalchemy import exists, or_, select

from seslip.accounts.models import User
from seslip.challenge.models import Triad, TriadMember
from seslip.extensions import db
from seslip.networks.models import Membership, Network, NetworkKind
from seslip.networks.queries import current_memberships_stmt
from seslip.permissions import require
from seslip.questionnaires.models import Response, ResponseAccess, ResponseStatus
from seslip.timeutil import local_today


def person_condition(user: User):  # type: ignore[no-untyped-def]
    """A condition on Response: `user` is its respondent or a contributor."""
    return or_(Response.owner_id == user.id, exists().where(
        ResponseAccess.response_id == Response.id, ResponseAccess.person_id == user.id,
        ResponseAccess.revoked_at.is_(None)))


def is_person_of(user: User, response: Response) -> bool:
    if response.owner_id == user.id:
        return True
    return db.session.scalar(select(ResponseAccess.id).where(
        ResponseAccess.response_id == response.id, ResponseAccess.person_id == user.id,
        ResponseAccess.revoked_at.is_(None))) is not None


def triad_of(cycle_id: int, organisation_id: int) -> Triad | None:
    return db.session.scalar(select(Triad).join(TriadMember).where(
        TriadMember.cycle_id == cycle_id, TriadMember.organisation_id == organisation_id))


def member_org_ids(user: User, cycle_id: int) -> set[int]:
    """The authorities whose cycle response `user` is a person of (usually one)."""
    stmt = select(Response.organisation_id).where(
        Response.cycle_id == cycle_id, Response.organisation_id.is_not(None),
        person_condition(user))
    return {org_id for org_id in db.session.scalars(stmt) if org_id is not None}


def is_peer(user: User, triad: Triad, organisation_id: int) -> bool:
    """`user` is a person of another authority of `triad` than `organisation_id`."""
    mine = member_org_ids(user, triad.cycle_id)
    others = {m.organisation_id for m in triad.members} - {organisation_id}
    return bool(mine & others)


def peer_can_read(user: User, response: Response) -> bool:
    """A finalised cycle response is shared with its triad's other authorities and its
    facilitator; a draft (or a reopened one) with nobody outside its authority."""
    if (response.cycle_id is None or response.organisation_id is None
            or response.status != ResponseStatus.FINALISED):
        return False
    triad = triad_of(response.cycle_id, response.organisation_id)
    if triad is None:
        return False
    return triad.facilitator_id == user.id or is_peer(user, triad, response.organisation_id)


def in_steering_group(user: User) -> bool:
    stmt = (current_memberships_stmt(local_today()).join(Network)
            .where(Membership.user_id == user.id,
                   Network.kind == NetworkKind.STEERING_GROUP).limit(1))
    return db.session.scalar(stmt) is not None


def may_see_region(user: User) -> bool:
    return user.is_staff or in_steering_group(user)


def require_region(user: User) -> None:
    require(may_see_region(user),
            "The regional picture is for the programme manager and the steering group.")


def may_see_triad(user: User, triad: Triad) -> bool:
    if user.is_staff or triad.facilitator_id == user.id:
        return True
    return bool(member_org_ids(user, triad.cycle_id) & {m.organisation_id for m in triad.members})


def can_see_outcome(user: User, triad: Triad, organisation_id: int) -> bool:
    if user.is_staff or triad.facilitator_id == user.id:
        return True
    if organisation_id in member_org_ids(user, triad.cycle_id):
        return True
    return in_steering_group(user)


def can_record_outcome(user: User, triad: Triad) -> bool:
    return triad.facilitator_id == user.id or user.is_staff
