"""Markdown written by admins (definitions, pages) turned into safe HTML.

Two layers: markdown-it with raw HTML switched off, then nh3 with a short allowlist, so even a
bug in one cannot let a script, an event handler or a `javascript:` link through.
"""

from __future__ import annotations

from functools import cache, lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = frozenset(
    {"p", "ul", "ol", "li", "a", "strong", "em", "code", "h2", "h3", "h4", "blockquote", "br"}
)
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@cache
def _parser() -> MarkdownIt:
    # "js-default": CommonMark without raw HTML; linkify and typographer stay off.
    return MarkdownIt("js-default")


def render_markdown(text: str | None) -> Markup:
    """Sanitised HTML for `text`; empty Markup for None or blank text."""
    if not text or not text.strip():
        return Markup("")
    html = _parser().render(text)
    clean = nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


@lru_cache(maxsize=1024)
def render_markdown_cached(text: str | None) -> Markup:
    """render_markdown, remembered: only for text that never changes and that admins wrote,
    like a stored questionnaire definition's (about 0.1 ms saved per block, many per page).
    Never for what people type into forms: it would be kept in memory."""
    return render_markdown(text)
