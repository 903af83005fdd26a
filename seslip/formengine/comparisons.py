"""Conditions that compare a choice question with a value none of its options has.

Such a comparison is accepted by the parser and then never true (or always true for `!=`),
so the checker refuses it: a typing mistake (`'own-theme'`), an option's label instead of its
value, or a number against options that are text (`rating in [1, 2]`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .expressions import Compare, Expression, ListLiteral, Literal, Name, walk
from .model import Option, Question
from .types import ChoiceSettings

CHOICE_TYPES = ("single_choice", "multiple_choice", "yes_no")


def _options(question: Question) -> tuple[Option, ...]:
    settings = question.settings
    return settings.options if isinstance(settings, ChoiceSettings) else ()


def option_values(question: Question) -> tuple[str, ...]:
    if question.type == "yes_no":
        return ("yes", "no")
    return tuple(option.value for option in _options(question))


def option_comparison_problems(
    expression: Expression, questions: Mapping[str, Question]
) -> Iterator[tuple[int, str]]:
    """(offset in the condition, message) for each value compared with a choice question that
    is not one of its option values."""
    for node in walk(expression.tree):
        if not isinstance(node, Compare):
            continue
        for name, literals in _compared(node):
            question = questions.get(name.name)
            if question is None or question.type not in CHOICE_TYPES:
                continue
            for literal in literals:
                message = _problem(question, literal)
                if message is not None:
                    yield literal.pos, message


def _compared(node: Compare) -> Iterator[tuple[Name, tuple[Literal, ...]]]:
    """The question and the values it is compared with, for `q == v`, `v == q`, `q in [..]`
    and `v in q` (a ticked option)."""
    left, right = node.left, node.right
    if node.op in ("==", "!="):
        if isinstance(left, Name) and isinstance(right, Literal):
            yield left, (right,)
        elif isinstance(right, Name) and isinstance(left, Literal):
            yield right, (left,)
    elif node.op in ("in", "not in"):
        if isinstance(left, Name) and isinstance(right, ListLiteral):
            yield left, right.items
        elif isinstance(right, Name) and isinstance(left, Literal):
            yield right, (left,)


def _problem(question: Question, literal: Literal) -> str | None:
    value = literal.value
    if value is None:  # `q == none`: not answered
        return None
    values = option_values(question)
    listed = ", ".join(f"'{option}'" for option in values)
    where = f"question '{question.id}'"
    if isinstance(value, str):
        if value in values:
            return None
        label = next((o.value for o in _options(question) if o.label == value), None)
        if label is not None:
            return (f"'{value}' is the label of an option of {where}, not its value: "
                    f"compare with '{label}' (the option values are: {listed})")
        return f"'{value}' is not an option value of {where} (the option values are: {listed})"
    if isinstance(value, bool):
        shown = "true" if value else "false"
        return f"{shown} is not an option value of {where} (the option values are: {listed})"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    advice = f": write '{text}' in quotes" if text in values else ""
    return (f"{text} is a number, but the options of {where} are text{advice} "
            f"(the option values are: {listed})")
