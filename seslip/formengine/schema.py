"""The JSON Schema of definition files, built from the registered question types.

The loader validates with it, the intranet publishes it, and `flask --app app seslip definitions
schema` writes it to definition.schema.json for editors (a test keeps that file up to date).
The parts that are not question types (the top level, sections, blocks) are written here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import AUDIENCE_ROLES, DOCUMENT, KINDS, Schema
from .types import QUESTION_TYPES, QuestionType, repeatable_field_types

SCHEMA_PATH = Path(__file__).with_name("definition.schema.json")
BLOCK_TYPES = ("guidance", "prompts", "evidence")


def _text(description: str) -> Schema:
    return {"description": description, "type": "string", "minLength": 1}


def _condition(description: str) -> Schema:
    return {"$ref": "#/$defs/expression", "description": description}


# The keys every question has (and, without conditions, every field of a repeatable question).
_COMMON: Schema = {
    "label": _text("The question, as shown to the person answering (plain text)."),
    "hint": _text("Optional help shown under the question (plain text)."),
    "note": _text("Optional short note shown under the field, e.g. 'Word limit 75 words'."),
    "required": {
        "description": "true when the question must be answered before the form can be "
        "finalised. Default false.",
        "type": "boolean",
    },
}
_CONDITIONS: Schema = {
    "visible_if": _condition(
        "Optional condition: the question is shown only when it is true. It may only refer "
        "to questions that come before it."
    ),
    "required_if": _condition(
        "Optional condition: the question must be answered when it is true (and the question "
        "is shown)."
    ),
}
# Question-only too: the id whose answers this question takes over (see formengine/carry.py).
_RENAMED: Schema = {
    "renamed_from": {
        "$ref": "#/$defs/question_id",
        "description": "Optional: the id this question had in an earlier version. Draft "
        "answers to that id move to this question when the new version is opened. The old id "
        "must no longer be a question of this file.",
    },
}
_QUESTION_ID = (
    "Identifies the question and stores its answer: lowercase letters, digits and underscores, "
    "starting with a letter. Unique across the whole file. To change it once people have "
    "answered, give the old id as renamed_from so their answers follow."
)
_FIELD_ID = (
    "Identifies the field within its question: lowercase letters, digits and underscores."
)


def _settings_schema(kind: QuestionType[Any]) -> Schema:
    properties: Schema = {}
    for spec in kind.settings.declared():
        schema = spec.metadata["schema"]
        properties[spec.name] = schema() if callable(schema) else schema
    return properties


def _required(kind: QuestionType[Any]) -> list[str]:
    return ["id", "type", "label"] + [
        spec.name for spec in kind.settings.declared() if spec.metadata["required"]
    ]


def _question(kind: QuestionType[Any]) -> Schema:
    return {
        "description": kind.description,
        "type": "object",
        "required": _required(kind),
        "additionalProperties": False,
        "properties": {
            "type": {"const": kind.name, "description": kind.description},
            "id": {"$ref": "#/$defs/question_id", "description": _QUESTION_ID},
            **_COMMON,
            **_settings_schema(kind),
            **_CONDITIONS,
            **_RENAMED,
        },
    }


def _field(kind: QuestionType[Any]) -> Schema:
    return {
        "type": "object",
        "required": _required(kind),
        "additionalProperties": False,
        "properties": {
            "type": {"const": kind.name, "description": kind.description},
            "id": {"$ref": "#/$defs/question_id", "description": _FIELD_ID},
            **_COMMON,
            **_settings_schema(kind),
        },
    }


def _dispatch(
    description: str, required: list[str], names: list[str], refs: list[str], type_text: str
) -> Schema:
    """An object chosen by its `type`: each name's `then` branch closes it."""
    return {
        "description": description,
        "type": "object",
        "required": required,
        "properties": {"type": {"enum": names, "description": type_text}},
        "allOf": [
            {
                "if": {
                    "type": "object",
                    "required": ["type"],
                    "properties": {"type": {"const": name}},
                },
                "then": {"$ref": f"#/$defs/{ref}"},
            }
            for name, ref in zip(names, refs, strict=True)
        ],
    }


def _list_block(name: str, description: str) -> Schema:
    return {
        "description": description,
        "type": "object",
        "required": ["type", "title", "items"],
        "additionalProperties": False,
        "properties": {
            "type": {"const": name, "description": description},
            "title": _text("The heading, e.g. 'Areas to consider might include:'."),
            "items": {
                "description": "The points, each a string (Markdown allowed).",
                "type": "array",
                "minItems": 1,
                "items": {"type": "string", "minLength": 1},
            },
            "visible_if": _condition(
                "Optional condition: the block is shown only when it is true."
            ),
        },
    }


_GUIDANCE = "A block of Markdown text."


def _blocks() -> Schema:
    return {
        "guidance": {
            "description": _GUIDANCE,
            "type": "object",
            "required": ["type", "text"],
            "additionalProperties": False,
            "properties": {
                "type": {"const": "guidance", "description": _GUIDANCE},
                "title": _text("Optional heading."),
                "text": _text("The text, in Markdown."),
                "visible_if": _condition(
                    "Optional condition: the block is shown only when it is true."
                ),
            },
        },
        "prompts": _list_block("prompts", "An expandable list of 'areas to consider'."),
        "evidence": _list_block("evidence", "A list of example evidence sources."),
    }


def _document_section(question_names: list[str]) -> Schema:
    """A section of a document (kind: document): guidance for its writer, the body a new
    document starts with, and optional structured fields (questions)."""
    return {
        "description": "A section of a document, e.g. 'Purpose' or 'Meetings'.",
        "type": "object",
        "required": ["id", "title"],
        "additionalProperties": False,
        "properties": {
            "id": {
                "$ref": "#/$defs/question_id",
                "description": "Identifies the section: lowercase letters, digits and "
                "underscores, starting with a letter. Unique in the file. Keep it once "
                "documents are written: their text is stored under it.",
            },
            "title": _text("The section heading."),
            "guidance": _text("Optional guidance for whoever writes the section (for example "
                              "a network's chair), in Markdown. Not part of the document."),
            "body": _text("Optional text a new document starts with in this section, in "
                          "Markdown."),
            "fields": {
                "description": "Optional structured fields of the section (the Chair's term "
                "in years, meetings a year...), using the question types.",
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/document_field"},
            },
        },
    }


def _sections_of(ref: str, description: str) -> Schema:
    """The top level's branch for one kind: only the shape of its sections (the top level
    itself lists and closes the keys)."""
    return {"properties": {"sections": {"description": description,
                                        "items": {"$ref": f"#/$defs/{ref}"}}}}


def definition_schema() -> Schema:
    """The JSON Schema (draft 2020-12) of a definition file, for the types registered now."""
    kinds = list(QUESTION_TYPES.values())
    in_rows = [QUESTION_TYPES[name] for name in repeatable_field_types()]
    question_names = [kind.name for kind in kinds]
    row_names = [kind.name for kind in in_rows]
    defs: Schema = {
        "question_id": {
            "type": "string",
            "pattern": "^[a-z][a-z0-9_]*$",
            "maxLength": 64,
            "description": "Lowercase letters, digits and underscores, starting with a letter.",
        },
        "expression": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "description": "A condition, e.g. has_scrutiny == 'yes' or answered(ambition) and "
            "word_count(ambition) > 50. See docs/form-definitions.md.",
        },
        "iso_date": {
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A date written YYYY-MM-DD.",
        },
        "option": {
            "description": "A choice: a plain string, or a mapping with value and label.",
            "type": ["string", "object"],
            "minLength": 1,
            "if": {"type": "object"},
            "then": {"$ref": "#/$defs/option_mapping"},
        },
        "option_mapping": {
            "type": "object",
            "required": ["value", "label"],
            "additionalProperties": False,
            "properties": {
                "value": _text(
                    "What is stored when this option is chosen. Do not change it once people "
                    "have answered."
                ),
                "label": _text("What the person answering sees."),
                "exclusive": {
                    "description": "multiple_choice only: true for an option such as 'None of "
                    "these' that cannot be ticked together with any other; ticking it clears "
                    "the others.",
                    "type": "boolean",
                },
            },
        },
        **{kind.name: _question(kind) for kind in kinds},
        "field": _dispatch(
            "A field of a repeatable question.",
            ["id", "type"],
            row_names,
            [f"field_{name}" for name in row_names],
            f"The field's type: {', '.join(row_names)}.",
        ),
        **{f"field_{kind.name}": _field(kind) for kind in in_rows},
        **_blocks(),
        "item": _dispatch(
            "A question or a block, chosen by its type.",
            ["type"],
            [*question_names, *BLOCK_TYPES],
            [*question_names, *BLOCK_TYPES],
            f"Question types: {', '.join(question_names)}. Blocks: {', '.join(BLOCK_TYPES)}.",
        ),
        "document_field": _dispatch(
            "A structured field of a document's section: a question of one of the types.",
            ["type"],
            question_names,
            question_names,
            f"Question types: {', '.join(question_names)}.",
        ),
        "document_section": _document_section(question_names),
        "section": {
            "description": "A section: one page of the questionnaire.",
            "type": "object",
            "required": ["id", "title", "items"],
            "additionalProperties": False,
            "properties": {
                "id": {
                    "$ref": "#/$defs/question_id",
                    "description": "Identifies the section (used in web addresses): lowercase "
                    "letters, digits and underscores, starting with a letter. Unique in the "
                    "file.",
                },
                "title": _text("The section heading."),
                "intro": _text("Optional introduction, in Markdown."),
                "visible_if": _condition(
                    "Optional condition: the whole section is shown only when it is true. It "
                    "may only refer to questions in earlier sections."
                ),
                "items": {
                    "description": "Questions and blocks, shown in this order.",
                    "type": "array",
                    "minItems": 1,
                    "items": {"$ref": "#/$defs/item"},
                },
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://seslip.example/schemas/form-definition.schema.json",
        "title": "SESLIP questionnaire definition",
        "description": "One questionnaire (or document template, with kind: document), "
        "written in YAML in form_definitions/<id>.yaml. See docs/form-definitions.md.",
        "type": "object",
        "required": ["id", "version", "title", "sections"],
        "additionalProperties": False,
        "properties": {
            "id": {
                "type": "string",
                "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                "maxLength": 100,
                "description": "Identifies the questionnaire; must equal the file name without "
                ".yaml. Lowercase letters, digits and single hyphens.",
            },
            "version": {
                "type": "integer",
                "minimum": 1,
                "description": "A whole number, raised by one when the wording changes.",
            },
            "kind": {
                "description": "questionnaire (the default): people answer its questions; "
                "document: a template for documents such as a network's terms of reference, "
                "whose sections are written in Markdown and may carry structured fields.",
                "type": "string",
                "enum": list(KINDS),
            },
            "title": _text("The questionnaire's title."),
            "intro": _text("Optional introduction, in Markdown."),
            "guidance": _text("Optional guidance shown on the task list page, in Markdown."),
            "completion": _text(
                "Optional text shown after someone finalises their answers, in Markdown: what "
                "happens next. Without it the page says only that the answers are finalised and "
                "who can see them."
            ),
            "audience": {
                "description": "Optional: who fills this questionnaire in, by their role in "
                "their own organisation. Leave it out and everyone signed in can fill it in; "
                "staff can always see every response.",
                "type": "array",
                "minItems": 1,
                "items": {
                    "description": "lead_member, dcs (director of children's services), officer, "
                    "partner, or staff (admins and programme managers only: for reference and "
                    "test questionnaires).",
                    "type": "string",
                    "enum": list(AUDIENCE_ROLES),
                },
            },
            "sections": {
                "description": "The sections, in order.",
                "type": "array",
                "minItems": 1,
            },
        },
        # A document's sections have their own shape; a questionnaire's are the default.
        "if": {"required": ["kind"], "properties": {"kind": {"const": DOCUMENT}}},
        "then": _sections_of("document_section", "A document's sections."),
        "else": _sections_of("section", "A questionnaire's sections."),
        "$defs": defs,
    }


def schema_text() -> str:
    """The schema as written to definition.schema.json."""
    return json.dumps(definition_schema(), indent=2) + "\n"
