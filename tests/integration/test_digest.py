"""Notification preferences and the weekly digest: held by the recipient's choice, urgent mail
and account links never held, one digest per person and week however often `tick` runs, and
delivered through a real SMTP server."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.accounts.models import User
from seslip.accounts.services import request_password_reset
from seslip.extensions import db
from seslip.meetings import services as meetings
from seslip.meetings.reminders import tick as paper_reminders
from seslip.networks import appointments as svc
from seslip.notifications.delivery import deliver_pending
from seslip.notifications.digest import tick as digest_tick
from seslip.notifications.digest import week_starting
from seslip.notifications.models import (
    DeliveryMode,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
    WeeklyDigest,
)
from seslip.notifications.preferences import choices_of, save_choices, set_digest
from seslip.tick import run_tick
from seslip.timeutil import local_today
from tests.integration.networks.support import World, build_world
from tests.support.factories import csrf_token, login

NEXT_MONDAY = week_starting(local_today()) + timedelta(days=7)


@pytest.fixture
def world(app: Flask) -> World:
    w = build_world()
    svc.appoint(w.pm, w.chair, w.alice, today=local_today())
    return w


def _send_agenda(w: World, title: str = "Kinship Network meeting") -> None:
    meeting = meetings.create_meeting(w.alice, w.network, meetings.MeetingDetails(
        title=title, day=local_today() + timedelta(days=20), starts=time(10), ends=time(12),
        place="County Hall, Lewes"))
    meetings.add_item(w.alice, meeting, "Data report", w.bob, 30, True)
    meetings.send_agenda(w.alice, meeting)


def _mail(event: str, recipient: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.event == event, OutboxMessage.recipient == recipient)))


def test_a_digest_choice_holds_that_kind_only_for_that_person(world: World) -> None:
    set_digest(world.carol, ["agenda_sent"])
    _send_agenda(world)
    [carols] = _mail("agenda_sent", world.carol.email)
    [bobs] = _mail("agenda_sent", world.bob.email)
    assert carols.status == OutboxStatus.HELD and carols.held_for_id == world.carol.id
    assert bobs.status == OutboxStatus.PENDING and bobs.held_for_id is None


def test_urgent_kinds_cannot_be_held(world: World) -> None:
    set_digest(world.dcs_chair, ["approval_requested"])
    assert db.session.scalars(select(NotificationPreference)).all() == []
    assert [c.mode for c in choices_of(world.dcs_chair)
            if c.kind.event == "approval_requested"] == [DeliveryMode.IMMEDIATE]
    svc.appoint(world.pm, world.sponsor, world.kent_dcs, today=local_today())
    [asked] = _mail("approval_requested", world.dcs_chair.email)
    assert asked.status == OutboxStatus.PENDING


def test_a_paper_due_today_comes_straight_away_the_earlier_reminder_waits(
        world: World) -> None:
    meeting = meetings.create_meeting(world.alice, world.network, meetings.MeetingDetails(
        title="Kinship Network, March", day=date(2026, 3, 20), starts=time(10), ends=time(12),
        place="County Hall, Lewes"))  # papers due Friday 13 March
    meetings.add_item(world.alice, meeting, "Data report", world.bob, 30, True)
    set_digest(world.bob, ["paper_reminder"])
    assert paper_reminders(date(2026, 3, 11))  # two working days before
    assert paper_reminders(date(2026, 3, 13))  # on the day
    early, due = _mail("paper_reminder", world.bob.email)
    assert early.status == OutboxStatus.HELD
    assert due.status == OutboxStatus.PENDING and due.subject.startswith("Due today")


def test_account_links_are_never_held(world: World) -> None:
    set_digest(world.carol, [c.kind.event for c in choices_of(world.carol)])
    request_password_reset(world.carol.email)
    [reset] = _mail("password_reset", world.carol.email)
    assert reset.status == OutboxStatus.PENDING and reset.account_token_id is not None


def test_one_digest_per_person_and_week_however_often_tick_runs(world: World,
                                                                mail_to) -> None:  # type: ignore[no-untyped-def]
    set_digest(world.carol, ["agenda_sent"])
    set_digest(world.bob, ["agenda_sent"])
    _send_agenda(world, "First meeting")
    _send_agenda(world, "Second meeting")
    assert digest_tick(local_today()) == []  # held this week: they wait for next Monday

    first = run_tick(NEXT_MONDAY)
    assert [line for line in first if line.startswith("Weekly digest")] == [
        "Weekly digest: 2 emails to Bob Officer", "Weekly digest: 2 emails to Carol Partner"]
    assert digest_tick(NEXT_MONDAY) == []  # twice the same day: nothing more
    assert digest_tick(NEXT_MONDAY + timedelta(days=2)) == []  # later that week: nothing
    assert len(db.session.scalars(select(WeeklyDigest)).all()) == 2
    held = _mail("agenda_sent", world.carol.email)
    assert {m.status for m in held} == {OutboxStatus.DIGESTED}

    deliver_pending()
    [digest] = mail_to.wait_for(world.carol.email, count=1)
    assert digest.subject.startswith("Your weekly SESLIP digest: 2 updates")
    assert "Agenda and papers: First meeting" in digest.text
    assert "Agenda and papers: Second meeting" in digest.text
    assert "/account/notifications/" in digest.text
    assert digest.html.count("<li>") == 2
    icses = [p for p in digest.message.walk() if p.get_content_type() == "text/calendar"]
    assert len(icses) == 2  # each meeting's calendar entry still comes with it
    assert len(mail_to.to(world.carol.email)) == 1  # the two held ones were never sent alone

    _send_agenda(world, "Third meeting")  # the week after: the next digest
    assert digest_tick(NEXT_MONDAY) == []
    assert digest_tick(NEXT_MONDAY + timedelta(days=7)) == [
        "Weekly digest: 1 email to Bob Officer", "Weekly digest: 1 email to Carol Partner"]


def test_choosing_straight_away_again_releases_what_was_held(world: World) -> None:
    set_digest(world.carol, ["agenda_sent"])
    _send_agenda(world)
    assert save_choices(world.carol, world.carol, {"agenda_sent": DeliveryMode.IMMEDIATE}) == 1
    [message] = _mail("agenda_sent", world.carol.email)
    assert message.status == OutboxStatus.PENDING and message.held_for_id is None
    assert digest_tick(NEXT_MONDAY) == []


def test_preferences_page_by_role_and_without_javascript(app: Flask, client: FlaskClient,
                                                         world: World) -> None:
    url = "/account/notifications/"
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    login(client, world.carol)
    account = client.get("/account").get_data(as_text=True)
    assert f'href="{url}"' in account and "calendar" in account.lower()
    page = client.get(url).get_data(as_text=True)
    assert "Always straight away" in page  # the urgent approval kind is shown, not asked
    token = csrf_token(client, url)
    form = {"csrf_token": token, **{c.kind.event: "immediate" for c in choices_of(world.carol)
                                    if not c.kind.urgent}}
    bad = client.post(url, data={**form, "agenda_sent": "sometimes"})
    assert bad.status_code == 422 and "Error:" in bad.get_data(as_text=True)
    done = client.post(url, data={**form, "agenda_sent": "digest"})
    assert done.status_code == 302
    assert [c.mode for c in choices_of(world.carol) if c.kind.event == "agenda_sent"] == [
        DeliveryMode.DIGEST]
    assert client.post(url, data={"agenda_sent": "digest"}).status_code == 400  # no CSRF
    for person in (world.pm, world.outsider):  # every signed-in person has their own page
        other = app.test_client()
        login(other, person)
        assert other.get(url).status_code == 200
        assert [c.mode for c in choices_of(person) if c.kind.event == "agenda_sent"] == [
            DeliveryMode.IMMEDIATE]


def test_the_demo_member_takes_a_weekly_digest(app: Flask) -> None:
    from seslip.demo import MEMBER_EMAIL, run_demo
    from seslip.notifications.demo import DIGESTED

    lines: list[str] = []
    run_demo(lines.append)
    person = db.session.scalar(select(User).where(User.email == MEMBER_EMAIL))
    assert person is not None
    chosen = {c.kind.event for c in choices_of(person) if c.mode == DeliveryMode.DIGEST}
    assert chosen == set(DIGESTED)
    assert any(line.startswith("Email choices: Sunita Rao takes 5 kinds") for line in lines)
    assert run_demo(lambda _line: None) == 0  # idempotent


def test_the_outbox_shows_held_and_digested_mail(world: World) -> None:
    from seslip.notifications.services import outbox_page, status_display

    set_digest(world.carol, ["agenda_sent"])
    _send_agenda(world)
    held = outbox_page(world.pm, status="held").items
    assert [m.recipient for m in held] == [world.carol.email]
    assert status_display(held[0]).label == "Held for a weekly digest"
    digest_tick(NEXT_MONDAY)
    assert status_display(held[0]).label == "Sent in a weekly digest"
    assert outbox_page(world.pm, status="held").items == []
