"""Definitions of the second kind (kind: document): terms of reference and the like."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seslip.formengine import DefinitionError, parse_definition
from seslip.formengine.schema import SCHEMA_PATH

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "form_definitions" / "terms-of-reference.yaml"

DOCUMENT = """\
id: tor
version: 1
kind: document
title: Terms
sections:
  - id: purpose
    title: Purpose
    guidance: Why the network exists.
    body: We exist.
  - id: chair
    title: Chair
    fields:
      - id: chair_term_years
        type: number
        label: Chair's term, in years
        whole_number: true
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, path="t.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_a_document_has_guidance_a_body_and_structured_fields() -> None:
    definition = parse_definition(DOCUMENT)
    assert definition.kind == "document" and definition.is_document
    purpose, chair = definition.sections
    assert purpose.guidance == "Why the network exists."
    assert purpose.body == "We exist."
    assert purpose.items == ()
    assert [q.id for q in chair.questions] == ["chair_term_years"]
    assert definition.section_of["chair_term_years"] == "chair"


def test_questionnaire_is_the_default_kind() -> None:
    text = DOCUMENT.replace("kind: document\n", "").replace("    guidance: Why the network "
                                                             "exists.\n    body: We exist.\n",
                                                             "    items:\n      - type: "
                                                             "guidance\n        text: x\n")
    text = text.replace("    fields:\n", "    items:\n")
    assert parse_definition(text).kind == "questionnaire"


def test_a_document_section_refuses_questionnaire_items_with_a_located_message() -> None:
    text = DOCUMENT.replace("    fields:\n", "    items:\n")
    problems = _problems(text)
    assert ("t.yaml:12:5: unknown key 'items' in section 'chair': a document's section has "
            "'fields' (its structured fields), not 'items'") in problems, problems


def test_a_questionnaire_section_refuses_document_keys() -> None:
    text = DOCUMENT.replace("kind: document\n", "")
    problems = _problems(text)
    assert any("unknown key 'guidance' in section 'purpose': only the sections of a document "
               "(kind: document) have it" in p for p in problems), problems


def test_an_unknown_kind_is_refused() -> None:
    problems = _problems(DOCUMENT.replace("kind: document", "kind: letter"))
    assert any("t.yaml:3:7:" in p and "letter" in p for p in problems), problems


def test_a_structured_field_is_checked_like_a_question() -> None:
    problems = _problems(DOCUMENT.replace("type: number", "type: nummber"))
    assert any("unknown type 'nummber'" in p and "did you mean 'number'" in p
               for p in problems), problems
    problems = _problems(DOCUMENT.replace("whole_number: true", "max_words: 3"))
    assert any("max_words is not allowed for type 'number'" in p for p in problems), problems


def test_field_ids_are_unique_across_the_document() -> None:
    text = DOCUMENT.replace("    body: We exist.\n", "    body: We exist.\n    fields:\n"
                            "      - id: chair_term_years\n        type: short_text\n"
                            "        label: Again\n")
    problems = _problems(text)
    assert any("duplicate question id 'chair_term_years'" in p for p in problems), problems


def test_the_shipped_template_is_a_document_with_the_checked_fields() -> None:
    definition = parse_definition(TEMPLATE.read_bytes(), path=str(TEMPLATE))
    assert definition.is_document
    ids = {q for section in definition.sections for q in (x.id for x in section.questions)}
    assert {"chair_term_years", "vice_chairs", "meetings_per_year", "in_person",
            "in_person_where", "sponsor_name", "sponsor_approved_by"} <= ids
    assert all(section.guidance for section in definition.sections)


def test_the_published_schema_describes_the_kind_and_document_sections() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["properties"]["kind"]["enum"] == ["questionnaire", "document"]
    section = schema["$defs"]["document_section"]
    assert set(section["properties"]) == {"id", "title", "guidance", "body", "fields"}
