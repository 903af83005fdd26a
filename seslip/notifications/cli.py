"""CLI commands of the notifications area."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("send-mail")
@with_appcontext
@click.option("--limit", default=100, show_default=True, help="Most messages to send this run.")
def send_mail(limit: int) -> None:
    """Deliver due messages from the outbox (run it every minute from cron or a timer).

    Exits 0 when the mail server is down: the messages stay pending for the next run.
    """
    from seslip.notifications.delivery import deliver_pending

    click.echo(str(deliver_pending(limit=limit)))
