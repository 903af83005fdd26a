"""Single choice and yes/no as fields of a repeatable question's rows."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from seslip.formengine import (
    QUESTION_TYPES,
    Definition,
    FormState,
    read_form,
    validate_answer,
)
from seslip.formengine import normalise as normalise_sent
from seslip.formengine.formdata import FormData
from seslip.formengine.schema import SCHEMA_PATH
from seslip.formengine.types import repeatable_field_types

MEETINGS = """\
- id: s
  title: S
  items:
    - id: meetings
      type: repeatable
      label: Meetings this year
      item_label: Meeting
      fields:
        - {id: title, type: short_text, label: Title}
        - id: kind
          type: single_choice
          label: Kind of meeting
          required: true
          options:
            - {value: board, label: Partnership board}
            - {value: panel, label: Scrutiny panel}
        - {id: attended, type: yes_no, label: "Did the lead member attend?"}
"""


@pytest.fixture
def definition(make_definition: Callable[[str], Definition]) -> Definition:
    return make_definition(MEETINGS)


def normalise(definition: Definition, form: FormData) -> tuple[object, list[str]]:
    return normalise_sent(definition.question("meetings"), read_form(form).answer("meetings"))


def test_the_types_declare_themselves_allowed_in_rows() -> None:
    assert QUESTION_TYPES["single_choice"].allowed_in_repeatable
    assert QUESTION_TYPES["yes_no"].allowed_in_repeatable
    assert not QUESTION_TYPES["multiple_choice"].allowed_in_repeatable
    assert repeatable_field_types()[-2:] == ["single_choice", "yes_no"]
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert {"single_choice", "yes_no"} <= set(
        schema["$defs"]["field"]["properties"]["type"]["enum"])
    assert schema["$defs"]["field_single_choice"]["required"] == ["id", "type", "label",
                                                                  "options"]


def test_a_row_keeps_the_chosen_values(definition: Definition) -> None:
    form = {"meetings-0-title": "March", "meetings-0-kind": "panel",
            "meetings-0-attended": "yes", "meetings-1-kind": "board"}
    assert normalise(definition, form) == ([
        {"title": "March", "kind": "panel", "attended": "yes"},
        {"title": "", "kind": "board", "attended": ""},
    ], [])
    # A row with nothing chosen (the lists left on "Not chosen") is dropped.
    assert normalise(definition, {"meetings-0-kind": "", "meetings-0-attended": ""}) == ([], [])


def test_a_value_that_is_not_an_option_is_rejected(definition: Definition) -> None:
    raw, messages = normalise(definition, {"meetings-0-kind": "lunch",
                                           "meetings-0-attended": "maybe"})
    assert messages == ["'lunch' is not one of the options.", "Choose yes or no."]
    assert raw == []


def test_rows_are_validated_field_by_field(definition: Definition) -> None:
    question = definition.question("meetings")
    assert validate_answer(question, [{"title": "A", "kind": "gone", "attended": "x"},
                                      {"title": "B", "kind": "", "attended": "no"}]) == [
        "Meeting 1: Kind of meeting: 'gone' is not one of the options. Choose another answer.",
        "Meeting 1: Did the lead member attend?: Choose yes or no.",
        "Meeting 2: Kind of meeting is missing.",
    ]
    rows = [{"title": "A", "kind": "board", "attended": "yes"}]
    assert FormState(definition, {"meetings": rows}).problems() == []


def test_rows_show_the_labels_of_what_was_chosen(definition: Definition) -> None:
    question = definition.question("meetings")
    shown = QUESTION_TYPES["repeatable"].display(
        question, [{"title": "March", "kind": "panel", "attended": "yes"},
                   {"title": "May", "kind": "gone", "attended": ""}])
    assert shown.rows == (
        (("Title", "March"), ("Kind of meeting", "Scrutiny panel"),
         ("Did the lead member attend?", "Yes")),
        (("Title", "May"), ("Kind of meeting", "gone"), ("Did the lead member attend?", "")),
    )


def test_the_schema_alone_accepts_the_new_types_as_an_editor_sees_them() -> None:
    import jsonschema
    import yaml

    from tests.integration.test_grid_ranking_questions import FEEDBACK

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
    data = yaml.safe_load(FEEDBACK)
    assert not list(validator.iter_errors(data))
    grid = data["sections"][0]["items"][0]
    grid["statements"].append({"id": "lunch"})  # no label
    assert [error.message for error in validator.iter_errors(data)]
