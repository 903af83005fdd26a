"""One sweep over every page reachable by links, as each role the demo has, in one browser.

On each page: axe; no sideways scrolling at 320 CSS px; a focus indicator of 3:1 and text of
4.5:1 on every focused element; a unique title that contains the h1; a header the same height
on every page at 1280 px. Then each form on the pages (as the first role that reached it) is
sent with its fields blank or wrong, and every link of the error summary it shows must put
focus in a field. New pages are swept without editing this file, because it follows links.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from seslip.accounts.models import User
from seslip.demo import (
    ADMIN_EMAIL,
    DEMO_PASSWORD,
    PROGRAMME_MANAGER_EMAIL,
    lead_member_email,
    run_demo,
)
from seslip.extensions import db
from seslip.questionnaires.services import start_or_continue
from tests.browser.conftest import LiveServer
from tests.support.axe import WCAG_TAGS, axe_source, axe_violations
from tests.support.page_checks import WIDE, error_summary_problems, focus_problems, reflow_problems

ROLES = {
    "anonymous": None,
    "lead member": lead_member_email("east-sussex"),
    "chair": lead_member_email("kent"),  # Chair of the Lead Member Network
    "ordinary member": "sunita.rao@kent.example",  # an officer in two networks, no post
    "programme manager": PROGRAMME_MANAGER_EMAIL,
    "admin": ADMIN_EMAIL,
}
# Bounds: how many URLs of one route (e.g. two networks' pages) and how many pages per role.
# A route an earlier role swept is visited once more per role (its content depends on who looks).
PER_ROUTE = 2
PER_ROLE = 60
FORMS = "main form[method='post' i]:not(table form)"
SKIP_PREFIXES = ("/static/", "/logout", "/healthz", "/form-definitions/")
# Forms sent in the error phase get these in place of what they hold: blank, or not valid.
WRONG_VALUES_JS = """(form) => {
  for (const field of form.querySelectorAll('input, textarea, select')) {
    if (field.type === 'hidden' || field.disabled) continue;
    if (field.tagName === 'SELECT') { field.selectedIndex = 0; continue; }
    if (['checkbox', 'radio', 'submit', 'button'].includes(field.type)) continue;
    const wrong = {email: 'not an email', url: 'not a web address'};
    field.value = field.type in wrong ? wrong[field.type]
      : (field.inputMode === 'decimal' || field.inputMode === 'numeric') ? 'many' : '';
  }
  form.noValidate = true;
}"""


@dataclass
class Tally:
    pages: int = 0
    checks: Counter[str] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)
    routes: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    titles: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    headers: dict[str, dict[float, str]] = field(default_factory=lambda: defaultdict(dict))
    # route -> (role, url, how many forms): where the error phase sends forms, as whom
    forms: dict[str, tuple[str, str, int]] = field(default_factory=dict)

    def fail(self, role: str, url: str, problems: list[str]) -> None:
        self.problems.extend(f"[{role}] {url}: {p}" for p in problems)


def _route(live_server: LiveServer, url: str) -> str | None:
    parts = urlsplit(url)
    adapter = live_server.app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(parts.path, method="GET", query_args=parts.query)
    except RequestRedirect as redirect:
        return _route(live_server, redirect.new_url)
    except HTTPException:
        return None
    return str(endpoint)


def _words(text: str) -> str:
    """Lowercase words, so "History of posts: X" matches the title "History of posts – X"."""
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def _distinct(url: str) -> str:
    """Pages that differ only by where to go after signing in are the same page."""
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "next"])
    return parts.path + (f"?{query}" if query else "")


def _sign_in(browser: Browser, live_server: LiveServer, email: str | None) -> Page:
    context = browser.new_context(viewport=WIDE)
    context.add_init_script(axe_source())  # once per sign-in, not sent again for every page
    page = context.new_page()
    if email:
        page.goto(live_server("/login"))
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/login" not in url)
    return page


def _check_page(page: Page, role: str, url: str, tally: Tally, *, state: str = "") -> None:
    label = f"{url}{state}"
    tally.pages += 1
    t0 = time.monotonic()
    violations = axe_violations(page, WCAG_TAGS)
    tally.seconds["axe"] += time.monotonic() - t0
    tally.checks["axe"] += 1
    tally.fail(role, label, [
        f"axe {v['id']}: {v['help']} -> " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        for v in violations])

    t0 = time.monotonic()
    checked, problems = focus_problems(page)
    tally.seconds["focus"] += time.monotonic() - t0
    tally.checks["focused elements"] += checked
    tally.fail(role, label, problems)

    t0 = time.monotonic()
    tally.fail(role, label, reflow_problems(page))
    tally.seconds["reflow"] += time.monotonic() - t0
    tally.checks["reflow at 320px"] += 1

    title = page.title()
    h1 = page.locator("h1").first.inner_text().strip() if page.locator("h1").count() else ""
    tally.checks["titles"] += 1
    if not h1:
        tally.fail(role, label, ["the page has no h1"])
    elif _words(h1) not in _words(title):
        tally.fail(role, label, [f"the title {title!r} does not contain the h1 {h1!r}"])
    if not state and page.locator(".error-summary").count():  # e.g. check your answers
        links, problems = error_summary_problems(page)
        tally.checks["error-summary links"] += links
        tally.fail(role, label, problems)
    if not state:
        tally.titles[role][_distinct(url)] = title
        header = page.locator(".site-header").bounding_box()
        if header:
            tally.headers[role].setdefault(header["height"], url)


def _crawl(page: Page, role: str, live_server: LiveServer, tally: Tally) -> None:
    queue: deque[str] = deque([live_server("/")])
    queued = set(queue)
    per_route: Counter[str] = Counter()
    earlier = set(tally.routes)
    visited = 0
    while queue and visited < PER_ROLE:
        url = queue.popleft()
        route = _route(live_server, url)
        if route is None or per_route[route] >= (1 if route in earlier else PER_ROUTE):
            continue
        per_route[route] += 1
        tally.routes.add(route)
        t0 = time.monotonic()
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a download (an export, a document) is no page
            if "Download is starting" not in error.message:
                raise
            continue
        tally.seconds["load"] += time.monotonic() - t0
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        here = page.url.split("#")[0]
        if here != url and here in queued:  # a redirect to a page already swept or queued
            continue
        queued.add(here)
        visited += 1
        _check_page(page, role, here, tally)
        forms = page.locator(FORMS).count()
        if forms:
            tally.forms.setdefault(route, (role, here, forms))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = href.split("#")[0]
            path = urlsplit(target).path
            if (not target.startswith(live_server.url) or path.startswith(SKIP_PREFIXES)
                    or target in queued):
                continue
            queued.add(target)
            queue.append(target)


def _send_forms_wrongly(pages: dict[str, Page], tally: Tally) -> None:
    for role, url, count in tally.forms.values():
        page = pages[role]
        for index in range(min(count, 3)):
            page.goto(url)
            form = page.locator(FORMS).nth(index)
            fields = form.locator(
                "input:not([type=hidden]):not([type=submit]):not([type=button]), textarea, select")
            submit = form.locator("button[type=submit], button:not([type]), input[type=submit]")
            if not fields.count() or not submit.count() or not fields.first.is_visible():
                continue  # a button alone is an action (end, archive), not a form to fill in
            form.evaluate(WRONG_VALUES_JS)
            submit.first.click()
            page.wait_for_load_state()
            tally.checks["forms sent wrongly"] += 1
            if not page.locator(".error-summary").count():
                continue
            tally.checks["error summaries"] += 1
            _check_page(page, role, url, tally, state=f" (form {index + 1} with errors)")
            links, problems = error_summary_problems(page)
            tally.checks["error-summary links"] += links
            tally.fail(role, url, problems)


def _title_problems(tally: Tally) -> list[str]:
    problems = []
    for role, titles in tally.titles.items():
        by_title: dict[str, list[str]] = defaultdict(list)
        for url, title in titles.items():
            by_title[title].append(url)
        problems += [f"[{role}] {len(urls)} pages share the title {title!r}: {', '.join(urls)}"
                     for title, urls in by_title.items() if len(urls) > 1]
    for role, heights in tally.headers.items():
        if len(heights) > 1:
            shown = ", ".join(f"{h:.0f}px on {url}" for h, url in heights.items())
            problems.append(f"[{role}] the header changes height at 1280px: {shown}")
    return problems


@pytest.mark.timeout(480)  # about 2 minutes alone; more on a machine shared with other work
def test_every_page_as_every_role(browser: Browser, live_server: LiveServer) -> None:
    started = time.monotonic()
    with live_server.app.app_context():
        run_demo(lambda _line: None)
        # The reference questionnaire, so that every question type is on a swept page.
        admin = db.session.scalars(db.select(User).where(User.email == ADMIN_EMAIL)).one()
        start_or_continue(admin, "example-all-question-types")
    tally = Tally()
    pages = {role: _sign_in(browser, live_server, email) for role, email in ROLES.items()}
    for role, page in pages.items():
        _crawl(page, role, live_server, tally)
    crawled = time.monotonic()
    _send_forms_wrongly(pages, tally)
    tally.problems += _title_problems(tally)
    checks = ", ".join(f"{n} {name}" for name, n in tally.checks.items())
    spent = ", ".join(f"{name} {s:.0f}s" for name, s in tally.seconds.items())
    print(f"\nPage sweep: {tally.pages} pages as {len(ROLES)} roles in "
          f"{time.monotonic() - started:.0f}s (forms {time.monotonic() - crawled:.0f}s; {spent}); "
          f"checks: {checks}; {len(tally.problems)} problem(s).")
    assert not tally.problems, "\n".join(tally.problems)
