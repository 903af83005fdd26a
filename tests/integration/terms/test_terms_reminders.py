"""Review reminders by `tick`, with explicit dates: 30 and 7 days before and when overdue,
each sent exactly once; a review ("reviewed, no change") moves the next ones on a year."""

from __future__ import annotations

from datetime import date

from flask import Flask

from seslip.terms import reminders, services
from seslip.tick import run_tick
from tests.integration.networks.support import outbox
from tests.integration.terms.support import build_terms_world

APPROVED = date(2026, 1, 10)  # due 2027-01-10


def test_reminders_are_sent_once_each(app: Flask) -> None:
    world = build_terms_world()
    draft = services.start_draft(world.plain_chair, world.plain)
    services.publish(world.plain_chair, draft, "", today=APPROVED)
    assert reminders.tick(date(2026, 12, 10)) == []
    first = reminders.tick(date(2026, 12, 11))
    assert first == ["Terms of reference review reminder (before-30): Lead Member Network"]
    assert reminders.tick(date(2026, 12, 11)) == []
    assert reminders.tick(date(2026, 12, 20)) == []
    assert len(reminders.tick(date(2027, 1, 3))) == 1  # 7 days before
    assert not [line for line in run_tick(date(2027, 1, 4)) if "Terms of reference" in line]
    assert len(reminders.tick(date(2027, 1, 11))) == 1  # overdue
    assert reminders.tick(date(2027, 2, 11)) == []
    sent = outbox("tor_review")
    assert [m.recipient for m in sent] == [world.plain_chair.email] * 3
    assert "is due on" in sent[0].body_text and "overdue" in sent[2].body_text


def test_a_review_moves_the_reminders_on(app: Flask) -> None:
    world = build_terms_world()
    draft = services.start_draft(world.plain_chair, world.plain)
    services.publish(world.plain_chair, draft, "", today=APPROVED)
    assert len(reminders.tick(date(2026, 12, 11))) == 1
    services.record_review(world.plain_chair, world.plain, "", today=date(2026, 12, 12))
    assert reminders.tick(date(2027, 1, 11)) == []  # the old due date has gone
    assert len(reminders.tick(date(2027, 11, 12))) == 1  # 30 days before 2027-12-12
