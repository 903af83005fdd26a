"""Queue the networks emails (emails/<event>_to_<audience>.*) in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from seslip.accounts.models import User
from seslip.networks.models import Appointment, JoinRequest, Network, NominationRound
from seslip.notifications.services import queue_email
from seslip.web import external_url


def send(event: str, audience: str, people: Iterable[User], subject: str, **context: Any) -> int:
    """Queue one email per distinct active person; returns how many were queued."""
    seen: set[int] = set()
    for person in people:
        if person.id in seen or not person.is_active_account:
            continue
        seen.add(person.id)
        queue_email(event, audience, person.email, subject, person=person, **context)
    return len(seen)


def network_url(network: Network) -> str:
    return external_url("networks.show", slug=network.slug)


def approval_url(appointment: Appointment) -> str:
    return external_url("networks.approval", appointment_id=appointment.id)


def round_url(nomination_round: NominationRound) -> str:
    return external_url("networks.round", round_id=nomination_round.id)


def join_requests_url(request: JoinRequest) -> str:
    return external_url("networks.join_requests", slug=request.network.slug)
