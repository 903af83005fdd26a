"""Terms of reference as a living document: a Kinship Network chair edits the Sponsor section
in place, submits it, the DCS Group's chair approves it from the emailed link, the diff shows
the change and members see the new version. axe after every page and state; then the same
journey by keyboard only."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.test_meetings_journey import email_of, sign_in
from tests.support.axe import assert_accessible

NEW_SPONSOR = "The network Sponsor is Dr Ada Smith, DCS of Kent."


def given_published_terms(live_server: LiveServer) -> str:
    from seslip.networks.appointments import appoint
    from seslip.terms import services
    from seslip.timeutil import local_today
    from tests.integration.networks.support import build_world

    live_server.sync()
    with live_server.app.app_context():
        w = build_world()
        appoint(w.pm, w.chair, w.alice, starts_on=local_today(), today=local_today())
        draft = services.start_draft(w.alice, w.network)
        row = services.section_row(draft, "sponsor")
        services.save_section(w.alice, draft, "sponsor", "The Sponsor is Dr Mac Heath.",
                              {"sponsor_name": "Dr Mac Heath"}, row.revision)
        row = services.section_row(draft, "meetings")
        services.save_section(w.alice, draft, "meetings", "The network will meet quarterly.",
                              {"meetings_per_year": "4"}, row.revision)
        services.submit(w.alice, draft, "")
        services.approve(w.dcs_chair, draft, "")
        return w.network.slug


def _approval_link(live_server: LiveServer, approver: str) -> str:
    live_server.deliver_mail()
    messages = live_server.smtp.wait_for(approver, count=2)
    links = [u for u in messages[-1].links() if "/terms/approve" in u]
    assert links, messages[-1].text
    return links[0]


def _approve_and_check(page: Page, live_server: LiveServer, slug: str, keyboard: bool) -> None:
    approver = email_of(live_server, "Dana Director")
    link = _approval_link(live_server, approver)
    sign_in(page, live_server, approver)
    page.goto(link)
    expect(page.get_by_role("heading", name="Approve the terms of reference")).to_be_visible()
    expect(page.locator("ins").filter(has_text="Ada Smith").first).to_be_visible()
    assert_accessible(page, "the approval page")
    page.get_by_label("Comment").fill("Agreed by the DCS Group")
    button = page.get_by_role("button", name="Approve and publish")
    if keyboard:
        button.focus()
        page.keyboard.press("Enter")
    else:
        button.click()
    expect(page.get_by_text("Approved: members now see the new version.")).to_be_visible()
    expect(page.get_by_text("Version 2, approved")).to_be_visible()
    assert_accessible(page, "approved")

    page.get_by_role("link", name="Earlier versions and changes").click()
    assert_accessible(page, "versions")
    page.get_by_role("button", name="Show the changes").click()
    expect(page.get_by_role("heading", name="Sponsor")).to_be_visible()
    expect(page.locator("ins").filter(has_text="Ada Smith").first).to_be_visible()
    expect(page.locator("del").filter(has_text="Mac Heath").first).to_be_visible()
    assert_accessible(page, "the diff")

    sign_in(page, live_server, email_of(live_server, "Carol Partner"))
    page.goto(live_server(f"/networks/{slug}"))
    page.get_by_role("link", name="Terms of reference of Kinship Network").click()
    expect(page.get_by_text(NEW_SPONSOR)).to_be_visible()
    expect(page.get_by_text("Version 2, approved")).to_be_visible()
    expect(page.get_by_role("link", name="Read the draft")).to_have_count(0)
    assert_accessible(page, "a member reads the new version")


def test_chair_edits_submits_and_the_dcs_chair_approves(page: Page,
                                                         live_server: LiveServer) -> None:
    slug = given_published_terms(live_server)
    sign_in(page, live_server, email_of(live_server, "Alice Officer"))
    page.goto(live_server(f"/networks/{slug}"))
    page.get_by_role("link", name="Terms of reference of Kinship Network").click()
    expect(page.get_by_role("heading", name="Terms of reference of Kinship Network")
           ).to_be_visible()
    assert_accessible(page, "the published terms")
    page.get_by_role("button", name="Change the terms of reference").click()
    expect(page.get_by_role("heading", name="Draft terms of reference")).to_be_visible()
    assert_accessible(page, "the draft")

    page.get_by_role("link", name="Edit “Sponsor”").click()
    editor = page.get_by_label("Text of “Sponsor”")
    expect(editor).to_be_visible()
    expect(page).to_have_url(live_server(f"/networks/{slug}/terms/draft"))  # edited in place
    assert_accessible(page, "the Sponsor editor")
    editor.fill(NEW_SPONSOR)
    page.get_by_label("The Sponsor named in these terms of reference").fill("Dr Ada Smith")
    expect(page.locator("#preview-sponsor")).to_contain_text("Dr Ada Smith, DCS of Kent")
    expect(page.locator("#status-sponsor")).to_contain_text("Saved", timeout=10_000)
    assert_accessible(page, "autosaved, with the preview")
    page.get_by_role("button", name="Save “Sponsor”").click()
    expect(page.get_by_text("Saved “Sponsor”.")).to_be_visible()
    expect(page.get_by_label("Text of “Sponsor”")).to_have_count(0)
    assert_accessible(page, "the section read again")

    page.get_by_label("What changed and why (optional)").fill("A new Sponsor")
    page.get_by_role("button", name="Submit to DCS Group").click()
    expect(page.get_by_text("Sent for approval.")).to_be_visible()
    expect(page.get_by_text("Waiting for approval.")).to_be_visible()
    assert_accessible(page, "submitted, with the banner")

    _approve_and_check(page, live_server, slug, keyboard=False)


def test_the_same_journey_by_keyboard(page: Page, live_server: LiveServer) -> None:
    slug = given_published_terms(live_server)
    sign_in(page, live_server, email_of(live_server, "Alice Officer"))
    page.goto(live_server(f"/networks/{slug}/terms"))
    page.get_by_role("button", name="Change the terms of reference").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Draft terms of reference")).to_be_visible()
    page.get_by_role("link", name="Edit “Sponsor”").focus()
    page.keyboard.press("Enter")
    editor = page.get_by_label("Text of “Sponsor”")
    expect(editor).to_be_focused()  # the editor takes the focus when it opens in place
    page.keyboard.press("Control+A")
    page.keyboard.type(NEW_SPONSOR)
    page.keyboard.press("Tab")  # to the first structured field
    expect(page.get_by_label("The Sponsor named in these terms of reference")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Dr Ada Smith")
    expect(page.locator("#status-sponsor")).to_contain_text("Saved", timeout=10_000)
    assert_accessible(page, "keyboard: autosaved")
    page.get_by_role("button", name="Save “Sponsor”").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved “Sponsor”.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sponsor", exact=True)).to_be_focused()
    page.get_by_label("What changed and why (optional)").focus()
    page.keyboard.type("A new Sponsor")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit to DCS Group")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Sent for approval.")).to_be_visible()
    assert_accessible(page, "keyboard: submitted")
    _approve_and_check(page, live_server, slug, keyboard=True)


def test_without_javascript_preview_saves_nothing_and_save_works(
        browser: Browser, live_server: LiveServer) -> None:
    # axe needs JavaScript, so this journey checks behaviour only; the same pages and states
    # are audited with JavaScript on above.
    slug = given_published_terms(live_server)
    page = browser.new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, email_of(live_server, "Alice Officer"))
    page.goto(live_server(f"/networks/{slug}/terms"))
    page.get_by_role("button", name="Change the terms of reference").click()
    page.get_by_role("link", name="Edit “Purpose”").click()
    expect(page).to_have_url(live_server(f"/networks/{slug}/terms/draft/purpose"))
    page.get_by_label("Text of “Purpose”").fill("**Not yet** saved")
    page.get_by_role("button", name="Preview without saving").click()
    expect(page.locator("#preview-purpose strong")).to_have_text("Not yet")
    expect(page.get_by_label("Text of “Purpose”")).to_have_value("**Not yet** saved")
    page.goto(live_server(f"/networks/{slug}/terms/draft"))
    expect(page.get_by_text("Not yet")).to_have_count(0)
    page.get_by_role("link", name="Edit “Purpose”").click()
    page.get_by_label("Text of “Purpose”").fill("Why the network exists.")
    page.get_by_role("button", name="Save “Purpose”").click()
    expect(page.get_by_text("Saved “Purpose”.")).to_be_visible()
    expect(page.locator("#section-purpose").get_by_text("Why the network exists.")
           ).to_be_visible()
