"""The parsed, immutable form of a definition file."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .expressions import Expression

Number = int | float
Limit = Number | datetime.date

# Who a questionnaire may be for: roles a person holds in their own organisation. The web app's
# OrgRole has the same values (a unit test keeps them equal); the engine stays free of it.
# The roles a person has in their organisation, and "staff" (admins and programme managers),
# for questionnaires that are a reference or a test rather than something to fill in.
AUDIENCE_ROLES: tuple[str, ...] = ("lead_member", "dcs", "officer", "partner", "staff")
STAFF_AUDIENCE = "staff"


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in a definition file, located at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class DefinitionError(Exception):
    """A definition file could not be loaded; `problems` lists every mistake found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


# eq=False on the items below: they are compared (and hashed) by identity, so two identical
# guidance blocks in different sections stay distinct in visibility maps.
@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Field:
    """What every answerable thing has: a question, or a field inside a repeatable question."""

    id: str
    type: str
    label: str
    hint: str | None = None
    note: str | None = None
    required: bool = False
    max_words: int | None = None
    min_words: int | None = None
    max_length: int | None = None
    min: Limit | None = None  # number or date, depending on the type
    max: Limit | None = None
    whole_number: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RepeatableField(Field):
    """One column of a repeatable question (types short_text ... url; no conditions)."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Question(Field):
    visible_if: Expression | None = None
    required_if: Expression | None = None
    options: tuple[Option, ...] = ()
    min_selected: int | None = None
    max_selected: int | None = None
    fields: tuple[RepeatableField, ...] = ()
    min_items: int | None = None
    max_items: int | None = None
    item_label: str | None = None

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Block:
    """Text shown between questions: `guidance`, `prompts` or `evidence`."""

    type: str
    title: str | None = None
    text: str | None = None  # guidance only
    items: tuple[str, ...] = ()  # prompts and evidence only
    visible_if: Expression | None = None
    line: int = 0


Item = Question | Block


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    intro: str | None = None
    visible_if: Expression | None = None
    line: int = 0

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(item for item in self.items if isinstance(item, Question))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Definition:
    id: str
    version: int
    title: str
    sections: tuple[Section, ...]
    intro: str | None = None
    guidance: str | None = None
    audience: tuple[str, ...] = ()  # roles from AUDIENCE_ROLES; empty: everyone signed in
    path: str = ""
    # Filled in __post_init__: every question in document order, and its section id.
    questions: Mapping[str, Question] = field(init=False)
    section_of: Mapping[str, str] = field(init=False)

    def __post_init__(self) -> None:
        questions: dict[str, Question] = {}
        section_of: dict[str, str] = {}
        for section in self.sections:
            for question in section.questions:
                questions[question.id] = question
                section_of[question.id] = section.id
        object.__setattr__(self, "questions", MappingProxyType(questions))
        object.__setattr__(self, "section_of", MappingProxyType(section_of))

    def is_for(self, role: str | None) -> bool:
        """True when someone with this role in their organisation may fill it in."""
        return not self.audience or role in self.audience

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def question(self, question_id: str) -> Question:
        return self.questions[question_id]
