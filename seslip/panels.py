"""The parts other areas add to shared pages, listed in one place.

A network's page shows a section from each area that has something about networks (meetings,
terms of reference, programmes…), and the home page lists each person's next things from
every area. The pages ask here rather than importing each area, so a new area adds one line
below and the network and home views stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from seslip.accounts.models import User
from seslip.networks.models import Network


@dataclass(frozen=True)
class Panel:
    """A section of a page: its template (an `_thing.html` fragment that reads `panel.data`)
    and what that template shows."""

    template: str
    data: Any


@dataclass(frozen=True)
class NextThing:
    """One line of "My next things" on the home page."""

    when: date | datetime | None  # the date it is due or happens; None sorts last
    text: str  # what to do, e.g. "Upload your paper for the Kinship Network meeting"
    url: str
    kind: str  # e.g. "questionnaire", "paper", "action", "approval", "meeting", "event"


NetworkPanelSource = Callable[[User, Network, date], Panel | None]
NextThingsSource = Callable[[User, date], list[NextThing]]


def network_panel_sources() -> list[NetworkPanelSource]:
    """The sections of a network's page below its posts, in page order."""
    from seslip.meetings.services import network_panel as meetings_panel
    from seslip.programmes.panels import network_panel as programmes_panel

    return [
        lambda user, network, today: Panel(
            "meetings/_network_panel.html", meetings_panel(user, network, today)
        ),
        lambda user, network, today: Panel(
            "programmes/_network_panel.html", programmes_panel(user, network, today)
        ),
    ]


def next_things_sources() -> list[NextThingsSource]:
    """Every area that gives a person something to do or attend."""
    from seslip.meetings.next_things import actions_owned, meetings_to_confirm, papers_due
    from seslip.programmes.panels import suggestions_to_triage

    return [
        papers_due,
        actions_owned,
        suggestions_to_triage,
        meetings_to_confirm,
    ]


def network_panels(user: User, network: Network, today: date) -> list[Panel]:
    found = (source(user, network, today) for source in network_panel_sources())
    return [panel for panel in found if panel is not None]


def _sort_key(thing: NextThing) -> tuple[bool, datetime]:
    when = thing.when
    if when is None:
        return (True, datetime.min)
    return (False, when if isinstance(when, datetime) else datetime.combine(when, time.min))


def next_things(user: User, today: date) -> list[NextThing]:
    """Everything due or coming for this person, soonest first."""
    things = [thing for source in next_things_sources() for thing in source(user, today)]
    return sorted(things, key=_sort_key)
