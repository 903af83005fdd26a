"""The programme manager opens a cycle; a lead member gives her DCS edit access; the DCS
answers; the lead member sees who changed it, both sign off and she finalises; the dashboard
shows it. In a real Chromium, three browser contexts, axe after every page and state."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from seslip.accounts.models import OrgRole
from seslip.extensions import db
from seslip.questionnaires.models import FormVersion
from tests.browser.conftest import LiveServer
from tests.browser.test_questionnaire_journey import (
    AMBITION,
    SECTIONS,
    new_signed_in_page,
    open_section,
    saved,
)
from tests.support.axe import assert_accessible
from tests.support.factories import make_organisation, make_programme_manager, make_user

NAME = "Lead Member self-assessment 2026-27"


def _people(live_server: LiveServer) -> tuple[str, str, str, str]:
    live_server.sync()
    with live_server.app.app_context():
        pm = make_programme_manager(name="Harriet Kingsley").email
        for name in ("Kent", "Surrey", "East Sussex"):
            org = make_organisation(name)
            lead = make_user(name=f"Cllr {name} Lead", organisation=org,
                             org_role=OrgRole.LEAD_MEMBER)
            dcs = make_user(name=f"{name} Director", organisation=org, org_role=OrgRole.DCS)
            if name == "Kent":
                kent_lead, kent_dcs = lead.email, dcs.email
        version = db.session.scalars(select(FormVersion).where(
            FormVersion.definition_id == "lead-member-self-assessment-2022-23")).one()
        label = f"{version.title}, version {version.version}"
        db.session.remove()
    return pm, kent_lead, kent_dcs, label


def _open_the_cycle(page: Page, live_server: LiveServer, version_label: str) -> None:
    page.get_by_role("link", name="Self-assessment", exact=True).click()
    assert_accessible(page, "self-assessment, no cycle yet")
    page.get_by_role("link", name="Open a cycle").click()
    assert_accessible(page, "open a cycle")
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "open a cycle, with errors")
    today = date.today()
    page.get_by_label("Name of the cycle").fill(NAME)
    page.get_by_label("Questionnaire and version").select_option(label=version_label)
    page.get_by_label("The lead member of each authority").check()
    page.get_by_label("Open date").fill(today.isoformat())
    page.get_by_label("Finalise by").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Challenge days from").fill((today + timedelta(days=40)).isoformat())
    page.get_by_label("Challenge days to").fill((today + timedelta(days=70)).isoformat())
    page.get_by_label("Finalising needs sign-off").check()
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_role("heading", level=1, name=NAME)).to_be_visible()
    expect(page.locator("#cycle-progress")).to_contain_text("0 of 3")
    assert_accessible(page, "the new cycle's dashboard")


def test_a_cycle_from_opening_to_a_signed_off_finalised_response(
        browser: Browser, live_server: LiveServer) -> None:
    pm_email, lead_email, dcs_email, version_label = _people(live_server)
    pm_context, pm = new_signed_in_page(browser, live_server, pm_email)
    _open_the_cycle(pm, live_server, version_label)

    # The lead member opens Kent's response and gives her DCS edit access.
    lead_context, lead = new_signed_in_page(browser, live_server, lead_email)
    lead.get_by_role("link", name="Self-assessment", exact=True).click()
    assert_accessible(lead, "self-assessment, as the lead member")
    lead.get_by_role("link", name=f"Continue – {NAME}").click()
    expect(lead.locator("#cycle-panel")).to_contain_text("finalise by")
    assert_accessible(lead, "the cycle response's sections")
    lead.get_by_role("link", name="Who can see and change these answers").click()
    assert_accessible(lead, "who can see and change the answers")
    lead.get_by_label("Person").select_option(label="Kent Director")
    lead.get_by_label("Can edit").check()
    lead.get_by_role("button", name="Give access").click()
    expect(lead.get_by_text("Kent Director can change these answers now")).to_be_visible()
    expect(lead.get_by_role("cell", name="Can edit", exact=True)).to_be_visible()
    assert_accessible(lead, "access given")

    # The DCS answers the first question.
    dcs_context, dcs = new_signed_in_page(browser, live_server, dcs_email)
    dcs.get_by_role("link", name="Self-assessment", exact=True).click()
    dcs.get_by_role("link", name=f"View the answers – {NAME}").click()
    expect(dcs.get_by_text("Cllr Kent Lead checks and finalises them")).to_be_visible()
    assert_accessible(dcs, "the response's sections, as the DCS")
    open_section(dcs, "Over-arching responsibility")
    dcs.get_by_label(AMBITION).fill("Every child in Kent safe, healthy and learning.")
    saved(dcs, "ambition")
    assert_accessible(dcs, "a section saved by the DCS")

    # The lead member writes the rest, then sees who changed the first answer.
    lead.goto(live_server("/cycles/"))
    lead.get_by_role("link", name=f"Continue – {NAME}").click()
    for title, question_id in SECTIONS.items():
        open_section(lead, title)
        lead.locator(f"#{question_id}").fill(f"How it works in Kent for {title.lower()}.")
        saved(lead, question_id)  # the autosave first, so the page's save does not race it
        lead.get_by_role("button", name="Save and continue").click()
        expect(lead.locator("#progress")).to_be_visible()
    expect(lead.locator("#progress")).to_have_text("You have completed 6 of 6 sections.")
    expect(lead.locator(".task-changed", has_text="Kent Director")).to_have_count(1)
    assert_accessible(lead, "every section done, with who last changed each")
    lead.get_by_role("link", name="Check your answers").click()
    first = lead.locator(".summary-list .row", has_text=AMBITION)
    expect(first).to_contain_text("Last changed by Kent Director on")
    assert_accessible(lead, "check answers, with who changed each")
    first.get_by_role("link", name=re.compile("^History")).click()
    expect(lead.get_by_role("cell", name="Kent Director")).to_be_visible()
    assert_accessible(lead, "an answer's history")

    # Sign-off by both, then the lead member finalises.
    lead.goto(live_server("/cycles/"))
    lead.get_by_role("link", name=f"Continue – {NAME}").click()
    lead.get_by_role("link", name="Check your answers").click()
    lead.get_by_role("link", name="Continue to finalise").click()
    expect(lead.get_by_role("heading", level=1, name="Sign off and finalise")).to_be_visible()
    assert_accessible(lead, "sign off and finalise, nobody signed yet")
    lead.get_by_role("button", name="Finalise the answers").click()
    expect(lead.get_by_text("must sign off the answers as they are now")).to_be_visible()
    assert_accessible(lead, "finalising refused before sign-off")
    lead.get_by_role("button", name="I sign off these answers").click()
    expect(lead.get_by_text("You have signed off these answers.")).to_be_visible()
    assert_accessible(lead, "signed off by the lead member")

    dcs.goto(live_server("/cycles/"))
    dcs.get_by_role("link", name=f"Sign-off – {NAME}").click()
    dcs.get_by_role("button", name="I sign off these answers").click()
    expect(dcs.locator(".summary-list .tag", has_text="Signed off")).to_have_count(2)
    expect(dcs.get_by_role("button", name="Finalise the answers")).to_have_count(0)
    assert_accessible(dcs, "signed off by both, as the DCS")

    lead.reload()
    lead.get_by_role("button", name="Finalise the answers").click()
    expect(lead.get_by_role("heading", level=1, name="Answers finalised")).to_be_visible()
    assert_accessible(lead, "finalised")

    pm.reload()
    row = pm.locator("tr", has_text="Kent")
    expect(row.locator(".tag")).to_have_text("Finalised")
    expect(pm.locator("#cycle-progress")).to_contain_text("1 of 3")
    expect(row.get_by_role("button")).to_have_count(0)  # no reminder for a finalised one
    pm.get_by_role("button", name="Send a reminder to Surrey").click()
    expect(pm.get_by_text("A reminder was sent to Cllr Surrey Lead.")).to_be_visible()
    assert_accessible(pm, "the dashboard after a reminder")
    for context in (pm_context, lead_context, dcs_context):
        context.close()
