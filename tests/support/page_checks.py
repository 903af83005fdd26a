"""Checks axe cannot make (focus appearance, reflow, error-summary links), run in a real page."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

NARROW = {"width": 320, "height": 720}  # 1280 px at 400% zoom (WCAG 1.4.10)
WIDE = {"width": 1280, "height": 900}


@cache
def _source() -> str:
    return (Path(__file__).with_name("page_checks.js")).read_text(encoding="utf-8")


def _run(page: Any, check: str) -> dict[str, Any]:
    if not page.evaluate("typeof window.pageChecks !== 'undefined'"):
        page.evaluate(_source())
    return page.evaluate(f"window.pageChecks.{check}()")


def focus_problems(page: Any) -> tuple[int, list[str]]:
    """Focus every focusable element as a keyboard user would; (elements checked, problems)."""
    page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies to focus() below
    result = _run(page, "focus")
    return result["checked"], result["problems"]


def reflow_problems(page: Any) -> list[str]:
    """At 320 CSS px nothing may scroll sideways but labelled, focusable regions."""
    size = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        return _run(page, "reflow")["problems"]
    finally:
        page.set_viewport_size(size or WIDE)


LANDED_JS = (
    "(() => { const e = document.activeElement;"
    " return e && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(e.tagName)"
    " ? '' : (e ? e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') : 'nothing'); })()"
)


def error_summary_problems(page: Any) -> tuple[int, list[str]]:
    """Follow every error-summary link by keyboard; each must put focus in a field, on this
    page or on the page it opens (check your answers links to each section)."""
    here = page.url
    links = page.locator(".error-summary li a[href*='#']")
    problems = []
    count = links.count()
    for index in range(count):
        link = links.nth(index)
        href = link.get_attribute("href") or ""
        link.focus()
        if href.startswith("#"):
            page.keyboard.press("Enter")
        else:
            with page.expect_navigation():
                page.keyboard.press("Enter")
        landed = page.evaluate(LANDED_JS)
        if landed:
            problems.append(f"error-summary link {href} left focus on {landed}, not a field")
        if page.url.split("#")[0] != here.split("#")[0]:
            page.goto(here)
    return count, problems

