"""Loaders for the meetings views: load what the URL names (a child record from another
meeting is a 404), then ask the services whether the signed-in person may use the page."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Any, TypeVar

from flask_login import current_user

from seslip.meetings import services
from seslip.meetings.models import AgendaItem, Meeting, MeetingAction, Paper, PaperVersion
from seslip.networks.queries import get_network
from seslip.records import get_or_raise

R = TypeVar("R")
View = Callable[..., R]


class Need(Enum):
    SEE = "see"  # members of the meeting's networks, those who run it, item owners, staff
    RUN = "run"  # the network's chair or vice chair, or staff


SEE, RUN = Need.SEE, Need.RUN


def _loader(load: Callable[..., dict[str, Any]]) -> Callable[[View[R]], View[R]]:
    def decorator(view: View[R]) -> View[R]:
        @wraps(view)
        def wrapper(**values: Any) -> R:
            return view(**load(**values))

        return wrapper

    return decorator


def _authorise(meeting: Meeting, need: Need) -> None:
    if need is RUN:
        services.require_run(current_user, meeting)
    else:
        services.require_see(current_user, meeting)


def network(need: Need = SEE) -> Callable[[View[R]], View[R]]:
    """`<slug>` becomes `network`."""

    def load(slug: str, **rest: Any) -> dict[str, Any]:
        found = get_network(slug)
        if need is RUN:
            services.require_run(current_user, found)
        else:
            services.require_see_network(current_user, found)
        return {"network": found, **rest}

    return _loader(load)


def _meeting(meeting_id: int) -> Meeting:
    return get_or_raise(Meeting, meeting_id, "That meeting does not exist.")


def meeting(need: Need = SEE) -> Callable[[View[R]], View[R]]:
    """`meetings/<meeting_id>` becomes `meeting`."""

    def load(meeting_id: int, **rest: Any) -> dict[str, Any]:
        found = _meeting(meeting_id)
        _authorise(found, need)
        return {"meeting": found, **rest}

    return _loader(load)


def item(need: Need = RUN) -> Callable[[View[R]], View[R]]:
    """`meetings/<meeting_id>/items/<item_id>` become `meeting` and `item`."""

    def load(meeting_id: int, item_id: int, **rest: Any) -> dict[str, Any]:
        found = _meeting(meeting_id)
        record = get_or_raise(AgendaItem, item_id, "That item is not on this meeting's agenda.",
                              lambda r: r.meeting_id == found.id)
        _authorise(found, need)
        return {"meeting": found, "item": record, **rest}

    return _loader(load)


def paper(need: Need = SEE) -> Callable[[View[R]], View[R]]:
    """`meetings/<meeting_id>/papers/<paper_id>` become `meeting` and `paper`."""

    def load(meeting_id: int, paper_id: int, **rest: Any) -> dict[str, Any]:
        found = _meeting(meeting_id)
        record = get_or_raise(Paper, paper_id, "That paper is not one of this meeting's.",
                              lambda r: r.meeting_id == found.id)
        _authorise(found, need)
        return {"meeting": found, "paper": record, **rest}

    return _loader(load)


def version(view: View[R]) -> View[R]:
    """`.../papers/<paper_id>/versions/<version_id>` become `meeting`, `paper`, `version`."""

    def load(meeting_id: int, paper_id: int, version_id: int, **rest: Any) -> dict[str, Any]:
        found = _meeting(meeting_id)
        record = get_or_raise(Paper, paper_id, "That paper is not one of this meeting's.",
                              lambda r: r.meeting_id == found.id)
        chosen = get_or_raise(PaperVersion, version_id, "That version of the paper does not "
                              "exist.", lambda r: r.paper_id == record.id)
        _authorise(found, SEE)
        return {"meeting": found, "paper": record, "version": chosen, **rest}

    return _loader(load)(view)


def action(view: View[R]) -> View[R]:
    """`meetings/<meeting_id>/actions/<action_id>` become `meeting` and `action` (the service
    decides who may change it: its owner or those who run the meeting)."""

    def load(meeting_id: int, action_id: int, **rest: Any) -> dict[str, Any]:
        found = _meeting(meeting_id)
        record = get_or_raise(MeetingAction, action_id, "That action is not one of this "
                              "meeting's.", lambda r: r.meeting_id == found.id)
        _authorise(found, SEE)
        return {"meeting": found, "action": record, **rest}

    return _loader(load)(view)
