"""Answers against a definition: validation, visibility, required-ness, section status.

Conditions see the answer of a hidden question as unanswered (None), so hiding a question
also switches off everything that depends on it. The loader only lets `visible_if` name
questions that come earlier, so one pass in document order settles all visibility: each
function here is O(questions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from .expressions import Expression
from .formdata import Sent
from .model import Definition, Field, Item, Question, Section
from .types import QUESTION_TYPES, Raw

Answers = Mapping[str, Any]
Status = Literal["not_started", "in_progress", "completed"]
REQUIRED_MESSAGE = "This question needs an answer."


def validate_answer(question: Field, raw: Raw) -> list[str]:
    """Messages about an answer that is present but not acceptable (never about absence)."""
    return QUESTION_TYPES[question.type].validate(question, raw)


def is_answered(question: Field, raw: Raw) -> bool:
    return QUESTION_TYPES[question.type].is_answered(raw)


def normalise(question: Field, sent: Sent) -> tuple[Raw, list[str]]:
    """The raw answer for `question` from what a form sent for it, plus rejection messages."""
    return QUESTION_TYPES[question.type].normalise(question, sent)


class FormState:
    """Visibility and required-ness of everything, worked out once for a set of answers.

    Build one per request and ask it many questions.
    """

    def __init__(self, definition: Definition, answers: Answers) -> None:
        self.definition = definition
        self.answers = answers
        self._visible: dict[int, bool] = {}  # id() of section or item -> shown?
        self._shown_questions: set[str] = set()
        self._messages: dict[str, list[str]] = {}
        for section in definition.sections:
            section_shown = self._holds(section.visible_if)
            self._visible[id(section)] = section_shown
            for item in section.items:
                shown = section_shown and self._holds(item.visible_if)
                self._visible[id(item)] = shown
                if shown and isinstance(item, Question):
                    self._shown_questions.add(item.id)

    def _holds(self, condition: Expression | None) -> bool:
        return condition is None or condition.evaluate(self)

    # -- the expressions.Context protocol: hidden questions read as unanswered -------------
    def _raw(self, name: str) -> tuple[Question | None, Raw]:
        question = self.definition.questions.get(name)
        if question is None or name not in self._shown_questions:
            return None, None
        return question, self.answers.get(name)

    def value(self, name: str) -> object:
        question, raw = self._raw(name)
        return None if question is None else QUESTION_TYPES[question.type].value(question, raw)

    def answered(self, name: str) -> bool:
        question, raw = self._raw(name)
        return question is not None and QUESTION_TYPES[question.type].is_answered(raw)

    def word_count(self, name: str) -> int:
        question, raw = self._raw(name)
        return 0 if question is None else QUESTION_TYPES[question.type].word_count(raw)

    def count(self, name: str) -> int:
        question, raw = self._raw(name)
        return 0 if question is None else QUESTION_TYPES[question.type].count(raw)

    # -- questions about the form ---------------------------------------------------------
    def is_visible(self, item: Item | Section) -> bool:
        return self._visible.get(id(item), False)

    def is_required(self, question: Question) -> bool:
        if question.id not in self._shown_questions:
            return False
        return question.required or (
            question.required_if is not None and question.required_if.evaluate(self)
        )

    def is_answered(self, question: Question) -> bool:
        return is_answered(question, self.answers.get(question.id))

    def messages(self, question: Question) -> list[str]:
        """Validation messages of the question's answer (cached)."""
        if question.id not in self._messages:
            self._messages[question.id] = validate_answer(question, self.answers.get(question.id))
        return self._messages[question.id]

    def visible_questions(self, section: Section | None = None) -> list[Question]:
        sections = self.definition.sections if section is None else (section,)
        return [
            question
            for part in sections
            for question in part.questions
            if question.id in self._shown_questions
        ]

    def visible_items(self, section: Section) -> list[Item]:
        return [item for item in section.items if self.is_visible(item)]

    def problems(self, section: Section | None = None) -> list[tuple[str, str]]:
        """(question id, message) for each missing required answer and invalid answer."""
        problems: list[tuple[str, str]] = []
        for question in self.visible_questions(section):
            if self.is_required(question) and not self.is_answered(question):
                problems.append((question.id, REQUIRED_MESSAGE))
            elif self.is_required(question):
                raw = self.answers.get(question.id)
                missing = QUESTION_TYPES[question.type].missing(question, raw)
                problems.extend((question.id, message) for message in missing)
            problems.extend((question.id, message) for message in self.messages(question))
        return problems

    def section_status(self, section_id: str) -> Status:
        """not_started: nothing shown is answered (and something is); completed: nothing shown
        is missing or invalid; in_progress: otherwise."""
        section = self.definition.section(section_id)
        questions = self.visible_questions(section)
        if not questions:
            return "completed"
        if not any(self.is_answered(question) for question in questions):
            return "not_started"
        return "in_progress" if self.problems(section) else "completed"
