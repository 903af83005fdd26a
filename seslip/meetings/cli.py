"""The meetings area's part of `flask --app app seslip tick` (the command is in
networks/cli.py, which calls `tick_lines` after the networks' own step)."""

from __future__ import annotations

from datetime import date

from seslip.meetings.reminders import tick


def tick_lines(today: date | None = None) -> list[str]:
    """Send the paper reminders that are due; one line per reminder sent."""
    return tick(today)
