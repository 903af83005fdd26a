"""Writing the audit trail. Services call `record` inside their own transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from seslip.accounts.models import User
from seslip.audit.models import AuditEvent
from seslip.extensions import db


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
    """Apply `values` to `entity` and return {field: [old, new]} for what really changed."""
    changed: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(entity, field)
        if old != new:
            changed[field] = [_plain(old), _plain(new)]
            setattr(entity, field, new)
    return changed


def events_query(entity_type: str | None = None, entity_id: str | None = None) -> Select:
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    return stmt
