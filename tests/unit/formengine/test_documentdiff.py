"""The diff between two versions of a document: sections, paragraphs, words and fields."""

from __future__ import annotations

from seslip.formengine import parse_definition
from seslip.formengine.documentdiff import (
    FieldChange,
    Piece,
    diff_document,
    diff_paragraphs,
    diff_words,
    paragraphs,
)

DOCUMENT = """\
id: tor
version: 1
kind: document
title: Terms
sections:
  - id: purpose
    title: Purpose
  - id: chair
    title: Chair
    fields:
      - id: chair_term_years
        type: number
        label: Chair's term, in years
      - id: in_person
        type: yes_no
        label: In person?
"""


def test_paragraphs_are_blocks_and_list_items() -> None:
    text = "First line\ncontinues.\n\n- one\n- two\n  more of two\n\n· three\n1. four"
    assert paragraphs(text) == ["First line continues.", "- one", "- two more of two",
                                "· three", "1. four"]
    assert paragraphs(None) == [] and paragraphs("\n\n") == []


def test_words_inserted_and_deleted() -> None:
    pieces = diff_words("The Sponsor is Dr Mac Heath.", "The Sponsor is Ms Ada Smith.")
    assert pieces == (Piece("same", "The Sponsor is"), Piece("del", " Dr Mac Heath."),
                      Piece("ins", " Ms Ada Smith."))
    assert diff_words("a b", "a b") == (Piece("same", "a b"),)
    assert diff_words("meet quarterly", "meet quarterly online") == (
        Piece("same", "meet quarterly"), Piece("ins", " online"))


def test_added_removed_and_changed_paragraphs() -> None:
    old = "Kept.\n\nRemoved one.\n\nThe network meets quarterly."
    new = "Kept.\n\nThe network meets monthly.\n\nAdded one.\n\nAnd another."
    changes = diff_paragraphs(old, new)
    assert [c.kind for c in changes] == ["same", "changed", "changed", "added"]
    assert changes[1].old == "Removed one." and changes[1].new == "The network meets monthly."
    assert changes[2].old == "The network meets quarterly." and changes[2].new == "Added one."
    only_removed = diff_paragraphs("A.\n\nB.", "A.")
    assert [c.kind for c in only_removed] == ["same", "removed"]
    assert only_removed[1].old == "B." and only_removed[1].new == ""


def test_a_changed_word_inside_a_paragraph() -> None:
    (change,) = diff_paragraphs("Held for a two-year period.", "Held for a three-year period.")
    assert change.kind == "changed"
    assert Piece("del", " two-year") in change.pieces
    assert Piece("ins", " three-year") in change.pieces


def test_the_document_diff_names_changed_sections_and_fields() -> None:
    definition = parse_definition(DOCUMENT)
    result = diff_document(
        definition,
        {"purpose": "Same."}, {"chair_term_years": "2", "in_person": "yes"},
        {"purpose": "Same."}, {"chair_term_years": "3", "in_person": "no"},
    )
    purpose, chair = result
    assert not purpose.changed
    assert chair.changed and chair.paragraphs == ()
    assert chair.fields == (FieldChange("Chair's term, in years", "2", "3"),
                            FieldChange("In person?", "Yes", "No"))
    assert str(chair.fields[0]) == "Chair's term, in years: 2 → 3"


def test_a_field_filled_in_or_emptied() -> None:
    definition = parse_definition(DOCUMENT)
    (_, chair) = diff_document(definition, {}, {}, {}, {"chair_term_years": "2"})
    assert str(chair.fields[0]) == "Chair's term, in years: (empty) → 2"
