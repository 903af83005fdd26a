"""Run axe-core (shipped by the axe-playwright-python package) inside a real page."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TAGS = [*WCAG_TAGS, "best-practice"]


@cache
def axe_source() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Any, tags: list[str] = TAGS) -> list[dict[str, Any]]:
    # A click returns once the next page's HTML is in, maybe before its stylesheets: axe on
    # unstyled links then reports false target-size violations under load.
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    options = json.dumps(
        {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    )
    result = page.evaluate(f"axe.run(document, {options})")
    return result["violations"]


def assert_accessible(page: Any, label: str = "") -> None:
    """Fail with a readable list when axe finds any violation on the page as it is now."""
    violations = axe_violations(page)
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {label or page.url}:"]
        for v in violations:
            targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} -> {targets}")
        raise AssertionError("\n".join(lines))
