"""CLI commands of the networks area: `flask --app app seslip tick`."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import with_appcontext

from seslip.meetings.cli import tick_lines
from seslip.networks.rotation import tick


@click.command("tick")
@with_appcontext
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Act as if today were this date (YYYY-MM-DD); for rehearsals and tests.")
def tick_command(today: datetime | None) -> None:
    """Start agreed appointments, begin holdovers, send term reminders, close nominations,
    remind owners of meeting papers that are missing.

    Safe to run as often as you like: nothing is sent twice.
    """
    day: date | None = today.date() if today is not None else None
    report = tick(day).lines()
    papers = tick_lines(day)
    if papers and report == ["Nothing was due."]:
        report = []
    for line in report + papers:
        click.echo(line)
