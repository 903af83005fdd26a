"""`flask --app app seslip tick`: every area's timed work, run in one place.

Each step takes the day to act on and returns one line per thing it did; it must be
idempotent (run twice the same day, nothing is sent twice). A new area adds its step here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

TickStep = Callable[[date], list[str]]


def tick_steps() -> list[TickStep]:
    """The steps in the order they run: appointments first, since reminders read posts."""
    from seslip.accounts.ratelimit import tick as accounts_tick
    from seslip.challenge.reminders import tick as challenge_tick
    from seslip.cycles.services import tick as cycles_tick
    from seslip.events.reminders import tick as events_tick
    from seslip.meetings.action_reminders import tick as actions_tick
    from seslip.meetings.patterns import tick as patterns_tick
    from seslip.meetings.reminders import tick as meetings_tick
    from seslip.networks.rotation import tick as rotation_tick
    from seslip.notifications.digest import tick as digest_tick
    from seslip.terms.reminders import tick as terms_tick

    return [
        lambda day: rotation_tick(day).lines(),
        patterns_tick,  # plans meetings first, so their reminders can follow
        meetings_tick,
        events_tick,
        actions_tick,
        terms_tick,
        cycles_tick,
        challenge_tick,
        accounts_tick,
        digest_tick,  # last: it gathers what the steps before it held
    ]


def run_tick(today: date) -> list[str]:
    lines: list[str] = []
    for step in tick_steps():
        lines.extend(step(today))
    return lines or ["Nothing was due."]
