"""What changed between two versions of a document (kind: document): which sections, then
paragraph by paragraph and word by word, and the structured fields ("Chair's term: 2 → 3").

Pure: takes the definition and the stored section bodies and field values of each version.
A paragraph is a block of text between blank lines; each list item is a paragraph of its own,
so a list item added or reworded shows as such.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .model import Definition, Section
from .types import type_of

PieceKind = Literal["same", "ins", "del"]
ParagraphKind = Literal["same", "added", "removed", "changed"]

_LIST_ITEM = re.compile(r"^\s*(?:[-*+·•]|\d+[.)])\s+")
_TOKENS = re.compile(r"\s*\S+|\s+")  # each word with the spaces before it


@dataclass(frozen=True, slots=True)
class Piece:
    kind: PieceKind
    text: str


@dataclass(frozen=True, slots=True)
class ParagraphChange:
    kind: ParagraphKind
    pieces: tuple[Piece, ...]  # the words, marked where they were inserted or deleted

    @property
    def old(self) -> str:
        return "".join(p.text for p in self.pieces if p.kind != "ins")

    @property
    def new(self) -> str:
        return "".join(p.text for p in self.pieces if p.kind != "del")


@dataclass(frozen=True, slots=True)
class FieldChange:
    label: str
    old: str  # as shown: "" when it was empty
    new: str

    def __str__(self) -> str:
        return f"{self.label}: {self.old or '(empty)'} → {self.new or '(empty)'}"


@dataclass(frozen=True, slots=True)
class SectionDiff:
    id: str
    title: str
    paragraphs: tuple[ParagraphChange, ...]
    fields: tuple[FieldChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.fields) or any(p.kind != "same" for p in self.paragraphs)


def paragraphs(markdown: str | None) -> list[str]:
    """The paragraphs of a body: blocks between blank lines, and every list item alone (with
    the lines that continue it). Whitespace inside a paragraph is kept as written."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in (markdown or "").replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if current:
                found.append(current)
            current = []
            continue
        if _LIST_ITEM.match(line) and current:
            found.append(current)
            current = []
        current.append(line.strip())
    if current:
        found.append(current)
    return [" ".join(lines) for lines in found]


def diff_words(old: str, new: str) -> tuple[Piece, ...]:
    """Word by word: runs of unchanged, deleted and inserted words (each with the spaces
    before it; words are compared without them)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(pieces, "same", "".join(a[i1:i2]))
            continue
        if tag in ("replace", "delete"):
            _add(pieces, "del", "".join(a[i1:i2]))
        if tag in ("replace", "insert"):
            _add(pieces, "ins", "".join(b[j1:j2]))
    return tuple(pieces)


def _add(pieces: list[Piece], kind: PieceKind, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def diff_paragraphs(old: str | None, new: str | None) -> tuple[ParagraphChange, ...]:
    """Paragraphs kept, added, removed, or changed (then word by word). A replaced run of
    paragraphs is paired in order: the first old with the first new, and so on."""
    a, b = paragraphs(old), paragraphs(new)
    changes: list[ParagraphChange] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes += [ParagraphChange("same", (Piece("same", text),)) for text in a[i1:i2]]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for index in range(max(len(olds), len(news))):
            if index < len(olds) and index < len(news):
                changes.append(ParagraphChange("changed", diff_words(olds[index], news[index])))
            elif index < len(olds):
                changes.append(ParagraphChange("removed", (Piece("del", olds[index]),)))
            else:
                changes.append(ParagraphChange("added", (Piece("ins", news[index]),)))
    return tuple(changes)


def shown_value(section: Section, field_id: str, values: Mapping[str, Any]) -> str:
    """A structured field's value as people read it ("" when empty)."""
    for question in section.questions:
        if question.id == field_id:
            return type_of(question).display(question, values.get(field_id)).plain()
    return ""


def diff_fields(section: Section, old: Mapping[str, Any], new: Mapping[str, Any]
                ) -> tuple[FieldChange, ...]:
    changes = []
    for question in section.questions:
        before = shown_value(section, question.id, old)
        after = shown_value(section, question.id, new)
        if before != after:
            changes.append(FieldChange(question.label, before, after))
    return tuple(changes)


def diff_document(
    definition: Definition,
    old_bodies: Mapping[str, str],
    old_values: Mapping[str, Any],
    new_bodies: Mapping[str, str],
    new_values: Mapping[str, Any],
) -> tuple[SectionDiff, ...]:
    """Every section of the definition, with its paragraphs and field changes."""
    return tuple(
        SectionDiff(
            id=section.id,
            title=section.title,
            paragraphs=diff_paragraphs(old_bodies.get(section.id), new_bodies.get(section.id)),
            fields=diff_fields(section, old_values, new_values),
        )
        for section in definition.sections
    )
