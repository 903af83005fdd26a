"""The grid type: several statements rated on one shared scale, one row of radios each."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from seslip.formengine import (
    QUESTION_TYPES,
    Definition,
    DefinitionError,
    FormState,
    load_definition,
    read_form,
    validate_answer,
)
from seslip.formengine import normalise as normalise_sent
from seslip.formengine.formdata import FormData, part_name
from seslip.formengine.schema import SCHEMA_PATH

SESSIONS = """\
- id: s
  title: S
  items:
    - id: sessions
      type: grid
      label: How useful was each session?
      required: true
      options:
        - {value: "1", label: Not useful}
        - {value: "2", label: Quite useful}
        - {value: "3", label: Very useful}
      statements:
        - {id: welcome, label: The welcome talk}
        - {id: workshop, label: "The workshop, after lunch"}
        - {id: panel, label: The panel}
    - id: why
      type: long_text
      label: What would have made the day better?
      visible_if: "answered(sessions)"
"""


@pytest.fixture
def definition(make_definition: Callable[[str], Definition]) -> Definition:
    return make_definition(SESSIONS)


def normalise(definition: Definition, form: FormData) -> tuple[object, list[str]]:
    question = definition.question("sessions")
    return normalise_sent(question, read_form(form).answer("sessions"))


def test_statements_and_the_scale_are_loaded_in_order(definition: Definition) -> None:
    own = definition.question("sessions").settings
    assert [(s.id, s.label) for s in own.statements] == [
        ("welcome", "The welcome talk"), ("workshop", "The workshop, after lunch"),
        ("panel", "The panel")]
    assert own.values == ("1", "2", "3")


def test_each_row_is_read_from_its_own_name(definition: Definition) -> None:
    assert part_name("sessions", "welcome") == "sessions-welcome"
    form = {"sessions-welcome": "3", "sessions-panel": "1", "rev.sessions": "0"}
    assert normalise(definition, form) == ({"welcome": "3", "panel": "1"}, [])
    assert normalise(definition, {}) == (None, [])
    assert normalise(definition, {"sessions-welcome": ""}) == (None, [])


def test_a_rating_off_the_scale_or_an_unknown_row_is_rejected(definition: Definition) -> None:
    form = {"sessions-welcome": "9", "sessions-lunch": "2", "sessions": "x",
            "sessions-0-welcome": "1"}
    raw, messages = normalise(definition, form)
    assert raw is None
    assert messages == [
        "'sessions' is not a statement of this question.",
        "'sessions-lunch' is not a statement of this question.",
        "'sessions-0-welcome' is not a statement of this question.",
        "'9' is not one of the options for 'The welcome talk'.",
    ]


def test_required_means_every_row_and_the_message_names_the_missing(
    definition: Definition,
) -> None:
    assert FormState(definition, {}).problems() == [
        ("sessions", "This question needs an answer.")]
    partial = FormState(definition, {"sessions": {"workshop": "2"}})
    assert partial.problems() == [
        ("sessions", "Rate every statement. Not rated yet: 'The welcome talk' and "
         "'The panel'.")]
    full = {"sessions": {"welcome": "1", "workshop": "2", "panel": "3"}}
    assert FormState(definition, full).problems() == []
    assert FormState(definition, full).section_status("s") == "completed"
    assert partial.section_status("s") == "in_progress"


def test_an_optional_grid_may_be_partly_rated(
    make_definition: Callable[[str], Definition],
) -> None:
    definition = make_definition(SESSIONS.replace("      required: true\n", ""))
    assert FormState(definition, {"sessions": {"workshop": "2"}}).problems() == []


def test_conditions_read_whether_it_was_answered(definition: Definition) -> None:
    why = definition.question("why")
    assert not FormState(definition, {}).is_visible(why)
    assert not FormState(definition, {"sessions": {}}).is_visible(why)
    assert FormState(definition, {"sessions": {"panel": "1"}}).is_visible(why)


def test_a_stored_answer_that_is_wrong_blocks_finalising(definition: Definition) -> None:
    question = definition.question("sessions")
    assert validate_answer(question, {"welcome": "3"}) == []
    assert validate_answer(question, {}) == []
    assert validate_answer(question, {"welcome": "7", "lunch": "1"}) == [
        "The welcome talk: '7' is not one of the options. Choose another answer.",
        "'lunch' is not a statement of this question.",
    ]
    assert validate_answer(question, ["3"]) == [
        "This answer should be a rating for each statement, but something else was saved."]


def test_the_answer_is_shown_row_by_row_with_labels(definition: Definition) -> None:
    question = definition.question("sessions")
    shown = QUESTION_TYPES["grid"].display(question, {"welcome": "3", "panel": "1"})
    assert shown.rows == (
        (("The welcome talk", "Very useful"),),
        (("The workshop, after lunch", "Not rated"),),
        (("The panel", "Not useful"),),
    )
    assert shown.plain() == ("The welcome talk: Very useful\nThe workshop, after lunch: Not "
                             "rated\nThe panel: Not useful")
    assert QUESTION_TYPES["grid"].display(question, {}).empty
    assert QUESTION_TYPES["grid"].display(question, None).empty
    kept = QUESTION_TYPES["grid"].display(question, {"welcome": "9", "old": "2"})
    assert kept.rows[0] == (("The welcome talk", "9"),) and kept.rows[-1] == (("old", "2"),)


def test_the_error_summary_links_to_the_first_row(definition: Definition) -> None:
    assert QUESTION_TYPES["grid"].first_input(definition.question("sessions")) == (
        "sessions-welcome")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("options: [a, b], statements: [{id: x, label: X}, {id: x, label: Y}]",
         "the statement id 'x' appears twice in question 'g' (entries 1 and 2)"),
        ("options: [a, b], statements: [{id: X1, label: X}]",
         "invalid id 'X1': use lowercase letters, digits and underscores, starting with a letter"),
        ("options: [a, b], statements: [{id: x, label: X, hint: h}]",
         "unknown key 'hint' in entry 1 of 'statements' in question 'g'"),
        ("options: [a, b]", "missing required key 'statements' in question 'g'"),
        ("statements: [{id: x, label: X}]", "missing required key 'options' in question 'g'"),
    ],
)
def test_settings_mistakes_are_reported(
    write_definition: Callable[..., Path], body: str, message: str
) -> None:
    path = write_definition(
        f"- {{id: s, title: S, items: [{{id: g, type: grid, label: G, {body}}}]}}\n")
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert [problem.message for problem in caught.value.problems] == [message]


def test_conditions_cannot_compare_a_grid_or_count_it(
    write_definition: Callable[..., Path],
) -> None:
    path = write_definition(
        """\
        - id: s
          title: S
          items:
            - {id: g, type: grid, label: G, options: [a, b], statements: [{id: x, label: X}]}
            - {id: t, type: short_text, label: T, visible_if: "g == 'a' or count(g) > 1"}
        """
    )
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert [p.message for p in caught.value.problems] == [
        "visible_if: 'g' is a grid question, which a condition can only read with answered(g)",
        "visible_if: count() only works on multiple_choice and repeatable questions, and 'g' "
        "is a grid question",
    ]


def test_a_grid_cannot_be_a_field_of_a_repeatable(write_definition: Callable[..., Path]) -> None:
    path = write_definition(
        "- {id: s, title: S, items: [{id: q, type: repeatable, label: Q, fields: [{id: g, "
        "type: grid, label: G, options: [a], statements: [{id: x, label: X}]}]}]}\n")
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert "'grid' cannot be the type of a field inside a repeatable question" in str(
        caught.value)


def test_the_shipped_schema_describes_the_grid() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    grid = schema["$defs"]["grid"]
    assert grid["required"] == ["id", "type", "label", "statements", "options"]
    statement = grid["properties"]["statements"]["items"]
    assert statement["required"] == ["id", "label"] and not statement["additionalProperties"]
    assert "grid" in schema["$defs"]["item"]["properties"]["type"]["enum"]
    assert "grid" not in schema["$defs"]["field"]["properties"]["type"]["enum"]


def test_a_damaged_stored_answer_is_shown_not_raised(definition: Definition) -> None:
    question = definition.question("sessions")
    shown = QUESTION_TYPES["grid"].display(question, {"welcome": ["3"], "panel": "3"})
    assert shown.rows[0] == (("The welcome talk", "['3']"),)
    assert QUESTION_TYPES["grid"].display(question, "3").plain() == "3"
