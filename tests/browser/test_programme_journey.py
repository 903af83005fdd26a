"""Forward programme and work programme in the browser: a member suggests a topic, the chair
schedules it into a meeting's agenda, the member is told and sees it scheduled; the chair keeps
the work programme and the meeting pattern. axe after every page and state."""

from __future__ import annotations

from datetime import time, timedelta

from playwright.sync_api import Page, expect

from seslip.meetings.demo import demo_pdf
from seslip.timeutil import local_today
from tests.browser.conftest import LiveServer
from tests.browser.test_meetings_journey import email_of, given_a_network, sign_in
from tests.support.axe import assert_accessible


def a_meeting_to_come(live_server: LiveServer, slug: str) -> str:
    from sqlalchemy import select

    from seslip.accounts.models import User
    from seslip.extensions import db
    from seslip.meetings import services
    from seslip.networks.queries import get_network

    with live_server.app.app_context():
        chair = db.session.scalars(select(User).where(User.name == "Alice Officer")).one()
        meeting = services.create_meeting(chair, get_network(slug), services.MeetingDetails(
            title="Kinship Network, spring", day=local_today() + timedelta(days=40),
            starts=time(10), ends=time(12), place="County Hall, Lewes"))
        services.add_item(chair, meeting, "Welcome", chair, 10)
        return meeting.title


def test_a_suggestion_is_scheduled_and_the_member_sees_it(page: Page,
                                                          live_server: LiveServer) -> None:
    slug = given_a_network(live_server)
    meeting_title = a_meeting_to_come(live_server, slug)
    chair, member = email_of(live_server, "Alice Officer"), email_of(live_server, "Carol Partner")

    # A member suggests a topic from the network page.
    sign_in(page, live_server, member)
    page.goto(live_server(f"/networks/{slug}"))
    section = page.locator("#network-programme")
    expect(section).to_contain_text("No topics are planned yet.")
    expect(section).not_to_contain_text("For the chair")
    assert_accessible(page, "network page with the programme section, as a member")
    section.get_by_role("link", name="Suggest a topic").click()
    assert_accessible(page, "suggest a topic")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "suggest a topic, with an error")
    page.get_by_label("Topic").fill("Kinship carers' allowances across the region")
    page.get_by_label("Why it matters (optional)").fill("Rates differ between authorities.")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_text("was sent to the chair")).to_be_visible()
    row = page.get_by_role("row", name="Kinship carers' allowances")
    expect(row).to_contain_text("Awaiting the chair")
    assert_accessible(page, "your suggestions, awaiting")

    # The chair triages it onto the meeting's agenda.
    sign_in(page, live_server, chair)
    page.goto(live_server(f"/networks/{slug}"))
    page.locator("#chair-tools").get_by_role(
        "link", name="Suggestions to triage (1)").click()
    expect(page.get_by_role("heading", name="For the chair: suggestions to triage (1)")
           ).to_be_visible()
    assert_accessible(page, "forward programme with a suggestion to triage")
    page.locator("li", has_text="Kinship carers' allowances").get_by_role(
        "link", name="Triage").click()
    assert_accessible(page, "triage a suggestion")
    page.get_by_label("On a meeting's agenda").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Choose the meeting whose agenda it goes on.").first).to_be_visible()
    assert_accessible(page, "triage, with an error")
    meeting = page.get_by_label("Meeting", exact=True)
    meeting.select_option(label=next(o for o in meeting.locator("option").all_inner_texts()
                                     if o.startswith(meeting_title)))
    page.get_by_label("Time allowed in minutes").fill("20")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Carol Partner has been told.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("On a meeting's agenda")
    assert_accessible(page, "forward programme with the suggestion scheduled")

    # The member is told by email and sees it scheduled, on the agenda.
    live_server.deliver_mail()
    mail = next(m for m in live_server.smtp.wait_for(member) if "suggestion" in m.subject)
    assert mail.subject.startswith("Your suggestion is on the agenda")
    link = next(u for u in mail.links() if u.endswith("/suggestions"))
    sign_in(page, live_server, member)
    page.goto(link)
    row = page.get_by_role("row", name="Kinship carers' allowances")
    expect(row).to_contain_text("On a meeting's agenda")
    assert_accessible(page, "your suggestions, scheduled")
    row.get_by_role("link", name=meeting_title).click()
    expect(page.locator("#agenda-table")).to_contain_text(
        "Kinship carers' allowances across the region")
    assert_accessible(page, "the meeting with the suggested item")


def test_the_chair_keeps_the_work_programme_and_the_pattern(page: Page,
                                                            live_server: LiveServer) -> None:
    slug = given_a_network(live_server)
    sign_in(page, live_server, email_of(live_server, "Alice Officer"))
    page.goto(live_server(f"/networks/{slug}/work-programme"))
    assert_accessible(page, "an empty work programme")
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Item", exact=True).fill("Kinship data analysis")
    page.get_by_label("Owner").select_option(label="Bob Officer (Surrey)")
    page.get_by_label("Target date").fill((local_today() + timedelta(days=90)).isoformat())
    assert_accessible(page, "add a work programme item")
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_text("was added to the work programme")).to_be_visible()
    row = page.locator("tr", has_text="Kinship data analysis")
    row.get_by_label("Status of Kinship data analysis").select_option("In progress")
    row.get_by_role("button", name="Save the status of Kinship data analysis").click()
    expect(page.locator("#flash-messages")).to_have_text("“Kinship data analysis” is now in "
                                                         "progress.")
    expect(row.get_by_label("Status of Kinship data analysis")).to_have_value("in_progress")
    assert_accessible(page, "work programme, status changed in place")

    page.get_by_role("link", name="Set up a task and finish group for Kinship data "
                     "analysis").click()
    page.get_by_role("button", name="Set up the group").click()
    expect(page.get_by_text("Enter the date the group ends.").first).to_be_visible()
    assert_accessible(page, "set up a group, with an error")
    page.get_by_label("Ends on").fill((local_today() + timedelta(days=120)).isoformat())
    page.get_by_label("Purpose").fill("Analyse the region's kinship data.")
    page.get_by_role("button", name="Set up the group").click()
    expect(page.get_by_text("Choose at least one member of the group.").first).to_be_visible()
    expect(page.get_by_label("Ends on")).to_have_value(
        (local_today() + timedelta(days=120)).isoformat())  # what was typed is kept
    page.get_by_label("Bob Officer (Surrey)").check()
    page.get_by_role("button", name="Set up the group").click()
    expect(page.get_by_text("is set up, with 1 member.")).to_be_visible()
    expect(page.get_by_role("link", name="Kinship data analysis Task and Finish Group").first
           ).to_be_visible()
    assert_accessible(page, "work programme with its group")

    page.get_by_role("link", name="Publish a report").click()
    assert_accessible(page, "publish a report")
    page.get_by_label("Title").fill("Kinship Network: report to the South East DCS Group")
    page.get_by_label("File").set_input_files(files=[{
        "name": "report.pdf", "mimeType": "application/pdf",
        "buffer": demo_pdf("Report to the DCS Group")}])
    page.get_by_role("button", name="Publish the report").click()
    expect(page.get_by_text("is published on the page of Kinship Network")).to_be_visible()
    page.goto(live_server(f"/networks/{slug}"))
    expect(page.locator("#network-programme")).to_contain_text(
        "Report to the South East DCS Group")
    assert_accessible(page, "network page with the work programme, group and report")

    page.goto(live_server(f"/networks/{slug}/meetings/pattern"))
    assert_accessible(page, "meeting pattern")
    page.get_by_label("Starts (UK time)").fill("10:00")
    page.get_by_label("Ends (UK time)").fill("12:00")
    page.get_by_label("Link to join online").fill("https://teams.example/kinship")
    page.get_by_role("button", name="Save the pattern").click()
    expect(page.get_by_text("planned ahead, for you to confirm or move")).to_be_visible()
    assert_accessible(page, "meeting pattern saved, meetings planned")
    page.get_by_role("heading", name="Planned, to confirm").locator(
        "xpath=following-sibling::ul[1]").get_by_role("link").first.click()
    expect(page.get_by_text("not yet confirmed")).to_be_visible()
    assert_accessible(page, "a planned meeting to confirm")
    page.get_by_role("button", name="Confirm the meeting").click()
    expect(page.get_by_text("is confirmed.")).to_be_visible()
    assert_accessible(page, "the meeting confirmed")
