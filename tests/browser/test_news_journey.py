"""The programme manager posts news (with a mistake first) and a member reads it on the home
page, then in full and in the archive; the programme manager adds a key document. axe after
every page and state."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from seslip.meetings.demo import demo_pdf
from tests.browser.conftest import LiveServer
from tests.browser.test_meetings_journey import sign_in
from tests.support.axe import assert_accessible
from tests.support.factories import make_programme_manager, make_user


def test_news_journey(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    with live_server.app.app_context():
        pm, member = make_programme_manager().email, make_user(name="Mina Member").email

    sign_in(page, live_server, pm)
    page.get_by_role("link", name="News", exact=True).click()
    assert_accessible(page, "the empty news archive")
    page.get_by_role("link", name="Post news").click()
    page.get_by_label("Title").fill("DCS Peer Challenge Triad 5")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("DCS Peer Challenge Triad 5")
    assert_accessible(page, "post news, with an error")
    page.get_by_label("Text").fill("We welcome teams from **West Berkshire**, Royal Windsor "
                                   "and Maidenhead and Brighton and Hove.<script>x()</script>")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", name="DCS Peer Challenge Triad 5")).to_be_visible()
    assert_accessible(page, "the posted news item")
    page.get_by_role("link", name="Edit this news item").click()
    page.get_by_label("Title").fill("DCS Peer Challenge Triad 5 on MS Teams")
    assert_accessible(page, "edit a news item")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Earlier versions").click()
    expect(page.get_by_role("heading", name="Version 1", exact=True)).to_be_visible()
    assert_accessible(page, "the versions of a news item")

    page.goto(live_server("/documents/new"))
    page.get_by_label("Title").fill("SESLIP Memorandum of Understanding")
    page.get_by_label("Category").select_option(label="Memorandum of understanding and "
                                                      "agreements")
    upload = tmp_path / "mou.pdf"
    upload.write_bytes(demo_pdf("MoU"))
    page.get_by_label("File").set_input_files(str(upload))
    assert_accessible(page, "add a document")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="SESLIP Memorandum of Understanding")).to_be_visible()
    assert_accessible(page, "a key document")

    sign_in(page, live_server, member)
    news = page.locator("section", has=page.get_by_role("heading", name="Latest news"))
    expect(news.get_by_role("link", name="DCS Peer Challenge Triad 5 on MS Teams")
           ).to_be_visible()
    assert_accessible(page, "the home page with news")
    news.get_by_role("link", name="DCS Peer Challenge Triad 5 on MS Teams").click()
    expect(page.locator(".news-body strong")).to_have_text("West Berkshire")
    expect(page.locator(".news-body script")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit this news item")).to_have_count(0)
    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("link", name="SESLIP Memorandum of Understanding")).to_be_visible()
    expect(page.get_by_role("link", name="Add a document")).to_have_count(0)
    assert_accessible(page, "the key documents, as a member")
