"""The demo's events: the London development programme from seed 003 and a full workshop."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from seslip.events import services
from seslip.events.models import Cohort, Event, EventKind
from seslip.extensions import db


def test_the_demo_has_the_programme_and_a_full_workshop(runner: Any) -> None:
    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0
    cohort = db.session.scalar(select(Cohort))
    assert cohort is not None and cohort.name == "London Lead Member Development Programme"
    kinds = {e.kind for e in cohort.events}
    assert kinds == {EventKind.INDUCTION_DAY, EventKind.POLICY_FORUM}
    induction = next(e for e in cohort.events if e.kind == EventKind.INDUCTION_DAY)
    titles = [s.title for s in services.agenda(induction)]
    assert titles[0] == "Introduction and purpose of the programme" and "Lunch" in titles
    lawyer = [p.role for s in induction.sessions for p in s.speakers]
    assert "London LA lawyer" in lawyer and "LSCB Chair" in lawyer
    assert services.places_taken(induction) == 4
    (learning_set,) = cohort.learning_sets
    assert len(learning_set.sessions) == 4
    workshop = db.session.scalar(select(Event).where(Event.kind == EventKind.EXPERT_WORKSHOP))
    assert workshop is not None and workshop.network is not None
    assert services.places_taken(workshop) == workshop.capacity == 4
    assert len(services.registrations(workshop, services.WAITING)) == 2
    from seslip.events import programme

    themes = programme.chosen_themes(learning_set)
    assert themes.counts[0] == ("Learning from serious case reviews (SCRs) and inspection", 3)
