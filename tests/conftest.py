"""Fixtures shared by every test: an app per database backend, a client, factories, SMTP.

Integration tests run once on SQLite and once on PostgreSQL when SESLIP_TEST_DATABASE_URL is
set (CI sets it). Each session creates its own PostgreSQL database and drops it at the end.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.extensions import db
from seslip.factory import create_app
from tests.support.databases import TestDatabase, postgres_database, sqlite_database

PG_URL = os.environ.get("SESLIP_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"]


def make_test_config(database_url: str, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "SESLIP_ENV": "testing",
        "TESTING": True,
        "DEBUG": False,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESLIP_INSTANCE_PATH": str(tmp_path / "instance"),
        "SESLIP_BASE_URL": "http://localhost",
        "SESLIP_ARGON2_TIME_COST": 1,
        "SESLIP_ARGON2_MEMORY_KIB": 1024,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,  # nothing listens: tests that deliver mail start a real SMTP server
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestDatabase]]:
    found: dict[str, TestDatabase] = {}
    with sqlite_database(tmp_path_factory.mktemp("sqlite")) as sqlite:
        found["sqlite"] = sqlite
        if PG_URL:
            with postgres_database(PG_URL) as pg:
                found["postgresql"] = pg
                yield found
        else:
            yield found


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("PostgreSQL tests need SESLIP_TEST_DATABASE_URL (CI sets it)")
    return request.param


@pytest.fixture
def app(backend: str, databases: dict[str, TestDatabase], tmp_path: Path) -> Iterator[Flask]:
    database = databases[backend]
    app = create_app(make_test_config(database.url, tmp_path))

    @app.teardown_request
    def _fresh_g(_error: BaseException | None) -> None:
        # Requests reuse the app context held open below, so `g` (signed-in user, CSRF token)
        # would leak into the next request or client; in production each request starts clean.
        from flask import g

        g.__dict__.clear()

    with app.app_context():
        database.ensure_schema()
        database.empty()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def query_counter(app: Flask) -> Any:
    from tests.support.queries import QueryCounter

    return QueryCounter(db.engine)


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A real SMTP server on a free port; point the app at it with `smtp_app_config`."""
    from tests.support.smtp import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_to(app: Flask, smtp_server: Any) -> Any:
    """Point the app's mail settings at the test SMTP server and return the server."""
    from seslip.extensions import mail

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    mail.init_app(app)
    return smtp_server


@pytest.fixture
def shipped(app: Flask) -> None:
    """The shipped definitions in the library, as `seslip definitions sync` puts them there."""
    from seslip.library.services import sync

    assert all(outcome.done == "imported" for outcome in sync(None))
