"""The other networks pages, with the demo data, are accessible; the kind filter works by htmx."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from seslip.demo import PROGRAMME_MANAGER_EMAIL, run_demo
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible


def test_networks_pages_with_demo_data(page: Page, live_server: LiveServer) -> None:
    with live_server.app.app_context():
        run_demo(lambda _line: None)
    page.goto(live_server("/login?next=/networks/"))
    page.get_by_label("Email address").fill(PROGRAMME_MANAGER_EMAIL)
    page.get_by_label("Password").fill("seslip-demo-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Networks and groups")).to_be_visible()
    assert_accessible(page, "networks index")
    page.get_by_label("Kind of network").select_option(label="Steering group")
    expect(page.get_by_role("table")).to_contain_text("SESLIP Programme Steering Group")
    expect(page.get_by_role("table")).not_to_contain_text("Lead Member Network")
    assert "kind=steering_group" in page.url
    assert_accessible(page, "networks index filtered")

    page.goto(live_server("/networks/regional-kinship-network"))
    expect(page.get_by_text("Holdover").first).to_be_visible()
    expect(page.get_by_text("continues until a successor takes over")).to_be_visible()
    assert_accessible(page, "kinship network with a holdover")
    for path, label in [
        ("/networks/regional-kinship-network/history", "history"),
        ("/networks/regional-kinship-network/members", "members"),
        ("/networks/regional-kinship-network/requests", "join requests"),
        ("/networks/lead-member-network", "lead member network"),
        ("/networks/mine", "my networks"),
    ]:
        page.goto(live_server(path))
        assert_accessible(page, label)

    page.goto(live_server("/networks/regional-kinship-network/join"))
    assert_accessible(page, "ask to join")
    page.goto(live_server("/networks/regional-kinship-network"))
    page.get_by_role("link", name="Appoint a Sponsor").click()
    page.get_by_role("button", name="Appoint").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page, "appoint with errors")
