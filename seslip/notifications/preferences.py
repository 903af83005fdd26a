"""Each person's choice, per kind of email (kinds.py), of straight away or a weekly digest."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.notifications.kinds import KINDS, Kind
from seslip.notifications.models import (
    DeliveryMode,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
)
from seslip.timeutil import utcnow


@dataclass(frozen=True)
class Choice:
    kind: Kind
    mode: DeliveryMode  # urgent kinds are always IMMEDIATE


def choices_of(user: User) -> list[Choice]:
    """Every kind in the registry's order with this person's choice (straight away unless
    they chose the digest)."""
    chosen = {p.event: p.mode for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    return [Choice(kind, DeliveryMode.IMMEDIATE if kind.urgent
                   else chosen.get(kind.event, DeliveryMode.IMMEDIATE))
            for kind in KINDS.values()]


def save_choices(actor: User, person: User, wanted: dict[str, DeliveryMode]) -> int:
    """Store `person`'s choices (only they may); returns how many changed. Choosing straight
    away again sends what was held for the digest at the next delivery run."""
    if actor.id != person.id:
        raise ServiceError("You can only change your own email choices.")
    unknown = [event for event in wanted if event not in KINDS]
    if unknown:
        raise ServiceError(f"There is no kind of email called {unknown[0]}.")
    rows = {p.event: p for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == person.id))}
    changes: dict[str, list[str]] = {}
    for event, mode in wanted.items():
        mode = DeliveryMode.IMMEDIATE if KINDS[event].urgent else mode
        old = rows[event].mode if event in rows else DeliveryMode.IMMEDIATE
        if old == mode:
            continue
        changes[event] = [old.value, mode.value]
        if event in rows:
            rows[event].mode = mode
        else:
            db.session.add(NotificationPreference(user_id=person.id, event=event, mode=mode))
        if mode == DeliveryMode.IMMEDIATE:
            _release(person, event)
    if changes:
        record(actor, "update", person, f"Changed how {person.name} gets "
               f"{len(changes)} kind{'' if len(changes) == 1 else 's'} of email", changes)
    db.session.commit()
    return len(changes)


def _release(person: User, event: str) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.held_for_id == person.id, OutboxMessage.event == event,
               OutboxMessage.status == OutboxStatus.HELD)
        .values(status=OutboxStatus.PENDING, next_attempt_at=utcnow(), held_for_id=None))


def set_digest(person: User, events: list[str]) -> None:
    """For the demo and tests' worlds: `person` takes these kinds in the digest."""
    save_choices(person, person, {event: DeliveryMode.DIGEST for event in events})
