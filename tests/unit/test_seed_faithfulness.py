"""The lead member self-assessment definition must keep the wording of the programme's template.

The template (seed 001) is parsed at test time, so that the expected questions, prompts, notes and
evidence sources come from the seed itself and not from a list copied into this file. Parsing
follows the seed's structure:

* the first line is the title; everything before the first section heading is the introduction;
* a section starts at a line "Over-arching responsibility: ..." or "Responsibility N: ...";
* inside a section, paragraphs are separated by blank lines, and a list title (below) always
  starts a new paragraph. The first paragraph is the main
  question, followed by any supporting questions (lines ending in "?") and notes; a paragraph that
  starts with "... to consider might include:" or "... reflect on the following points:" is a list
  of prompts; one that starts with "Example evidence source(s):" is a list of evidence sources
  (lines starting with "-" are a sub-list of the line before); any other paragraph is a note.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SEED_NAME = "001_f79f74e7407178ef.txt"
# The programme's documents live beside the repo in shared/seeds; a copy is kept in the repo
# so the test runs wherever it is cloned, and a test below keeps the copy identical.
SHARED_SEED = REPO.parent / "shared" / "seeds" / SEED_NAME
COPIED_SEED = REPO / "tests" / "data" / "seeds" / SEED_NAME
SEED = SHARED_SEED if SHARED_SEED.is_file() else COPIED_SEED
DEFINITION = REPO / "form_definitions" / "lead-member-self-assessment-2022-23.yaml"


def test_the_copied_seed_is_the_programmes_document() -> None:
    if not SHARED_SEED.is_file():
        pytest.skip(f"shared/seeds is not beside this clone (looked for {SHARED_SEED})")
    assert COPIED_SEED.read_bytes() == SHARED_SEED.read_bytes()

# --- parsing the seed --------------------------------------------------------------------------

# Word-conversion artefacts: bookmarks, footnote references and the footnote text itself.
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
FOOTNOTE_REF = re.compile(r"\[footnoteRef:\d+\]")
FOOTNOTE_TEXT = re.compile(r"\[\d+:\s*([^\]]*)\]")

SECTION_HEADING = re.compile(r"^(Over-arching responsibility|Responsibility (\d+)):\s")
PROMPTS_TITLE = re.compile(r"(to consider might include|reflect on the following points):$")
EVIDENCE_TITLE = re.compile(r"^Example evidence sources?:$")
WORD_LIMIT = re.compile(r"^Word limit (\d+) words$")

# A prompt line that ends with one of these words was broken over two lines by the conversion.
DANGLING_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}


@dataclass
class SeedSection:
    title: str
    number: int | None  # None for the over-arching section
    question: str = ""
    supporting: list[str] = field(default_factory=list)  # further questions under the main one
    notes: list[str] = field(default_factory=list)
    prompts_title: str = ""
    prompts: list[str] = field(default_factory=list)
    evidence_title: str = ""
    evidence: list[str] = field(default_factory=list)  # every line, sub-list lines included


@dataclass
class Seed:
    title: str
    intro_lines: list[str]
    footnote_urls: list[str]
    sections: list[SeedSection]


def _clean(line: str) -> str:
    line = BOOKMARK.sub("", line)
    line = FOOTNOTE_REF.sub("", line)
    line = FOOTNOTE_TEXT.sub("", line)
    return line.strip()


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if PROMPTS_TITLE.search(line) or EVIDENCE_TITLE.match(line):
            paragraphs.append([line])
        elif line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _join_broken_lines(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        previous_word = joined[-1].rsplit(" ", 1)[-1].lower() if joined else ""
        if joined and (
            previous_word in DANGLING_WORDS or len(line.split()) == 1 or line[0].islower()
        ):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def parse_seed(text: str) -> Seed:
    raw_lines = text.splitlines()
    footnote_urls = [url.strip() for line in raw_lines for url in FOOTNOTE_TEXT.findall(line)]
    lines = [_clean(line) for line in raw_lines]
    title = lines[0]
    starts = [i for i, line in enumerate(lines) if SECTION_HEADING.match(line)]
    assert starts, "no section headings found in the seed"
    # The line just before the first section is the heading of the questions part
    # ("The self-assessment questions"), which the form has no use for.
    intro_lines = [line for line in lines[1 : starts[0] - 1] if line]

    sections = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        heading = SECTION_HEADING.match(lines[start])
        assert heading is not None
        section = SeedSection(title=lines[start], number=int(heading[2]) if heading[2] else None)
        paragraphs = _paragraphs(lines[start + 1 : end])
        first, *rest = paragraphs
        section.question = first[0]
        for line in first[1:]:
            (section.supporting if line.endswith("?") else section.notes).append(line)
        for paragraph in rest:
            head, *body = paragraph
            if PROMPTS_TITLE.search(head):
                section.prompts_title = head
                section.prompts = _join_broken_lines(body)
            elif EVIDENCE_TITLE.match(head):
                section.evidence_title = head
                section.evidence = [line.lstrip("- ").strip() for line in body]
            else:
                section.notes.extend(paragraph)
        sections.append(section)
    return Seed(title, intro_lines, footnote_urls, sections)


# --- reading the definition --------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Turn a loaded Definition (dataclasses, models or mappings) into plain dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        # A question's type-specific keys sit in `settings`; the file has them beside the rest.
        plain.update(plain.pop("settings", None) or {})
        return plain
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump())
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "value") and type(value).__module__ == "enum":
        return value.value
    return value


def load_plain_definition(path: Path) -> dict[str, Any]:
    try:
        from seslip.formengine import load_definition
    except ImportError:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    return _plain(load_definition(path))


# --- normalising text --------------------------------------------------------------------------

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MD_LINE_START = re.compile(r"^\s*(#+\s+|[-*+]\s+|\d+\.\s+)", re.MULTILINE)


def norm(text: str | None) -> str:
    """Compare text as a reader sees it: straight quotes, no Markdown, single spaces."""
    text = (text or "").translate(QUOTES)
    text = MD_LINK.sub(r"\1", text)
    text = MD_LINE_START.sub("", text)
    text = text.replace("**", "")
    return " ".join(text.split())


def _kind(item: Mapping[str, Any]) -> str:
    kind = item.get("type")
    return str(getattr(kind, "value", kind))


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Seed:
    return parse_seed(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def definition() -> dict[str, Any]:
    return load_plain_definition(DEFINITION)


def _section_for(definition: Mapping[str, Any], seed_section: SeedSection) -> Mapping[str, Any]:
    matches = [s for s in definition["sections"] if norm(s["title"]) == norm(seed_section.title)]
    assert len(matches) == 1, f"expected one section titled {seed_section.title!r}"
    return matches[0]


def _main_question(section: Mapping[str, Any], seed_section: SeedSection) -> Mapping[str, Any]:
    matches = [
        item
        for item in section["items"]
        if _kind(item) == "long_text" and norm(item.get("label")) == norm(seed_section.question)
    ]
    assert len(matches) == 1, f"expected one long_text question {seed_section.question!r}"
    return matches[0]


def _blocks(section: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    return [item for item in section["items"] if _kind(item) == kind]


# --- the seed parser finds what it should (guards against a parser that finds nothing) ------


def test_the_seed_parses_into_an_overarching_section_and_five_responsibilities(seed: Seed) -> None:
    assert [s.number for s in seed.sections] == [None, 1, 2, 3, 4, 5]
    for section in seed.sections:
        assert section.question.endswith("?"), section.title
        assert section.prompts, f"no prompts found under {section.title!r}"
        assert section.evidence, f"no evidence sources found under {section.title!r}"
    assert seed.intro_lines and seed.footnote_urls


# --- the definition keeps the seed's structure and wording ----------------------------------


def test_title_is_the_seeds_title(seed: Seed, definition: dict[str, Any]) -> None:
    # The seed's title says "template 2022 -2023"; the questionnaire drops "template" and the
    # stray space before the hyphen.
    words = [w for w in re.sub(r"\s+-", "-", seed.title).split() if w.lower() != "template"]
    assert norm(definition["title"]) == " ".join(words)


def test_one_overarching_section_and_five_responsibility_sections(
    seed: Seed, definition: dict[str, Any]
) -> None:
    titles = [norm(s["title"]) for s in definition["sections"]]
    assert titles == [norm(s.title) for s in seed.sections]
    assert sum(t.startswith("Responsibility ") for t in titles) == 5
    assert titles[0].startswith("Over-arching responsibility:")


def test_introduction_keeps_every_line_of_the_seed(seed: Seed, definition: dict[str, Any]) -> None:
    raw = "\n\n".join(definition.get(key) or "" for key in ("intro", "guidance"))
    text = norm(raw)
    missing = [line for line in seed.intro_lines if norm(line) not in text]
    assert not missing, f"introduction lines missing from intro/guidance: {missing}"
    for url in seed.footnote_urls:
        assert f"]({url})" in raw, f"footnote {url} is not a Markdown link in the introduction"


def test_every_main_question_is_a_required_long_text_question(
    seed: Seed, definition: dict[str, Any]
) -> None:
    for seed_section in seed.sections:
        question = _main_question(_section_for(definition, seed_section), seed_section)
        assert question.get("required") is True, seed_section.question


def test_supporting_questions_are_in_the_hint_or_guidance(
    seed: Seed, definition: dict[str, Any]
) -> None:
    for seed_section in seed.sections:
        section = _section_for(definition, seed_section)
        question = _main_question(section, seed_section)
        nearby = norm(
            " ".join(
                [question.get("hint") or ""] + [b["text"] for b in _blocks(section, "guidance")]
            )
        )
        for line in seed_section.supporting:
            assert norm(line) in nearby, f"{line!r} is missing from {seed_section.title!r}"
    assert seed.sections[0].supporting, "the over-arching question has supporting questions"


def test_notes_and_word_limits(seed: Seed, definition: dict[str, Any]) -> None:
    for seed_section in seed.sections:
        question = _main_question(_section_for(definition, seed_section), seed_section)
        limits = [int(m[1]) for note in seed_section.notes if (m := WORD_LIMIT.match(note))]
        assert question.get("max_words") == (limits[0] if limits else None), seed_section.title
        assert [norm(n) for n in seed_section.notes] == (
            [norm(question["note"])] if question.get("note") else []
        ), f"notes of {seed_section.title!r}"


def test_the_ambition_question_has_a_75_word_limit(definition: dict[str, Any]) -> None:
    questions = [i for s in definition["sections"] for i in s["items"] if i.get("id") == "ambition"]
    assert len(questions) == 1
    assert questions[0]["max_words"] == 75
    assert questions[0]["required"] is True


def test_every_prompt_is_kept_in_order(seed: Seed, definition: dict[str, Any]) -> None:
    for seed_section in seed.sections:
        blocks = _blocks(_section_for(definition, seed_section), "prompts")
        assert len(blocks) == 1, f"expected one prompts block in {seed_section.title!r}"
        assert norm(blocks[0]["title"]) == norm(seed_section.prompts_title)
        assert [norm(p) for p in blocks[0]["items"]] == [norm(p) for p in seed_section.prompts]


def test_every_example_evidence_source_is_kept(seed: Seed, definition: dict[str, Any]) -> None:
    for seed_section in seed.sections:
        blocks = _blocks(_section_for(definition, seed_section), "evidence")
        assert len(blocks) == 1, f"expected one evidence block in {seed_section.title!r}"
        assert norm(blocks[0]["title"]) == norm(seed_section.evidence_title)
        items = [norm(item) for item in blocks[0]["items"]]
        for line in seed_section.evidence:
            assert any(norm(line) in item for item in items), (
                f"evidence source {line!r} is missing from {seed_section.title!r}"
            )


def test_our_evidence_link_questions_are_optional_and_say_they_are_ours(
    definition: dict[str, Any],
) -> None:
    for section in definition["sections"]:
        repeatables = _blocks(section, "repeatable")
        assert len(repeatables) == 1, section["title"]
        question = repeatables[0]
        assert not question.get("required")
        assert "not part of the seslip template" in norm(question.get("hint")).lower()
        assert question["item_label"] == "Evidence link"
        assert [(f["id"], _kind(f), f.get("required")) for f in question["fields"]] == [
            ("title", "short_text", True),
            ("url", "url", True),
        ]
