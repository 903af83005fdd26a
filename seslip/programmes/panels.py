"""What the programmes area adds to shared pages (listed in seslip/panels.py): the network
page's "Forward programme and work programme" section, and "My next things" lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import url_for

from seslip.accounts.models import User
from seslip.meetings import services as meetings
from seslip.networks.models import Network
from seslip.parts import NextThing
from seslip.programmes import services, work
from seslip.programmes.models import Report, Suggestion, WorkItem


@dataclass
class NetworkPanel:
    network: Network
    can_see: bool
    can_suggest: bool = False
    can_run: bool = False
    year_label: str = ""
    scheduled: list[Suggestion] = field(default_factory=list)
    later: list[Suggestion] = field(default_factory=list)
    awaiting: int = 0
    items: list[WorkItem] = field(default_factory=list)
    groups: list[Network] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    today: date | None = None


def network_panel(user: User, network: Network, today: date) -> NetworkPanel:
    if not meetings.can_see_network(user, network, today):
        return NetworkPanel(network, False)
    programme = services.forward_programme(user, network, today)
    year = work.programme_year(today)
    return NetworkPanel(
        network, True, programme.can_suggest, programme.can_triage, work.year_label(year),
        scheduled=programme.scheduled[:5], later=programme.later[:5],
        awaiting=len(programme.awaiting), items=work.items_of(network, year),
        groups=work.groups_of(network, today), reports=work.reports_of(network)[:5], today=today)


@dataclass
class ChairPanel:
    """The programmes part of the chair's tools on a network's page."""

    network: Network
    awaiting: list[Suggestion]
    to_confirm: int  # planned meetings waiting for the chair


def chair_panel(user: User, network: Network, today: date) -> ChairPanel | None:
    if not services.can_triage(user, network):
        return None
    from seslip.meetings.patterns import to_confirm

    awaiting = [s for s in services.suggestions_of(network) if s.outcome.value == "awaiting"]
    return ChairPanel(network, awaiting, len(to_confirm(network)))


def suggestions_to_triage(user: User, today: date) -> list[NextThing]:
    """For chairs, vice chairs and staff: each suggestion waiting for their triage."""
    return [NextThing(s.created_at.date(), f"Triage the suggestion “{s.title}” for "
                      f"{s.network.name}",
                      url_for("programmes.triage", slug=s.network.slug, suggestion_id=s.id),
                      "suggestion")
            for s in services.awaiting_for(user)]
