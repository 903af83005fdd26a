""""My next things" lines from meetings and programmes: papers owed, actions owned, suggestions
waiting for the chair's triage, each with its date and link, soonest first."""

from __future__ import annotations

from datetime import time, timedelta

from flask import Flask

from seslip.meetings import rules
from seslip.meetings import services as meetings
from seslip.panels import next_things
from seslip.programmes import services
from seslip.timeutil import local_today
from tests.integration.meetings.support import PDF, build_meeting_world


def test_papers_actions_and_suggestions(app: Flask) -> None:
    mw = build_meeting_world()
    today = local_today()
    day = today + timedelta(days=40)
    meeting = meetings.create_meeting(mw.chair, mw.network, meetings.MeetingDetails(
        title="Kinship Network, next", day=day, starts=time(10), ends=time(12), place="Lewes"))
    owed = meetings.add_item(mw.chair, meeting, "Data report", mw.owner, 30, True)
    sent = meetings.add_item(mw.chair, meeting, "Sent already", mw.owner, 10, True)
    meetings.upload_paper(mw.owner, meeting, sent, "", "p.pdf", PDF)
    meetings.add_action(mw.chair, meeting, "Write to the DfE", mw.owner, today - timedelta(days=1))
    meetings.add_action(mw.chair, meeting, "Book a room", mw.owner, None)
    suggestion = services.suggest(mw.member, mw.network, "Kinship allowances")

    with app.test_request_context():
        mine = next_things(mw.owner, today)
        chairs = next_things(mw.chair, today)
        members = next_things(mw.member, today)

    mine = [t for t in mine if t.kind != "meeting"]  # the meeting itself: another source
    assert [(t.kind, t.text) for t in mine] == [
        ("action", "Overdue action: Write to the DfE"),
        ("paper", "Upload your paper for “Data report” (Kinship Network, next)"),
        ("action", "Action: Book a room"),  # no due date: last
    ]
    assert mine[1].when == rules.papers_deadline(day)
    assert mine[1].url == f"/meetings/{meeting.id}/papers/new?item={owed.id}"
    chairs = [t for t in chairs if t.kind != "meeting"]
    assert [(t.kind, t.url) for t in chairs] == [
        ("suggestion", f"/networks/{mw.network.slug}/programme/suggestions/{suggestion.id}/"
                       "triage")]
    assert [t for t in members if t.kind != "meeting"] == []


def test_chairs_are_asked_to_confirm_planned_meetings_of_the_next_three_months(
        app: Flask) -> None:
    from seslip.meetings import patterns

    mw = build_meeting_world()
    today = local_today()
    _, made = patterns.save_pattern(mw.chair, mw.network, patterns.PatternValues(
        per_year=12, first_month=1, weekday=2, week=2, starts=time(10), ends=time(12),
        place="Lewes", months_ahead=6), today=today)
    soon = [m for m in made if rules.utc_to_london(m.starts_at).date()
            < today + timedelta(days=90)]
    assert 2 <= len(soon) < len(made)
    patterns.confirm(mw.chair, soon[0])
    with app.test_request_context():
        chairs = [t for t in next_things(mw.chair, today) if t.text.startswith("Confirm")]
        members = [t for t in next_things(mw.member, today) if t.text.startswith("Confirm")]
    assert [t.text for t in chairs] == [f"Confirm or move {m.title}" for m in soon[1:]]
    assert chairs[0].url == f"/meetings/{soon[1].id}"
    assert members == []
