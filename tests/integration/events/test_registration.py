"""Registration, the waiting list, cancellation and promotion, with their emails and .ics, on
SQLite and PostgreSQL; reminders exactly once; attendance and feedback; the calendar feed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

import pytest
from flask import Flask
from icalendar import Calendar
from sqlalchemy import select

from seslip.audit.models import AuditEvent
from seslip.errors import PermissionDenied, ServiceError
from seslip.events import services
from seslip.events.models import Event, EventKind, Registration, RegistrationStatus
from seslip.events.reminders import tick
from seslip.extensions import db
from seslip.meetings import calendar
from seslip.notifications.delivery import deliver_pending
from seslip.panels import next_things
from seslip.timeutil import local_today
from tests.integration.events.support import EVENT_DAY, EventWorld, attached, build_event_world
from tests.integration.networks.support import TODAY, outbox
from tests.support.factories import csrf_token, login

REGISTERED, WAITING, CANCELLED = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING,
                                  RegistrationStatus.CANCELLED)


@pytest.fixture
def ew(app: Flask) -> EventWorld:
    return build_event_world()


def _details(ew: EventWorld, **change: object) -> services.EventDetails:
    values: dict[str, object] = {
        "kind": EventKind.INDUCTION_DAY, "title": ew.event.title, "day": EVENT_DAY,
        "starts": time(9, 30), "ends": time(16), "place": "London Councils",
        "cohort": ew.cohort, "capacity": ew.event.capacity, **change}
    return services.EventDetails(**values)  # type: ignore[arg-type]


def test_places_then_the_waiting_list_in_order(ew: EventWorld) -> None:
    first = services.register(ew.lead, ew.event, TODAY)
    second = services.register(ew.dora, ew.event, TODAY)
    third = services.register(ew.w.bob, ew.event, TODAY)
    fourth = services.register(ew.w.carol, ew.event, TODAY)
    assert [r.status for r in (first, second, third, fourth)] == [REGISTERED, REGISTERED,
                                                                  WAITING, WAITING]
    assert services.waiting_position(third) == 1 and services.waiting_position(fourth) == 2
    placed = outbox("event_registered")
    assert [m.recipient for m in placed] == [ew.lead.email, ew.dora.email]
    cal, vevent = attached(placed[0])
    assert str(cal["METHOD"]) == "REQUEST" and str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["UID"]) == f"event-{ew.event.id}@localhost"
    assert vevent.decoded("DTSTART").hour == 9  # 09:30 London is 09:30 UTC in March (GMT)
    waiting = outbox("event_waiting")
    assert [m.recipient for m in waiting] == [ew.w.bob.email, ew.w.carol.email]
    assert not waiting[0].attachments  # no place, nothing for the calendar
    assert "the waiting list: number 1" in waiting[0].body_text


def test_registering_twice_changes_nothing(ew: EventWorld) -> None:
    one = services.register(ew.lead, ew.event, TODAY)
    again = services.register(ew.lead, ew.event, TODAY)
    assert one.id == again.id and services.places_taken(ew.event) == 1
    assert len(outbox("event_registered")) == 1


def test_a_freed_place_goes_to_the_next_person_who_is_told(ew: EventWorld) -> None:
    lena = services.register(ew.lead, ew.event, TODAY)
    services.register(ew.dora, ew.event, TODAY)
    bob = services.register(ew.w.bob, ew.event, TODAY)
    services.register(ew.w.carol, ew.event, TODAY)
    _, invited = attached(outbox("event_registered")[0])

    services.cancel_registration(ew.lead, lena)
    assert lena.status == CANCELLED
    db.session.refresh(bob)
    assert bob.status == REGISTERED and bob.registered_at is not None
    carol = services.registration_of(ew.w.carol, ew.event)
    assert carol is not None and carol.status == WAITING
    assert services.waiting_position(carol) == 1
    # Lena's calendar loses the event: CANCEL, same UID, a higher SEQUENCE.
    cal, removed = attached(outbox("event_registration_cancelled")[0])
    assert str(cal["METHOD"]) == "CANCEL" and str(removed["STATUS"]) == "CANCELLED"
    assert removed["UID"] == invited["UID"] and removed["SEQUENCE"] > invited["SEQUENCE"]
    promoted = outbox("event_promoted")
    assert [m.recipient for m in promoted] == [ew.w.bob.email]
    cal, vevent = attached(promoted[0])
    assert str(cal["METHOD"]) == "REQUEST" and vevent["UID"] == invited["UID"]
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "Registration")))
    assert {"register", "cancel", "promote"} <= actions
    with pytest.raises(ServiceError, match="already cancelled"):
        services.cancel_registration(ew.lead, lena)


def test_registering_again_after_cancelling_goes_to_the_back(ew: EventWorld) -> None:
    lena = services.register(ew.lead, ew.event, TODAY)
    services.register(ew.dora, ew.event, TODAY)
    services.register(ew.w.bob, ew.event, TODAY)  # waiting
    services.cancel_registration(ew.lead, lena)  # Bob is promoted
    again = services.register(ew.lead, ew.event, TODAY)
    assert again.id == lena.id and again.status == WAITING


def test_leaving_the_waiting_list_frees_no_place(ew: EventWorld) -> None:
    services.register(ew.lead, ew.event, TODAY)
    services.register(ew.dora, ew.event, TODAY)
    bob = services.register(ew.w.bob, ew.event, TODAY)
    carol = services.register(ew.w.carol, ew.event, TODAY)
    services.cancel_registration(ew.w.bob, bob)
    assert services.places_taken(ew.event) == 2 and outbox("event_promoted") == []
    assert services.waiting_position(carol) == 1
    assert not outbox("event_registration_cancelled")[0].attachments


def test_who_may_cancel_and_register(ew: EventWorld) -> None:
    lena = services.register(ew.lead, ew.event, TODAY)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(ew.dora, lena)
    with pytest.raises(PermissionDenied, match="participants of London programme"):
        services.register(ew.w.outsider, ew.event, TODAY)
    services.cancel_registration(ew.w.pm, lena)  # the organiser may
    assert lena.status == CANCELLED
    with pytest.raises(ServiceError, match="Registration has closed"):
        services.register(ew.dora, ew.event, EVENT_DAY + timedelta(days=1))


def test_network_events_are_organised_by_its_chairs(ew: EventWorld) -> None:
    details = _details(ew, cohort=None, network=ew.network, title="Kinship workshop",
                       kind=EventKind.EXPERT_WORKSHOP)
    with pytest.raises(PermissionDenied):
        services.create_event(ew.w.bob, details)  # a member, not a chair
    with pytest.raises(ServiceError, match="programme team"):
        services.create_event(ew.chair, _details(ew, network=ew.network))  # with a cohort
    workshop = services.create_event(ew.chair, details)
    with pytest.raises(ServiceError, match="a network you chair"):
        services.update_event(ew.chair, workshop, _details(ew, cohort=None))
    assert services.can_organise(ew.chair, workshop)
    assert not services.can_organise(ew.chair, ew.event)  # not the cohort's event
    assert services.may_register(ew.w.bob, workshop, TODAY)
    assert not services.may_register(ew.w.outsider, workshop, TODAY)


def test_a_change_updates_calendars_and_the_cap_moves_the_queue(ew: EventWorld) -> None:
    services.register(ew.lead, ew.event, TODAY)
    services.register(ew.dora, ew.event, TODAY)
    bob = services.register(ew.w.bob, ew.event, TODAY)
    _, before = attached(outbox("event_registered")[0])
    with pytest.raises(ServiceError, match="2 people already have a place"):
        services.update_event(ew.w.pm, ew.event, _details(ew, capacity=1))
    db.session.rollback()
    services.update_event(ew.w.pm, ew.event, _details(ew, starts=time(10), capacity=3))
    changed = outbox("event_changed")
    assert {m.recipient for m in changed} == {ew.lead.email, ew.dora.email}
    _, after = next(attached(m) for m in changed if m.recipient == ew.lead.email)
    assert after["UID"] == before["UID"] and after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART").hour == 10
    db.session.refresh(bob)
    assert bob.status == REGISTERED  # the new place went to the first waiting
    assert [m.recipient for m in outbox("event_promoted")] == [ew.w.bob.email]


def test_cancelling_the_event_removes_it_from_calendars(ew: EventWorld) -> None:
    services.register(ew.lead, ew.event, TODAY)
    services.register(ew.dora, ew.event, TODAY)
    services.register(ew.w.bob, ew.event, TODAY)
    with pytest.raises(ServiceError, match="why"):
        services.cancel_event(ew.w.pm, ew.event, " ")
    db.session.rollback()
    services.cancel_event(ew.w.pm, ew.event, "The venue is closed")
    mails = outbox("event_cancelled")
    assert {m.recipient for m in mails} == {ew.lead.email, ew.dora.email, ew.w.bob.email}
    with_place = next(m for m in mails if m.recipient == ew.lead.email)
    cal, vevent = attached(with_place)
    assert str(cal["METHOD"]) == "CANCEL" and str(vevent["STATUS"]) == "CANCELLED"
    assert not next(m for m in mails if m.recipient == ew.w.bob.email).attachments
    with pytest.raises(ServiceError, match="cancelled"):
        services.register(ew.w.carol, ew.event, TODAY)


def test_reminders_the_day_before_exactly_once(ew: EventWorld) -> None:
    services.register(ew.lead, ew.event, TODAY)
    services.register(ew.dora, ew.event, TODAY)
    services.register(ew.w.bob, ew.event, TODAY)  # waiting: no reminder
    assert tick(EVENT_DAY - timedelta(days=2)) == []
    lines = tick(EVENT_DAY - timedelta(days=1))
    assert len(lines) == 2 and all("Induction day" in line for line in lines)
    assert tick(EVENT_DAY - timedelta(days=1)) == []
    assert tick(EVENT_DAY) == []  # the day itself: already sent
    mails = outbox("event_reminder")
    assert {m.recipient for m in mails} == {ew.lead.email, ew.dora.email}
    assert mails[0].subject == "Tomorrow: Induction day"
    assert str(attached(mails[0])[0]["METHOD"]) == "REQUEST"


def test_a_missed_tick_reminds_on_the_morning_but_never_after(ew: EventWorld) -> None:
    services.register(ew.lead, ew.event, TODAY)
    assert tick(EVENT_DAY + timedelta(days=1)) == []
    assert len(tick(EVENT_DAY)) == 1
    assert outbox("event_reminder")[0].subject == "Today: Induction day"


def test_attendance_then_feedback_to_those_who_came(ew: EventWorld, shipped: None) -> None:
    from seslip.questionnaires import services as questionnaires

    services.register(ew.lead, ew.event, TODAY)
    services.register(ew.dora, ew.event, TODAY)
    with pytest.raises(ServiceError, match="on the day"):
        services.take_attendance(ew.w.pm, ew.event, {ew.lead.id}, TODAY)
    with pytest.raises(PermissionDenied):
        services.take_attendance(ew.lead, ew.event, {ew.lead.id}, EVENT_DAY)
    db.session.rollback()
    assert services.take_attendance(ew.w.pm, ew.event, {ew.lead.id, ew.w.bob.id},
                                    EVENT_DAY) == 1  # Bob has no place: ignored
    with pytest.raises(ServiceError, match="published questionnaire"):
        services.send_feedback(ew.w.pm, ew.event, "no-such-form", EVENT_DAY)
    db.session.rollback()
    assert services.send_feedback(ew.w.pm, ew.event, "induction-day-feedback",
                                  EVENT_DAY) == 1
    mails = outbox("event_feedback")
    assert [m.recipient for m in mails] == [ew.lead.email]
    assert f"/events/{ew.event.id}#feedback" in mails[0].body_text
    with pytest.raises(ServiceError, match="already asked"):
        services.send_feedback(ew.w.pm, ew.event, "induction-day-feedback", EVENT_DAY)
    db.session.rollback()
    summary = services.feedback_summary(ew.event)
    assert summary is not None and (summary.asked, summary.started, summary.responded) == (
        1, 0, 0)
    questionnaires.start_or_continue(ew.lead, "induction-day-feedback")
    summary = services.feedback_summary(ew.event)
    assert summary is not None and (summary.started, summary.responded) == (1, 0)


def test_the_personal_feed_and_next_things(app: Flask, ew: EventWorld) -> None:
    future = build_future_event(ew)
    lena = services.register(ew.lead, future)
    secret = calendar.secret_of(calendar.renew(ew.lead))
    body = app.test_client().get(f"/calendar/{secret}/meetings.ics").get_data()
    events = Calendar.from_ical(body).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"event-{future.id}@localhost"]
    assert str(events[0]["STATUS"]) == "CONFIRMED"
    things = next_things(ew.lead, local_today())
    assert [(t.kind, t.text) for t in things] == [("event", "Future day: You have a place")]
    services.cancel_registration(ew.lead, lena)
    body = app.test_client().get(f"/calendar/{secret}/meetings.ics").get_data()
    assert str(Calendar.from_ical(body).walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert next_things(ew.lead, local_today()) == []


def build_future_event(ew: EventWorld, capacity: int | None = None) -> Event:
    return services.create_event(ew.w.pm, services.EventDetails(
        EventKind.WORKSHOP, "Future day", local_today() + timedelta(days=10), time(10),
        time(12), place="London", cohort=ew.cohort, capacity=capacity))


def test_emails_reach_a_real_smtp_server_with_the_ics(ew: EventWorld, mail_to: object) -> None:
    deliver_pending()
    mail_to.messages.clear()  # type: ignore[attr-defined]
    services.register(ew.lead, ew.event, TODAY)
    assert deliver_pending().sent == 1
    delivered = mail_to.messages[0]  # type: ignore[attr-defined]
    assert delivered.recipients == [ew.lead.email]
    assert delivered.subject.startswith("You are registered: Induction day")
    parts = [p for p in delivered.message.iter_attachments()
             if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    vevent = Calendar.from_ical(parts[0].get_content()).walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"event-{ew.event.id}@localhost"


def test_two_people_taking_the_last_place_one_gets_it_one_waits(app: Flask) -> None:
    ew = build_event_world(capacity=1)
    event = build_future_event(ew, capacity=2)
    services.register(ew.dora, event)  # one place left
    people = [ew.lead, ew.w.bob]
    event_id, ids = event.id, [p.id for p in people]
    clients = []
    for person in people:
        client = app.test_client()
        login(client, person)
        clients.append((client, csrf_token(client, f"/events/{event.id}")))
    db.session.rollback()
    db.session.close()  # the threads' transactions must not wait on this one
    barrier = threading.Barrier(len(clients))

    def take(pair: tuple[object, str]) -> int:
        client, token = pair
        barrier.wait(timeout=30)
        return client.post(f"/events/{event_id}/register",  # type: ignore[attr-defined]
                           data={"csrf_token": token}).status_code

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        codes = list(pool.map(take, clients))
    assert codes == [302, 302]
    statuses = sorted(r.status.value for r in db.session.scalars(
        select(Registration).where(Registration.event_id == event_id,
                                   Registration.user_id.in_(ids))))
    assert statuses == ["registered", "waiting"]
    assert services.places_taken(db.get_or_404(Event, event_id)) == 2
