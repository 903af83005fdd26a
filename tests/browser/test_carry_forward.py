"""A draft moves to a new version of its questionnaire in a real Chromium: the notice, the
carried answers and the read-only "From an earlier version" block, with axe on every state;
then the admin's "before publishing" page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveServer
from tests.browser.test_questionnaire_journey import lead_email, new_signed_in_page, ready, saved
from tests.support.axe import assert_accessible
from tests.support.factories import make_admin

DATA = Path(__file__).resolve().parents[1] / "data" / "carry"
EARLIER = "From an earlier version of this questionnaire"
__all__ = ["lead_email"]  # the fixture, used by name


def test_answers_from_an_earlier_version_are_shown_read_only_and_accessible(
    browser: Browser, live_server: LiveServer, lead_email: str, tmp_path: Path
) -> None:
    folder = tmp_path / "carry-definitions"
    folder.mkdir()
    (folder / "carry-test.yaml").write_text((DATA / "v1.yaml").read_text())
    live_server.sync(folder)
    context, page = new_signed_in_page(browser, live_server, lead_email)
    page.goto(live_server("/questionnaires/"))
    page.get_by_role("button", name=re.compile("^Start Carry test")).click()
    page.get_by_role("link", name=re.compile("^About you")).click()
    ready(page)
    page.get_by_label("Your name").fill("Lena Lead")
    page.get_by_label("Your hobby").fill("Sea swimming")
    page.get_by_label("Your hobby").blur()
    saved(page, "hobby")
    saved(page, "name")
    task_list = re.sub(r"(/responses/\d+).*", r"\1", page.url)

    # A new version is published: 'hobby' is gone, 'name' is now 'full_name'.
    (folder / "carry-test.yaml").write_text((DATA / "v2.yaml").read_text())
    live_server.sync(folder)
    page.goto(task_list)
    expect(page.get_by_text(re.compile("version 1 → 2"))).to_be_visible()
    block = page.get_by_role("region", name=EARLIER)
    expect(block).to_contain_text("Your hobby")
    expect(block).to_contain_text("Sea swimming")
    expect(block.get_by_role("textbox")).to_have_count(0)  # read-only: nothing to type in
    assert_accessible(page, "task list after the move")

    page.get_by_role("link", name=re.compile("^About you and your role")).click()
    ready(page)
    expect(page.get_by_label("Your full name")).to_have_value("Lena Lead")
    assert_accessible(page, "section after the move")

    page.goto(task_list + "/check")
    expect(page.get_by_role("region", name=EARLIER)).to_contain_text("Sea swimming")
    assert_accessible(page, "check answers with earlier answers")
    context.close()

    with live_server.app.app_context():
        make_admin(email="ada@example.org", name="Ada Admin")
    context, page = new_signed_in_page(browser, live_server, "ada@example.org")
    page.goto(live_server("/admin/questionnaires/carry-test/publish-effect"))
    expect(page.get_by_role("heading", name="What publishing version 2 changes")).to_be_visible()
    assert_accessible(page, "before publishing, the file as it is")
    broken = (DATA / "v2.yaml").read_text().replace("version: 2", "version: 3").replace(
        "renamed_from: name", "renamed_from: role")
    page.get_by_label("The new version's YAML").fill(broken)
    page.get_by_role("button", name="Show the effect").click()
    expect(page.get_by_role("alert")).to_contain_text("renamed_from of question 'full_name'")
    assert_accessible(page, "before publishing, a broken candidate")
    context.close()
