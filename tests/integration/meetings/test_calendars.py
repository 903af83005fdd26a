"""Calendars, on SQLite and PostgreSQL: the .ics sent with meeting emails and the private feeds,
each parsed back with the icalendar package."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
from flask import Flask
from icalendar import Calendar, Event
from sqlalchemy import select

from seslip.audit.models import AuditEvent
from seslip.extensions import db
from seslip.meetings import calendar, services
from seslip.meetings.models import CalendarToken, Meeting
from seslip.networks.memberships import add_membership
from seslip.notifications.delivery import deliver_pending
from seslip.notifications.models import OutboxMessage
from seslip.notifications.services import queue_email
from seslip.timeutil import LONDON
from tests.integration.meetings.support import MEETING_DAY, MeetingWorld, build_meeting_world
from tests.integration.networks.support import TODAY, make_network, outbox
from tests.support.factories import csrf_token, login, make_user


@pytest.fixture
def mw(app: Flask) -> MeetingWorld:
    return build_meeting_world()


def _details(mw: MeetingWorld, **change: object) -> services.MeetingDetails:
    values: dict[str, object] = {"title": mw.meeting.title, "day": MEETING_DAY,
                                 "starts": time(10), "ends": time(12),
                                 "place": "County Hall, Lewes", **change}
    return services.MeetingDetails(**values)  # type: ignore[arg-type]


def _attached(message: OutboxMessage) -> tuple[Calendar, Event]:
    assert message.attachments and len(message.attachments) == 1
    attached = message.attachments[0]
    assert attached["filename"].endswith(".ics")
    cal = Calendar.from_ical(attached["content"])
    assert f"method={cal['METHOD']}" in attached["mimetype"]
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def _feed(app: Flask, url: str) -> list[Event]:
    response = app.test_client().get(url)  # no session: the link is the authority
    assert response.status_code == 200, url
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    return Calendar.from_ical(response.get_data()).walk("VEVENT")


def _uids(events: list[Event]) -> set[str]:
    return {str(e["UID"]) for e in events}


def _secret(user) -> str:  # type: ignore[no-untyped-def]
    return calendar.secret_of(calendar.renew(user))


# --- the .ics with meeting emails -----------------------------------------------------------


def test_uid_stays_sequence_rises_and_cancelling_removes(mw: MeetingWorld) -> None:
    uid = f"meeting-{mw.meeting.id}@localhost"
    services.send_agenda(mw.chair, mw.meeting, today=TODAY)
    cal, first = _attached(outbox("agenda_sent")[0])
    assert (str(cal["METHOD"]), str(first["UID"]), int(first["SEQUENCE"])) == ("REQUEST", uid, 0)
    assert first.decoded("DTSTART") == datetime(2026, 3, 20, 10, tzinfo=UTC)
    assert str(first["LOCATION"]) == "County Hall, Lewes"
    assert str(first["STATUS"]) == "CONFIRMED"

    # A change no calendar shows (the papers deadline) keeps the sequence and emails nobody.
    services.update_meeting(mw.chair, mw.meeting, _details(mw, papers_due_on=date(2026, 3, 12)))
    assert mw.meeting.sequence == 0
    assert outbox("meeting_changed") == []
    # Moved after the agenda went out: members are told, with the update for their calendars.
    services.update_meeting(mw.chair, mw.meeting, _details(mw, starts=time(11), ends=time(13),
                                                           place="Room 2, County Hall"))
    changed = outbox("meeting_changed")
    assert {m.recipient for m in changed} == {mw.chair.email, mw.owner.email, mw.member.email}
    assert "11:00 to 13:00" in changed[0].body_text
    assert "Room 2, County Hall" in changed[0].body_text
    for message in (changed[0], _resent(mw)):
        cal, updated = _attached(message)
        assert (str(cal["METHOD"]), str(updated["UID"]), int(updated["SEQUENCE"])) == (
            "REQUEST", uid, 1)
        assert updated.decoded("DTSTART") == datetime(2026, 3, 20, 11, tzinfo=UTC)
        assert str(updated["LOCATION"]) == "Room 2, County Hall"

    services.cancel_meeting(mw.chair, mw.meeting, "The venue is closed.")
    cal, cancelled = _attached(outbox("meeting_cancelled")[0])
    assert (str(cal["METHOD"]), str(cancelled["UID"]), int(cancelled["SEQUENCE"])) == (
        "CANCEL", uid, 2)
    assert str(cancelled["STATUS"]) == "CANCELLED"


def _resent(mw: MeetingWorld) -> OutboxMessage:
    services.send_agenda(mw.chair, mw.meeting, today=TODAY)
    return outbox("agenda_sent")[-1]


def test_a_change_before_the_agenda_went_out_emails_nobody(mw: MeetingWorld) -> None:
    services.update_meeting(mw.chair, mw.meeting, _details(mw, starts=time(9)))
    assert mw.meeting.sequence == 1
    assert outbox("meeting_changed") == []


def test_times_are_right_on_both_sides_of_the_clock_change(mw: MeetingWorld) -> None:
    # The clocks go forward on 29 March 2026 and back on 25 October 2026.
    for day, utc_hour in ((date(2026, 3, 27), 10), (date(2026, 3, 30), 9),
                          (date(2026, 10, 23), 9), (date(2026, 10, 26), 10)):
        made = services.create_meeting(mw.chair, mw.network, services.MeetingDetails(
            title=f"On {day}", day=day, starts=time(10), ends=time(12), place="Lewes"))
        _, found = _attached(OutboxMessage(attachments=[calendar.attachment(made)]))
        start = found.decoded("DTSTART")
        assert start == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)
        assert start.astimezone(LONDON).time() == time(10)  # as the chair typed it


def test_the_attachment_reaches_the_mail_server(mw: MeetingWorld, mail_to) -> None:  # type: ignore[no-untyped-def]
    deliver_pending()  # what building the world sent
    mail_to.messages.clear()
    services.send_agenda(mw.chair, mw.meeting, today=TODAY)
    assert deliver_pending().sent == 3
    message = mail_to.messages[0].message
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_filename() == "meeting.ics"
    events = Calendar.from_ical(parts[0].get_content()).walk("VEVENT")
    assert str(events[0]["UID"]) == f"meeting-{mw.meeting.id}@localhost"
    assert "Data report" in mail_to.messages[0].text  # the body is still there


def test_an_attachment_without_a_name_type_or_text_is_refused(mw: MeetingWorld) -> None:
    for bad in ({"filename": "x.ics", "mimetype": "text/calendar"},
                {"filename": "", "mimetype": "text/plain", "content": "x"},
                {"filename": "x.bin", "mimetype": "application/octet-stream", "content": b"x"}):
        with pytest.raises(ValueError, match="attachment"):
            queue_email("agenda_sent", "members", "a@example.org", "S", attachments=[bad],
                        person=mw.member, meeting=mw.meeting, rows=[], again=False, url="u")


# --- the feeds ------------------------------------------------------------------------------


def test_a_persons_feed_has_their_networks_meetings_joint_and_cancelled(
        mw: MeetingWorld, app: Flask) -> None:
    other = make_network("Fostering Network")  # the member is not in it
    theirs = services.create_meeting(mw.w.pm, other, services.MeetingDetails(
        title="Fostering, April", day=date(2026, 4, 17), starts=time(10), ends=time(12),
        place="Croydon"))
    joint = services.create_meeting(mw.w.pm, other, services.MeetingDetails(
        title="Joint with Kinship", day=date(2026, 5, 15), starts=time(14), ends=time(16),
        place="London", joint_network=mw.network))
    cancelled = services.create_meeting(mw.chair, mw.network, services.MeetingDetails(
        title="Kinship, June", day=date(2026, 6, 19), starts=time(10), ends=time(12),
        place="Lewes"))
    services.cancel_meeting(mw.chair, cancelled, "No quorum")

    events = _feed(app, f"/calendar/{_secret(mw.member)}/meetings.ics")
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {calendar.uid(m) for m in (mw.meeting, joint, cancelled)}
    assert calendar.uid(theirs) not in by_uid  # network B's meeting is not in A's member's feed
    assert str(by_uid[calendar.uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert int(by_uid[calendar.uid(cancelled)]["SEQUENCE"]) == 1
    assert str(by_uid[calendar.uid(mw.meeting)]["STATUS"]) == "CONFIRMED"


def test_the_feed_follows_an_update_with_the_same_uid(mw: MeetingWorld, app: Flask) -> None:
    url = f"/calendar/{_secret(mw.member)}/meetings.ics"
    before = _feed(app, url)[0]
    services.update_meeting(mw.chair, mw.meeting, _details(mw, starts=time(9)))
    after = _feed(app, url)[0]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == datetime(2026, 3, 20, 9, tzinfo=UTC)


def test_network_feed_only_for_those_who_may_see_the_network(mw: MeetingWorld,
                                                              app: Flask) -> None:
    other = make_network("Fostering Network")
    services.create_meeting(mw.w.pm, other, services.MeetingDetails(
        title="Fostering, April", day=date(2026, 4, 17), starts=time(10), ends=time(12),
        place="Croydon"))
    member = _secret(mw.member)
    events = _feed(app, f"/calendar/{member}/networks/{mw.network.slug}.ics")
    assert _uids(events) == {calendar.uid(mw.meeting)}
    client = app.test_client()
    assert client.get(f"/calendar/{member}/networks/{other.slug}.ics").status_code == 404
    stranger = _secret(mw.w.outsider)
    assert client.get(f"/calendar/{stranger}/networks/{mw.network.slug}.ics").status_code == 404
    assert _feed(app, f"/calendar/{stranger}/meetings.ics") == []
    # Staff see every network's meetings.
    pm = _secret(mw.w.pm)
    assert _uids(_feed(app, f"/calendar/{pm}/networks/{other.slug}.ics")) != set()


def test_bad_revoked_and_renewed_links(mw: MeetingWorld, app: Flask) -> None:
    client = app.test_client()
    for bad in ("nonsense", "x" * 43, calendar._hash("x")):
        assert client.get(f"/calendar/{bad}/meetings.ics").status_code == 404
    old = _secret(mw.member)
    assert client.get(f"/calendar/{old}/meetings.ics").status_code == 200
    new = _secret(mw.member)  # renewing
    assert new != old
    assert client.get(f"/calendar/{old}/meetings.ics").status_code == 404
    assert client.get(f"/calendar/{new}/meetings.ics").status_code == 200
    assert calendar.revoke(mw.member)
    assert client.get(f"/calendar/{new}/meetings.ics").status_code == 404
    assert client.get(f"/calendar/{new}/networks/{mw.network.slug}.ics").status_code == 404
    assert not calendar.revoke(mw.member)  # nothing left to turn off


def test_the_secret_is_stored_hashed_and_changes_are_audited(mw: MeetingWorld) -> None:
    secret = _secret(mw.member)
    calendar.revoke(mw.member)
    rows = list(db.session.scalars(select(CalendarToken)))
    assert len(rows) == 1 and rows[0].revoked_at is not None  # kept, not deleted
    assert secret not in (rows[0].seed, rows[0].token_hash)
    assert rows[0].token_hash == calendar._hash(secret)
    actions = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "CalendarToken")
        .order_by(AuditEvent.id))]
    assert actions == ["create", "revoke"]


def test_a_deactivated_persons_link_stops_working(mw: MeetingWorld, app: Flask) -> None:
    secret = _secret(mw.member)
    mw.member.is_active_account = False
    db.session.commit()
    assert app.test_client().get(f"/calendar/{secret}/meetings.ics").status_code == 404


# --- the account page -----------------------------------------------------------------------


def test_turn_on_renew_and_revoke_from_the_account_page(mw: MeetingWorld, app: Flask) -> None:
    client = app.test_client()
    login(client, mw.member)
    account = client.get("/account").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">([^<]*calendar[^<]*)</a>', account, re.I)
    assert link, "the account page links to the calendar feeds"
    page = client.get(link.group(1))
    assert page.status_code == 200 and ".ics" not in page.get_data(as_text=True)
    token = csrf_token(client, link.group(1))
    assert client.post("/account/calendar/renew", data={"csrf_token": token}).status_code == 302
    shown = client.get(link.group(1)).get_data(as_text=True)
    urls = re.findall(r"http://localhost/calendar/[^<\s]+\.ics", shown)
    assert f"http://localhost/calendar/{calendar.secret_of(calendar.live_token(mw.member))}" \
        f"/networks/{mw.network.slug}.ics" in urls
    assert len(urls) == 2  # all meetings, and the one network
    feed = urls[0].removeprefix("http://localhost")
    assert app.test_client().get(feed).status_code == 200
    client.post("/account/calendar/renew", data={"csrf_token": token})
    assert app.test_client().get(feed).status_code == 404
    client.post("/account/calendar/revoke", data={"csrf_token": token})
    assert calendar.live_token(mw.member) is None
    assert "no calendar address" in client.get(link.group(1)).get_data(as_text=True)


def test_renewing_needs_the_csrf_token(mw: MeetingWorld, app: Flask) -> None:
    client = app.test_client()
    login(client, mw.member)
    client.post("/account/calendar/renew", data={})
    assert calendar.live_token(mw.member) is None


def test_joint_meeting_members_of_both_networks_get_one_event(mw: MeetingWorld,
                                                              app: Flask) -> None:
    other = make_network("DCS Joint")
    add_membership(mw.w.pm, other, mw.member, started_on=date(2020, 1, 1), today=TODAY)
    dana = make_user(name="Dana Joint")
    add_membership(mw.w.pm, other, dana, started_on=date(2020, 1, 1), today=TODAY)
    services.update_meeting(mw.chair, mw.meeting, _details(mw, joint_network=other))
    events = _feed(app, f"/calendar/{_secret(mw.member)}/meetings.ics")
    assert [str(e["UID"]) for e in events] == [calendar.uid(mw.meeting)]
    assert _uids(_feed(app, f"/calendar/{_secret(dana)}/meetings.ics")) == {
        calendar.uid(db.session.get(Meeting, mw.meeting.id))}  # type: ignore[arg-type]
