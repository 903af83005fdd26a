"""`flask --app app seslip cycle-status [CYCLE]`: one line per authority of a cycle (by id or
exact name; the latest opened when none is given), from the dashboard's service."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from seslip.cycles import services


@click.command("cycle-status")
@with_appcontext
@click.argument("cycle", required=False)
def cycle_status(cycle: str | None) -> None:
    """Status of each authority in CYCLE (id or name; the latest cycle if omitted)."""
    found = services.find_cycle(cycle)
    if found is None:
        raise click.ClickException(f"There is no cycle {cycle!r}." if cycle else
                                   "No cycle has been opened yet.")
    for line in services.status_lines(found):
        click.echo(line)
