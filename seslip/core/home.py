"""What the home page shows a signed-in person: shortcuts, then each area's panel (asked of
that area's services, so the page never looks for parts that may or may not be there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import url_for

from seslip.accounts.models import User
from seslip.networks import queries as q
from seslip.news import services as news
from seslip.organisations.data import LEAD_AUTHORITY_SLUG
from seslip.panels import next_things
from seslip.parts import NextThing
from seslip.questionnaires import services
from seslip.timeutil import format_date, format_datetime, local_today, to_local


@dataclass(frozen=True)
class Shortcut:
    label: str
    url: str
    description: str = ""


def shortcuts(user: User) -> list[Shortcut]:
    found = [
        Shortcut(
            "Directory",
            url_for("organisations.index"),
            "The 19 member authorities and the partner organisations, with their people.",
        )
    ]
    if user.organisation is not None:
        found.append(
            Shortcut(
                user.organisation.name,
                url_for("organisations.show", slug=user.organisation.slug),
                "Your organisation's page and its people.",
            )
        )
    if user.is_staff:
        found.append(Shortcut("Admin", url_for("admin.index"), "Tools to run the programme."))
    found.append(Shortcut("Your account", url_for("accounts.account")))
    return found


@dataclass(frozen=True)
class NextRow:
    when: str  # as written to people; "" when it has no date
    thing: NextThing


@dataclass(frozen=True)
class NextGroup:
    title: str
    rows: list[NextRow]


def _day(when: date | datetime) -> date:
    if isinstance(when, datetime):
        local = to_local(when)
        assert local is not None
        return local.date()
    return when


def _group_title(thing: NextThing, today: date) -> str:
    if thing.when is None:
        return "Any time"
    day = _day(thing.when)
    if day < today:
        return "Waiting or overdue"
    if day == today:
        return "Today"
    return "In the next 7 days" if day <= today + timedelta(days=7) else "Later"


def next_things_groups(user: User, today: date) -> list[NextGroup]:
    """My next things, soonest first, under headings a person reads at a glance."""
    groups: dict[str, list[NextRow]] = {}
    for thing in next_things(user, today):
        when = thing.when
        text = ("" if when is None else format_datetime(when) if isinstance(when, datetime)
                else format_date(when))
        groups.setdefault(_group_title(thing, today), []).append(NextRow(text, thing))
    return [NextGroup(title, rows) for title, rows in groups.items()]


def home_context(user: User) -> dict[str, Any]:
    return {
        "next_things": next_things_groups(user, local_today()),
        "shortcuts": shortcuts(user),
        "lead_authority_url": url_for("organisations.show", slug=LEAD_AUTHORITY_SLUG),
        "questionnaires_panel": services.home_panel(user),
        "networks_panel": q.home_panel(user, local_today()),
        "news_panel": news.home_panel(user),
    }
