"""The network page as the network's home, as a member and as its chair (also on a phone),
the home page's "My next things", and the email choices: axe after every page and state."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from seslip.demo import CHAIR_EMAIL, DEMO_PASSWORD, MEMBER_EMAIL, run_demo
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible
from tests.support.page_checks import NARROW, WIDE, reflow_problems

SECTIONS = ("#network-meetings", "#network-posts", "#network-members", "#network-about")


def _signed_in(browser: Browser, live_server: LiveServer, email: str) -> Page:
    page = browser.new_context(viewport=WIDE).new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Welcome"))).to_be_visible()
    return page


def _tops(page: Page, selectors: tuple[str, ...]) -> list[float]:
    return [page.locator(s).bounding_box()["y"] for s in selectors]  # type: ignore[index]


def test_member_and_chair_see_the_network_home(browser: Browser,
                                               live_server: LiveServer) -> None:
    with live_server.app.app_context():
        run_demo(lambda _line: None)

    # A member: the next things on the home page, then the network's home in order.
    page = _signed_in(browser, live_server, MEMBER_EMAIL)
    things = page.locator("section", has=page.get_by_role("heading", name="My next things"))
    expect(things.get_by_role("link", name=re.compile("Kinship Network, "))).to_be_visible()
    expect(things).to_contain_text(re.compile(r"\d{1,2} \w+ 20\d\d at 10:00"))
    assert_accessible(page, "home page with my next things")
    things.get_by_role("link", name=re.compile("Kinship Network, ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kinship Network")
    assert_accessible(page, "a meeting from my next things")

    page.goto(live_server("/networks/regional-kinship-network"))
    expect(page.locator("#network-meetings")).to_contain_text("Next meeting")
    tops = _tops(page, SECTIONS)
    assert tops == sorted(tops), tops
    expect(page.locator("#chair-tools")).to_have_count(0)
    assert_accessible(page, "network home as a member")

    # On a phone the members table reflows: one block per authority, its cells labelled.
    page.set_viewport_size(NARROW)
    members = page.locator(".members-table")
    members.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert members.locator("thead").evaluate("e => getComputedStyle(e).position") == "absolute"
    row = members.locator("tbody tr").first
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    label = row.locator("td[data-label]").evaluate(
        "e => getComputedStyle(e, '::before').content")
    assert "Members" in label
    assert_accessible(page, "network home as a member on a phone")
    page.set_viewport_size(WIDE)
    page.context.close()

    # The chair: the tools in their own box before what members read, and the page works
    # from them.
    page = _signed_in(browser, live_server, CHAIR_EMAIL)
    things = page.locator("section", has=page.get_by_role("heading", name="My next things"))
    expect(things).to_contain_text("Lead Member Network, ")
    waiting = things.get_by_role("link", name=re.compile(
        "1 request to join South East Lead Member Network"))
    expect(waiting).to_be_visible()
    assert_accessible(page, "home page of a chair")
    waiting.click()
    expect(page.get_by_role("main")).to_contain_text("Cllr Colin Ainsworth")
    assert_accessible(page, "the request from my next things")
    page.goto(live_server("/networks/lead-member-network"))
    tools = page.get_by_role("region", name="Chair's tools")
    expect(tools.get_by_role("link", name="Manage members")).to_be_visible()
    expect(tools.get_by_role("link", name="Requests to join (1)")).to_be_visible()
    assert _tops(page, ("#chair-tools",))[0] < _tops(page, SECTIONS)[0]
    assert_accessible(page, "network home as its chair")
    assert reflow_problems(page) == []
    page.set_viewport_size(NARROW)
    assert_accessible(page, "network home as its chair on a phone")
    page.set_viewport_size(WIDE)
    page.get_by_role("link", name="Chair's tools").click()
    tools.get_by_role("link", name="Manage members").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Members")
    assert_accessible(page, "manage members from the chair's tools")

    # Email choices from the account page: the choice is kept.
    page.goto(live_server("/account"))
    expect(page.get_by_role("link", name=re.compile("calendar", re.I))).to_be_visible()
    page.get_by_role("link", name="Your email choices").click()
    expect(page.get_by_role("heading", name="Your email choices")).to_be_visible()
    assert_accessible(page, "email choices")
    group = page.get_by_role("group", name="A meeting's agenda and papers are ready")
    group.get_by_label("In my weekly digest").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your email choices are saved.")).to_be_visible()
    expect(page.get_by_role("group", name="A meeting's agenda and papers are ready")
           .get_by_label("In my weekly digest")).to_be_checked()
    assert_accessible(page, "email choices saved")
    page.context.close()
