"""Findings of the manual WCAG 2.2 AA audit (issue 9) that only a real browser shows."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from seslip.demo import DEMO_PASSWORD, PROGRAMME_MANAGER_EMAIL, lead_member_email, run_demo
from tests.browser.conftest import LiveServer
from tests.support.page_checks import WIDE, focus_problems, reflow_problems

LEAD = lead_member_email("east-sussex")  # half-way through the self-assessment in the demo
AMBITION = "What is your ambition for children and young people served by your council?"
ERROR_RED = "rgb(179, 38, 30)"


@pytest.fixture
def demo(live_server: LiveServer) -> LiveServer:
    with live_server.app.app_context():
        run_demo(lambda _line: None)
    return live_server


def signed_in(browser: Browser, live_server: LiveServer, email: str, **options: object) -> Page:
    context = browser.new_context(viewport=WIDE, **options)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server("/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Welcome"))).to_be_visible()
    return page


def open_ambition(page: Page, live_server: LiveServer) -> None:
    """The self-assessment's first section, as the lead member gets there."""
    page.goto(live_server("/questionnaires/"))
    page.get_by_role("link", name=re.compile("^Continue")).first.click()
    page.get_by_role("link", name=re.compile("^Over-arching responsibility")).click()


def words(n: int) -> str:
    return " ".join(f"word{i}" for i in range(n))


# --- 1. text stays readable when focused, visited links included ------------------------------

# The pixels of a screenshot: the most common colour of the content box is the background, the
# most different one the text.
PIXEL_CONTRAST_JS = """async (src) => {
  const image = new Image(); image.src = src; await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const key = data[i] + ',' + data[i + 1] + ',' + data[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  const channel = (v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = (key) => { const [r, g, b] = key.split(',').map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const background = sorted[0][0];
  return Math.max(...sorted.map(([key]) => ratio(key, background)));
}"""


def focused_text_contrast(page: Page, target: Locator) -> float:
    """Contrast of the text of `target` focused by keyboard, measured in its pixels."""
    page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies
    target.focus()
    box = target.evaluate("""(e) => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
      const px = (v) => parseFloat(v) || 0;
      const left = r.left + px(s.borderLeftWidth) + px(s.paddingLeft);
      const top = r.top + px(s.borderTopWidth) + px(s.paddingTop);
      return {x: left, y: top,
              width: r.right - px(s.borderRightWidth) - px(s.paddingRight) - left,
              height: r.bottom - px(s.borderBottomWidth) - px(s.paddingBottom) - top}; }""")
    png = page.screenshot(clip=box)
    blank = page.context.new_page()  # no CSP there, so the screenshot can be read as an image
    try:
        source = "data:image/png;base64," + base64.b64encode(png).decode()
        return float(blank.evaluate(PIXEL_CONTRAST_JS, source))
    finally:
        blank.close()


def test_link_buttons_keep_readable_text_when_focused(browser: Browser,
                                                     demo: LiveServer) -> None:
    """Measured in the pixels, as a person sees it (the check below reads the styles)."""
    page = signed_in(browser, demo, LEAD)
    page.goto(demo("/networks/regional-kinship-network"))
    assert focused_text_contrast(page, page.get_by_role("link", name="Ask to join")) >= 4.5
    page.context.close()


def test_nothing_focused_by_keyboard_loses_its_contrast(browser: Browser, demo: LiveServer) -> None:
    """Links are checked unvisited and visited: a.button:visited once won over the focus style."""
    page = signed_in(browser, demo, LEAD)
    for path in ("/", "/networks/regional-kinship-network", "/questionnaires/"):
        page.goto(demo(path))
        checked, problems = focus_problems(page)
        assert checked > 5 and problems == [], (path, problems)  # e.g. "Sign out" in the header
    page.context.close()


# --- 3. reflow at 320 CSS px, and at 200% zoom on a 1280 px screen ---------------------------


def test_pages_with_tables_do_not_scroll_sideways_at_320_px(browser: Browser,
                                                           demo: LiveServer) -> None:
    page = signed_in(browser, demo, PROGRAMME_MANAGER_EMAIL)
    for path in ("/directory/east-sussex", "/networks/", "/networks/lead-member-network",
                 "/networks/lead-member-network/history", "/networks/lead-member-network/members",
                 "/questionnaires/", "/admin/people/"):
        page.goto(demo(path))
        assert reflow_problems(page) == [], path
    page.set_viewport_size({"width": 640, "height": 900})  # 1280 px at 200%
    page.goto(demo("/admin/people/"))
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.context.close()


# --- 4. errors on a section are reported when it is saved --------------------------------------


@pytest.fixture
def lead_without_js(browser: Browser, demo: LiveServer) -> Iterator[Page]:
    page = signed_in(browser, demo, LEAD, java_script_enabled=False)
    yield page
    page.context.close()


def test_save_and_continue_keeps_the_draft_and_reports_what_needs_changing(
    lead_without_js: Page, demo: LiveServer
) -> None:
    page = lead_without_js
    open_ambition(page, demo)
    page.get_by_label(AMBITION).fill(words(90))
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Your answers are saved, but some need changing")
    expect(summary.get_by_role("link", name=re.compile("75 words or fewer"))).to_have_attribute(
        "href", "#ambition")
    assert page.title().startswith("Error: ")
    expect(page.get_by_label(AMBITION)).to_have_value(words(90))  # what was typed, as saved
    page.reload()
    expect(page.get_by_label(AMBITION)).to_have_value(words(90))
    page.get_by_role("link", name="Continue anyway to the list of sections").click()
    expect(page.get_by_role("heading", level=1,
                            name="SESLIP Lead Member Self-Assessment 2022-2023")).to_be_visible()


def test_autosave_says_saved_but_and_the_error_styling_follows_the_message(
    browser: Browser, demo: LiveServer
) -> None:
    page = signed_in(browser, demo, LEAD)
    open_ambition(page, demo)
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    box, answer = page.locator("#q-ambition"), page.get_by_label(AMBITION)
    expect(box).not_to_have_css("border-left-color", ERROR_RED)
    answer.fill(words(90))
    expect(page.locator("#status-ambition")).to_have_text(re.compile(
        r"Saved at \d\d:\d\d, but this answer still needs changing: Your answer must be 75 words"))
    expect(box).to_have_css("border-left-color", ERROR_RED)
    expect(answer).to_have_css("border-top-color", ERROR_RED)
    answer.fill(words(10))
    expect(page.locator("#status-ambition")).to_have_text(re.compile(r"^\s*Saved at \d\d:\d\d\s*$"))
    expect(page.locator("#ambition-error")).to_have_text("")
    expect(box).not_to_have_css("border-left-color", ERROR_RED)
    expect(answer).not_to_have_css("border-top-color", ERROR_RED)

    answer.fill(words(90))
    expect(page.locator("#status-ambition")).to_contain_text("but")
    page.goto(page.url.split("/sections/")[0] + "/check")
    page.locator(".error-summary").get_by_role("link", name=re.compile("^What is your ambition")) \
        .click()
    expect(page.get_by_label(AMBITION)).to_be_focused()  # in the field, not on the page
    page.context.close()


# --- 5. an error-summary link to a group puts focus on its first radio --------------------------


def test_error_summary_link_to_the_kind_of_network_focuses_a_radio(browser: Browser,
                                                                   demo: LiveServer) -> None:
    page = signed_in(browser, demo, PROGRAMME_MANAGER_EMAIL)
    page.goto(demo("/networks/new"))
    page.get_by_role("button", name="Create network").click()
    page.get_by_role("link", name="Choose the kind of network.").click()
    assert page.evaluate("document.activeElement.type") == "radio"
    page.context.close()


# --- 7. the header is as high on every page at 1280 px ---------------------------------------


def test_the_header_does_not_change_height_from_page_to_page(browser: Browser,
                                                             demo: LiveServer) -> None:
    page = signed_in(browser, demo, PROGRAMME_MANAGER_EMAIL)
    heights = set()
    for path in ("/", "/networks/", "/directory/", "/questionnaires/", "/admin/"):
        page.goto(demo(path))
        box = page.locator(".site-header").bounding_box()
        assert box
        heights.add(box["height"])
    assert len(heights) == 1, heights
    page.context.close()


def test_end_this_appointment_lines_up_with_its_row(browser: Browser, demo: LiveServer) -> None:
    page = signed_in(browser, demo, PROGRAMME_MANAGER_EMAIL)
    page.goto(demo("/networks/lead-member-network"))
    row = page.locator("table tr", has=page.locator("summary")).first
    offset = row.evaluate("""(tr) => {
      const first = tr.querySelector('td');
      const style = getComputedStyle(first);
      const top = first.getBoundingClientRect().top + parseFloat(style.paddingTop);
      return Math.abs(tr.querySelector('summary').getBoundingClientRect().top - top); }""")
    assert offset < 4, offset
    page.context.close()


# --- 6. the directory's title follows its search, also when htmx swaps only the results -------


def test_the_directory_title_says_what_was_searched(browser: Browser, demo: LiveServer) -> None:
    page = signed_in(browser, demo, LEAD)
    page.goto(demo("/directory/"))
    expect(page).to_have_title("Directory – SESLIP Intranet")
    page.get_by_label("Search the directory").fill("kent")
    expect(page).to_have_title("Directory: results for ‘kent’ – SESLIP Intranet")
    expect(page.locator("title")).to_have_count(1)
    page.context.close()
