"""Printing a page gives its content only; the outbox keeps each date on one line."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from seslip.accounts.models import OrgRole
from seslip.extensions import db
from seslip.formengine import read_form
from seslip.notifications.models import OutboxMessage
from seslip.questionnaires.services import finalise, save_answer, start_or_continue
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD, make_admin, make_organisation, make_user

LEAD = "lead-member-self-assessment-2022-23"
ANSWERS = {
    "ambition": "Every child safe at home. " + " ".join(f"word{n}" for n in range(40)),
    "responsibility_1": "Cabinet and scrutiny work together.",
    "responsibility_2": "Budgets are reviewed quarterly.",
    "responsibility_3": "Monthly one-to-ones with the DCS.",
    "responsibility_4": "The partnership board meets every term.",
    "responsibility_5": "The children in care council attends cabinet.",
}
SCREEN_ONLY = ("a.skip-link", "header nav", ".account-links", "nav.breadcrumbs",
               "footer.site-footer", "main .button")


def sign_in(page: Page, live_server: LiveServer, email: str, path: str) -> None:
    page.goto(live_server(path))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def style(page: Page, selector: str, prop: str, pseudo: str | None = None) -> str:
    return page.eval_on_selector(
        selector, "(el, [prop, pseudo]) => getComputedStyle(el, pseudo)[prop]", [prop, pseudo]
    )


def test_printing_a_response_prints_the_answers_without_the_site_around_them(
    page: Page, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        org = make_organisation("Kent County Council", website="https://www.kent.gov.uk")
        lead = make_user("lead@example.org", name="Lena Lead", organisation=org,
                         org_role=OrgRole.LEAD_MEMBER)
        response = start_or_continue(lead, LEAD)
        for question_id, text in ANSWERS.items():
            save_answer(lead, response, question_id,
                        read_form({question_id: text}).answer(question_id), 0)
        finalise(lead, response)
        response_id, org_slug = response.id, org.slug
        # A staff member sees a Reopen button on a finalised response: paper has no buttons.
        admin = make_admin(name="Ada Admin")
        admin_email = admin.email
    sign_in(page, live_server, admin_email, f"/questionnaires/responses/{response_id}")
    expect(page.get_by_role("heading", name="Lead Member", level=1)).to_be_visible()
    for selector in SCREEN_ONLY[1:]:
        expect(page.locator(selector).first).to_be_visible()
    expect(page.get_by_role("link", name="Reopen these answers")).to_be_visible()
    assert_accessible(page, "response on screen")

    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:  # in the page, but not on paper
        found = page.locator(selector)
        assert found.count() >= 1, selector
        for n in range(found.count()):
            expect(found.nth(n)).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    expect(page.get_by_role("heading", name="Lead Member", level=1)).to_be_visible()
    expect(page.get_by_text("Every child safe at home.")).to_be_visible()
    expect(page.get_by_text("Budgets are reviewed quarterly.")).to_be_visible()
    expect(page.get_by_text("Answered by")).to_be_visible()
    expect(page.locator(".service-name")).to_be_visible()  # where the paper came from
    assert style(page, "body", "color") == "rgb(0, 0, 0)"
    assert style(page, "body", "backgroundColor") == "rgb(255, 255, 255)"
    assert style(page, ".site-header", "backgroundColor") == "rgba(0, 0, 0, 0)"
    assert style(page, ".service-name", "color") == "rgb(0, 0, 0)"
    assert style(page, ".tag", "backgroundColor") == "rgba(0, 0, 0, 0)"
    assert page.pdf()[:4] == b"%PDF"  # what the export will build on
    assert_accessible(page, "response in print")

    # A link to another site keeps its address on paper; links inside the site do not.
    page.goto(live_server(f"/directory/{org_slug}"))
    website = 'main a[href="https://www.kent.gov.uk"]'
    assert style(page, website, "content", "::after") == '" (https://www.kent.gov.uk)"'
    page.emulate_media(media="screen")
    assert style(page, website, "content", "::after") == "none"
    expect(page.locator("header nav")).to_be_visible()


def test_outbox_dates_stay_on_one_line_in_a_narrow_window(
    page: Page, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        db.session.add(OutboxMessage(
            event="invitation", audience="invitee", recipient="someone.with.a.long.address@"
            "a-partner-organisation.example.org", subject="Your invitation to the SESLIP "
            "Intranet and everything it holds", body_text="Hello"))
        db.session.commit()
        email = make_admin().email
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server, email, "/admin/outbox/")
    expect(page.get_by_role("heading", name="Email outbox", level=1)).to_be_visible()

    cell = page.get_by_role("table").get_by_role("row").nth(1).locator("td").last
    expect(cell).to_contain_text("Written")
    # Each "Written …" / "Next try …" phrase is laid out on a single line.
    lines = cell.evaluate("""(td) => {
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
        const found = {};
        while (walker.nextNode()) {
            const text = walker.currentNode.textContent.trim();
            if (!text) continue;
            const range = document.createRange();
            range.selectNodeContents(walker.currentNode);
            found[text] = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        }
        return found;
    }""")
    assert [text.split(" ")[0] for text in lines] == ["Written", "Next"], lines
    assert set(lines.values()) == {1}, lines
    expect(cell).not_to_contain_text("None")
    assert_accessible(page, "outbox at 320px")
