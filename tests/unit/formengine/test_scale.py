"""The scale type: a rating such as 1 to 5, each point optionally labelled."""

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
    Question,
    normalise,
    read_form,
    validate_answer,
)
from seslip.formengine.schema import SCHEMA_PATH

RATING = """\
- id: s
  title: S
  items:
    - id: confidence
      type: scale
      label: How confident are you?
      max: 5
      labels: [Not at all, A little, Somewhat, Quite, Very]
    - id: why_not
      type: long_text
      label: What would help?
      visible_if: "confidence <= 2"
"""


@pytest.fixture
def definition(make_definition: Callable[[str], Definition]) -> Definition:
    return make_definition(RATING)


def test_a_scale_is_loaded_with_its_points(definition: Definition) -> None:
    confidence = definition.question("confidence")
    assert confidence.settings.points == (
        ("1", "1 – Not at all"), ("2", "2 – A little"), ("3", "3 – Somewhat"),
        ("4", "4 – Quite"), ("5", "5 – Very"),
    )


def test_a_scale_without_labels_shows_its_numbers(make_definition: Callable[..., object]) -> None:
    definition = make_definition(
        "- {id: s, title: S, items: [{id: r, type: scale, label: R, min: 0, max: 3}]}\n")
    assert isinstance(definition, Definition)
    points = definition.question("r").settings.points
    assert points == (("0", "0"), ("1", "1"), ("2", "2"), ("3", "3"))


def test_conditions_read_the_point_as_a_number(definition: Definition) -> None:
    why_not = definition.question("why_not")
    assert FormState(definition, {"confidence": "2"}).is_visible(why_not)
    assert not FormState(definition, {"confidence": "4"}).is_visible(why_not)
    assert not FormState(definition, {}).is_visible(why_not)
    assert not FormState(definition, {"confidence": "9"}).is_visible(why_not)


def test_form_input_must_be_a_point(definition: Definition) -> None:
    confidence = definition.question("confidence")
    assert normalise(confidence, read_form({"confidence": "4"}).answer("confidence")) == ("4", [])
    assert normalise(confidence, read_form({"confidence": ""}).answer("confidence")) == (None, [])
    assert normalise(confidence, read_form({"confidence": "6"}).answer("confidence")) == (
        None, ["'6' is not a point on this scale."])


def test_a_stored_answer_off_the_scale_blocks_finalising(definition: Definition) -> None:
    confidence = definition.question("confidence")
    assert validate_answer(confidence, "3") == []
    assert validate_answer(confidence, None) == []
    assert validate_answer(confidence, "0") == [
        "'0' is not a point on this scale. Choose another answer."]
    assert validate_answer(confidence, ["3"]) == [
        "This answer should be text, but something else was saved."]


def test_the_answer_is_shown_with_its_label(definition: Definition) -> None:
    confidence = definition.question("confidence")
    kind = QUESTION_TYPES["scale"]
    assert kind.display(confidence, "4").plain() == "4 – Quite"
    assert kind.display(confidence, None).empty
    assert kind.display(confidence, "7").plain() == "7"  # kept as typed, never hidden


@pytest.mark.parametrize(
    ("settings", "where", "message"),
    [
        ("min: 3, max: 3", (5, 75), "max must be greater than min (3) in question 'r'"),
        ("min: 0, max: 11", (5, 75), "a scale can have at most 11 points, and question 'r' "
         "has 12 (0 to 11)"),
        ("max: 3, labels: [a, b]", (5, 78), "labels in question 'r' has 2 entries, but the "
         "scale has 3 points (1 to 3): give one label for each point"),
        ("min: 1", (5, 31), "missing required key 'max' in question 'r'"),
        ("max: 4, max_words: 3", (5, 70), "max_words is not allowed for type 'scale' in "
         "question 'r' (it is for short_text, long_text questions)"),
    ],
)
def test_settings_that_cannot_work_are_located(
    write_definition: Callable[..., Path], settings: str, where: tuple[int, int], message: str
) -> None:
    path = write_definition(
        f"- {{id: s, title: S, items: [{{id: r, type: scale, label: R, {settings}}}]}}\n")
    with pytest.raises(DefinitionError) as caught:
        from seslip.formengine import load_definition

        load_definition(path)
    (problem,) = caught.value.problems
    assert (problem.message, (problem.line, problem.column)) == (message, where)


def test_word_count_and_count_do_not_apply(write_definition: Callable[..., Path]) -> None:
    from seslip.formengine import load_definition

    path = write_definition(
        """\
        - id: s
          title: S
          items:
            - {id: r, type: scale, label: R, max: 5}
            - {id: t, type: short_text, label: T, visible_if: "count(r) > 1 or word_count(r) > 1"}
        """
    )
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert [p.message for p in caught.value.problems] == [
        "visible_if: count() only works on multiple_choice and repeatable questions, and 'r' "
        "is a scale question",
        "visible_if: word_count() only works on text questions, and 'r' is a scale question",
    ]


def test_a_scale_cannot_be_a_field_of_a_repeatable(write_definition: Callable[..., Path]) -> None:
    from seslip.formengine import load_definition

    path = write_definition(
        "- {id: s, title: S, items: [{id: q, type: repeatable, label: Q, "
        "fields: [{id: r, type: scale, label: R, max: 5}]}]}\n")
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert "'scale' cannot be the type of a field inside a repeatable question" in str(
        caught.value)


def test_the_shipped_schema_describes_the_scale() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    scale = schema["$defs"]["scale"]
    assert scale["required"] == ["id", "type", "label", "max"]
    assert {"min", "max", "labels"} <= set(scale["properties"])
    assert "scale" in schema["$defs"]["item"]["properties"]["type"]["enum"]
    assert "scale" not in schema["$defs"]["field"]["properties"]["type"]["enum"]


def test_unanswered_is_never_invalid() -> None:
    question = Question(id="q", type="scale", label="Q",
                        settings=QUESTION_TYPES["scale"].settings(max=5))
    assert validate_answer(question, None) == []
