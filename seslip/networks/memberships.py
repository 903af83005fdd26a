"""Memberships and join requests. Services check who may act, audit, and commit.

Appointments, approvals and nominations are in `appointments.py`; the daily `tick` in `rotation.py`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.networks import emails
from seslip.networks.models import JoinRequest, JoinRequestStatus, Membership, Network
from seslip.networks.queries import (
    can_manage,
    candidate,
    chairs_of,
    membership_of,
    programme_managers,
)
from seslip.networks.rules import join_message
from seslip.organisations.models import Organisation
from seslip.timeutil import local_today, utcnow


def require_manager(actor: User, network: Network) -> None:
    if not can_manage(actor, network):
        raise PermissionDenied(
            f"Only the chair of {network.name} or the programme manager can do that."
        )


def add_membership(
    actor: User,
    network: Network,
    person: User,
    *,
    organisation: Organisation | None = None,
    role_note: str = "",
    started_on: date | None = None,
    today: date | None = None,
    commit: bool = True,
) -> Membership:
    today = today or local_today()
    require_manager(actor, network)
    if membership_of(person, network, today) is not None:
        raise ServiceError(f"{person.name} is already a member of {network.name}.", "person")
    organisation = organisation or person.organisation
    membership = Membership(
        network_id=network.id,
        user_id=person.id,
        organisation_id=organisation.id if organisation else None,
        role_note=role_note.strip(),
        started_on=started_on or today,
    )
    db.session.add(membership)
    db.session.flush()
    record(
        actor, "create", membership, f"Added {person.name} to {network.name}",
        {"network": network.name, "person": person.name, "organisation_id":
         membership.organisation_id, "started_on": membership.started_on},
    )
    if commit:
        db.session.commit()
    return membership


def end_membership(
    actor: User, membership: Membership, reason: str, today: date | None = None
) -> Membership:
    today = today or local_today()
    network = membership.network
    require_manager(actor, network)
    if not membership.is_current(today):
        raise ServiceError(f"{membership.user.name}'s membership has already ended.")
    if not reason.strip():
        raise ServiceError("Enter why the membership is ending.", "reason")
    membership.ended_on = today
    membership.end_reason = reason.strip()
    record(
        actor, "end", membership, f"Ended {membership.user.name}'s membership of {network.name}",
        {"ended_on": today, "end_reason": membership.end_reason},
    )
    db.session.commit()
    return membership


def request_to_join(
    actor: User, network: Network, message: str = "", today: date | None = None
) -> JoinRequest:
    today = today or local_today()
    problem = join_message(
        network.join_rule, network.role_list, candidate(actor, network, today), network.name
    )
    if problem:
        raise ServiceError(problem)
    existing = db.session.scalar(
        select(JoinRequest).where(
            JoinRequest.network_id == network.id,
            JoinRequest.user_id == actor.id,
            JoinRequest.status == JoinRequestStatus.PENDING,
        )
    )
    if existing is not None:
        raise ServiceError(f"You have already asked to join {network.name}: the chair will reply.")
    request = JoinRequest(network_id=network.id, user_id=actor.id, message=message.strip())
    db.session.add(request)
    db.session.flush()
    record(actor, "create", request, f"{actor.name} asked to join {network.name}",
           {"network": network.name, "message": request.message})
    deciders = chairs_of(network) or programme_managers()
    emails.send(
        "join_request", "chairs", deciders, f"{actor.name} asks to join {network.name}",
        network=network, request=request, requester=actor,
        url=emails.join_requests_url(request),
    )
    db.session.commit()
    return request


def decide_join_request(
    actor: User, request: JoinRequest, accept: bool, reason: str = "", today: date | None = None
) -> JoinRequest:
    today = today or local_today()
    network = request.network
    require_manager(actor, network)
    if request.status != JoinRequestStatus.PENDING:
        raise ServiceError(f"This request was already {request.status.value}.")
    if not accept and not reason.strip():
        raise ServiceError("Enter why you are declining, so the person knows.", "reason")
    request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.DECLINED
    request.decided_by_id = actor.id
    request.decided_at = utcnow()
    request.reason = reason.strip()
    if accept and membership_of(request.user, network, today) is None:
        add_membership(actor, network, request.user, today=today, commit=False)
    record(
        actor, "decide", request,
        f"{'Accepted' if accept else 'Declined'} {request.user.name}'s request to join "
        f"{network.name}", {"status": request.status, "reason": request.reason},
    )
    emails.send(
        "join_request_decided", "requester", [request.user],
        f"Your request to join {network.name} was {request.status.value}",
        network=network, request=request, url=emails.network_url(network),
    )
    db.session.commit()
    return request
