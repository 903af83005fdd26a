"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from seslip.extensions import db
from seslip.factory import create_app
from tests.conftest import PG_URL, make_test_config
from tests.support.databases import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
    elif not PG_URL:
        pytest.skip("PostgreSQL tests need SESLIP_TEST_DATABASE_URL (CI sets it)")
    else:
        with postgres_database(PG_URL) as database:
            yield database.url


def test_upgrade_matches_models_and_downgrade_empties(
    empty_database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_test_config(empty_database_url, tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_migrations_folder_is_in_the_repository() -> None:
    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    assert any(p.suffix == ".py" for p in versions.iterdir()), os.fspath(versions)
