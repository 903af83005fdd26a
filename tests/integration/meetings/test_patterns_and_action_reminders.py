"""Planned meeting patterns fill the horizon once per slot; action owners are reminded once
when due and once when overdue. Explicit dates throughout."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from flask import Flask
from sqlalchemy import func, select

from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.meetings import action_reminders, patterns, services
from seslip.meetings.models import ActionReminderSent, Meeting
from seslip.tick import run_tick
from tests.integration.meetings.support import build_meeting_world
from tests.integration.networks.support import outbox

QUARTERLY = patterns.PatternValues(per_year=4, first_month=3, weekday=2, week=2,
                                   starts=time(10), ends=time(12),
                                   online_link="https://teams.example/kinship")


def _planned(network_id: int) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(
        Meeting.network_id == network_id, Meeting.pattern_id.is_not(None))
        .order_by(Meeting.starts_at)))


def test_a_quarterly_pattern_plans_twelve_months_in_london_time(app: Flask) -> None:
    mw = build_meeting_world()
    _, made = patterns.save_pattern(mw.chair, mw.network, QUARTERLY,
                                    today=date(2026, 12, 3))
    assert [m.pattern_slot for m in made] == [date(2026, 12, 9), date(2027, 3, 10),
                                              date(2027, 6, 9), date(2027, 9, 8)]
    # 10:00 in London: GMT in December and March, BST in June and September.
    assert [m.starts_at for m in made] == [datetime(2026, 12, 9, 10), datetime(2027, 3, 10, 10),
                                           datetime(2027, 6, 9, 9), datetime(2027, 9, 8, 9)]
    assert made[1].papers_due_on == date(2027, 3, 3)  # five working days before
    assert all(m.to_confirm for m in made)
    assert made[0].title == "Kinship Network, December 2026"

    # The next day's tick plans nothing new; three months on it adds the December slot.
    assert patterns.tick(date(2026, 12, 4)) == []
    assert run_tick(date(2027, 3, 9)).count("Planned meeting: Kinship Network, "
                                            "8 December 2027") == 1
    assert patterns.tick(date(2027, 3, 9)) == []


def test_a_moved_or_cancelled_meeting_is_not_planned_again(app: Flask) -> None:
    mw = build_meeting_world()
    _, made = patterns.save_pattern(mw.chair, mw.network, QUARTERLY, today=date(2026, 12, 3))
    first, second = made[0], made[1]
    services.update_meeting(mw.chair, first, services.MeetingDetails(
        title=first.title, day=date(2026, 12, 16), starts=time(10), ends=time(12),
        online_link="https://teams.example/kinship"))
    assert not first.to_confirm  # moving it confirmed it
    services.cancel_meeting(mw.chair, second, "Clashes with the DCS group")
    assert patterns.tick(date(2026, 12, 5)) == []
    count = db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.pattern_id.is_not(None)))
    assert count == 4


def test_confirming_and_who_may(app: Flask) -> None:
    mw = build_meeting_world()
    with pytest.raises(PermissionDenied):
        patterns.save_pattern(mw.member, mw.network, QUARTERLY, today=date(2026, 12, 3))
    bad = patterns.PatternValues(**{**QUARTERLY.__dict__, "per_year": 5})
    with pytest.raises(ServiceError) as refused:
        patterns.save_pattern(mw.chair, mw.network, bad, today=date(2026, 12, 3))
    assert refused.value.field == "per_year"
    _, made = patterns.save_pattern(mw.chair, mw.network, QUARTERLY, today=date(2026, 12, 3))
    with pytest.raises(PermissionDenied):
        patterns.confirm(mw.member, made[0])
    patterns.confirm(mw.chair, made[0])
    assert not made[0].to_confirm
    with pytest.raises(ServiceError, match="already confirmed"):
        patterns.confirm(mw.chair, made[0])


def test_action_reminders_are_sent_once_when_due_and_once_when_overdue(app: Flask) -> None:
    mw = build_meeting_world()
    services.add_action(mw.chair, mw.meeting, "Send the data to the DCS group",
                        mw.owner, date(2026, 3, 27))  # a Friday
    done_early = services.add_action(mw.chair, mw.meeting, "Done", mw.member, date(2026, 3, 27))
    services.complete_action(mw.member, done_early, today=date(2026, 3, 20))

    assert action_reminders.tick(date(2026, 3, 24)) == []  # three working days before
    sent = action_reminders.tick(date(2026, 3, 25))
    assert sent == ["Action reminder (due): Bob Officer: Send the data to the DCS group"]
    assert action_reminders.tick(date(2026, 3, 26)) == []
    assert action_reminders.tick(date(2026, 3, 27)) == []
    overdue = action_reminders.tick(date(2026, 3, 30))
    assert overdue == ["Action reminder (overdue): Bob Officer: Send the data to the DCS group"]
    assert action_reminders.tick(date(2026, 4, 30)) == []

    messages = outbox("action_reminder")
    assert [m.subject for m in messages] == [
        "Due: your action from Kinship Network, March",
        "Overdue: your action from Kinship Network, March"]
    assert all(m.recipient == mw.owner.email for m in messages)
    assert "was due by 27 March 2026" in messages[1].body_text
    assert db.session.scalar(select(func.count()).select_from(ActionReminderSent)) == 2


def test_an_action_found_late_gets_only_the_overdue_reminder(app: Flask) -> None:
    mw = build_meeting_world()
    services.add_action(mw.chair, mw.meeting, "Late", mw.owner, date(2026, 3, 27))
    assert [line.split(":")[0] for line in action_reminders.tick(date(2026, 4, 2))] == [
        "Action reminder (overdue)"]
    assert [m.subject.split(":")[0] for m in outbox("action_reminder")] == ["Overdue"]


def test_changing_the_pattern_moves_the_meetings_nobody_has_taken_on(app: Flask) -> None:
    mw = build_meeting_world()
    _, made = patterns.save_pattern(mw.chair, mw.network, QUARTERLY, today=date(2026, 12, 3))
    taken = made[1]  # 10 March 2027: the chair gives it an agenda
    services.add_item(mw.chair, taken, "Welcome", mw.chair, 10)
    thursdays = patterns.PatternValues(**{**QUARTERLY.__dict__, "weekday": 3,
                                          "starts": time(14), "ends": time(16)})
    _, new = patterns.save_pattern(mw.chair, mw.network, thursdays, today=date(2026, 12, 3))
    assert new == []  # the free meetings moved; none added beside them
    live = [m for m in _planned(mw.network.id) if not m.is_cancelled]
    assert [(m.pattern_slot, m.starts_at.hour) for m in live] == [
        (date(2026, 12, 10), 14),  # second Thursday, 14:00 GMT
        (date(2027, 3, 10), 10),  # kept: it has an agenda
        (date(2027, 6, 10), 13),  # 14:00 BST
        (date(2027, 9, 9), 13),
    ]
    assert live[0].sequence == 1 and live[0].title == "Kinship Network, December 2026"
    # March has its meeting (the one with an agenda): nothing is added beside it.
    assert patterns.tick(date(2026, 12, 4)) == []
    # Twice a year (June and December): September's meeting is withdrawn.
    twice = patterns.PatternValues(**{**thursdays.__dict__, "per_year": 2, "first_month": 6})
    patterns.save_pattern(mw.chair, mw.network, twice, today=date(2026, 12, 3))
    live = [m for m in _planned(mw.network.id) if not m.is_cancelled]
    assert [m.pattern_slot for m in live] == [date(2026, 12, 10), date(2027, 3, 10),
                                              date(2027, 6, 10)]
    gone = [m for m in _planned(mw.network.id) if m.is_cancelled]
    assert [(m.starts_at.date(), m.cancel_reason) for m in gone] == [
        (date(2027, 9, 9), "No longer in the network's meeting pattern.")]
