"""Loaders for the networks views: load the record a URL names, check through the services that
the signed-in person may use the page, and hand the record to the view.

    @bp.route("/<slug>/posts/<int:position_id>/appoint", methods=["GET", "POST"])
    @loaders.post(MANAGE)
    def appoint(network: Network, position: Position) -> ...

A record that is missing, or that belongs to another network than the URL says, is a 404
before anyone's permission is looked at; then MANAGE asks the memberships service (the
network's chair or staff) and STAFF the site's rule (admins and the programme manager).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Any, TypeVar

from flask_login import current_user

from seslip.networks import appointments, memberships
from seslip.networks import queries as q
from seslip.networks.models import (
    Appointment,
    JoinRequest,
    Membership,
    Network,
    NominationRound,
    Position,
)
from seslip.permissions import require_staff
from seslip.records import get_or_raise

R = TypeVar("R")
View = Callable[..., R]


class Need(Enum):
    SEE = "see"  # any signed-in person (the services check anything finer)
    MANAGE = "manage"  # the network's chair, or staff
    STAFF = "staff"  # admins and the programme manager


SEE, MANAGE, STAFF = Need.SEE, Need.MANAGE, Need.STAFF


def authorise(network: Network, need: Need) -> None:
    if need is MANAGE:
        memberships.require_manager(current_user, network)
    elif need is STAFF:
        require_staff(current_user)


def _loader(load: Callable[..., dict[str, Any]]) -> Callable[[View[R]], View[R]]:
    """A decorator that replaces the URL's values by what `load` made of them."""

    def decorator(view: View[R]) -> View[R]:
        @wraps(view)
        def wrapper(**values: Any) -> R:
            return view(**load(**values))

        return wrapper

    return decorator


def staff_only(view: View[R]) -> View[R]:
    """A staff page that names no record (creating one)."""

    @wraps(view)
    def wrapper(**values: Any) -> R:
        require_staff(current_user)
        return view(**values)

    return wrapper


def network(need: Need = SEE) -> Callable[[View[R]], View[R]]:
    """`<slug>` becomes `network`."""

    def load(slug: str, **rest: Any) -> dict[str, Any]:
        found = q.get_network(slug)
        authorise(found, need)
        return {"network": found, **rest}

    return _loader(load)


def _in(network: Network) -> Callable[[Any], bool]:
    return lambda record: record.network_id == network.id


def post(need: Need = SEE) -> Callable[[View[R]], View[R]]:
    """`<slug>/posts/<position_id>` become `network` and `position`."""

    def load(slug: str, position_id: int, **rest: Any) -> dict[str, Any]:
        found = q.get_network(slug)
        position = get_or_raise(
            Position, position_id, "That post does not exist in this network.", _in(found)
        )
        authorise(found, need)
        return {"network": found, "position": position, **rest}

    return _loader(load)


def membership(need: Need = MANAGE) -> Callable[[View[R]], View[R]]:
    """`<slug>/members/<membership_id>` become `network` and `membership`."""

    def load(slug: str, membership_id: int, **rest: Any) -> dict[str, Any]:
        found = q.get_network(slug)
        record = get_or_raise(
            Membership, membership_id, "That membership does not exist.", _in(found)
        )
        authorise(found, need)
        return {"network": found, "membership": record, **rest}

    return _loader(load)


def join_request(need: Need = MANAGE) -> Callable[[View[R]], View[R]]:
    """`<slug>/requests/<request_id>` become `network` and `join_request`."""

    def load(slug: str, request_id: int, **rest: Any) -> dict[str, Any]:
        found = q.get_network(slug)
        record = get_or_raise(JoinRequest, request_id, "That request does not exist.", _in(found))
        authorise(found, need)
        return {"network": found, "join_request": record, **rest}

    return _loader(load)


def appointment(need: Need = MANAGE) -> Callable[[View[R]], View[R]]:
    """`appointments/<appointment_id>` becomes `appointment` (its post's network decides)."""

    def load(appointment_id: int, **rest: Any) -> dict[str, Any]:
        record = get_or_raise(Appointment, appointment_id, "That appointment does not exist.")
        authorise(record.position.network, need)
        return {"appointment": record, **rest}

    return _loader(load)


def approval(view: View[R]) -> View[R]:
    """`approvals/<appointment_id>` becomes `appointment`, for those who may decide it."""

    def load(appointment_id: int, **rest: Any) -> dict[str, Any]:
        record = get_or_raise(
            Appointment, appointment_id, "That approval request does not exist.",
            lambda r: r.position.approval_network is not None,
        )
        appointments.require_decider(current_user, record)
        return {"appointment": record, **rest}

    return _loader(load)(view)


def nomination_round(need: Need = SEE) -> Callable[[View[R]], View[R]]:
    """`rounds/<round_id>` becomes `nomination_round`."""

    def load(round_id: int, **rest: Any) -> dict[str, Any]:
        record = get_or_raise(NominationRound, round_id, "That nomination round does not exist.")
        authorise(record.position.network, need)
        return {"nomination_round": record, **rest}

    return _loader(load)
