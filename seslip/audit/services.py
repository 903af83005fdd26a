"""Writing the audit trail. Services call `record` inside their own transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select

from seslip.accounts.models import User
from seslip.audit.models import AuditEvent
from seslip.extensions import db
from seslip.permissions import require_staff
from seslip.records import get_or_raise


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def record(
    actor: User | None,
    action: str,
    entity: Any,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event for `entity` (any model with an `id`) to the current session.

    The caller commits, so the event lands in the same transaction as the change it describes.
    """
    if getattr(entity, "id", None) is None:
        db.session.flush()
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=type(entity).__name__,
        entity_id=str(entity.id),
        summary=summary[:500],
        changes=_plain(changes or {}),
    )
    db.session.add(event)
    return event


def diff(entity: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the `values` that differ from `entity`'s; `entity` is untouched."""
    changed: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(entity, field)
        if old != new:
            changed[field] = [_plain(old), _plain(new)]
    return changed


def assign(entity: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `entity` and return their `diff` from before, for the audit entry."""
    changed = diff(entity, values)
    for field in changed:
        setattr(entity, field, values[field])
    return changed


def events_query(
    entity_type: str | None = None, entity_id: str | None = None
) -> Select[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    return stmt


# --- Reading the trail: admins and the programme manager -----------------------------------

PER_PAGE = 50
SYSTEM = "system"  # the person filter's value for changes made by commands, not people

# What people call a record type; anything else is spelled out from its class name.
ENTITY_LABELS = {"User": "Person", "OutboxMessage": "Email"}


def entity_label(entity_type: str) -> str:
    if entity_type in ENTITY_LABELS:
        return ENTITY_LABELS[entity_type]
    return re.sub(r"(?<!^)(?=[A-Z])", " ", entity_type).capitalize()


def action_label(action: str) -> str:
    return action.replace("_", " ").capitalize()


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: Any
    after: Any
    has_before: bool  # False when the event only lists values (a creation, a login's details)


def change_rows(event: AuditEvent) -> list[ChangeRow]:
    """The event's changes as rows: [old, new] pairs for updates, plain values otherwise."""
    rows = []
    for field, value in (event.changes or {}).items():
        label = field.replace("_", " ").capitalize()
        if event.action != "create" and isinstance(value, list) and len(value) == 2:
            rows.append(ChangeRow(label, value[0], value[1], True))
        else:
            rows.append(ChangeRow(label, None, value, False))
    return rows


def audit_page(
    actor: User | None,
    entity_type: str = "",
    person: str = "",
    entity_id: str = "",
    page: int = 1,
) -> Pagination:
    """Events newest first; `person` is a user id or SYSTEM."""
    require_staff(actor)
    stmt = events_query(entity_type or None, entity_id or None)
    if person == SYSTEM:
        stmt = stmt.where(AuditEvent.actor_id.is_(None))
    elif person.isdigit():
        stmt = stmt.where(AuditEvent.actor_id == int(person))
    return db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False)


def filter_choices(actor: User | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(record types, people) that appear in the trail, for the filter selects."""
    require_staff(actor)
    types = db.session.scalars(
        select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)
    )
    people = db.session.scalars(
        select(User)
        .where(User.id.in_(select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None))))
        .order_by(User.name, User.id)
    )
    return (
        [("", "All records")] + [(t, entity_label(t)) for t in types],
        [("", "Everyone"), (SYSTEM, "System")] + [(str(p.id), p.name) for p in people],
    )


def get_event(actor: User | None, event_id: int) -> AuditEvent:
    require_staff(actor)  # before loading, so members get 403 whatever the id
    event = get_or_raise(AuditEvent, event_id, "There is no audit event with that number.")
    return event
