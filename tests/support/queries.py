"""Count SQL statements: query counts per page are deterministic, so tests pin them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


class QueryCounter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            self.statements.append(statement)

    @contextmanager
    def count(self) -> Iterator[QueryCounter]:
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._before)
        try:
            yield self
        finally:
            event.remove(self.engine, "before_cursor_execute", self._before)

    @property
    def total(self) -> int:
        return len(self.statements)
