"""Conditions update in place, and exclusive tick boxes, in a real Chromium (issue 16)."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

from seslip.accounts.models import OrgRole
from tests.browser.conftest import LiveServer
from tests.browser.test_questionnaire_journey import new_signed_in_page, open_section, stored
from tests.support.axe import assert_accessible
from tests.support.factories import make_organisation, make_user

EXAMPLE = "Example: every question type"


def start_example(browser: Browser, live_server: LiveServer) -> tuple[BrowserContext, Page]:
    with live_server.app.app_context():
        make_user("olga@example.org", name="Olga Officer",
                  organisation=make_organisation("Kent County Council"), org_role=OrgRole.OFFICER)
    context, page = new_signed_in_page(browser, live_server, "olga@example.org")
    page.goto(live_server("/questionnaires/"))
    page.get_by_role("button", name=f"Start {EXAMPLE}").click()
    return context, page


def stored_soon(live_server: LiveServer, question_id: str, value: Any) -> None:
    """The status already says "Saved at" from the previous save: wait for this one."""
    deadline = time.monotonic() + 10
    while stored(live_server, question_id) != value:
        assert time.monotonic() < deadline, stored(live_server, question_id)
        time.sleep(0.1)


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def test_an_answer_shows_and_hides_questions_in_place_keeping_focus(
    browser: Browser, live_server: LiveServer
) -> None:
    context, page = start_example(browser, live_server)
    open_section(page, "About you")
    url = page.url
    describe = page.get_by_label("Please describe your role")
    expect(describe).to_have_count(0)

    other = page.get_by_role("radio", name="Other")
    other.check()
    expect(describe).to_be_visible()
    status = page.locator("#status-role")
    expect(status).to_contain_text(
        "This answer changed the questions on this page: now showing “Please describe your role”.")
    expect(status).not_to_contain_text("show the updated questions")
    assert page.url == url  # no navigation: the page was updated in place
    assert focused_id(page) == other.get_attribute("id")
    expect(page.locator("#status-role[role=status]")).to_have_count(1)  # a live region
    assert_accessible(page, "a question shown in place")

    # The new question works like any other: word count and autosave.
    describe.fill("Cabinet adviser")
    expect(page.locator("#role_other-count").first).to_have_text("You have 8 words remaining")
    expect(page.locator("#status-role_other")).to_have_text(re.compile(r"Saved at \d\d:\d\d"))
    stored_soon(live_server, "role_other", "Cabinet adviser")

    director = page.get_by_role("radio", name="Director")
    director.check()
    expect(describe).to_have_count(0)
    expect(status).to_contain_text("no longer showing “Please describe your role”")
    assert focused_id(page) == director.get_attribute("id")
    assert_accessible(page, "a question hidden in place")

    # Another answer on the page is untouched by the swaps.
    page.get_by_label("Your full name").fill("Olga Officer")
    expect(page.locator("#status-full_name")).to_have_text(re.compile(r"Saved at"))
    page.get_by_role("radio", name="Other").check()
    expect(describe).to_have_value("Cabinet adviser")  # the stored answer comes back
    expect(page.get_by_label("Your full name")).to_have_value("Olga Officer")
    context.close()


def test_ticking_an_exclusive_option_clears_the_others(
    browser: Browser, live_server: LiveServer
) -> None:
    context, page = start_example(browser, live_server)
    open_section(page, "Your priorities")
    health = page.get_by_role("checkbox", name="Health")
    police = page.get_by_role("checkbox", name="Police")
    none = page.get_by_role("checkbox", name="None of these")
    health.check()
    police.check()
    stored_soon(live_server, "partners", ["health", "police"])
    none.check()
    expect(health).not_to_be_checked()
    expect(police).not_to_be_checked()
    stored_soon(live_server, "partners", ["none"])
    expect(page.locator("#partners-error")).to_have_text("")
    assert_accessible(page, "exclusive option ticked")
    police.check()
    expect(none).not_to_be_checked()
    stored_soon(live_server, "partners", ["police"])
    expect(page.locator("#partners-error")).to_have_text("")
    context.close()
