"""Grid, ranking and choice fields in rows in a real browser, with and without JavaScript,
checked with axe in every state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from seslip.accounts.models import OrgRole
from tests.browser.conftest import LiveServer
from tests.browser.test_questionnaire_journey import (
    assert_accessible_without_javascript,
    new_signed_in_page,
    ready,
    saved,
    stored,
)
from tests.integration.test_grid_ranking_questions import FEEDBACK
from tests.support.axe import assert_accessible
from tests.support.factories import make_organisation, make_user

TWICE = "You have put 'Inspections' in more than one place (1st and 2nd). Choose each option once."


@pytest.fixture
def email(live_server: LiveServer, tmp_path: Path) -> str:
    folder = tmp_path / "feedback-definitions"
    folder.mkdir()
    (folder / "induction-feedback-test.yaml").write_text(FEEDBACK)
    live_server.app.config["SESLIP_FORM_DEFINITIONS"] = str(folder)
    with live_server.app.app_context():
        kent = make_organisation("Kent County Council")
        make_user("lena@example.org", name="Lena Lead", organisation=kent,
                  org_role=OrgRole.LEAD_MEMBER)
    return "lena@example.org"


def _open(page: Page, live_server: LiveServer, *, javascript: bool = True) -> None:
    page.goto(live_server("/questionnaires/"))
    page.get_by_role("button", name=re.compile("^Start Induction day feedback")).click()
    page.get_by_role("link", name=re.compile("^The day")).click()
    if javascript:
        ready(page)


def test_grid_ranking_and_row_choices_autosave_and_are_accessible(
    browser: Browser, live_server: LiveServer, email: str
) -> None:
    context, page = new_signed_in_page(browser, live_server, email)
    _open(page, live_server)
    sessions = page.get_by_role("group", name="How useful was each session?")
    welcome = sessions.get_by_role("group", name="The welcome talk")
    expect(welcome.get_by_role("radio")).to_have_count(3)
    expect(sessions.get_by_role("group", name="The safeguarding workshop")).to_be_visible()
    assert_accessible(page, "grid, ranking and repeatable with choices")

    welcome.get_by_label("Very useful").check()
    saved(page, "sessions")
    assert stored(live_server, "sessions") == {"welcome": "Very useful"}

    ranking = page.get_by_role("group", name="Which topics should the next day cover first?")
    ranking.get_by_label("1st").select_option(label="Inspections")
    saved(page, "priorities")
    ranking.get_by_label("2nd").select_option(label="Inspections")
    expect(page.locator("#priorities-error")).to_contain_text(TWICE)
    assert stored(live_server, "priorities") == ["ofsted", "ofsted"]  # the draft is kept
    assert_accessible(page, "ranking with an option in two places")
    ranking.get_by_label("2nd").select_option(label="Budgets")
    expect(page.locator("#priorities-error")).to_have_text("")
    assert stored(live_server, "priorities") == ["ofsted", "budget"]

    page.get_by_label("Kind").select_option("Panel")
    saved(page, "meetings")
    page.get_by_label("Did you speak?").select_option("no")
    expect(page.locator("#status-meetings")).to_have_text(re.compile(r"Saved at"))
    expect(page.locator("#rev-meetings")).to_have_value("2")  # both changes saved
    assert stored(live_server, "meetings") == [{"name": "", "kind": "Panel", "spoke": "no"}]

    page.goto(re.sub(r"(/responses/\d+).*", r"\1/check", page.url))
    expect(page.get_by_text("Rate every statement. Not rated yet: 'The safeguarding "
                            "workshop'.").first).to_be_visible()
    expect(page.get_by_text("1st: Inspections")).to_be_visible()
    expect(page.locator(".answer-rows").first).to_contain_text("The welcome talk: Very useful")
    assert_accessible(page, "check answers with grid, ranking and row choices")
    context.close()


def test_without_javascript_the_grid_and_ranking_save_with_the_page(
    browser: Browser, live_server: LiveServer, email: str
) -> None:
    context, page = new_signed_in_page(browser, live_server, email, java_script_enabled=False)
    _open(page, live_server, javascript=False)
    page.get_by_role("group", name="The welcome talk").get_by_label("Quite useful").check()
    page.get_by_role("group", name="The safeguarding workshop").get_by_label("Not useful") \
        .check()
    page.get_by_label("1st").select_option(label="Inspections")
    page.get_by_label("2nd").select_option(label="Inspections")
    page.get_by_label("Name of the meeting").fill("Corporate parenting panel")
    page.get_by_label("Did you speak?").select_option("yes")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("have been saved")).to_be_visible()
    assert stored(live_server, "sessions") == {"welcome": "Quite useful",
                                               "workshop": "Not useful"}
    assert stored(live_server, "meetings") == [
        {"name": "Corporate parenting panel", "kind": "", "spoke": "yes"}]
    page.get_by_role("link", name=re.compile("^The day")).click()
    expect(page.get_by_text(TWICE)).to_be_visible()  # the repeated option is named
    expect(page.get_by_label("2nd")).to_have_value("ofsted")  # and kept as chosen
    assert_accessible_without_javascript(browser, live_server, page,
                                         "no JS: ranking with an option in two places")
    context.close()
