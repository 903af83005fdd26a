"""Peer challenge through the services and pages, on SQLite and PostgreSQL: triads and their
calendar emails, sharing on finalising, comments, outcomes, action reminders exactly once, the
regional picture, its exports and query counts."""

from __future__ import annotations

import csv
import io
from datetime import date, time
from typing import Any

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import func, select

from seslip.challenge import access, comments, outcomes, regional, triads
from seslip.challenge.models import ActionReminderSent, PointKind
from seslip.challenge.reminders import tick
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.notifications.models import OutboxMessage
from seslip.questionnaires import services as questionnaires
from tests.integration.challenge.support import (
    World,
    build,
    fill_and_finalise,
    form_triad,
    make_cycle,
    record_outcomes,
    response_of,
)
from tests.support.factories import login, make_organisation, make_user

pytestmark = pytest.mark.usefixtures("shipped")


@pytest.fixture
def w(app: Flask) -> World:
    return build()


def _mail(subject_part: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.contains(subject_part)).order_by(OutboxMessage.id)))


def _event(message: OutboxMessage) -> Any:
    assert message.attachments
    cal = Calendar.from_ical(message.attachments[0]["content"])
    return next(iter(cal.walk("VEVENT")))


def test_forming_a_triad_emails_members_a_calendar_entry_that_a_change_updates(w: World) -> None:
    triad = form_triad(w)
    sent = _mail("Peer challenge day: Triad 1")
    people = {m.recipient for m in sent}
    # respondents and the contributor of the three authorities, and the facilitator
    assert people == {w.leads[0].email, w.leads[1].email, w.leads[2].email, w.dcs.email,
                      w.facilitator.email}
    first = _event(sent[0])
    assert str(first["uid"]).startswith(f"challenge-day-{triad.id}@")
    assert int(first["sequence"]) == 0
    assert first.decoded("dtstart").hour == 10  # 10:00 in London in November is 10:00 UTC
    triads.update_day(w.pm, triad, triads.DayDetails(
        "Triad 1", date(2026, 11, 27), time(10), time(15), "County Hall, Maidstone",
        "https://teams.example/meet/1", w.facilitator.id))
    changed = _mail("Changed: Peer challenge day")
    assert len(changed) == 5
    again = _event(changed[0])
    assert str(again["uid"]) == str(first["uid"]) and int(again["sequence"]) == 1
    assert "27 November 2026" in changed[0].subject


def test_a_group_needs_three_or_four_authorities_each_in_one_group(w: World) -> None:
    details = triads.DayDetails("Pair", date(2026, 11, 20), time(10), time(12), "Online", "",
                                w.facilitator.id)
    with pytest.raises(ServiceError, match="three authorities"):
        triads.form_triad(w.pm, w.cycle, [w.orgs[0].id, w.orgs[1].id], details)
    form_triad(w)
    with pytest.raises(ServiceError, match="Already in a group of this cycle: Kent"):
        triads.form_triad(w.pm, w.cycle, [o.id for o in w.orgs], details)
    outside = triads.DayDetails("Late", date(2027, 1, 20), time(10), time(12), "Online", "",
                                w.facilitator.id)
    with pytest.raises(ServiceError, match="window for challenge days"):
        triads.form_triad(w.pm, w.cycle, [o.id for o in w.orgs[:3]], outside)
    with pytest.raises(PermissionDenied):
        triads.form_triad(w.leads[0], w.cycle, [o.id for o in w.orgs[:3]], details)


def test_a_finalised_response_is_read_by_its_triad_only(w: World) -> None:
    form_triad(w)
    kent, medway = w.responses[0], w.responses[1]
    assert not access.peer_can_read(w.leads[1], kent)  # a draft stays with its authority
    fill_and_finalise(w.leads[0], kent)
    assert kent.shared_at is not None
    shared = _mail("Kent's self-assessment is ready to read")
    assert {m.recipient for m in shared} == {w.leads[1].email, w.leads[2].email,
                                             w.facilitator.email}
    assert access.peer_can_read(w.leads[1], kent) and access.peer_can_read(w.facilitator, kent)
    assert questionnaires.can_view(w.leads[2], kent)  # the questionnaire's own read check
    assert not questionnaires.can_view(w.leads[3], kent)  # Reading is in no triad
    assert not questionnaires.can_view(w.steering, kent)
    assert not access.peer_can_read(w.leads[0], medway)  # Medway has not finalised
    questionnaires.reopen(w.admin, kent, "Add the new strategy.")
    assert not questionnaires.can_view(w.leads[1], kent)  # reopened: a draft again


def test_peers_comment_by_section_and_the_authority_replies(w: World, client: FlaskClient,
                                                            ) -> None:
    form_triad(w)
    kent = w.responses[0]
    fill_and_finalise(w.leads[0], kent)
    login(client, w.leads[1])
    page = client.get(f"/challenge/responses/{kent.id}")
    assert page.status_code == 200 and "Cabinet and scrutiny work together." in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    empty = client.post(f"/challenge/responses/{kent.id}/comments", data={
        "csrf_token": token, "section_id": "political_accountability", "body": "  "})
    assert empty.status_code == 422 and "Enter your comment or question." in empty.text
    assert 'href="#comment-political_accountability"' in empty.text
    done = client.post(f"/challenge/responses/{kent.id}/comments", data={
        "csrf_token": token, "section_id": "political_accountability",
        "body": "How does scrutiny <b>challenge</b> you?"})
    assert done.status_code == 302
    view = comments.open_shared(w.leads[0], kent.id)
    assert view.may_reply and not view.may_comment
    first = comments.threads(kent)["political_accountability"][0].comment
    with pytest.raises(PermissionDenied):
        comments.add_comment(w.leads[0], view, "political_accountability", "A new thread")
    comments.add_comment(w.dcs, comments.open_shared(w.dcs, kent.id), "", "Through a panel.",
                         parent_id=first.id)
    thread = comments.threads(kent)["political_accountability"][0]
    assert [r.body for r in thread.replies] == ["Through a panel."]
    told = _mail("A comment on Kent's self-assessment")  # the authority's people hear of it
    assert {m.recipient for m in told} == {w.leads[0].email, w.dcs.email}
    assert "How does scrutiny <b>challenge</b> you?" in told[0].body_text
    assert [m.recipient for m in _mail("A reply to your comment")] == [w.leads[1].email]
    shown = client.get(f"/challenge/responses/{kent.id}").text
    assert "&lt;b&gt;challenge&lt;/b&gt;" in shown and "Through a panel." in shown
    with pytest.raises(PermissionDenied):
        comments.open_shared(w.leads[3], kent.id)


def test_outcomes_are_recorded_on_the_day_and_actions_remind_once(w: World) -> None:
    triad = form_triad(w, day=date(2026, 11, 20))
    record_outcomes(w)
    page = outcomes.open_outcome(w.leads[0], triad, w.orgs[0].id)
    assert page.outcome is not None and not page.may_record
    assert [t.name for t in page.outcome.themes] == ["Scrutiny", "Voice of the child"]
    with pytest.raises(PermissionDenied):
        outcomes.add_point(w.leads[0], page, PointKind.STRENGTH, "Mine")
    with pytest.raises(PermissionDenied):
        outcomes.open_outcome(w.leads[3], triad, w.orgs[0].id)  # not its authority
    assert outcomes.open_outcome(w.steering, triad, w.orgs[0].id).outcome is not None
    with pytest.raises(ServiceError, match="owner"):
        outcomes.add_action(w.facilitator, outcomes.open_outcome(w.facilitator, triad,
                            w.orgs[0].id), "Someone else's", w.leads[1].id, date(2027, 1, 1))
    assert tick(date(2027, 1, 14)) == []
    lines = tick(date(2027, 1, 15))
    assert len(lines) == 3 and tick(date(2027, 1, 15)) == [] and tick(date(2027, 1, 16)) == []
    assert db.session.scalar(select(func.count()).select_from(ActionReminderSent)) == 3
    assert len(_mail("Action due 15 January 2027")) == 3


def test_outcomes_wait_for_the_day(w: World) -> None:
    triad = form_triad(w, day=date(2026, 12, 18))
    page = outcomes.open_outcome(w.facilitator, triad, w.orgs[0].id)
    if outcomes.day_reached(triad):
        pytest.skip("the day has passed on this machine's clock")
    with pytest.raises(ServiceError, match="on or after the challenge day"):
        outcomes.add_point(w.facilitator, page, PointKind.STRENGTH, "Too early")
    assert not outcomes.day_reached(triad, date(2026, 12, 17))
    assert outcomes.day_reached(triad, date(2026, 12, 18))


def test_the_regional_picture_counts_themes_and_exports(w: World, client: FlaskClient) -> None:
    form_triad(w)
    for lead, response in zip(w.leads[:2], w.responses[:2], strict=True):
        fill_and_finalise(lead, response)
    record_outcomes(w)
    region = regional.picture(w.cycle, today=date(2026, 12, 3))
    counts = {row.theme: (row.count, row.priorities) for row in region.themes}
    assert counts == {"Voice of the child": (3, ["Hear children in every decision"]),
                      "Scrutiny": (1, []), "Corporate parenting": (0, [])}
    assert region.finalised == 2 and region.authorities == 4
    assert region.completion_rows[-1][1] == 2
    by_section = {name: (s, a) for name, s, a in region.by_section}
    voice = "Responsibility 5: To champion the voice of children and young people in all " \
        "decision-making"
    assert [p.text for p in by_section[voice][0]] == [
        "Kent strength", "Medway strength", "Slough strength"]
    assert next(iter(by_section)).startswith("Responsibility 1")  # in the questionnaire's order
    login(client, w.steering)
    page = client.get(f"/challenge/cycles/{w.cycle.id}/regional")
    assert page.status_code == 200 and "Voice of the child" in page.text
    assert "<svg" in page.text and "Self-assessments finalised: the figures" in page.text
    word = client.get(f"/challenge/cycles/{w.cycle.id}/regional.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs)
    cells = [c.text for t in docx.Document(io.BytesIO(word.data)).tables for r in t.rows
             for c in r.cells]
    assert "Voice of the child" in cells and "Kent: Kent strength" in text
    sheet = client.get(f"/challenge/cycles/{w.cycle.id}/regional.csv")
    rows = list(csv.reader(io.StringIO(sheet.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Record" and ["Agreed action", "Kent", "", "", "Kent action",
                                       "Cllr Kent", "2027-01-15", ""] in rows
    other = client.application.test_client()
    login(other, w.leads[3])
    assert other.get(f"/challenge/cycles/{w.cycle.id}/regional").status_code == 403


def test_the_regional_page_costs_the_same_queries_as_the_region_grows(
        w: World, client: FlaskClient, query_counter: Any) -> None:
    form_triad(w)
    fill_and_finalise(w.leads[0], w.responses[0])
    record_outcomes(w)
    login(client, w.pm)
    url = f"/challenge/cycles/{w.cycle.id}/regional"
    client.get(url)
    with query_counter.count() as small:
        assert client.get(url).status_code == 200
    # grow: six more authorities answering, two more triads with outcomes
    more = [make_organisation(f"Grown {i}") for i in range(6)]
    leads = [make_user(name=f"Cllr Grown {i}", organisation=o) for i, o in enumerate(more)]
    from seslip.questionnaires.models import Response

    for org, lead in zip(more, leads, strict=True):
        db.session.add(Response(definition_id=w.cycle.definition_id,
                                form_version_id=w.cycle.form_version_id, owner_id=lead.id,
                                organisation_id=org.id, cycle_id=w.cycle.id))
    db.session.commit()
    for n, group in enumerate((more[:3], more[3:])):
        triad = triads.form_triad(w.pm, w.cycle, [o.id for o in group], triads.DayDetails(
            f"Triad {n + 2}", date(2026, 11, 20), time(10), time(12), "Online", "",
            w.facilitator.id))
        for org in group:
            fill_and_finalise(leads[more.index(org)], response_of(w.cycle, org))
            page = outcomes.open_outcome(w.facilitator, triad, org.id)
            outcomes.add_point(w.facilitator, page, PointKind.AREA, "Grown area",
                               None, "challenge_and_support")
    with query_counter.count() as big:
        assert client.get(url).status_code == 200
    assert big.total == small.total == 10, big.statements


def test_this_cycle_beside_last_years(w: World, client: FlaskClient) -> None:
    last = make_cycle(w.pm, "Lead Member self-assessment 2025-26", opens_on=date(2025, 9, 1))
    fill_and_finalise(w.leads[0], response_of(last, w.orgs[0]), extra=" (last year)")
    fill_and_finalise(w.leads[0], w.responses[0])
    login(client, w.leads[0])
    page = client.get(f"/challenge/cycles/{w.cycle.id}/authorities/{w.orgs[0].id}/compare")
    assert page.status_code == 200
    assert "Budgets are reviewed quarterly. (last year)" in page.text
    assert "Lead Member self-assessment 2025-26" in page.text
    other = client.application.test_client()
    login(other, w.leads[1])
    assert other.get(f"/challenge/cycles/{w.cycle.id}/authorities/{w.orgs[0].id}/compare"
                     ).status_code == 403


def test_next_things_has_the_day_to_come_and_open_actions(w: World) -> None:
    from seslip import panels
    from seslip.challenge.outcomes import next_things

    triad = form_triad(w)
    assert [t.text for t in next_things(w.dcs, date(2026, 11, 1))] == [
        "Peer challenge day: Triad 1"]
    assert "Peer challenge day: Triad 1" in {
        t.text for t in panels.next_things(w.dcs, date(2026, 11, 1))}  # listed in panels.py
    assert next_things(w.leads[3], date(2026, 11, 1)) == []
    record_outcomes(w)
    later = next_things(w.leads[0], date(2026, 12, 1))
    assert [(t.kind, t.when) for t in later] == [("action", date(2027, 1, 15))]
    assert later[0].url.endswith(f"/challenge/triads/{triad.id}/outcomes/{w.orgs[0].id}")


def test_the_programme_manager_keeps_themes_and_priorities(w: World, client: FlaskClient,
                                                           ) -> None:
    from seslip.challenge import plan

    login(client, w.pm)
    page = client.get("/challenge/themes")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    added = client.post("/challenge/themes", data={
        "csrf_token": token, "do": "theme", "theme-name": "  Voice   of the child "})
    assert added.status_code == 302
    again = client.post("/challenge/themes", data={
        "csrf_token": token, "do": "theme", "theme-name": "Voice of the child"})
    assert again.status_code == 422
    assert "There is already a theme called “Voice of the child”." in again.text
    assert 'href="#theme-name"' in again.text and 'value="Voice of the child"' in again.text
    assert client.post("/challenge/themes", data={
        "csrf_token": token, "do": "priority",
        "priority-title": "Using peer challenge and peer review"}).status_code == 302
    theme, priority = plan.themes()[0], plan.priorities()[0]
    assert client.post(f"/challenge/themes/{theme.id}/priorities", data={
        "csrf_token": token, f"t{theme.id}-priorities": str(priority.id)}).status_code == 302
    assert [p.title for p in plan.themes()[0].priorities] == [
        "Using peer challenge and peer review"]
    assert client.post(f"/challenge/themes/{theme.id}/archive",
                       data={"csrf_token": token}).status_code == 302
    assert plan.themes() == [] and plan.themes(include_archived=True)[0].archived


def test_changing_a_groups_authorities_cancels_the_day_for_those_taken_out(w: World) -> None:
    triad = form_triad(w)
    details = triads.DayDetails("Triad 1", date(2026, 11, 20), time(10), time(15),
                                "County Hall, Maidstone", "", w.facilitator.id)
    with pytest.raises(ServiceError, match="three authorities"):
        triads.update_day(w.pm, triad, details, [w.orgs[0].id, w.orgs[1].id])
    triads.update_day(w.pm, triad, details, [w.orgs[0].id, w.orgs[1].id, w.orgs[3].id])
    assert sorted(m.organisation.name for m in triad.members) == ["Kent", "Medway", "Reading"]
    left = _mail("No longer in Triad 1")
    assert [m.recipient for m in left] == [w.leads[2].email]  # Slough's lead member
    cancel = _event(left[0])
    assert str(cancel["status"]) == "CANCELLED" and int(cancel["sequence"]) == 1
    assert w.leads[3].email in {m.recipient for m in _mail("Changed: Peer challenge day")}
    assert access.is_peer(w.leads[3], triad, w.orgs[0].id)
    assert not access.is_peer(w.leads[2], triad, w.orgs[0].id)
