"""CLI commands of the notifications area."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click

from seslip.cli import seslip_cli


@seslip_cli.command("send-mail")
@click.option("--limit", default=100, show_default=True, help="Most messages to send this run.")
def send_mail(limit: int) -> None:
    """Deliver due messages from the outbox (run it every minute from cron or a timer).

    Exits 0 when the mail server is down: the messages stay pending for the next run.
    On SIGTERM it finishes the message in hand, puts the claim it holds back and exits 0.
    """
    from seslip.notifications.delivery import deliver_pending

    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # signals need the main one
        click.echo(str(deliver_pending(limit=limit, stop=stop)))
        return

    def _stop(_signum: int, _frame: Any) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        click.echo(str(deliver_pending(limit=limit, stop=stop)))
    finally:
        signal.signal(signal.SIGTERM, previous)
