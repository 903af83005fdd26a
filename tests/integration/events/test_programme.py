"""The development programme: cohorts, action learning sets with four monthly days, and the
themes the participants choose through the questionnaire of the library."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from flask import Flask

from seslip.accounts.models import OrgRole
from seslip.errors import PermissionDenied, ServiceError
from seslip.events import programme
from seslip.extensions import db
from seslip.formengine import read_form
from seslip.questionnaires import services as questionnaires
from tests.integration.events.support import EventWorld, build_event_world
from tests.support.factories import login, make_user


@pytest.fixture
def ew(app: Flask) -> EventWorld:
    return build_event_world()


def _set(ew: EventWorld) -> programme.LearningSet:
    return programme.create_learning_set(ew.w.pm, ew.cohort, programme.SetDetails(
        "Set 1", date(2026, 10, 14), time(10), time(16), "London Councils"),
        [ew.lead, ew.dora])


def test_a_set_gets_four_monthly_days_that_can_be_moved(ew: EventWorld) -> None:
    found = _set(ew)
    assert [s.day for s in found.sessions] == [date(2026, 10, 14), date(2026, 11, 16),
                                               date(2026, 12, 14), date(2027, 1, 14)]
    assert all(s.starts == time(10) for s in found.sessions)
    with pytest.raises(ServiceError, match="Another of the set's days"):
        programme.move_session(ew.w.pm, found.sessions[1], date(2026, 12, 14))
    db.session.rollback()
    programme.move_session(ew.w.pm, found.sessions[1], date(2026, 11, 18))
    assert found.sessions[1].day == date(2026, 11, 18)
    with pytest.raises(PermissionDenied):
        programme.move_session(ew.lead, found.sessions[1], date(2026, 11, 19))


def test_only_participants_join_a_set_and_only_staff_set_one_up(ew: EventWorld) -> None:
    with pytest.raises(ServiceError, match="Olly Outsider is not one"):
        programme.create_learning_set(ew.w.pm, ew.cohort, programme.SetDetails(
            "Set 2", date(2026, 10, 14), time(10), time(16)), [ew.w.outsider])
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        programme.create_learning_set(ew.lead, ew.cohort, programme.SetDetails(
            "Set 2", date(2026, 10, 14), time(10), time(16)), [ew.lead])
    assert programme.add_participants(ew.w.pm, ew.cohort, [ew.lead, ew.w.outsider]) == 1


def _choose(person: object, values: list[str], other: str = "") -> None:
    response = questionnaires.start_or_continue(person, programme.THEMES_DEFINITION)  # type: ignore[arg-type]
    from werkzeug.datastructures import MultiDict

    sent = read_form(MultiDict([("themes", v) for v in values]))
    questionnaires.save_answer(person, response, "themes", sent.answer("themes"), 0)  # type: ignore[arg-type]
    if other:
        questionnaires.save_answer(person, response, "other_themes",  # type: ignore[arg-type]
                                   read_form({"other_themes": other}).answer("other_themes"), 0)
    db.session.commit()


def test_the_set_page_shows_the_themes_its_members_chose(app: Flask, ew: EventWorld,
                                                         shipped: None) -> None:
    found = _set(ew)
    assert programme.chosen_themes(found).counts == []
    _choose(ew.lead, ["serious_case_reviews", "schools_safeguarding"])
    _choose(ew.dora, ["serious_case_reviews"], "Recruiting foster carers")
    other = make_user(name="Cllr Otto Other", org_role=OrgRole.LEAD_MEMBER)
    programme.add_participants(ew.w.pm, ew.cohort, [other])
    _choose(other, ["strategic_partners"])  # a participant of the cohort, not of the set
    themes = programme.chosen_themes(found)
    assert themes.counts == [
        ("Learning from serious case reviews (SCRs) and inspection", 2),
        ("Best practice when engaging schools in safeguarding", 1)]
    assert themes.suggestions == ["Recruiting foster carers"]
    assert (themes.started, themes.responded) == (2, 0)
    client = app.test_client()
    login(client, ew.lead)
    page = client.get(f"/programme/sets/{found.id}").get_data(as_text=True)
    assert "Choose your themes" in page and "Recruiting foster carers" in page
    assert "Learning from serious case reviews (SCRs) and inspection</td>" in page
    client = app.test_client()
    login(client, ew.w.bob)
    assert client.get(f"/programme/sets/{found.id}").status_code == 403


def test_a_members_next_set_day_is_on_their_home_page_list(ew: EventWorld) -> None:
    from seslip.panels import next_things

    _set(ew)
    things = next_things(ew.lead, date(2026, 11, 1))
    assert [(t.when, t.text) for t in things] == [
        (datetime(2026, 11, 16, 10), "Set 1: day 2 of 4")]
    assert next_things(ew.w.bob, date(2026, 11, 1)) == []
