"""A lead member fills in the self-assessment in a real Chromium, with axe on every state."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from seslip.accounts.models import OrgRole
from seslip.extensions import db
from seslip.questionnaires.models import Answer
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD, make_organisation, make_user

TITLE = "SESLIP Lead Member Self-Assessment 2022-2023"
AMBITION = "What is your ambition for children and young people served by your council?"
SECTIONS = {
    "Responsibility 1": "responsibility_1",
    "Responsibility 2": "responsibility_2",
    "Responsibility 3": "responsibility_3",
    "Responsibility 4": "responsibility_4",
    "Responsibility 5": "responsibility_5",
}


def words(n: int, stem: str = "word") -> str:
    return " ".join(f"{stem}{i}" for i in range(n))


@pytest.fixture
def lead_email(live_server: LiveServer) -> str:
    live_server.sync()
    with live_server.app.app_context():
        kent = make_organisation("Kent County Council")
        make_user("lena@example.org", name="Lena Lead", organisation=kent,
                  org_role=OrgRole.LEAD_MEMBER)
    return "lena@example.org"


def stored(live_server: LiveServer, question_id: str) -> Any:
    with live_server.app.app_context():
        answer = db.session.scalars(select(Answer).where(Answer.question_id == question_id)).first()
        value = answer.value if answer else None
        db.session.remove()
        return value


def sign_in(page: Page, live_server: LiveServer, email: str, path: str = "/") -> None:
    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    if path != "/":
        page.goto(live_server(path))


def open_section(page: Page, title_start: str, *, javascript: bool = True) -> None:
    page.get_by_role("link", name=re.compile("^" + re.escape(title_start))).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(title_start)))) \
        .to_be_visible()
    if javascript:
        ready(page)


def ready(page: Page) -> None:
    """Wait until the section page's scripts are listening (a person can't type sooner)."""
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)


def saved(page: Page, question_id: str) -> None:
    expect(page.locator(f"#status-{question_id}")).to_have_text(re.compile(r"Saved at \d\d:\d\d"))


def new_signed_in_page(browser: Browser, live_server: LiveServer, email: str,
                       **options: Any) -> tuple[BrowserContext, Page]:
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)  # fail with a location rather than hang
    page = context.new_page()
    sign_in(page, live_server, email)
    return context, page


# --- the journey, with the mouse ---------------------------------------------------------------


def test_lead_member_completes_and_finalises_the_self_assessment(
    browser: Browser, live_server: LiveServer, lead_email: str
) -> None:
    context, page = new_signed_in_page(browser, live_server, lead_email)
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    assert_accessible(page, "questionnaires index")
    page.get_by_role("button", name=f"Start {TITLE}").click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.locator(".task-list .tag").first).to_have_text("Not started")
    assert_accessible(page, "task list")

    open_section(page, "Over-arching responsibility")
    assert_accessible(page, "section")
    ambition = page.get_by_label(AMBITION)
    ambition.fill(words(80))
    expect(page.locator("#ambition-count")).to_have_text("You have 5 words too many")
    expect(page.locator("#ambition-error")).to_contain_text(
        "Your answer must be 75 words or fewer. You have 80 words (5 too many).")
    saved(page, "ambition")  # a draft over the limit is still saved
    assert_accessible(page, "over the word limit")

    ambition.fill(words(40))
    expect(page.locator("#ambition-count")).to_have_text("You have 35 words remaining")
    expect(page.locator("#ambition-error")).to_have_text("")
    saved(page, "ambition")
    page.reload()
    ready(page)
    expect(page.get_by_label(AMBITION)).to_have_value(words(40))
    assert stored(live_server, "ambition") == words(40)

    # The same answer edited in two browsers (same person): the second save meets a conflict.
    other_context, other = new_signed_in_page(browser, live_server, lead_email)
    other.goto(page.url)
    ready(other)
    page.get_by_label(AMBITION).fill("Every child in Kent safe, healthy and learning.")
    saved(page, "ambition")
    other.get_by_label(AMBITION).fill("Every child in Kent thriving.")
    expect(other.get_by_role("heading", name="Someone else changed this answer")).to_be_visible()
    expect(other.locator("[data-version=theirs]")).to_have_text(
        "Every child in Kent safe, healthy and learning.")
    expect(other.locator("[data-version=mine]")).to_have_text("Every child in Kent thriving.")
    assert_accessible(other, "conflict")
    assert stored(live_server, "ambition") == "Every child in Kent safe, healthy and learning."
    other.get_by_role("button", name="Keep my version").click()
    saved(other, "ambition")
    expect(other.get_by_role("heading", name="Someone else changed this answer")).to_have_count(0)
    assert stored(live_server, "ambition") == "Every child in Kent thriving."
    other_context.close()

    # Back in the first browser, "Use their version" brings in the other browser's text.
    page.get_by_label(AMBITION).fill("An older idea.")
    expect(page.get_by_role("heading", name="Someone else changed this answer")).to_be_visible()
    page.get_by_role("button", name="Use their version").click()
    expect(page.get_by_label(AMBITION)).to_have_value("Every child in Kent thriving.")
    expect(page.get_by_label(AMBITION)).to_be_focused()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()

    for title, question_id in SECTIONS.items():
        open_section(page, title)
        page.locator(f"#{question_id}").fill(f"How it works in Kent for {title.lower()}.")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_text(re.compile("Your answers to .* have been saved"))).to_be_visible()
    expect(page.locator(".task-list .tag", has_text="Completed")).to_have_count(6)
    assert_accessible(page, "task list, all completed")

    page.get_by_role("link", name="Check your answers").click()
    expect(page.get_by_role("heading", level=1, name="Check your answers")).to_be_visible()
    assert_accessible(page, "check answers")
    page.get_by_role("link", name="Continue to finalise").click()
    assert_accessible(page, "finalise")
    page.get_by_role("button", name="Finalise my answers").click()
    expect(page.get_by_role("heading", level=1, name="Answers finalised")).to_be_visible()
    assert_accessible(page, "confirmation")
    page.get_by_role("link", name="View your finalised answers").click()
    expect(page.get_by_text("These answers are finalised and read-only.")).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)
    assert_accessible(page, "read-only")
    context.close()


# --- the same journey, by keyboard alone ------------------------------------------------------


def tab_to(page: Page, name: str, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; if (!e) return '';"
            " const label = e.labels && e.labels[0] ? e.labels[0].textContent : '';"
            " return (label || e.textContent || e.value || '').replace(/\\s+/g, ' ').trim(); }")
        if focused.startswith(name):
            return
    raise AssertionError(f"could not reach {name!r} with the keyboard")


def test_the_same_journey_by_keyboard_alone(
    browser: Browser, live_server: LiveServer, lead_email: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server("/login"))
    tab_to(page, "Email address")
    page.keyboard.type(lead_email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    tab_to(page, "Questionnaires")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Questionnaires")).to_be_visible()
    tab_to(page, f"Start {TITLE}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    assert_accessible(page, "task list (keyboard)")

    tab_to(page, "Over-arching responsibility")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=re.compile("Over-arching"))).to_be_visible()
    ready(page)
    tab_to(page, AMBITION)
    page.keyboard.type(words(80))
    expect(page.locator("#ambition-count")).to_have_text("You have 5 words too many")
    expect(page.locator("#ambition-error")).to_contain_text("75 words or fewer")
    saved(page, "ambition")
    assert_accessible(page, "over the limit (keyboard)")
    # Delete the last 40 words with Backspace, as someone fixing it would.
    for _ in range(len(words(80)) - len(words(40))):
        page.keyboard.press("Backspace")
    expect(page.locator("#ambition-count")).to_have_text("You have 35 words remaining")
    page.keyboard.press("Tab")  # leaving the field saves too
    saved(page, "ambition")
    expect(page.locator("#ambition-error")).to_have_text("")
    page.keyboard.press("F5")
    page.wait_for_load_state()
    ready(page)
    expect(page.get_by_label(AMBITION)).to_have_value(words(40))

    # Someone else (another browser) saves first; the conflict is resolved by keyboard.
    other_context, other = new_signed_in_page(browser, live_server, lead_email)
    other.goto(page.url)
    ready(other)
    other.get_by_label(AMBITION).fill("Saved in the other browser.")
    saved(other, "ambition")
    other_context.close()
    tab_to(page, AMBITION)
    page.keyboard.press("End")
    page.keyboard.type(" More.")
    expect(page.get_by_role("heading", name="Someone else changed this answer")).to_be_visible()
    assert_accessible(page, "conflict (keyboard)")
    tab_to(page, "Keep my version")
    page.keyboard.press("Enter")
    saved(page, "ambition")
    expect(page.get_by_label(AMBITION)).to_be_focused()
    assert stored(live_server, "ambition") == words(40) + " More."

    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    for title, _question_id in SECTIONS.items():
        tab_to(page, title)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1, name=re.compile(title))).to_be_visible()
        ready(page)
        tab_to(page, "How effective" if title.endswith("1") else "What evidence")
        page.keyboard.type(f"Keyboard answer for {title.lower()}.")
        tab_to(page, "Save and continue")
        page.keyboard.press("Space")
        expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.locator(".task-list .tag", has_text="Completed")).to_have_count(6)

    tab_to(page, "Check your answers")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Check your answers")).to_be_visible()
    assert_accessible(page, "check answers (keyboard)")
    tab_to(page, "Continue to finalise")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Finalise your answers")).to_be_visible()
    tab_to(page, "Finalise my answers")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Answers finalised")).to_be_visible()
    assert_accessible(page, "confirmation (keyboard)")
    tab_to(page, "View your finalised answers")
    page.keyboard.press("Enter")
    expect(page.get_by_text("These answers are finalised and read-only.")).to_be_visible()
    assert_accessible(page, "read-only (keyboard)")
    context.close()


# --- session expiry, JavaScript off, XSS ------------------------------------------------------


def test_text_typed_after_the_session_ends_is_kept_and_saved_after_signing_in(
    browser: Browser, live_server: LiveServer, lead_email: str
) -> None:
    context, page = new_signed_in_page(browser, live_server, lead_email)
    page.goto(live_server("/questionnaires/"))
    page.get_by_role("button", name=f"Start {TITLE}").click()
    open_section(page, "Over-arching responsibility")
    ambition = page.get_by_label(AMBITION)
    ambition.fill("Typed before the session ended.")
    saved(page, "ambition")

    context.clear_cookies()  # the session ends while the person is typing
    ambition.press("End")
    ambition.press_sequentially(" And after.")
    status = page.locator("#status-ambition")
    expect(status).to_contain_text("your session has ended")
    expect(ambition).to_have_value("Typed before the session ended. And after.")
    assert_accessible(page, "session ended")
    assert stored(live_server, "ambition") == "Typed before the session ended."

    with context.expect_page() as opened:  # "Sign in again (opens in a new tab)"
        status.get_by_role("link", name=re.compile("Sign in again")).click()
    login = opened.value
    login.get_by_label("Email address").fill(lead_email)
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Sign in").click()
    expect(login.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    login.close()

    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")  # headless tabs get no focus event
    saved(page, "ambition")
    expect(page.get_by_label(AMBITION)).to_have_value("Typed before the session ended. And after.")
    assert stored(live_server, "ambition") == "Typed before the session ended. And after."
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('seslip:'))") == []
    context.close()


def test_without_javascript_the_save_button_saves_the_section(
    browser: Browser, live_server: LiveServer, lead_email: str
) -> None:
    context, page = new_signed_in_page(browser, live_server, lead_email,
                                       java_script_enabled=False)
    page.goto(live_server("/questionnaires/"))
    page.get_by_role("button", name=f"Start {TITLE}").click()
    open_section(page, "Over-arching responsibility", javascript=False)
    expect(page.locator("#ambition-count")).to_have_text("You have 75 words remaining")
    page.get_by_label(AMBITION).fill(words(80))
    page.get_by_label("Title of the document or page").fill("Corporate plan")
    page.get_by_label("Web address (starting https://)").fill("not a web address")
    page.get_by_role("button", name="Add another evidence link").click()
    expect(page.get_by_role("group", name="Evidence link 2")).to_be_visible()
    expect(page.locator("#ambition-error")).to_contain_text("75 words or fewer")
    assert_accessible_without_javascript(browser, live_server, page, "no JS: section with problems")
    page.get_by_label(AMBITION).fill(words(30))
    page.locator("#ambition_evidence_links-0-url").fill("https://example.gov.uk/plan")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#status-role_as_lead_member")).to_have_text("Completed")
    assert stored(live_server, "ambition") == words(30)
    assert stored(live_server, "ambition_evidence_links") == [
        {"title": "Corporate plan", "url": "https://example.gov.uk/plan"}]
    context.close()


def assert_accessible_without_javascript(browser: Browser, live_server: LiveServer, page: Page,
                                        label: str) -> None:
    """axe needs JavaScript, so check a copy of the page in a second browser whose page
    scripts are blocked (the copy is exactly what a person without JavaScript gets)."""
    context = browser.new_context()
    copy = context.new_page()
    copy.route("**/static/**/*.js", lambda route: route.abort())
    copy.goto(live_server("/accessibility"))
    copy.set_content(page.content())
    assert_accessible(copy, label)
    context.close()


XSS_ANSWER = ('</textarea><script>window.__xss=5</script><img src=x onerror="window.__xss=6">'
              '"><svg onload="window.__xss=7">')


def test_xss_payloads_in_definitions_and_answers_never_run(
    browser: Browser, live_server: LiveServer, lead_email: str, tmp_path: Path
) -> None:
    from tests.integration.test_questionnaires import XSS_DEFINITION

    folder = tmp_path / "xss-definitions"
    folder.mkdir()
    (folder / "xss-test.yaml").write_text(XSS_DEFINITION)
    live_server.sync(folder)
    context, page = new_signed_in_page(browser, live_server, lead_email)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server("/questionnaires/"))
    page.get_by_role("button", name=re.compile("^Start Safety")).click()
    page.locator("details summary").first.click()
    page.get_by_role("link", name=re.compile("^One")).click()
    ready(page)
    page.locator("#answer").fill(XSS_ANSWER)
    saved(page, "answer")
    for path in ("", "/sections/one", "/check"):
        page.goto(re.sub(r"(/responses/\d+).*", r"\1", page.url) + path)
        page.locator("body").hover()
        for link in page.locator("main a").all():
            assert not (link.get_attribute("href") or "").lower().startswith(("javascript", "data"))
        assert page.evaluate("window.__xss") is None, path
    expect(page.get_by_text(XSS_ANSWER)).to_be_visible()  # shown as text on check answers
    assert dialogs == []
    context.close()


def test_a_scale_is_chosen_with_radios_autosaved_and_accessible(
    browser: Browser, live_server: LiveServer, lead_email: str, tmp_path: Path
) -> None:
    from tests.integration.test_scale_question import RATING

    folder = tmp_path / "rating-definitions"
    folder.mkdir()
    (folder / "rating-test.yaml").write_text(RATING)
    live_server.sync(folder)
    context, page = new_signed_in_page(browser, live_server, lead_email)
    page.goto(live_server("/questionnaires/"))
    page.get_by_role("button", name=re.compile("^Start Rating")).click()
    page.get_by_role("link", name=re.compile("^One")).click()
    ready(page)
    group = page.get_by_role("group", name="How confident are you?")
    expect(group.get_by_role("radio")).to_have_count(5)
    assert_accessible(page, "scale question")
    group.get_by_label("4 – Quite").check()
    saved(page, "confidence")
    assert stored(live_server, "confidence") == "4"
    page.goto(re.sub(r"(/responses/\d+).*", r"\1/check", page.url))
    expect(page.get_by_text("4 – Quite")).to_be_visible()
    assert_accessible(page, "check answers with a scale")
    context.close()
