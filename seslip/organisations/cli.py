"""CLI commands of the organisations area (and the demo data, which starts with them)."""

from __future__ import annotations

import click

from seslip.cli import seslip_cli
from seslip.errors import ServiceError


@seslip_cli.command("demo")
def demo() -> None:
    """Load realistic demo data (safe to run again: it only adds what is missing)."""
    from seslip.demo import run_demo, sign_in_help

    try:
        run_demo(click.echo)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo("")
    for line in sign_in_help():
        click.echo(line)


@seslip_cli.command("sync-organisations")
def sync_organisations() -> None:
    """Add or correct the 19 member authorities and the partners from the programme's list."""
    from seslip.organisations.services import ensure_organisations

    created, updated = ensure_organisations(None)
    click.echo(f"Organisations: {created} added, {updated} corrected.")
