"""Load a definition file: safe YAML with positions, JSON Schema, then semantic checks.

Every mistake becomes a Problem located at a line and column of the file, worded for admins
who are not programmers. All problems are reported together where practical: YAML syntax
errors stop at the first; schema errors are all reported; semantic checks run when the schema
passes.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .comparisons import option_comparison_problems
from .exclusive import exclusive_setting_problems
from .expressions import Expression, ExpressionError, parse_expression
from .model import (
    DOCUMENT,
    QUESTIONNAIRE,
    Block,
    Definition,
    DefinitionError,
    Item,
    Option,
    Problem,
    Question,
    RepeatableField,
    Section,
)
from .schema import BLOCK_TYPES, definition_schema
from .types import QUESTION_TYPES, QuestionType, type_of


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 512 * 1024
    max_depth: int = 20  # nesting of YAML mappings and lists
    max_expression_length: int = 500
    max_expression_depth: int = 20
    # Refuse conditions comparing a choice with a value no option has. Off only for texts
    # stored before this check existed: they were accepted then and must stay readable.
    check_option_values: bool = True


DEFAULT_LIMITS = Limits()

YamlPath = tuple[str | int, ...]
Position = tuple[int, int]


# --- YAML ----------------------------------------------------------------------------------


class _Stop(Exception):
    """Raised inside the YAML loader for a problem that ends reading the file."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark: yaml.Mark = mark  # an event's mark (libyaml's has the same line and column)
        self.message = message


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases, with a depth limit, and with YAML 1.2-like plain scalars.

    Only `true`/`false` are booleans (not yes/no/on/off), only plain decimal digits are integers
    (no octal, no 1:30 sexagesimal) and dates stay text, so what an admin types stays as typed.
    """

    yaml_implicit_resolvers: dict[Any, Any] = {}
    max_depth = DEFAULT_LIMITS.max_depth

    def __init__(self, stream: str, max_depth: int) -> None:
        super().__init__(stream)
        self.max_depth = max_depth
        self.depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Stop(event.start_mark, "aliases (*name) are not allowed: write the text out")
        if getattr(event, "anchor", None):
            raise _Stop(event.start_mark, "anchors (&name) are not allowed: write the text out")
        nested = isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent)
        if nested:
            self.depth += 1
            if self.depth > self.max_depth:
                raise _Stop(
                    event.start_mark,
                    f"the file is nested too deeply (more than {self.max_depth} levels)",
                )
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self.depth -= 1


_STR, _INT, _FLOAT, _BOOL, _NULL = (
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Loader.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


_EMPTY = ScalarNode("tag:yaml.org,2002:null", "")  # marks an empty file in _compose_fast


def _compose_fast(text: str, max_depth: int) -> Node | None:
    """Compose with libyaml's C parser when present (about 15 times faster).

    Returns None on any failure, and the caller then reads the text again with the pure-Python
    loader, whose error messages and positions are the ones we explain to admins.
    """
    if _FastLoader is None:
        return None
    loader = _FastLoader(text, max_depth)
    try:
        node = Composer.get_single_node(loader)
    except Exception:  # any failure is reported by the slow, careful path below
        return None
    finally:
        loader.dispose()
    return _EMPTY if node is None else node


def _make_fast_loader() -> type[_Loader] | None:
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None

    class FastLoader(CParser, _Loader):
        # libyaml parses; our Composer.compose_node (depth, no aliases) and resolvers compose.
        def __init__(self, stream: str, max_depth: int) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)
            self.max_depth = max_depth
            self.depth = 0

    return FastLoader


_FastLoader = _make_fast_loader()


@dataclass
class _Document:
    data: Any
    values: dict[YamlPath, Position]  # where each value starts
    keys: dict[YamlPath, Position]  # where each mapping key is written
    inline: dict[YamlPath, int]  # for one-line plain/quoted scalars: offset of the text


def _tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _position(mark: yaml.Mark) -> Position:
    return mark.line + 1, mark.column + 1


def _describe_syntax_error(error: yaml.MarkedYAMLError, source: str) -> tuple[Position, str]:
    """Where and what, in words an admin can act on (PyYAML's own words kept for searching)."""
    problem, context = error.problem or "", error.context or ""
    mark = error.problem_mark or error.context_mark
    assert mark is not None
    if "\t" in problem or (mark.index < len(source) and source[mark.index] == "\t"):
        return _position(mark), f"{problem}: a tab character is used here; indent with spaces only"
    if "quoted scalar" in context and error.context_mark is not None:
        return _position(error.context_mark), "this quoted text has no closing quote"
    if "mapping values are not allowed" in problem:
        note = _indentation_note(source, mark.line) if _at_first_key(source, mark) else None
        if note:
            return _position(mark), (f"{problem}: {note}; if this line continues the text "
                                     "above, put that text in double quotes")
        return _position(mark), f"{problem}: put text that contains ': ' in double quotes"
    if "expected a single document" in context:
        return _position(mark), "the file holds more than one YAML document (a second '---')"
    if "expected <block end>" in problem or "did not find expected key" in problem:
        note = _indentation_note(source, mark.line) or "check the indentation here"
        return _position(mark), f"YAML syntax error: {problem}: {note}"
    return _position(mark), f"YAML syntax error: {problem}"


_KEY_START = re.compile(r"\s*(?:- +)*[A-Za-z_][A-Za-z0-9_]*(?=:(?: |$))")


def _at_first_key(source: str, mark: yaml.Mark) -> bool:
    """Whether the error is at the colon of a `key:` that starts its line."""
    lines = source.splitlines()
    found = _KEY_START.match(lines[mark.line]) if mark.line < len(lines) else None
    return found is not None and found.end() == mark.column


def _key_column(line: str) -> int:
    """Where the key of a content line starts: after its indentation and any `- `."""
    stripped = line.lstrip(" ")
    column = len(line) - len(stripped)
    while stripped.startswith("- "):
        rest = stripped[2:].lstrip(" ")
        column += len(stripped) - len(rest)
        stripped = rest
    return column


def _indentation_note(source: str, index: int) -> str | None:
    """Words for a line whose indentation matches neither the line above nor the one below
    (lines that are blank or only a comment are skipped); None when it matches one of them."""
    lines = source.splitlines()
    if index >= len(lines):
        return None

    def content(line: str) -> bool:
        return line.strip() != "" and not line.lstrip().startswith("#")

    above = next((i for i in range(index - 1, -1, -1) if content(lines[i])), None)
    below = next((i for i in range(index + 1, len(lines)) if content(lines[i])), None)
    if above is None:
        return None
    own = len(lines[index]) - len(lines[index].lstrip(" "))
    before = _key_column(lines[above])
    after = _key_column(lines[below]) if below is not None else None
    below_line = (below or 0) + 1  # used only when there is a line below
    if own == before or (after is not None and own == after and own <= before):
        return None
    spaces = "space" if own == 1 else "spaces"
    if after is None or after == before:
        around = f"line {above + 1} above" if after is None else (
            f"lines {above + 1} and {below_line} around it")
        others = f"{around} by {before}"
    else:
        others = f"line {above + 1} above by {before} and line {below_line} below by {after}"
    dashes = any(lines[i].lstrip().startswith("- ") for i in (above, below) if i is not None)
    return (f"this line is indented by {own} {spaces} but {others}"
            f"{' (not counting the ‘- ’)' if dashes else ''}: "
            "give the keys of one item the same indentation")


class _Reader:
    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.problems: list[Problem] = []
        # The problems that keep a text from being stored at all (see refusals()).
        self.refusals: list[Problem] = []

    def add(self, position: Position, message: str) -> None:
        self.problems.append(Problem(self.path, position[0], position[1], message))

    def refuse(self, position: Position, message: str) -> None:
        self.add(position, message)
        self.refusals.append(self.problems[-1])

    def read(self, source: bytes | str) -> _Document | None:
        if isinstance(source, bytes):
            if len(source) > self.limits.max_bytes:
                self.refuse(
                    (1, 1), f"the file is too large (the limit is {self.limits.max_bytes} bytes)"
                )
                return None
            try:
                text = source.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                before = source[: error.start].decode("utf-8", errors="replace")
                line = before.count("\n") + 1
                column = len(before) - (before.rfind("\n") + 1) + 1
                byte = source[error.start]
                self.refuse(
                    (line, column),
                    f"the file is not valid UTF-8 text (byte 0x{byte:02X} "
                    "here): save it with UTF-8 encoding",
                )
                return None
        else:
            text = source
            if len(text.encode("utf-8")) > self.limits.max_bytes:
                self.refuse(
                    (1, 1), f"the file is too large (the limit is {self.limits.max_bytes} bytes)"
                )
                return None
        node = _compose_fast(text, self.limits.max_depth)
        loader = None
        try:
            if node is None:
                # Constructing the loader already scans the text for forbidden characters.
                loader = _Loader(text, self.limits.max_depth)
                node = loader.get_single_node()
        except _Stop as stop:
            self.refuse(_position(stop.mark), stop.message)
            return None
        except yaml.reader.ReaderError as error:
            before = text[: error.position]
            line = before.count("\n") + 1
            self.refuse(
                (line, error.position - (before.rfind("\n") + 1) + 1),
                f"the file contains a control character (code {error.character!r}) "
                "that is not allowed",
            )
            return None
        except yaml.MarkedYAMLError as error:
            self.add(*_describe_syntax_error(error, text))
            return None
        finally:
            if loader is not None:
                loader.dispose()
        if node is None or node is _EMPTY:
            self.add((1, 1), "the file is empty")
            return None
        document = _Document(None, {}, {}, {})
        document.data = self.convert(node, (), document)
        return document

    def convert(self, node: Node, path: YamlPath, document: _Document) -> Any:
        document.values[path] = _position(node.start_mark)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path, document)
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.refuse(
                    _position(node.start_mark), f"the tag '{_tag(node.tag)}' is not allowed"
                )
            return [self.convert(child, (*path, i), document) for i, child in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        if node.tag != "tag:yaml.org,2002:map":
            self.refuse(_position(node.start_mark), f"the tag '{_tag(node.tag)}' is not allowed")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.add(_position(key_node.start_mark), "a key must be a plain word")
                continue
            key = key_node.value
            if (*path, key) in document.keys:
                first = document.keys[(*path, key)][0]
                self.add(
                    _position(key_node.start_mark),
                    f"the key '{key}' appears twice here (first at line {first})",
                )
                continue
            document.keys[(*path, key)] = _position(key_node.start_mark)
            result[key] = self.convert(value_node, (*path, key), document)
        return result

    def scalar(self, node: ScalarNode, path: YamlPath, document: _Document) -> Any:
        if node.start_mark.line == node.end_mark.line and node.style in (None, "", "'", '"'):
            document.inline[path] = 1 if node.style else 0
        value: str = node.value
        try:
            if node.tag == _STR:
                return value
            if node.tag == _NULL:
                return None
            if node.tag == _BOOL and value.lower() in ("true", "false"):
                return value.lower() == "true"
            if node.tag == _INT:
                return int(value)
            if node.tag == _FLOAT:
                return float(value)
        except ValueError:
            pass
        self.refuse(_position(node.start_mark), f"the tag '{_tag(node.tag)}' is not allowed here")
        return value


# --- schema --------------------------------------------------------------------------------


def _validator() -> jsonschema.Draft202012Validator:
    return _validator_for(tuple(QUESTION_TYPES))


@functools.cache
def _validator_for(types: tuple[str, ...]) -> jsonschema.Draft202012Validator:
    # Built again only if a type is registered after the first definition was read.
    return jsonschema.Draft202012Validator(definition_schema())


_PATTERNS = {
    "^[a-z][a-z0-9_]*$": "use lowercase letters, digits and underscores, starting with a letter",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "use lowercase letters, digits and single hyphens",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "write dates as YYYY-MM-DD, like 2022-11-01",
}
_JSON_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of 'key: value' lines",
    "null": "empty",
}


def _describe_value(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    return "a list" if isinstance(value, list) else "a set of 'key: value' lines"


def _lookup(data: Any, path: YamlPath) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _owner(data: Any, path: YamlPath) -> str:
    """Words naming the thing at `path`, e.g. "question 'ambition'" or "section 2"."""
    if not path:
        return "the top level"
    value = _lookup(data, path)
    ident = value.get("id") if isinstance(value, dict) else None
    named = f" '{ident}'" if isinstance(ident, str) else ""
    if len(path) >= 2 and path[-2] == "sections":
        return f"section{named}" if named else f"section {int(path[-1]) + 1}"
    if len(path) >= 2 and path[-2] == "items" and len(path) >= 4:
        kind = value.get("type") if isinstance(value, dict) else None
        if kind in BLOCK_TYPES:
            return f"{kind} block"
        return f"question{named}" if named else f"item {int(path[-1]) + 1}"
    if len(path) >= 2 and path[-2] == "fields":
        return f"field{named} of {_owner(data, path[:-2])}"
    if len(path) >= 2 and path[-2] == "options":
        return f"option {int(path[-1]) + 1} of {_owner(data, path[:-2])}"
    if isinstance(path[-1], int):
        return f"entry {path[-1] + 1} of '{path[-2]}' in {_owner(data, path[:-2])}"
    return f"'{path[-1]}' in {_owner(data, path[:-1])}"


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _key_name(path: YamlPath) -> str:
    return f"'{path[-1]}'" if path and isinstance(path[-1], str) else "this value"


def _schema_problems(reader: _Reader, document: _Document) -> None:
    data = document.data
    reported: set[tuple[YamlPath, str]] = set()
    for error in _validator().iter_errors(data):
        path: YamlPath = tuple(error.absolute_path)
        where = document.values.get(path, (1, 1))
        kind = error.validator
        if kind == "additionalProperties":
            allowed = error.schema.get("properties", {})
            for key in error.instance:
                if key in allowed:
                    continue
                at = document.keys.get((*path, key), where)
                reader.add(at, _unknown_key(key, allowed, data, path))
            continue
        if kind == "required":
            # jsonschema yields one error per missing key, but does not say which in a field.
            for key in error.validator_value:
                if key not in error.instance and (path, key) not in reported:
                    reported.add((path, key))
                    reader.add(where, f"missing required key '{key}' in {_owner(data, path)}")
            continue
        if kind == "type" and not path and data is not None:
            reader.add(
                where,
                "the file must be a set of 'key: value' lines (id, version, "
                f"title, sections), not {_describe_value(data)}",
            )
            continue
        reader.add(where, _schema_message(error, data, path))


# Keys of one kind's sections written in the other kind's, and what to say about them.
_OTHER_KIND_KEYS = {
    DOCUMENT: {"items": "a document's section has 'fields' (its structured fields), not "
                        "'items'"},
    QUESTIONNAIRE: {key: "only the sections of a document (kind: document) have it"
                    for key in ("guidance", "body", "fields")},
}


def _unknown_key(key: str, allowed: dict[str, Any], data: Any, path: YamlPath) -> str:
    owner = _owner(data, path)
    if len(path) == 2 and path[0] == "sections" and isinstance(data, dict):
        note = _OTHER_KIND_KEYS.get(data.get("kind", QUESTIONNAIRE), {}).get(key)
        if note:
            return f"unknown key '{key}' in {owner}: {note}"
    value = _lookup(data, path)
    kind = value.get("type") if isinstance(value, dict) else None
    elsewhere = [name for name, kind_ in QUESTION_TYPES.items() if key in kind_.setting_keys()]
    if isinstance(kind, str) and elsewhere and kind not in elsewhere:
        return (
            f"{key} is not allowed for type '{kind}' in {owner} (it is for "
            + ", ".join(elsewhere)
            + " questions)"
        )
    return f"unknown key '{key}' in {owner}{_did_you_mean(key, allowed)}"


def _schema_message(error: jsonschema.ValidationError, data: Any, path: YamlPath) -> str:
    # Any: jsonschema's stubs allow "unset", which a raised error never is.
    kind: Any = error.validator
    expected: Any = error.validator_value
    value = error.instance
    subject = f"{_key_name(path)} in {_owner(data, path[:-1])}" if path else "the file"
    if isinstance(path[-1:][0] if path else None, int):
        subject = _owner(data, path)
    if kind == "type":
        wanted: list[str] = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_JSON_TYPES.get(name, name) for name in wanted)
        return f"{subject}: expected {words}, not {_describe_value(value)}"
    if kind in ("enum", "const") and path and path[-1] == "type":
        choices = expected if kind == "enum" else [expected]
        if len(path) >= 2 and "fields" in path and "items" in path:  # a repeatable's field
            return (
                f"'{value}' cannot be the type of a field inside a repeatable question; "
                f"use one of: {', '.join(choices)}"
            )
        return (
            f"unknown type '{value}' in {_owner(data, path[:-1])}"
            f"{_did_you_mean(str(value), choices)}; the types are: {', '.join(choices)}"
        )
    if kind == "enum" and len(path) == 2 and path[0] == "audience":
        shown = f"'{value}'" if isinstance(value, str) else _describe_value(value)
        return f"unknown audience {shown} (choose from {', '.join(expected)})"
    if kind == "pattern":
        advice = _PATTERNS.get(str(expected), f"it must match {expected}")
        if path and path[-1] == "id":
            return f"invalid id '{value}': {advice}"
        return f"{subject} is '{value}': {advice}"
    if kind == "minLength":
        return f"{subject} must not be empty"
    if kind == "maxLength":
        return f"{subject} is too long (at most {expected} characters)"
    if kind == "minItems":
        return f"{subject} must have at least {expected} entr{'y' if expected == 1 else 'ies'}"
    if kind == "minimum":
        return f"{subject} must be {expected} or more, not {value}"
    return f"{subject}: {error.message}"


# --- semantic checks and building the model ------------------------------------------------


@dataclass
class _Condition:
    expression: Expression
    path: YamlPath  # of the condition's value in the file
    key: str  # "visible_if" or "required_if"
    owner: str  # e.g. "question 'ambition'"
    order: int  # questions before this order may be named by visible_if
    self_id: str | None


class _Builder:
    def __init__(self, reader: _Reader, document: _Document, expected_id: str | None) -> None:
        self.reader = reader
        self.document = document
        self.data = document.data
        self.expected_id = expected_id
        self.question_order: dict[str, int] = {}
        self.questions: dict[str, Question] = {}
        self.question_lines: dict[str, int] = {}
        self.conditions: list[_Condition] = []
        self.order = 0
        self.renames: list[tuple[Question, YamlPath]] = []  # questions with renamed_from

    def at(self, path: YamlPath) -> Position:
        return self.document.values.get(path, (1, 1))

    def add(self, path: YamlPath, message: str) -> None:
        self.reader.add(self.at(path), message)

    def build(self) -> Definition:
        data = self.data
        if self.expected_id is not None and data["id"] != self.expected_id:
            self.add(
                ("id",),
                f"id does not match the file name: the id is '{data['id']}' but the "
                f"file is '{self.expected_id}.yaml'",
            )
        sections: list[Section] = []
        section_lines: dict[str, int] = {}
        for index, raw in enumerate(data["sections"]):
            path: YamlPath = ("sections", index)
            if raw["id"] in section_lines:
                self.add(
                    (*path, "id"),
                    f"duplicate section id '{raw['id']}': it is used twice "
                    f"(first at line {section_lines[raw['id']]})",
                )
            section_lines.setdefault(raw["id"], self.at((*path, "id"))[0])
            visible_if = self.condition(raw, path, "visible_if", f"section '{raw['id']}'", None)
            # A document's section has structured `fields` (optional) where a questionnaire's
            # has `items`; both are read as questions.
            key = "fields" if data.get("kind") == DOCUMENT else "items"
            items = tuple(
                self.item(item, (*path, key, i)) for i, item in enumerate(raw.get(key, ()))
            )
            sections.append(
                Section(
                    id=raw["id"],
                    title=raw["title"],
                    items=items,
                    intro=raw.get("intro"),
                    visible_if=visible_if,
                    line=self.at(path)[0],
                    guidance=raw.get("guidance"),
                    body=raw.get("body"),
                )
            )
        self.check_conditions()
        self.check_renames()
        return Definition(
            id=data["id"],
            version=data["version"],
            title=data["title"],
            sections=tuple(sections),
            intro=data.get("intro"),
            guidance=data.get("guidance"),
            audience=self.audience(data.get("audience", ())),
            path=self.reader.path,
            completion=data.get("completion"),
            kind=data.get("kind", QUESTIONNAIRE),
        )

    def audience(self, roles: list[str]) -> tuple[str, ...]:
        seen: dict[str, int] = {}
        for index, role in enumerate(roles):
            line = self.at(("audience", index))[0]
            if role in seen:
                self.add(("audience", index),
                         f"audience lists '{role}' twice (first at line {seen[role]})")
            seen.setdefault(role, line)
        return tuple(seen)

    def condition(
        self, raw: dict[str, Any], path: YamlPath, key: str, owner: str, self_id: str | None
    ) -> Expression | None:
        source = raw.get(key)
        if source is None:
            return None
        limits = self.reader.limits
        try:
            expression = parse_expression(
                source,
                max_length=limits.max_expression_length,
                max_depth=limits.max_expression_depth,
            )
        except ExpressionError as error:
            self.reader.add(
                self.expression_position((*path, key), error.position),
                f"{key}: invalid condition: {error}",
            )
            return None
        self.conditions.append(
            _Condition(expression, (*path, key), key, owner, self.order, self_id)
        )
        return expression

    def expression_position(self, path: YamlPath, offset: int) -> Position:
        line, column = self.at(path)
        if path in self.document.inline:
            return line, column + self.document.inline[path] + offset
        return line, column

    def item(self, raw: dict[str, Any], path: YamlPath) -> Item:
        kind = raw["type"]
        if kind in BLOCK_TYPES:
            visible_if = self.condition(raw, path, "visible_if", f"{kind} block", None)
            self.order += 1
            return Block(
                type=kind,
                title=raw.get("title"),
                text=raw.get("text"),
                items=tuple(raw.get("items", ())),
                visible_if=visible_if,
                line=self.at(path)[0],
            )
        question_id = raw["id"]
        owner = f"question '{question_id}'"
        if question_id in self.question_lines:
            self.add(
                (*path, "id"),
                f"duplicate question id '{question_id}': it is used twice "
                f"(first at line {self.question_lines[question_id]})",
            )
        else:
            self.question_lines[question_id] = self.at((*path, "id"))[0]
            self.question_order[question_id] = self.order
        visible_if = self.condition(raw, path, "visible_if", owner, question_id)
        required_if = self.condition(raw, path, "required_if", owner, question_id)
        self.order += 1
        question = Question(
            **self.field_settings(raw, path, owner),
            visible_if=visible_if,
            required_if=required_if,
            renamed_from=raw.get("renamed_from"),
        )
        self.questions.setdefault(question_id, question)
        if question.renamed_from is not None:
            self.renames.append((question, (*path, "renamed_from")))
        return question

    def check_renames(self) -> None:
        """A renamed_from must name an id that is gone from this file, and only one question
        may take over its answers (formengine/carry.py moves them)."""
        claimed: dict[str, Question] = {}
        for question, path in self.renames:
            old = question.renamed_from
            assert old is not None
            if old in self.questions:
                where = ("it is this question's own id" if old == question.id
                         else f"that question is still in this file (line "
                              f"{self.question_lines[old]})")
                self.add(path, f"renamed_from of question '{question.id}' names '{old}', but "
                         f"{where}: renamed_from takes over the answers of a question that "
                         "no longer exists")
            elif old in claimed:
                first = claimed[old]
                line = self.question_lines[first.id]
                self.add(path, f"question '{question.id}' and question '{first.id}' (line "
                         f"{line}) both say renamed_from: {old}; only one question can take "
                         "over its answers")
            else:
                claimed[old] = question

    def field_settings(self, raw: dict[str, Any], path: YamlPath, owner: str) -> dict[str, Any]:
        """The keys every field has, and the settings its type declares (read, then checked)."""
        kind = QUESTION_TYPES[raw["type"]]
        return dict(
            id=raw["id"],
            type=raw["type"],
            label=raw["label"],
            hint=raw.get("hint"),
            note=raw.get("note"),
            required=raw.get("required", False),
            settings=self.settings(kind, raw, path, owner),
            line=self.at(path)[0],
        )

    def settings(
        self, kind: QuestionType[Any], raw: dict[str, Any], path: YamlPath, owner: str
    ) -> Any:
        values: dict[str, Any] = {}
        for spec in kind.settings.declared():
            if spec.name not in raw:
                continue
            read = spec.metadata["read"]
            key_path: YamlPath = (*path, spec.name)
            if read == "date":
                try:
                    values[spec.name] = datetime.date.fromisoformat(raw[spec.name])
                except ValueError:
                    self.add(
                        key_path, f"'{spec.name}' in {owner} is not a real date: '{raw[spec.name]}'"
                    )
            elif read == "options":
                values[spec.name] = self.options(raw[spec.name], key_path, owner)
                for index, message in exclusive_setting_problems(raw, owner):
                    self.add((*key_path, index, "exclusive"), message)
            elif read == "fields":
                values[spec.name] = self.fields(raw[spec.name], key_path, owner)
            else:
                values[spec.name] = raw[spec.name]
        settings = kind.settings(**values)
        for key, message in settings.problems(owner):
            self.add((*path, key), message)
        return settings

    def options(self, raw: list[Any], path: YamlPath, owner: str) -> tuple[Option, ...]:
        options: list[Option] = []
        seen: dict[str, int] = {}
        for index, option in enumerate(raw):
            value, label = (
                (option, option) if isinstance(option, str) else (option["value"], option["label"])
            )
            option_path: YamlPath = (*path, index)
            if isinstance(option, dict):
                option_path = (*option_path, "value")
            if value in seen:
                self.add(
                    option_path,
                    f"the option '{value}' appears twice in {owner} (first at line {seen[value]})",
                )
                continue
            seen[value] = self.at(option_path)[0]
            exclusive = isinstance(option, dict) and option.get("exclusive") is True
            options.append(Option(value=value, label=label, exclusive=exclusive))
        return tuple(options)

    def fields(self, raw: list[Any], path: YamlPath, owner: str) -> tuple[RepeatableField, ...]:
        fields: list[RepeatableField] = []
        seen: dict[str, int] = {}
        for index, field in enumerate(raw):
            field_path: YamlPath = (*path, index)
            field_owner = f"field '{field['id']}' of {owner}"
            if field["id"] in seen:
                self.add(
                    (*field_path, "id"),
                    f"duplicate field id '{field['id']}' in "
                    f"{owner} (first at line {seen[field['id']]})",
                )
                continue
            seen[field["id"]] = self.at((*field_path, "id"))[0]
            fields.append(RepeatableField(**self.field_settings(field, field_path, field_owner)))
        return tuple(fields)

    def check_conditions(self) -> None:
        for condition in self.conditions:
            for name, function in condition.expression.references():
                self.check_reference(condition, name.name, name.pos, function)
            if not self.reader.limits.check_option_values:
                continue
            for pos, message in option_comparison_problems(condition.expression, self.questions):
                at = self.expression_position(condition.path, pos)
                self.reader.add(at, f"{condition.key}: {message}")

    def check_reference(
        self, condition: _Condition, name: str, pos: int, function: str | None
    ) -> None:
        at = self.expression_position(condition.path, pos)
        key = condition.key
        if name not in self.questions:
            hint = _did_you_mean(name, self.questions)
            if name in ("True", "False", "None"):
                hint = f" (write '{name.lower()}' in lowercase)"
            self.reader.add(at, f"condition names an unknown question '{name}' in {key}{hint}")
            return
        question = self.questions[name]
        if key == "visible_if":
            if name == condition.self_id:
                self.reader.add(
                    at, f"visible_if of {condition.owner} cannot refer to the question itself"
                )
                return
            if self.question_order[name] >= condition.order:
                self.reader.add(
                    at,
                    f"visible_if of {condition.owner} refers to '{name}', "
                    f"which comes later (line {self.question_lines[name]}); "
                    "it may only refer to questions before it",
                )
                return
        if function is not None and function not in type_of(question).functions:
            self.reader.add(
                at,
                f"{key}: {function}() only works on {_types_with(function)} questions, and "
                f"'{name}' is a {question.type} question",
            )
        if function is None and not type_of(question).comparable:
            self.reader.add(
                at,
                f"{key}: '{name}' is a {question.type} question, which a condition can only "
                f"read with answered({name})",
            )


def _types_with(function: str) -> str:
    """Words for the types a condition function works on: their group ("text") when they are
    all of one, else their names ("multiple_choice and repeatable")."""
    kinds = [kind for kind in QUESTION_TYPES.values() if function in kind.functions]
    groups = {kind.group for kind in kinds}
    if len(groups) == 1 and "" not in groups:
        return groups.pop()
    names = [kind.name for kind in kinds]
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def parse_definition(
    source: bytes | str,
    *,
    path: str = "<string>",
    limits: Limits = DEFAULT_LIMITS,
    expected_id: str | None = None,
) -> Definition:
    """Parse definition text; raise DefinitionError listing every problem found."""
    reader = _Reader(path, limits)
    document = reader.read(source)
    if document is None or reader.problems:
        raise DefinitionError(_sorted(reader.problems))
    _schema_problems(reader, document)
    if reader.problems:
        raise DefinitionError(_sorted(reader.problems))
    definition = _Builder(reader, document, expected_id).build()
    if reader.problems:
        raise DefinitionError(_sorted(reader.problems))
    return definition


def refusals(
    source: bytes | str, *, path: str = "<string>", limits: Limits = DEFAULT_LIMITS
) -> list[Problem]:
    """The problems that keep a text from being stored at all: too large, not UTF-8, control
    characters, anchors and aliases, nesting too deep, tags. A YAML syntax error or a wrong key
    is not one of them: that is a text being written, kept as a draft with its problems."""
    reader = _Reader(path, limits)
    reader.read(source)
    return _sorted(reader.refusals)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


def read_source(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A definition file's bytes (one past the size limit at most); DefinitionError when the
    file cannot be read."""
    try:
        with path.open("rb") as file:
            # Read one byte past the limit: enough to know the file is too large.
            return file.read(limits.max_bytes + 1)
    except OSError as error:
        raise DefinitionError(
            [Problem(str(path), 1, 1, f"the file cannot be read: {error.strerror}")]
        ) from None


def load_definition(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Definition:
    """Load `<id>.yaml`; raise DefinitionError listing every problem found."""
    path = Path(path)
    source = read_source(path, limits)
    return parse_definition(source, path=str(path), limits=limits, expected_id=path.stem)
