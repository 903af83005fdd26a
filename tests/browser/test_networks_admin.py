"""The programme manager sets up a task and finish group under the Kinship network, with a Chair
post, without touching code: an error for the missing end date first, then the group on its
parent's page. Each page and state is checked with axe."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from seslip.networks.models import Network, NetworkKind
from seslip.timeutil import local_today
from tests.browser.conftest import LiveServer
from tests.browser.test_networks_rotation import sign_in
from tests.support.axe import assert_accessible
from tests.support.factories import make_programme_manager


def given_the_kinship_network(live_server: LiveServer) -> None:
    from seslip.extensions import db

    with live_server.app.app_context():
        make_programme_manager(email="pm@example.org", name="Pat Manager")
        db.session.add(Network(slug="regional-kinship-network",
                               name="South East Regional Kinship Network",
                               kind=NetworkKind.NETWORK, purpose="Kinship practice."))
        db.session.commit()


def test_programme_manager_sets_up_a_task_and_finish_group(
    page: Page, live_server: LiveServer
) -> None:
    given_the_kinship_network(live_server)
    sign_in(page, live_server, "pm@example.org", "/admin/")
    page.get_by_role("link", name="New network").click()
    expect(page.get_by_role("heading", name="New network")).to_be_visible()
    assert_accessible(page, "new network form")

    page.get_by_label("Name", exact=True).fill("Kinship Data Task and Finish Group")
    page.get_by_label("Task and finish group").check()
    page.get_by_label("Purpose", exact=True).fill("Look at the region's **kinship data**.")
    page.get_by_label("Meeting pattern").fill("Monthly on Microsoft Teams.")
    page.get_by_label("Parent network").select_option(label="South East Regional Kinship Network")
    page.get_by_role("button", name="Create network").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter the end date: a task and finish group has one.")
    assert page.title().startswith("Error:")
    name = page.get_by_label("Name", exact=True)
    expect(name).to_have_value("Kinship Data Task and Finish Group")
    assert_accessible(page, "new network with a missing end date")
    summary.get_by_role("link", name="Enter the end date").click()
    expect(page.get_by_label("Ends on")).to_be_focused()

    ends = local_today() + timedelta(days=120)
    page.get_by_label("Ends on").fill(ends.isoformat())
    page.get_by_role("button", name="Create network").click()
    expect(page.get_by_role("heading", name="Kinship Data Task and Finish Group")).to_be_visible()
    expect(page.get_by_text("has been created")).to_be_visible()
    expect(page.locator("strong", has_text="kinship data")).to_be_visible()  # Markdown
    assert_accessible(page, "new group page")

    page.get_by_role("link", name="Add a post").click()
    assert_accessible(page, "add a post form")
    page.get_by_role("button", name="Add post").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the post's title.")
    assert_accessible(page, "add a post with errors")
    page.get_by_label("Title", exact=True).fill("Chair")
    page.get_by_label("Its holders chair the network").check()
    page.get_by_label("Term length in years (optional)").fill("1")
    page.get_by_role("button", name="Add post").click()
    expect(page.get_by_text("The post Chair has been added")).to_be_visible()
    expect(page.get_by_role("heading", name="Chair", exact=True)).to_be_visible()
    expect(page.get_by_text("Term of 1 year.")).to_be_visible()
    assert_accessible(page, "group page with its Chair post")
    page.get_by_role("link", name="Edit the post Chair").click()
    expect(page.get_by_label("Its holders chair the network")).to_be_checked()
    assert_accessible(page, "edit the post")
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="South East Regional Kinship Network").last.click()
    expect(page.get_by_role("heading", name="South East Regional Kinship Network")).to_be_visible()
    groups = page.locator(".summary-list")
    expect(groups).to_contain_text("Kinship Data Task and Finish Group")
    expect(groups).to_contain_text(f"task and finish group, ends {ends.day} {ends:%B %Y}")
    assert_accessible(page, "parent network page")

    # The group's work is done: it is archived, and its page stays.
    groups.get_by_role("link", name="Kinship Data Task and Finish Group").click()
    page.get_by_role("link", name="Edit or archive this network").click()
    assert_accessible(page, "edit network form")
    page.get_by_role("button", name="Archive Kinship Data Task and Finish Group").click()
    expect(page.get_by_text("has been archived")).to_be_visible()
    expect(page.get_by_text("Archived.", exact=True)).to_be_visible()
    assert_accessible(page, "archived group page")
