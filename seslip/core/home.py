"""What the home page shows a signed-in person: shortcuts, then each area's panel (asked of
that area's services, so the page never looks for parts that may or may not be there)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from seslip.accounts.models import User
from seslip.networks import queries as q
from seslip.news import services as news
from seslip.organisations.data import LEAD_AUTHORITY_SLUG
from seslip.questionnaires import services
from seslip.timeutil import local_today


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


def home_context(user: User) -> dict[str, Any]:
    return {
        "shortcuts": shortcuts(user),
        "lead_authority_url": url_for("organisations.show", slug=LEAD_AUTHORITY_SLUG),
        "questionnaires_panel": services.home_panel(user),
        "networks_panel": q.home_panel(user, local_today()),
        "news_panel": news.home_panel(user),
    }
