"""The ranking type: options put in order with one list per place, checked on the server."""

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
from seslip.formengine.formdata import FormData
from seslip.formengine.schema import SCHEMA_PATH

PRIORITIES = """\
- id: s
  title: S
  items:
    - id: priorities
      type: ranking
      label: Which matter most to your authority this year?
      required: true
      top: 3
      options:
        - {value: budget, label: Budget pressures}
        - {value: staff, label: Recruiting social workers}
        - {value: sen, label: SEND sufficiency}
        - {value: care, label: Placements for children in care}
    - id: budget_why
      type: long_text
      label: Tell us about the budget
      visible_if: "'budget' in priorities"
"""


@pytest.fixture
def definition(make_definition: Callable[[str], Definition]) -> Definition:
    return make_definition(PRIORITIES)


def normalise(definition: Definition, form: FormData) -> tuple[object, list[str]]:
    question = definition.question("priorities")
    return normalise_sent(question, read_form(form).answer("priorities"))


def test_only_the_top_places_are_offered(
    definition: Definition, make_definition: Callable[[str], Definition]
) -> None:
    own = definition.question("priorities").settings
    assert own.place_labels == (("1", "1st"), ("2", "2nd"), ("3", "3rd"))
    every = make_definition(PRIORITIES.replace("      top: 3\n", ""))
    assert every.question("priorities").settings.places == 4


def test_ordinals_read_as_english() -> None:
    from seslip.formengine.types import _ordinal

    assert [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]


def test_each_place_is_read_from_its_own_list(definition: Definition) -> None:
    form = {"priorities-1": "sen", "priorities-2": "", "priorities-3": "budget"}
    assert normalise(definition, form) == (["sen", "", "budget"], [])
    assert normalise(definition, {"priorities-1": ""}) == ([], [])
    assert normalise(definition, {}) == ([], [])


def test_an_unknown_option_or_place_is_rejected(definition: Definition) -> None:
    raw, messages = normalise(definition, {"priorities-1": "lunch", "priorities-4": "care",
                                           "priorities-2": "staff"})
    assert raw == ["", "staff", ""]
    assert messages == ["'priorities-4' is not a place in this ranking.",
                        "'lunch' is not one of the options."]


def test_an_option_in_two_places_is_named_and_blocks_finalising(definition: Definition) -> None:
    question = definition.question("priorities")
    # Kept as a draft (the person may be moving it), with a message naming the option.
    assert normalise(definition, {"priorities-1": "sen", "priorities-2": "sen",
                                  "priorities-3": "budget"}) == (["sen", "sen", "budget"], [])
    assert validate_answer(question, ["sen", "sen", "budget"]) == [
        "You have put 'SEND sufficiency' in more than one place (1st and 2nd). "
        "Choose each option once."]
    state = FormState(definition, {"priorities": ["sen", "budget", "sen"]})
    assert state.problems() == [("priorities", "You have put 'SEND sufficiency' in more than "
                                 "one place (1st and 3rd). Choose each option once.")]


def test_a_started_ranking_needs_every_place(definition: Definition) -> None:
    question = definition.question("priorities")
    assert validate_answer(question, ["", "staff", ""]) == [
        "Choose an option for the 1st and 3rd places."]
    assert validate_answer(question, ["care", "staff"]) == [
        "Choose an option for the 3rd place."]
    assert validate_answer(question, ["care", "staff", "sen"]) == []
    assert validate_answer(question, []) == []


def test_stored_answers_that_cannot_be_right(definition: Definition) -> None:
    question = definition.question("priorities")
    assert validate_answer(question, ["care", "gone", "sen"]) == [
        "'gone' is not one of the options. Choose another answer."]
    assert validate_answer(question, ["care", "staff", "sen", "budget"]) == [
        "Rank no more than 3 options. You have 4 places."]
    assert validate_answer(question, "care") == [
        "This answer should be a list of options in order, but something else was saved."]


def test_required_and_conditions(definition: Definition) -> None:
    why = definition.question("budget_why")
    assert FormState(definition, {}).problems() == [
        ("priorities", "This question needs an answer.")]
    assert FormState(definition, {"priorities": ["", "", ""]}).problems() == [
        ("priorities", "This question needs an answer.")]
    assert FormState(definition, {"priorities": ["staff", "budget", "sen"]}).is_visible(why)
    assert not FormState(definition, {"priorities": ["staff", "care", "sen"]}).is_visible(why)
    assert not FormState(definition, {}).is_visible(why)


def test_the_answer_is_shown_place_by_place(definition: Definition) -> None:
    question = definition.question("priorities")
    kind = QUESTION_TYPES["ranking"]
    assert kind.display(question, ["sen", "", "budget"]).lines == (
        "1st: SEND sufficiency", "2nd: not chosen", "3rd: Budget pressures")
    assert kind.display(question, ["", "", ""]).empty
    assert kind.display(question, []).empty
    assert kind.display(question, ["gone"]).plain() == "1st: gone"  # kept, never hidden
    assert kind.first_input(question) == "priorities-1"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("top: 4, options: [a, b, c]",
         "top is greater than the number of options (3) in question 'r'"),
        ("options: [a]", "a ranking needs at least 2 options to put in order, and question "
         "'r' has 1"),
        ("top: 0, options: [a, b]", "'top' in question 'r' must be 1 or more, not 0"),
        ("options: [a, b], max_selected: 1", "max_selected is not allowed for type 'ranking' "
         "in question 'r' (it is for multiple_choice questions)"),
    ],
)
def test_settings_mistakes_are_reported(
    write_definition: Callable[..., Path], body: str, message: str
) -> None:
    path = write_definition(
        f"- {{id: s, title: S, items: [{{id: r, type: ranking, label: R, {body}}}]}}\n")
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert [problem.message for problem in caught.value.problems] == [message]


def test_word_count_and_count_do_not_apply(write_definition: Callable[..., Path]) -> None:
    path = write_definition(
        "- {id: s, title: S, items: [{id: r, type: ranking, label: R, options: [a, b]}, "
        "{id: t, type: short_text, label: T, visible_if: \"count(r) > 1\"}]}\n")
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert [p.message for p in caught.value.problems] == [
        "visible_if: count() only works on multiple_choice and repeatable questions, and 'r' "
        "is a ranking question"]


def test_the_shipped_schema_describes_the_ranking() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    ranking = schema["$defs"]["ranking"]
    assert ranking["required"] == ["id", "type", "label", "options"]
    assert ranking["properties"]["top"]["minimum"] == 1
    assert "ranking" not in schema["$defs"]["field"]["properties"]["type"]["enum"]
