"""Peer challenge from triad to regional picture: the programme manager forms a triad, three
lead members (three browsers) finalise, peers read each other's and comment, the authority
replies, the facilitator records outcomes, the regional page shows the themes and its Word
export contains them. axe after every page and state."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import docx
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer
from tests.integration.challenge.support import ANSWERS, DAY, build
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD


@dataclass
class Given:
    cycle_id: int
    responses: list[int]
    leads: list[str]
    pm: str
    facilitator: str


def given_a_cycle(live_server: LiveServer) -> Given:
    """The cycle is open and three lead members have answered (through the services)."""
    from seslip.challenge import plan
    from seslip.extensions import db
    from seslip.formengine.formdata import read_form
    from seslip.questionnaires import services as questionnaires

    live_server.sync()
    with live_server.app.app_context():
        w = build()
        for lead, response in zip(w.leads[:3], w.responses[:3], strict=True):
            for question_id, text in ANSWERS.items():
                questionnaires.save_answer(lead, response, question_id,
                                           read_form({question_id: text}).answer(question_id),
                                           None)
        voice = plan.add_theme(w.pm, "Voice of the child")
        plan.add_theme(w.pm, "Corporate parenting")
        plan.add_theme(w.pm, "Scrutiny")
        plan.link_priorities(w.pm, voice, [plan.add_priority(
            w.pm, "Improve outcomes for children and young people across the South East").id])
        given = Given(w.cycle.id, [r.id for r in w.responses], [u.email for u in w.leads],
                      w.pm.email, w.facilitator.email)
        db.session.remove()
        return given


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def form_the_triad(page: Page, live_server: LiveServer, g: Given) -> None:
    sign_in(page, live_server, g.pm)
    page.goto(live_server("/challenge"))
    assert_accessible(page, "peer challenge, programme manager")
    page.get_by_role("link", name="triads of Lead Member self-assessment 2026-27").click()
    expect(page.get_by_role("heading", name="Form a triad or quartet")).to_be_visible()
    assert_accessible(page, "the cycle's triads")
    page.get_by_label("Kent").check()
    page.get_by_role("button", name="Form the group").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "forming a triad, with errors")
    page.get_by_label("Medway").check()
    page.get_by_label("Slough").check()
    page.get_by_label("Date of the challenge day").fill(DAY.isoformat())
    page.get_by_label("Starts (UK time)").fill("10:00")
    page.get_by_label("Ends (UK time)").fill("15:00")
    page.get_by_label("Place").fill("County Hall, Maidstone")
    page.get_by_label("Facilitator").select_option(label="Fay Facilitator")
    page.get_by_role("button", name="Form the group").click()
    expect(page.get_by_role("heading", name="Triad 1")).to_be_visible()
    expect(page.get_by_text("its members have been emailed the day")).to_be_visible()
    assert_accessible(page, "the new triad")


def finalise(page: Page, live_server: LiveServer, email: str, response_id: int) -> None:
    sign_in(page, live_server, email)
    page.goto(live_server(f"/cycles/responses/{response_id}/finalise"))
    assert_accessible(page, f"finalise, {email}")
    page.get_by_role("button", name="Finalise the answers").click()
    page.goto(live_server("/challenge"))
    page.get_by_role("link", name="Triad 1").click()
    expect(page.get_by_text("Shared").first).to_be_visible()
    assert_accessible(page, f"the triad, {email}")


def test_challenge_journey(page: Page, browser: Browser, live_server: LiveServer) -> None:
    g = given_a_cycle(live_server)
    form_the_triad(page, live_server, g)

    # Three lead members, each in a browser of their own, finalise.
    leads = [browser.new_context().new_page() for _ in range(3)]
    for lead_page, email, response_id in zip(leads, g.leads, g.responses, strict=False):
        finalise(lead_page, live_server, email, response_id)
    kent, medway, _slough = leads

    # Medway reads Kent's and comments on a responsibility.
    medway.get_by_role("link", name="Read and comment on Kent's self-assessment").click()
    expect(medway.get_by_role("heading", name="Kent's self-assessment")).to_be_visible()
    expect(medway.get_by_text("Cabinet and scrutiny work together.")).to_be_visible()
    assert_accessible(medway, "Kent's self-assessment, read by Medway")
    box = medway.get_by_label("Your comment or question on “Responsibility 1", exact=False)
    medway.get_by_role("button", name="Add comment").nth(1).click()
    expect(medway.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(medway, "an empty comment")
    box.fill("How does scrutiny hold you to account between cabinet meetings?")
    medway.get_by_role("button", name="Add comment").nth(1).click()
    expect(medway.get_by_text("Your comment was added.")).to_be_visible()
    assert_accessible(medway, "the comment added")

    # Kent sees it and replies.
    kent.get_by_role("link", name="Read the comments on yours").click()
    expect(kent.get_by_text("How does scrutiny hold you to account")).to_be_visible()
    kent.get_by_label("Reply to Cllr Medway").fill("The chair and I meet monthly.")
    kent.get_by_role("button", name="Reply").click()
    expect(kent.get_by_text("The chair and I meet monthly.")).to_be_visible()
    assert_accessible(kent, "the reply")

    # The facilitator records Kent's outcomes (the day is past).
    sign_in(page, live_server, g.facilitator)
    page.goto(live_server("/challenge"))
    page.get_by_role("link", name="Triad 1").click()
    assert_accessible(page, "the triad, facilitator")
    page.get_by_role("link", name="Record outcomes of Kent").click()
    expect(page.get_by_role("heading", name="Outcomes for Kent")).to_be_visible()
    assert_accessible(page, "outcomes, empty")
    page.get_by_role("button", name="Add the strength").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "a strength without text")
    strength = page.locator("#strength-text")
    strength.fill("Children in care are heard at cabinet.")
    page.locator("#strength-theme_id").select_option(label="Voice of the child")
    page.get_by_role("button", name="Add the strength").click()
    expect(page.get_by_text("Children in care are heard at cabinet.", exact=True)).to_be_visible()
    page.locator("#area-text").fill("Corporate parenting training for all members.")
    page.locator("#area-theme_id").select_option(label="Corporate parenting")
    page.locator("#area-section_id").select_option(index=2)
    page.get_by_role("button", name="Add the area for development").click()
    page.locator("#action-text").fill("Run corporate parenting training for members.")
    page.locator("#action-owner_id").select_option(label="Cllr Kent")
    page.locator("#action-due_on").fill("2027-03-31")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("cell", name="Run corporate parenting training for members.",
                            exact=True)).to_be_visible()
    assert_accessible(page, "outcomes recorded")

    # The programme manager's regional picture, and its Word export.
    sign_in(page, live_server, g.pm)
    page.goto(live_server(f"/challenge/cycles/{g.cycle_id}/regional"))
    themes = page.locator("#themes + table")
    expect(themes.get_by_role("cell", name="Voice of the child")).to_be_visible()
    expect(themes.get_by_role("cell", name="Corporate parenting")).to_be_visible()
    expect(page.get_by_role("img", name="Self-assessments finalised")).to_be_visible()
    assert_accessible(page, "the regional picture")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Word").click()
    word = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = {c.text for t in word.tables for r in t.rows for c in r.cells}
    assert {"Voice of the child", "Corporate parenting"} <= cells
    assert any("Kent: Children in care are heard at cabinet." in p.text
               for p in word.paragraphs)
    for other in leads:
        other.context.close()
