"""CLI commands of the organisations area."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("sync-organisations")
@with_appcontext
def sync_organisations() -> None:
    """Add or correct the 19 member authorities and the partners from the programme's list."""
    from seslip.organisations.services import ensure_organisations

    created, updated = ensure_organisations(None)
    click.echo(f"Organisations: {created} added, {updated} corrected.")
