"""Alembic environment: runs inside the Flask app so it uses the app's database and models."""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
log = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
metadata = db.metadata


def _options(dialect_name: str) -> dict[str, object]:
    # SQLite cannot ALTER most things in place: batch mode rebuilds the table instead.
    return {
        "target_metadata": metadata,
        "compare_type": True,
        "render_as_batch": dialect_name == "sqlite",
    }


def run_offline() -> None:
    url = db.engine.url
    context.configure(url=url, literal_binds=True, **_options(url.get_backend_name()))
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    def skip_empty(ctx: object, revision: object, directives: list) -> None:
        # `flask db migrate` with no model change should not write an empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            log.info("No changes in the models.")

    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            process_revision_directives=skip_empty,
            **_options(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
