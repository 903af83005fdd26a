"""The questionnaire library's journey, end to end in one test: an admin writes the
induction-day feedback form in the browser, meets a checker message, follows it to its line,
fixes it, previews and publishes it; a lead member fills it in; the admin publishes a version
that renames a question (renamed_from) and removes one, sees the effect before publishing and
the lead member's answer carried across, and downloads the CSV and the Word file, which are
opened and read. axe runs on every page and state."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import docx
from playwright.sync_api import Browser, expect

from seslip.accounts.models import OrgRole
from tests.browser.conftest import LiveServer
from tests.browser.test_questionnaire_journey import new_signed_in_page, open_section, saved
from tests.support.axe import assert_accessible
from tests.support.factories import (
    make_admin,
    make_organisation,
    make_programme_manager,
    make_user,
)

FORM = (Path(__file__).resolve().parents[2] / "form_definitions"
        / "induction-day-feedback.yaml").read_text("utf-8")
VERSION_2 = FORM.replace("version: 1", "version: 2", 1).replace(
    "      - id: most_useful\n        type: long_text\n"
    "        label: What was the most useful part of the day?\n",
    "      - id: best_part\n        renamed_from: most_useful\n        type: long_text\n"
    "        label: Which part of the day was most useful to you?\n", 1).split(
    "      - id: learning_set_interest")[0]
RATINGS = {
    "statutory_basis": "The statutory basis and responsibilities of the lead member",
    "changing_landscape": "The changing landscape of children's services",
    "sharing_information": "The legal basis for sharing information",
    "safeguarding_board": "The local safeguarding children board and children's trust",
    "influential_role": "How to make the lead member role influential (the panel)",
}
EARLIER = "From an earlier version of this questionnaire"
ANSWER = "The panel on “influence”, then lunch.\nÉquipe spirit — and \"=1+1\" jokes"


def test_admin_writes_publishes_and_changes_a_questionnaire_and_exports_the_answers(
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
    # Someone typing the moment the follow-up is swapped in, before htmx has settled it:
    # every keystroke counts (counting used to start only once the swap had settled).
    page.evaluate("""() => document.body.addEventListener("htmx:oobAfterSwap", function typed() {
        const field = document.getElementById("missing_topics_detail");
        if (!field || field.value) { return; }
        field.value = "Safeguarding in schools";
        field.dispatchEvent(new Event("input", {bubbles: true}));
    })""")
    page.get_by_role("group", name=re.compile("^Were there topics")).get_by_label("Yes").check()
    expect(follow_up).to_be_visible()
    expect(page.locator("#missing_topics_detail-count")).to_have_text(
        "You have 147 words remaining")
    useful = page.get_by_label("What was the most useful part of the day?")
    useful.fill("The panel and lunch")
    # Counted from the first keystroke, even straight after the follow-up was swapped in.
    expect(page.locator("#most_useful-count")).to_have_text("You have 146 words remaining")
    assert_accessible(page, "preview with the follow-up shown")
    # Hidden again in place: the answer typed elsewhere stays as it is.
    page.get_by_role("group", name=re.compile("^Were there topics")).get_by_label("No").check()
    expect(follow_up).to_have_count(0)
    expect(page.locator("#preview-status")).to_contain_text(
        "no longer showing “Which topics should the next induction day cover?”")
    expect(useful).to_have_value("The panel and lunch")
    assert_accessible(page, "preview with the follow-up hidden again")

    page.get_by_role("link", name="Back to the questionnaire").click()
    page.get_by_role("link", name="Publish the draft").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Publish version 1"))) \
        .to_be_visible()
    expect(page.locator("#publish-effect")).to_contain_text("no earlier version")
    assert_accessible(page, "before publishing version 1")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 of “Induction day feedback” is published")).to_be_visible()
    expect(page.get_by_text("Ada Admin: Published version 1 of induction-day-feedback")) \
        .to_be_visible()
    assert_accessible(page, "published questionnaire")
    context.close()

    # A lead member starts it and fills it in as far as they can today (autosaved as they go).
    context, page = new_signed_in_page(browser, live_server, "lena@example.org")
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    page.get_by_role("button", name=re.compile("^Start Induction day feedback")).click()
    expect(page.get_by_role("heading", level=1, name="Induction day feedback")).to_be_visible()
    assert_accessible(page, "lead member's task list")
    open_section(page, "The sessions")
    for question_id, label in RATINGS.items():
        page.get_by_role("group", name=label).get_by_label("5 – Very useful").check()
        saved(page, question_id)
    assert_accessible(page, "lead member's ratings saved")
    page.get_by_role("link", name="Induction day feedback", exact=True).click()
    open_section(page, "The day as a whole")
    assert_accessible(page, "lead member's section")
    page.get_by_role("group", name=re.compile("^Would you like to join")).get_by_label("Yes") \
        .check()
    saved(page, "learning_set_interest")
    page.get_by_label("What was the most useful part of the day?").fill(ANSWER)
    page.get_by_label("What was the most useful part of the day?").blur()
    saved(page, "most_useful")
    assert_accessible(page, "lead member's answers saved")
    context.close()

    # The admin writes version 2: the question is renamed (its answer follows it through
    # renamed_from) and the action learning set question is removed.
    context, page = new_signed_in_page(browser, live_server, "ada@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Questionnaire library").click()
    page.get_by_role("link", name="Induction day feedback").click()
    page.get_by_role("button", name="Write a new version").click()
    page.wait_for_load_state("load")
    editor = page.get_by_label("Definition (YAML)")
    editor.fill(VERSION_2)
    expect(page.locator("#save-status")).to_contain_text("Draft saved at")
    expect(page.locator("#problems")).to_contain_text("No problems found")
    assert_accessible(page, "editor with version 2")
    page.get_by_role("button", name="Publish").click()
    effect = page.locator("#publish-effect")
    expect(effect).to_contain_text("1 response in progress")
    expect(effect).to_contain_text(
        "“Which part of the day was most useful to you?” (best_part, renamed from most_useful): "
        "1 answer follow")
    expect(effect.get_by_role("heading", name="Answers that become read-only")).to_be_visible()
    expect(effect).to_contain_text("Lena Lead, Kent County Council")
    assert_accessible(page, "before publishing version 2, with its effect")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_text("1 draft moves to it when next opened")).to_be_visible()
    assert_accessible(page, "version 2 published, a draft behind")
    page.get_by_role("button", name="Move 1 draft to version 2 now").click()
    expect(page.get_by_text("Moved 1 draft to the newest version.")).to_be_visible()
    assert_accessible(page, "drafts moved")

    # The lead member's answer is there under the renamed question, and in both downloads.
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    assert_accessible(page, "everyone's answers")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV spreadsheet").click()
    rows = list(csv.DictReader(io.StringIO(
        Path(csv_download.value.path()).read_text("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["best_part"] == ANSWER and rows[0]["learning_set_interest"] == "Yes"
    assert {rows[0][question_id] for question_id in RATINGS} == {"5 – Very useful"}
    assert rows[0]["respondent"] == "Lena Lead" and rows[0]["version"] == "2"
    assert "most_useful" not in rows[0]
    page.get_by_role("link", name="Lena Lead").click()
    answer_of = page.get_by_role("definition").filter(has_text="The panel on “influence”")
    expect(answer_of).to_have_count(1)
    expect(page.get_by_role("term").filter(
        has_text="Which part of the day was most useful to you?")).to_be_visible()
    assert_accessible(page, "the lead member's answers, carried across")
    with page.expect_download() as word_download:
        page.get_by_role("link", name="Word document").click()
    paragraphs = [p.text for p in docx.Document(word_download.value.path()).paragraphs]
    question = paragraphs.index("Which part of the day was most useful to you?")
    assert paragraphs[question + 1] == ANSWER  # one paragraph, its line break kept
    assert EARLIER in paragraphs and "Would you like to join an action learning set? " \
        "(version 1)" in paragraphs
    context.close()
