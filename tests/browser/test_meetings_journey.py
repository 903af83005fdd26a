"""A meeting from plan to record: the chair plans it with an agenda, the item's owner is
reminded and uploads a paper, a member sees and downloads it, the chair records decisions and
actions. axe after every page and state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from seslip.meetings import rules
from seslip.meetings.demo import demo_pdf
from seslip.meetings.reminders import tick
from seslip.timeutil import local_today
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD


def given_a_network(live_server: LiveServer) -> str:
    from seslip.networks.appointments import appoint
    from tests.integration.networks.support import build_world

    with live_server.app.app_context():
        w = build_world()
        appoint(w.pm, w.chair, w.alice, starts_on=local_today(), today=local_today())
        return w.network.slug


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def email_of(live_server: LiveServer, name: str) -> str:
    from sqlalchemy import select

    from seslip.accounts.models import User
    from seslip.extensions import db

    with live_server.app.app_context():
        return db.session.scalar(select(User.email).where(User.name == name)) or ""


def test_meeting_journey(page: Page, live_server: LiveServer) -> None:
    slug = given_a_network(live_server)
    day = local_today() + timedelta(days=30)
    chair, owner, member = (email_of(live_server, n) for n in
                            ("Alice Officer", "Bob Officer", "Carol Partner"))

    # The chair plans the meeting from the network page.
    sign_in(page, live_server, chair)
    page.goto(live_server(f"/networks/{slug}"))
    expect(page.get_by_text("No meeting is planned.")).to_be_visible()
    page.get_by_role("link", name="Plan a meeting").click()
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "plan a meeting, with errors")
    page.get_by_label("Title").fill("Kinship Network meeting")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts (UK time)").fill("10:00")
    page.get_by_label("Ends (UK time)").fill("12:00")
    page.get_by_label("Where (in person)").fill("County Hall, Lewes")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", name="Kinship Network meeting")).to_be_visible()
    assert_accessible(page, "the new meeting")

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Item", exact=True).fill("Welcome")
    page.get_by_label("Owner").select_option(label="Alice Officer (Kent)")
    page.get_by_label("Time allowed in minutes").fill("10")
    assert_accessible(page, "add an agenda item")
    page.get_by_role("button", name="Save and add another").click()
    page.get_by_label("Item", exact=True).fill("Kinship data report")
    page.get_by_label("Owner").select_option(label="Bob Officer (Surrey)")
    page.get_by_label("Time allowed in minutes").fill("30")
    page.get_by_label("A paper is expected for this item").check()
    page.get_by_role("button", name="Save the item").click()
    agenda = page.locator("#agenda-table")
    expect(agenda).to_contain_text("10:10")  # the second item starts after the first
    expect(agenda).to_contain_text("Paper awaited")
    expect(page.get_by_text("Kinship data report: Bob Officer")).to_be_visible()  # to chase
    assert_accessible(page, "the agenda, with a paper to chase")
    meeting_url = page.url

    # The owner is reminded two working days before the deadline, then uploads.
    deadline = rules.papers_deadline(day)
    with live_server.app.app_context():
        sent = tick(rules.working_days_before(deadline, 2))
    assert len(sent) == 1 and "Bob Officer" in sent[0]
    live_server.deliver_mail()
    reminder = live_server.smtp.wait_for(owner)[-1]
    link = next(u for u in reminder.links() if "/papers/new" in u)

    sign_in(page, live_server, owner)
    page.goto(link)
    # The link chose the owner's item: the only one they may upload for.
    expect(page.locator("#item option:checked")).to_have_text("2. Kinship data report")
    page.get_by_label("File").set_input_files(files=[{
        "name": "report.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 exe"}])
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("whatever its name says").first).to_be_visible()
    assert_accessible(page, "upload refused")
    page.get_by_label("File").set_input_files(files=[{
        "name": "report.pdf", "mimeType": "application/pdf",
        "buffer": demo_pdf("Kinship data report")}])
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Version 1 of “Kinship data report” was uploaded.")).to_be_visible()
    assert_accessible(page, "paper uploaded")

    # A member sees it on the network page and downloads it.
    sign_in(page, live_server, member)
    page.goto(live_server(f"/networks/{slug}"))
    panel = page.locator("#network-meetings")
    expect(panel).to_contain_text("Next meeting: Kinship Network meeting")
    assert_accessible(page, "network page with the next meeting")
    with page.expect_download() as download:
        panel.get_by_role("link", name="Kinship data report").click()
    assert download.value.suggested_filename == "Kinship data report.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    # The chair records the decisions and an action.
    sign_in(page, live_server, chair)
    page.goto(meeting_url)
    page.get_by_role("link", name="Write the record").click()
    page.get_by_label("Present").fill("Alice Officer\nBob Officer")
    page.get_by_label("Apologies").fill("Carol Partner")
    page.get_by_label("Decisions").fill("The network adopts the data report.")
    assert_accessible(page, "the record form")
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("The network adopts the data report.")).to_be_visible()
    page.get_by_role("link", name="Change the record").click()
    page.get_by_label("Action", exact=True).fill("Send the report to the DCS group")
    page.get_by_label("Owner").select_option(label="Bob Officer (Surrey)")
    page.get_by_label("Due by").fill((day + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("The action was added.")).to_be_visible()
    assert_accessible(page, "action added")
    page.goto(live_server(f"/networks/{slug}/actions"))
    expect(page.get_by_role("table")).to_contain_text("Send the report to the DCS group")
    assert_accessible(page, "the network's actions")
    page.goto(live_server(f"/networks/{slug}/meetings"))
    expect(page.get_by_role("table")).to_contain_text("Draft")
    assert_accessible(page, "the network's meetings")
