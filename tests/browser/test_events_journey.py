"""An induction day from registration to attendance: a participant finds it full and joins the
waiting list, another gives up her place, the first is promoted and told by email, and the
programme manager takes attendance on the day and sends the feedback questionnaire, which the
attendee opens from her email. axe after every page and state."""

from __future__ import annotations

from datetime import time

from playwright.sync_api import Page, expect

from seslip.events import services
from seslip.events.models import EventKind
from seslip.timeutil import local_today
from tests.browser.conftest import LiveServer
from tests.browser.test_meetings_journey import sign_in
from tests.support.axe import assert_accessible


def given_a_full_induction_day(live_server: LiveServer) -> tuple[int, str, str, str]:
    from tests.integration.events.support import build_event_world

    with live_server.app.app_context():
        ew = build_event_world()
        event = services.create_event(ew.w.pm, services.EventDetails(
            EventKind.INDUCTION_DAY, "Induction day for Lead Members", local_today(),
            time(0, 1), time(23, 59), "For lead members **new** to the role.",
            place="London Councils, Southwark Street", cohort=ew.cohort, capacity=1))
        services.save_session(ew.w.pm, event, None, time(9, 30), time(9, 45),
                              "Introduction and purpose of the programme", "",
                              "Margaret Hale – London Councils representative")
        services.register(ew.dora, event)
        return event.id, ew.lead.email, ew.dora.email, ew.w.pm.email


def test_waiting_list_promotion_and_attendance(page: Page, live_server: LiveServer) -> None:
    event_id, lena, dora, pm = given_a_full_induction_day(live_server)
    live_server.sync()  # the feedback questionnaire in the library

    # Lena finds the induction day full and joins the waiting list.
    sign_in(page, live_server, lena)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", name="Events", exact=True)).to_be_visible()
    assert_accessible(page, "the events list")
    page.get_by_role("link", name="Induction day for Lead Members").click()
    expect(page.get_by_text("1 of 1 taken")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Margaret Hale, London Councils "
                                                      "representative")
    assert_accessible(page, "a full event")
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_text("you are number 1 on the waiting list").first).to_be_visible()
    assert_accessible(page, "on the waiting list")

    # Dora gives up her place.
    sign_in(page, live_server, dora)
    page.goto(live_server(f"/events/{event_id}"))
    expect(page.get_by_text("You have a place.")).to_be_visible()
    page.get_by_role("button", name="Cancel my place").click()
    expect(page.get_by_text("Your place is cancelled.")).to_be_visible()
    expect(page.get_by_role("button", name="Register for a place")).to_have_count(0)
    assert_accessible(page, "place given up")

    # Lena is told by email, with the invitation for her calendar, and has the place.
    live_server.deliver_mail()
    mail = next(m for m in live_server.smtp.wait_for(lena)
                if m.subject.startswith("A place for you"))
    assert any(p.get_content_type() == "text/calendar" for p in mail.message.iter_attachments())
    sign_in(page, live_server, lena)
    page.goto(next(u for u in mail.links() if f"/events/{event_id}" in u))
    expect(page.get_by_text("You have a place.")).to_be_visible()
    assert_accessible(page, "promoted from the waiting list")

    # The programme manager takes attendance on the day.
    sign_in(page, live_server, pm)
    page.goto(live_server(f"/events/{event_id}"))
    page.get_by_role("link", name="Registrations and attendance").click()
    expect(page.get_by_role("list").filter(has_text="Cllr Dora Dean")).to_have_count(1)
    assert_accessible(page, "registrations")
    page.get_by_label("Cllr Lena Lead (Kent)").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance is saved: 1 present.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Yes")
    assert_accessible(page, "attendance taken")

    # Then asks those who came for feedback; Lena opens it from her email.
    page.get_by_label("Questionnaire").select_option(label="Induction day feedback")
    page.get_by_role("button", name="Send the feedback questionnaire").click()
    expect(page.get_by_text("was sent to 1 people who attended")).to_be_visible()
    expect(page.get_by_text("0 have responded")).to_be_visible()
    assert_accessible(page, "feedback sent")
    live_server.deliver_mail()
    mail = next(m for m in live_server.smtp.wait_for(lena)
                if m.subject.startswith("Your feedback on"))
    sign_in(page, live_server, lena)
    page.goto(next(u for u in mail.links() if f"/events/{event_id}" in u))
    page.get_by_role("button", name="Give your feedback").click()
    expect(page.get_by_role("heading", name="Induction day feedback")).to_be_visible()
    sign_in(page, live_server, pm)
    page.goto(live_server(f"/events/{event_id}"))
    expect(page.get_by_text("0 of 1 people who attended have responded (1 more started)")
           ).to_be_visible()
    assert_accessible(page, "the event page with the feedback count")
