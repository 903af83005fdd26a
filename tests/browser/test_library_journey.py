"""An admin writes the induction-day feedback form in the browser, meets a checker message,
follows it to its line, fixes it, previews and publishes it; a lead member then sees it.
axe runs on every page and state."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from seslip.accounts.models import OrgRole
from tests.browser.conftest import LiveServer
from tests.browser.test_questionnaire_journey import new_signed_in_page
from tests.support.axe import assert_accessible
from tests.support.factories import (
    make_admin,
    make_organisation,
    make_programme_manager,
    make_user,
)

FORM = (Path(__file__).resolve().parents[2] / "form_definitions"
        / "induction-day-feedback.yaml").read_text("utf-8")


def test_admin_writes_checks_previews_and_publishes_and_a_lead_member_sees_it(
    browser: Browser, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        make_admin(email="ada@example.org", name="Ada Admin")
        make_programme_manager(email="pm@example.org", name="Pat Manager")
        make_user("lena@example.org", name="Lena Lead", org_role=OrgRole.LEAD_MEMBER,
                  organisation=make_organisation("Kent County Council"))
    context, page = new_signed_in_page(browser, live_server, "ada@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Questionnaire library").click()
    expect(page.get_by_role("heading", level=1, name="Questionnaire library")).to_be_visible()
    assert_accessible(page, "empty library")
    page.get_by_role("link", name="New questionnaire").click()
    assert_accessible(page, "new questionnaire editor")

    # A typo in a type name: the checker says where, as check-definitions would.
    mistaken = FORM.replace("type: scale\n        label: The changing", "type: scael\n"
                            "        label: The changing", 1)
    line = mistaken.splitlines().index("        type: scael") + 1
    editor = page.get_by_label("Definition (YAML)")
    page.wait_for_load_state("load")
    editor.fill(mistaken)
    problem = page.locator("#problems a[data-line]")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text(f"Line {line}, column 15: unknown type 'scael'")
    assert_accessible(page, "editor with a problem")
    problem.click()
    expect(editor).to_be_focused()
    cursor_line = page.evaluate(
        "() => { const t = document.getElementById('source');"
        " return t.value.slice(0, t.selectionStart).split('\\n').length; }")
    assert cursor_line == line
    expect(page.locator("[data-editor-lines]")).to_contain_text(str(len(FORM.splitlines())))

    editor.fill(FORM)
    expect(page.locator("#problems")).to_contain_text("No problems found")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Edit the draft"))).to_be_visible()
    assert_accessible(page, "draft editor")

    # The draft saves as it is typed; a colleague who opened it before meets a conflict.
    colleague, other = new_signed_in_page(browser, live_server, "pm@example.org")
    other.goto(page.url)
    # Typed only once htmx listens (deferred scripts run before "load"): under load a fill can
    # come sooner, and then no autosave is sent at all.
    other.wait_for_load_state("load")
    page.wait_for_load_state("load")
    editor = page.get_by_label("Definition (YAML)")
    editor.fill(FORM.replace("It takes about five minutes.", "It takes five minutes."))
    expect(page.locator("#save-status")).to_contain_text("Draft saved at")
    other.get_by_label("Definition (YAML)").fill(FORM.replace("Thank you", "Thanks"))
    expect(other.locator("#conflict")).to_contain_text("Ada Admin saved this draft")
    expect(other.get_by_label("Their version")).to_have_value(re.compile("five minutes"))
    expect(other.get_by_label("Definition (YAML)")).to_have_value(re.compile("Thanks"))
    assert_accessible(other, "draft conflict")
    colleague.close()

    # Preview: every section, word counts live, the follow-up shown only when it applies.
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", level=1, name="Induction day feedback")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="The sessions")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="The day as a whole")).to_be_visible()
    assert_accessible(page, "preview")
    follow_up = page.get_by_label("Which topics should the next induction day cover?")
    expect(follow_up).to_have_count(0)
    page.get_by_role("group", name=re.compile("^Were there topics")).get_by_label("Yes").check()
    expect(follow_up).to_be_visible()
    useful = page.get_by_label("What was the most useful part of the day?")
    useful.fill("The panel and lunch")
    count = page.locator("#most_useful-count")
    # The count listens once the swapped-in preview is set up; under load the first keystrokes
    # can come sooner, so type again (as a person would go on typing) until it has caught up.
    for _ in range(20):
        if count.text_content() == "You have 146 words remaining":
            break
        page.wait_for_timeout(250)
        useful.dispatch_event("input")
    expect(count).to_have_text("You have 146 words remaining")
    assert_accessible(page, "preview with the follow-up shown")

    page.get_by_role("link", name="Back to the questionnaire").click()
    page.get_by_role("link", name="Edit the draft").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Version 1 of “Induction day feedback” is published")).to_be_visible()
    expect(page.get_by_text("Ada Admin: Published version 1 of induction-day-feedback")) \
        .to_be_visible()
    assert_accessible(page, "published questionnaire")
    context.close()

    context, page = new_signed_in_page(browser, live_server, "lena@example.org")
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    page.get_by_role("button", name=re.compile("^Start Induction day feedback")).click()
    expect(page.get_by_role("heading", level=1, name="Induction day feedback")).to_be_visible()
    assert_accessible(page, "lead member's task list")
    context.close()
