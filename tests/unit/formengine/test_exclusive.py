"""Exclusive options of multiple_choice questions (issue 16)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from seslip.formengine import (
    Definition,
    DefinitionError,
    Question,
    load_definition,
    read_form,
    validate_answer,
)
from seslip.formengine import normalise as normalise_sent
from seslip.formengine.formdata import FormData

DAYS = """\
- id: s
  title: S
  items:
    - id: days
      type: multiple_choice
      label: Which days can you attend?
      options:
        - {value: mon, label: Monday}
        - {value: tue, label: Tuesday}
        - {value: none, label: I cannot attend any, exclusive: true}
"""


def normalise(question: Question, form: FormData) -> tuple[object, list[str]]:
    """The raw answer from a whole form, read as the pages read it."""
    return normalise_sent(question, read_form(form).answer(question.id))


@pytest.fixture
def days(make_definition: Callable[[str], Definition]) -> Definition:
    return make_definition(DAYS)


def test_exclusive_is_read_from_the_option(days: Definition) -> None:
    assert [o.exclusive for o in days.question("days").settings.options] == [False, False, True]


def test_the_exclusive_option_alone_or_the_others_alone_are_accepted(days: Definition) -> None:
    question = days.question("days")
    assert normalise(question, {"days": ["none"]}) == (["none"], [])
    assert normalise(question, {"days": ["mon", "tue"]}) == (["mon", "tue"], [])


def test_the_exclusive_option_with_another_is_refused(days: Definition) -> None:
    question = days.question("days")
    message = ("“I cannot attend any” cannot be chosen together with other answers: untick it, "
               "or untick the others.")
    assert normalise(question, {"days": ["mon", "none"]}) == (["mon", "none"], [message])
    assert validate_answer(question, ["mon", "none"]) == [message]


def test_every_option_exclusive_is_refused(write_definition: Callable[..., Path]) -> None:
    text = DAYS.replace("{value: mon, label: Monday}",
                        "{value: mon, label: Monday, exclusive: true}").replace(
        "{value: tue, label: Tuesday}", "{value: tue, label: Tuesday, exclusive: true}")
    with pytest.raises(DefinitionError) as caught:
        load_definition(write_definition(text))
    (problem,) = caught.value.problems
    assert "every option of question 'days' is exclusive: make it a single_choice" in str(problem)


def test_exclusive_must_be_true_or_false(write_definition: Callable[..., Path]) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(write_definition(DAYS.replace("exclusive: true", "exclusive: yes")))
    assert "expected true or false" in caught.value.problems[0].message
