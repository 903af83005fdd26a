"""Loaders for the events views: load what the URL names (a child record of another event is a
404), then ask the services whether the signed-in person may use the page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask_login import current_user

from seslip.events import programme, services
from seslip.events.models import (
    Cohort,
    Event,
    EventPaper,
    EventSession,
    LearningSet,
    LearningSetSession,
    Registration,
)
from seslip.permissions import require_staff
from seslip.records import get_or_raise

R = TypeVar("R")
View = Callable[..., R]


def _loader(load: Callable[..., dict[str, Any]]) -> Callable[[View[R]], View[R]]:
    def decorator(view: View[R]) -> View[R]:
        @wraps(view)
        def wrapper(**values: Any) -> R:
            return view(**load(**values))

        return wrapper

    return decorator


def _event(event_id: int, organise: bool) -> Event:
    found = get_or_raise(Event, event_id, "That event does not exist.")
    if organise:
        services.require_organise(current_user, found)
    return found


def event(organise: bool = False) -> Callable[[View[R]], View[R]]:
    """`events/<event_id>` becomes `event`; anyone signed in sees an event, organisers
    change it."""

    def load(event_id: int, **rest: Any) -> dict[str, Any]:
        return {"event": _event(event_id, organise), **rest}

    return _loader(load)


def session(view: View[R]) -> View[R]:
    def load(event_id: int, session_id: int, **rest: Any) -> dict[str, Any]:
        found = _event(event_id, False)
        part = get_or_raise(EventSession, session_id, "That session is not on this event's "
                            "agenda.", lambda r: r.event_id == found.id)
        services.require_organise(current_user, found)
        return {"event": found, "session": part, **rest}

    return _loader(load)(view)


def registration(view: View[R]) -> View[R]:
    """The service decides who may change it: its holder or the organisers."""

    def load(event_id: int, registration_id: int, **rest: Any) -> dict[str, Any]:
        found = _event(event_id, False)
        reg = get_or_raise(Registration, registration_id, "That registration is not one of "
                           "this event's.", lambda r: r.event_id == found.id)
        return {"event": found, "registration": reg, **rest}

    return _loader(load)(view)


def paper(view: View[R]) -> View[R]:
    def load(event_id: int, paper_id: int, **rest: Any) -> dict[str, Any]:
        found = _event(event_id, False)
        doc = get_or_raise(EventPaper, paper_id, "Those slides are not this event's.",
                           lambda r: r.event_id == found.id)
        return {"event": found, "paper": doc, **rest}

    return _loader(load)(view)


def cohort(staff: bool = False) -> Callable[[View[R]], View[R]]:
    def load(cohort_id: int, **rest: Any) -> dict[str, Any]:
        found = get_or_raise(Cohort, cohort_id, "That cohort does not exist.")
        if staff:
            require_staff(current_user)
        else:
            programme.require_see_cohort(current_user, found)
        return {"cohort": found, **rest}

    return _loader(load)


def learning_set(view: View[R]) -> View[R]:
    def load(set_id: int, **rest: Any) -> dict[str, Any]:
        found = get_or_raise(LearningSet, set_id, "That action learning set does not exist.")
        programme.require_see_set(current_user, found)
        return {"learning_set": found, **rest}

    return _loader(load)(view)


def set_session(view: View[R]) -> View[R]:
    def load(set_id: int, session_id: int, **rest: Any) -> dict[str, Any]:
        found = get_or_raise(LearningSet, set_id, "That action learning set does not exist.")
        day = get_or_raise(LearningSetSession, session_id, "That day is not one of this "
                           "set's.", lambda r: r.learning_set_id == found.id)
        require_staff(current_user)
        return {"learning_set": found, "set_session": day, **rest}

    return _loader(load)(view)
