"""The calendar section of the account page in Chromium: turn the private address on, use it
from a calendar app (no session), renew and turn it off; axe after every state."""

from __future__ import annotations

import urllib.error
import urllib.request

from icalendar import Calendar
from playwright.sync_api import Page, expect

from seslip.meetings import calendar
from tests.browser.conftest import LiveServer
from tests.browser.test_accounts_journeys import sign_in
from tests.integration.meetings.support import build_meeting_world
from tests.support.axe import assert_accessible


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_member_turns_on_uses_renews_and_turns_off_their_calendar(
        page: Page, live_server: LiveServer) -> None:
    with live_server.app.app_context():
        mw = build_meeting_world()
        email, uid = mw.member.email, calendar.uid(mw.meeting)

    sign_in(page, live_server, email)
    page.goto(live_server("/account"))
    assert_accessible(page, "account page with its calendar section")
    page.get_by_role("link", name="Your calendar feeds").click()
    expect(page.get_by_role("heading", name="Your calendar feeds", level=1)).to_be_visible()
    expect(page.get_by_text("You have no calendar address")).to_be_visible()
    assert_accessible(page, "calendar page, no address yet")

    page.get_by_role("button", name="Make my calendar address").click()
    expect(page.get_by_text("Your calendar link is ready")).to_be_visible()
    assert_accessible(page, "calendar page with its addresses")
    feed = page.locator("code").first.inner_text()
    assert feed.startswith(live_server.url) and feed.endswith("/meetings.ics")
    with urllib.request.urlopen(feed, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        events = Calendar.from_ical(response.read()).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [uid]

    page.get_by_role("button", name="Renew the calendar address").click()
    expect(page.get_by_text("Any earlier link no longer works")).to_be_visible()
    assert_accessible(page, "calendar page, renewed")
    assert _status(feed) == 404
    renewed = page.locator("code").first.inner_text()
    assert renewed != feed and _status(renewed) == 200

    page.get_by_role("button", name="Turn off the calendar address").click()
    expect(page.get_by_text("Your calendar link is turned off")).to_be_visible()
    assert_accessible(page, "calendar page, turned off")
    assert _status(renewed) == 404
