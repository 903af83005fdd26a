"""Create, empty and drop the databases the tests use."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from seslip.extensions import db


@dataclass
class TestDatabase:
    __test__ = False  # not a test class
    url: str
    dialect: str
    _schema_ready: bool = field(default=False)

    def ensure_schema(self) -> None:
        """Create every table once per session (migrations are tested on their own)."""
        if not self._schema_ready:
            db.create_all()
            self._schema_ready = True

    def empty(self) -> None:
        tables = [t.name for t in db.metadata.sorted_tables]
        if self.dialect == "postgresql":
            names = ", ".join(f'"{name}"' for name in tables)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                db.session.execute(text(f'DELETE FROM "{name}"'))
            if _has_sequence():
                db.session.execute(text("DELETE FROM sqlite_sequence"))
        db.session.commit()


def _has_sequence() -> bool:
    row = db.session.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
    ).first()
    return row is not None


@contextlib.contextmanager
def sqlite_database(folder: Path) -> Iterator[TestDatabase]:
    yield TestDatabase(url=f"sqlite:///{folder / 'test.db'}", dialect="sqlite")


@contextlib.contextmanager
def postgres_database(admin_url: str, prefix: str = "seslip_test") -> Iterator[TestDatabase]:
    """A fresh database on the server of `admin_url`, dropped afterwards."""
    url = make_url(admin_url)
    name = f"{prefix}_{secrets.token_hex(4)}"
    conninfo = _conninfo(admin_url)
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        # SESLIP_TEST_DATABASE_URL was set, so PostgreSQL tests must run: fail, never skip.
        raise RuntimeError(f"cannot reach PostgreSQL at {admin_url}: {exc}") from exc
    test_url = url.set(drivername="postgresql+psycopg", database=name)
    try:
        yield TestDatabase(url=test_url.render_as_string(hide_password=False), dialect="postgresql")
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _conninfo(sqlalchemy_url: str) -> str:
    url = make_url(sqlalchemy_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
