"""seslip.markup: Markdown from admins becomes safe HTML."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from seslip.markup import render_markdown


def test_renders_the_markdown_admins_use() -> None:
    html = render_markdown("## Heading\n\n**bold**, *italic*, `code`\n\n- one\n- two\n\n> quote")
    assert isinstance(html, Markup)
    for tag in ("<h2>", "<strong>bold</strong>", "<em>italic</em>", "<code>code</code>",
                "<ul>", "<li>one</li>", "<blockquote>"):
        assert tag in html


def test_links_keep_their_address_and_get_rel() -> None:
    html = render_markdown("[plan](https://seslip.co.uk/home/regional-improvement-plan)")
    assert html == Markup('<p><a href="https://seslip.co.uk/home/regional-improvement-plan" '
                          'rel="noopener noreferrer">plan</a></p>\n')


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "<a href='javascript:alert(1)'>x</a>",
    "<iframe src='https://evil.example'></iframe>",
    "[x](vbscript:msgbox(1))",
])
def test_scripts_handlers_and_dangerous_links_never_survive(source: str) -> None:
    html = str(render_markdown(source)).lower()
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert 'href="javascript' not in html and 'href="data' not in html
    assert 'href="vbscript' not in html
    assert not re.search(r"<[^>]*\son\w+\s*=", html)  # no event handler on any real tag


def test_h1_and_unknown_tags_are_reduced_to_text() -> None:
    assert render_markdown("# Title") == Markup("Title\n")


def test_nothing_for_empty_text() -> None:
    assert render_markdown(None) == Markup("") and render_markdown("  \n") == Markup("")


def test_cached_rendering_gives_the_same_sanitised_html() -> None:
    from seslip.markup import render_markdown_cached

    source = "**Safe** <script>alert(1)</script> [x](javascript:alert(1))"
    first = render_markdown_cached(source)
    assert first == render_markdown(source) and "<script" not in first
    assert render_markdown_cached(source) is first  # rendered once
    assert render_markdown_cached(None) == Markup("")
