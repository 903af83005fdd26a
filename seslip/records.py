"""Loading one record by id, or answering 404 with a message that says what was missing; and
counting what a conditional UPDATE changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Update

from seslip.errors import NotFound
from seslip.extensions import db

T = TypeVar("T")


def get_or_raise(
    model: type[T], ident: int, message: str, belongs: Callable[[T], bool] | None = None
) -> T:
    """The record, or NotFound(message); `belongs` also rejects a record from elsewhere
    (e.g. a membership id typed into another network's URL)."""
    found = db.session.get(model, ident)
    if found is None or (belongs is not None and not belongs(found)):
        raise NotFound(message)
    return found


def rows_updated(stmt: Update) -> int:
    """Run an UPDATE and return how many rows it changed: 0 when a racing request won."""
    result = cast(CursorResult[Any], db.session.execute(stmt))
    return result.rowcount
