"""The parsed, immutable form of a definition file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .expressions import Expression

# Who a questionnaire may be for: roles a person holds in their own organisation. The web app's
# OrgRole has the same values (a unit test keeps them equal); the engine stays free of it.
# The roles a person has in their organisation, and "staff" (admins and programme managers),
# for questionnaires that are a reference or a test rather than something to fill in.
AUDIENCE_ROLES: tuple[str, ...] = ("lead_member", "dcs", "officer", "partner", "staff")
STAFF_AUDIENCE = "staff"

# What a definition describes: a questionnaire people answer (the default), or a document such
# as a network's terms of reference, written section by section in Markdown by its editors.
KINDS: tuple[str, ...] = ("questionnaire", "document")
QUESTIONNAIRE, DOCUMENT = KINDS


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
    exclusive: bool = False  # multiple_choice: cannot be ticked with any other option


# How the loader reads a setting's YAML value: as it is, as a date, as a list of options, or as
# the fields of a repeatable question.
READS = ("value", "date", "options", "fields")
Schema = dict[str, Any]


def setting(schema: Schema | Callable[[], Schema], *, read: str = "value", **default: Any) -> Any:
    """A dataclass field of a type's Settings: the JSON Schema of its value (with a
    description; a function when it depends on the registered types) and how it is read.
    Pass `default=...`; without one the key is required in definitions."""
    assert read in READS, read
    metadata = {"schema": schema, "read": read, "required": "default" not in default}
    return field(metadata=metadata, **default)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """The keys a question type adds to the common ones (none here). A type declares a subclass
    whose fields are made with setting(); the loader fills it from the definition."""

    def problems(self, owner: str) -> Iterator[tuple[str, str]]:
        """(key, message) for settings that contradict each other."""
        return iter(())

    @classmethod
    def declared(cls) -> tuple[dataclasses.Field[Any], ...]:
        return dataclasses.fields(cls)


# eq=False on the items below: they are compared (and hashed) by identity, so two identical
# guidance blocks in different sections stay distinct in visibility maps.
@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Field:
    """What every answerable thing has: a question, or a field inside a repeatable question.
    What only some types have is in `settings`, declared by the type (see types.py)."""

    id: str
    type: str
    label: str
    hint: str | None = None
    note: str | None = None
    required: bool = False
    settings: Settings = Settings()
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RepeatableField(Field):
    """One column of a repeatable question (types that allow it; no conditions)."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Question(Field):
    visible_if: Expression | None = None
    required_if: Expression | None = None
    renamed_from: str | None = None  # an earlier version's id whose answers this one takes


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
    # Documents only: Markdown guidance for whoever writes the section, and the body a new
    # document starts with (its `items` are then the section's structured fields).
    guidance: str | None = None
    body: str | None = None

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
    completion: str | None = None  # Markdown shown after finalising
    kind: str = QUESTIONNAIRE  # one of KINDS
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

    @property
    def is_document(self) -> bool:
        return self.kind == DOCUMENT

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
