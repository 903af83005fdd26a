"""Conditions that compare a choice question with a value none of its options has (issue 16)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from seslip.formengine import DefinitionError, Problem, load_definition

CHOICES = """\
- id: s
  title: S
  items:
    - {id: rating, type: single_choice, label: Rating, options: ["1", "2", "3"]}
    - id: partners
      type: multiple_choice
      label: Partners
      options: [{value: schools, label: Schools}, {value: other, label: Other partners}]
    - {id: scrutiny, type: yes_no, label: Scrutiny}
    - {id: later, type: short_text, label: Later, visible_if: "%s"}
"""


def problems(write: Callable[..., Path], condition: str) -> list[Problem]:
    with pytest.raises(DefinitionError) as caught:
        load_definition(write(CHOICES % condition))
    return caught.value.problems


def test_each_number_in_a_list_against_text_options_is_reported(
    write_definition: Callable[..., Path],
) -> None:
    found = problems(write_definition, "rating in [1, 2]")
    assert [p.message for p in found] == [
        f"visible_if: {n} is a number, but the options of question 'rating' are text: "
        f"write '{n}' in quotes (the option values are: '1', '2', '3')" for n in (1, 2)
    ]
    assert [p.column for p in found] == [77, 80]


@pytest.mark.parametrize("condition", [
    "rating in ['1', '2']",
    "rating != '3'",
    "'3' == rating",
    "rating == none",
    "'other' in partners and 'schools' not in partners",
    "scrutiny == 'yes' or scrutiny != 'no'",
    "count(partners) > 1",
])
def test_comparisons_with_option_values_are_accepted(
    write_definition: Callable[..., Path], condition: str
) -> None:
    load_definition(write_definition(CHOICES % condition))


@pytest.mark.parametrize(("condition", "message"), [
    ("rating == 4", "4 is a number, but the options of question 'rating' are text (the"),
    ("rating == 1.5", "1.5 is a number, but the options"),
    ("scrutiny == true", "true is not an option value of question 'scrutiny'"),
    ("'Schools' in partners", "'Schools' is the label of an option of question 'partners', "
     "not its value: compare with 'schools'"),
    ("partners in ['school']", "'school' is not an option value of question 'partners' "
     "(the option values are: 'schools', 'other')"),
])
def test_values_no_option_has_are_refused(
    write_definition: Callable[..., Path], condition: str, message: str
) -> None:
    (problem,) = problems(write_definition, condition)
    assert message in problem.message
