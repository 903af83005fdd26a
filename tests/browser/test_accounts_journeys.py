"""Invitation and password-reset journeys in Chromium, with mail through a real SMTP server."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from seslip.accounts.models import OrgRole
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD, make_admin, make_organisation, make_user

NEW_PASSWORD = "kettle lantern orchard pebble"


def sign_in(page: Page, live_server: LiveServer, email: str, password: str = PASSWORD) -> None:
    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def only_link(live_server: LiveServer, address: str) -> str:
    live_server.deliver_mail()
    (message,) = live_server.smtp.wait_for(address)
    links = [link for link in message.links() if link.startswith(live_server.url)]
    assert len(links) == 1, message.text
    return links[0]


def test_admin_invites_and_the_person_sets_up_their_account(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        make_organisation("Kent County Council")
        make_admin(email="grace@example.org", name="Grace Hopper")
        make_user(email="member@example.org", organisation=None, org_role=OrgRole.OFFICER)

    sign_in(page, live_server, "grace@example.org")
    page.goto(live_server("/admin/people/"))
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    assert_accessible(page, "people list")
    page.get_by_role("link", name="Invite a person").click()
    assert_accessible(page, "invite form")

    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("alert")).to_be_focused()
    assert_accessible(page, "invite form with errors")

    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Organisation", exact=True).select_option(label="Kent County Council")
    page.get_by_label("Role in their organisation").select_option(
        label="Lead member for children's services")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Nia Newcomer has been invited")).to_be_visible()
    assert_accessible(page, "person page, invited")
    page.get_by_role("link", name="People").first.click()
    page.get_by_label("Name or email").fill("nia")
    results = page.locator("#people-results")
    expect(results).to_contain_text("1 person found.")
    expect(results.get_by_role("link", name="Nia Newcomer")).to_be_visible()
    expect(results.get_by_text("Invited", exact=True)).to_be_visible()
    assert_accessible(page, "people list filtered")

    link = only_link(live_server, "nia@example.org")
    message = live_server.smtp.to("nia@example.org")[0]
    assert message.subject == "You are invited to the SESLIP Intranet"
    assert "Grace Hopper has invited you" in message.text

    # The invitee opens the email in their own browser.
    theirs = browser.new_context().new_page()
    theirs.goto(link)
    expect(theirs.get_by_role("heading", name="Set up your account")).to_be_visible()
    assert_accessible(theirs, "invitation")
    theirs.get_by_label("Create a password").fill("short")
    theirs.get_by_label("Confirm your password").fill("short")
    theirs.get_by_role("button", name="Create account").click()
    summary = theirs.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Your password must be at least 12 characters long")
    assert theirs.title().startswith("Error: ")
    assert_accessible(theirs, "invitation with errors")

    theirs.get_by_label("Create a password").fill(NEW_PASSWORD)
    theirs.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    theirs.get_by_role("button", name="Create account").click()
    expect(theirs.get_by_text("Welcome to the SESLIP Intranet, Nia Newcomer")).to_be_visible()
    assert theirs.url == live_server("/")
    assert_accessible(theirs, "home after accepting")

    # Signing out and in again works with the new password.
    theirs.get_by_role("button", name="Sign out").click()
    sign_in(theirs, live_server, "nia@example.org", NEW_PASSWORD)
    expect(theirs.get_by_role("heading", name="Welcome, Nia Newcomer")).to_be_visible()


def test_forgotten_password_is_reset_by_email(page: Page, live_server: LiveServer) -> None:
    with live_server.app.app_context():
        make_user(email="ada@example.org", name="Ada Lovelace")

    page.goto(live_server("/login"))
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    assert_accessible(page, "reset request")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("alert")).to_be_focused()
    assert_accessible(page, "reset request with errors")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page, "reset sent")

    link = only_link(live_server, "ada@example.org")
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page, "reset form")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm your new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("Your password has been reset")).to_be_visible()
    assert page.url == live_server("/")
    page.goto(live_server("/account"))
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_accessible(page, "account page")

    # The link is spent.
    page.goto(link)
    expect(page.get_by_role("heading",
                            name="This link has expired or has already been used")).to_be_visible()
    assert_accessible(page, "link expired")
