"""`flask --app app seslip <command>`: every command calls the same services as the web pages.

The factory builds the group from each area's `cli.py` (see `seslip_group`); area modules
define plain commands and import nothing from here.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup, with_appcontext

from seslip.errors import ServiceError
from seslip.timeutil import local_today


@click.command("demo")
@with_appcontext
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


@click.command("tick")
@with_appcontext
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Act as if today were this date (YYYY-MM-DD); for rehearsals and tests.")
def tick_command(today: datetime | None) -> None:
    """Do what is due today in every area: start agreed appointments, begin holdovers,
    send term and paper reminders, close nominations (the steps are in seslip/tick.py).

    Safe to run as often as you like: nothing is sent twice.
    """
    from seslip.tick import run_tick

    for line in run_tick(today.date() if today is not None else local_today()):
        click.echo(line)


def seslip_group() -> AppGroup:
    """The `seslip` command group with every area's commands."""
    from seslip.accounts import cli as accounts_cli
    from seslip.cycles import cli as cycles_cli
    from seslip.notifications import cli as notifications_cli
    from seslip.organisations import cli as organisations_cli
    from seslip.questionnaires import cli as questionnaires_cli
    from seslip.terms import cli as terms_cli

    group = AppGroup("seslip", help="SESLIP Intranet commands.")
    for command in (
        demo,
        accounts_cli.create_admin,
        tick_command,
        notifications_cli.send_mail,
        organisations_cli.sync_organisations,
        questionnaires_cli.check_definitions,
        questionnaires_cli.definitions,
        questionnaires_cli.export_responses,
        terms_cli.export_document,
        cycles_cli.cycle_status,
    ):
        group.add_command(command)
    return group
