"""Journeys through the directory: filter it, open an authority, staff correct one."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from seslip.accounts.models import OrgRole
from seslip.organisations.services import ensure_organisations, get_by_slug
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD, make_admin, make_user


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your shortcuts")).to_be_visible()


def test_member_filters_the_directory_and_opens_slough(page: Page, live_server: LiveServer) -> None:
    with live_server.app.app_context():
        ensure_organisations(None)
        slough = get_by_slug("slough")
        make_user("dcs@slough.example", name="Dina Director", organisation=slough,
                  org_role=OrgRole.DCS)
        email = make_user("member@kent.example", organisation=get_by_slug("kent"),
                          org_role=OrgRole.OFFICER).email
    sign_in(page, live_server, email)
    assert_accessible(page, "home")

    page.get_by_role("link", name="Directory").first.click()
    expect(page.get_by_role("heading", name="Member authorities (19)")).to_be_visible()
    expect(page.get_by_role("heading", name="Partner organisations (4)")).to_be_visible()
    assert_accessible(page, "directory")

    page.get_by_label("Search the directory").fill("slou")
    expect(page.get_by_role("heading", name="Member authorities (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Kent")).to_have_count(0)
    expect(page.locator("#directory-status")).to_have_text("1 organisation matches “slou”.")
    assert page.url.endswith("/directory/?q=slou")  # the filtered list can be bookmarked
    assert_accessible(page, "directory filtered")

    page.get_by_role("link", name="Slough", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Slough")).to_be_visible()
    note = "Children's services delivered by Slough Children First"
    expect(page.get_by_text(note)).to_be_visible()
    expect(page.get_by_role("link", name="dcs@slough.example")).to_have_attribute(
        "href", "mailto:dcs@slough.example"
    )
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    assert_accessible(page, "authority page")


def test_directory_search_works_without_javascript(
    browser: Browser, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        ensure_organisations(None)
        email = make_user().email
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, email)
        page.goto(live_server("/directory/"))
        page.get_by_label("Search the directory").fill("sussex")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("heading", name="Member authorities (2)")).to_be_visible()
        expect(page.get_by_role("link", name="West Sussex")).to_be_visible()
    finally:
        context.close()


def test_admin_corrects_an_organisation(page: Page, live_server: LiveServer) -> None:
    with live_server.app.app_context():
        ensure_organisations(None)
        email = make_admin().email
    sign_in(page, live_server, email)
    page.get_by_role("link", name="Admin", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Admin")).to_be_visible()
    assert_accessible(page, "admin dashboard")

    page.goto(live_server("/directory/kent"))
    page.get_by_role("link", name="Edit Kent").click()
    page.get_by_label("Name", exact=True).fill("")
    page.get_by_label("Website").fill("kent dot gov")
    page.get_by_role("button", name="Save organisation").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Edit Kent "))
    assert_accessible(page, "edit form with errors")

    page.get_by_label("Name", exact=True).fill("Kent")
    page.get_by_label("Website").fill("https://www.kent.gov.uk")
    page.get_by_role("button", name="Save organisation").click()
    expect(page.get_by_text("Kent updated.")).to_be_visible()
    expect(page.get_by_role("link", name="https://www.kent.gov.uk")).to_be_visible()
