"""Loaders for the programmes views: load what the URL names (a record of another network is
a 404), then ask the services whether the signed-in person may use the page."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Any, TypeVar

from flask_login import current_user

from seslip.networks.models import Network
from seslip.networks.queries import get_network
from seslip.programmes import services, work

R = TypeVar("R")
View = Callable[..., R]


class Need(Enum):
    SEE = "see"  # members, those who run the network, staff
    SUGGEST = "suggest"  # current members and those who run it
    RUN = "run"  # chairs, vice chairs, staff


SEE, SUGGEST, RUN = Need.SEE, Need.SUGGEST, Need.RUN


def _authorise(network: Network, need: Need) -> None:
    if need is RUN:
        services.require_triage(current_user, network)
    elif need is SUGGEST:
        services.require_suggest(current_user, network)
    else:
        services.require_see(current_user, network)


def network(need: Need = SEE) -> Callable[[View[R]], View[R]]:
    """`<slug>` becomes `network`; `<suggestion_id>` becomes `suggestion`, `<item_id>` `item`."""

    def decorator(view: View[R]) -> View[R]:
        @wraps(view)
        def wrapper(slug: str, **rest: Any) -> R:
            found = get_network(slug)
            if "suggestion_id" in rest:
                rest["suggestion"] = services.get_suggestion(found, rest.pop("suggestion_id"))
            if "item_id" in rest:
                rest["item"] = work.get_item(found, rest.pop("item_id"))
            _authorise(found, need)
            return view(network=found, **rest)

        return wrapper

    return decorator
