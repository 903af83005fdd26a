"""The parts other areas add to shared pages, listed in one place.

A network's page shows a section from each area that has something about networks (meetings,
terms of reference, programmes…), and the home page lists each person's next things from
every area. The pages ask here rather than importing each area, so a new area adds one line
below and the network and home views stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from seslip.accounts.models import User
from seslip.networks.models import Network
from seslip.parts import NextThing, Panel

NetworkPanelSource = Callable[[User, Network, date], Panel | None]
NextThingsSource = Callable[[User, date], list[NextThing]]


def network_panel_sources() -> list[NetworkPanelSource]:
    """The sections of a network's page, in page order: the meetings (next meeting, latest
    record, open actions), terms of reference, forward and work programmes, documents. The
    posts and members follow them on the page."""
    from seslip.events.services import network_panel as events_panel
    from seslip.meetings.services import chair_panel as meetings_chair_panel
    from seslip.meetings.services import network_panel as meetings_panel
    from seslip.programmes.panels import chair_panel as programmes_chair_panel
    from seslip.programmes.panels import network_panel as programmes_panel
    from seslip.terms.services import network_panel as terms_panel

    return [
        lambda user, network, today: Panel(
            "meetings/_network_panel.html", meetings_panel(user, network, today),
            anchor="network-meetings", title="Meetings",
        ),
        lambda user, network, today: Panel(
            "terms/_network_panel.html", terms_panel(user, network, today),
            anchor="network-terms", title="Terms of reference",
        ),
        _chair(lambda user, network, today: meetings_chair_panel(user, network),
               "meetings/_network_chair_panel.html"),
        lambda user, network, today: Panel(
            "programmes/_network_panel.html", programmes_panel(user, network, today),
            anchor="network-programme", title="Forward programme and work programme",
        ),
        _chair(lambda user, network, today: programmes_chair_panel(user, network, today),
               "programmes/_network_chair_panel.html"),
        lambda user, network, today: _optional(
            "events/_network_panel.html", events_panel(user, network, today),
            anchor="network-events", title="Events and workshops",
        ),
    ]


def _chair(data: Callable[[User, Network, date], Any], template: str) -> NetworkPanelSource:
    """A source for the chair's tools: no panel when `data` gives None (not theirs to run)."""

    def source(user: User, network: Network, today: date) -> Panel | None:
        found = data(user, network, today)
        return None if found is None else Panel(template, found, place="chair")

    return source


def _optional(template: str, data: Any, **where: str) -> Panel | None:
    """A section only when the area has something to show."""
    return None if data is None else Panel(template, data, **where)


def next_things_sources() -> list[NextThingsSource]:
    """Every area that gives a person something to do or attend."""
    from seslip.challenge.outcomes import next_things as challenge_things
    from seslip.cycles.services import next_things as cycles_next_things
    from seslip.events.services import next_things as events_next_things
    from seslip.meetings.next_things import (
        actions_owned,
        coming_meetings,
        meetings_to_confirm,
        papers_due,
    )
    from seslip.networks.next_things import waiting_for_chair
    from seslip.programmes.panels import suggestions_to_triage
    from seslip.questionnaires.next_things import to_complete

    return [
        to_complete,
        cycles_next_things,
        waiting_for_chair,
        coming_meetings,
        challenge_things,
        events_next_things,
        papers_due,
        actions_owned,
        suggestions_to_triage,
        meetings_to_confirm,
    ]


def network_panels(user: User, network: Network, today: date) -> list[Panel]:
    found = (source(user, network, today) for source in network_panel_sources())
    return [panel for panel in found if panel is not None]


def panels_by_place(panels: list[Panel]) -> dict[str, list[Panel]]:
    """The panels for each place of the network page, in list order; an unknown place is
    shown with the main ones rather than lost."""
    places: dict[str, list[Panel]] = {"main": [], "side": [], "chair": []}
    for panel in panels:
        places.get(panel.place, places["main"]).append(panel)
    return places


def _sort_key(thing: NextThing) -> tuple[bool, datetime]:
    when = thing.when
    if when is None:
        return (True, datetime.min)
    return (False, when if isinstance(when, datetime) else datetime.combine(when, time.min))


def next_things(user: User, today: date) -> list[NextThing]:
    """Everything due or coming for this person, soonest first."""
    things = [thing for source in next_things_sources() for thing in source(user, today)]
    return sorted(things, key=_sort_key)
