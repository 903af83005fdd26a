"""The small condition language of `visible_if` / `required_if`.

A hand-written tokenizer and recursive-descent parser build a tree of small dataclasses, which
`Expression.evaluate` walks. Nothing is ever passed to Python's `eval`: the only things an
expression can do are listed in docs/form-definitions.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .words import count_words

MAX_LENGTH = 500
MAX_DEPTH = 20
FUNCTIONS = ("answered", "word_count", "count")
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "none"}
_COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


class ExpressionError(ValueError):
    """A condition that cannot be parsed; `position` is 0-based, `column` 1-based."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    @property
    def column(self) -> int:
        return self.position + 1

    def __str__(self) -> str:
        return f"{self.message} at column {self.column}"


# --- syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    value: str | int | float | bool | None
    pos: int


@dataclass(frozen=True, slots=True)
class ListLiteral:
    items: tuple[Literal, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    pos: int


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    argument: Name
    pos: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node
    pos: int


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" | "or"
    left: Node
    right: Node
    pos: int


@dataclass(frozen=True, slots=True)
class Compare:
    op: str  # one of _COMPARISONS, "in", "not in"
    left: Node
    right: Node
    pos: int


Node = Literal | ListLiteral | Name | Call | Not | BoolOp | Compare


def walk(node: Node) -> Iterator[Node]:
    """Yield `node` and every node below it."""
    yield node
    match node:
        case Call(argument=argument):
            yield argument
        case Not(operand=operand):
            yield from walk(operand)
        case BoolOp(left=left, right=right) | Compare(left=left, right=right):
            yield from walk(left)
            yield from walk(right)
        case ListLiteral(items=items):
            yield from items


# --- tokenizer -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "number", "string", "name", "op", a keyword, a bracket or ",", or "end"
    text: str
    pos: int
    value: str | int | float | None = None


_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<number>\d+(?:\.\d+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>==|!=|<=|>=|<|>)
      | (?P<punct>[()\[\],-])
      | (?P<quote>['"])""",
    re.VERBOSE,
)
# Characters people try from other languages, with a friendlier message than "unexpected".
_MISTAKES = {
    "=": "use '==' to compare two values",
    "!": "use 'not' instead of '!'",
    "&": "use 'and' instead of '&'",
    "|": "use 'or' instead of '|'",
    ".": "'.' is not allowed: conditions cannot look inside values",
}


def _read_string(source: str, start: int) -> tuple[str, int]:
    quote = source[start]
    chars: list[str] = []
    i = start + 1
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            chars.append(source[i + 1])
            i += 2
        elif char == quote:
            return "".join(chars), i + 1
        else:
            chars.append(char)
            i += 1
    raise ExpressionError("this text has no closing quote", start)


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            char = source[pos]
            raise ExpressionError(_MISTAKES.get(char, f"unexpected character {char!r}"), pos)
        kind, text = match.lastgroup, match.group()
        if kind == "quote":
            value, end = _read_string(source, pos)
            tokens.append(_Token("string", source[pos:end], pos, value))
            pos = end
            continue
        if kind == "number":
            number = float(text) if "." in text else int(text)
            tokens.append(_Token("number", text, pos, number))
        elif kind == "name":
            tokens.append(_Token(text if text in _KEYWORDS else "name", text, pos, text))
        elif kind == "op":
            tokens.append(_Token("op", text, pos))
        elif kind == "punct":
            tokens.append(_Token(text, text, pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


# --- parser --------------------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str, max_depth: int) -> None:
        self.tokens = _tokenize(source)
        self.index = 0
        self.depth = 0
        self.max_depth = max_depth

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise ExpressionError("the condition is empty", 0)
        node = self.parse_or()
        token = self.token
        if token.kind == ")":
            raise ExpressionError("')' has no matching '('", token.pos)
        if token.kind == "[":
            raise ExpressionError("indexing with [...] is not allowed", token.pos)
        if token.kind != "end":
            raise ExpressionError(
                f"expected 'and', 'or' or a comparison before {token.text!r}", token.pos
            )
        return node

    def nest(self, pos: int) -> None:
        # Bounds the recursion, so a hostile condition cannot raise RecursionError.
        self.depth += 1
        if self.depth > self.max_depth:
            raise ExpressionError(
                f"the condition is nested too deeply (more than {self.max_depth} levels)", pos
            )

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.token.kind == "or":
            token = self.advance()
            node = BoolOp("or", node, self.parse_and(), token.pos)
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.token.kind == "and":
            token = self.advance()
            node = BoolOp("and", node, self.parse_not(), token.pos)
        return node

    def parse_not(self) -> Node:
        if self.token.kind == "not":
            token = self.advance()
            self.nest(token.pos)
            node = Not(self.parse_not(), token.pos)
            self.depth -= 1
            return node
        return self.parse_comparison()

    def comparison_operator(self) -> str | None:
        token = self.token
        if token.kind == "op":
            return token.text
        if token.kind == "in":
            return "in"
        if token.kind == "not" and self.tokens[self.index + 1].kind == "in":
            return "not in"
        return None

    def parse_comparison(self) -> Node:
        left = self.parse_value()
        op = self.comparison_operator()
        if op is None:
            return left
        token = self.advance()
        if op == "not in":
            self.advance()
        node = Compare(op, left, self.parse_value(), token.pos)
        if self.comparison_operator() is not None:
            raise ExpressionError(
                "comparisons cannot be chained: join them with 'and'", self.token.pos
            )
        return node

    def expected_value(self) -> ExpressionError:
        token = self.token
        previous = self.tokens[self.index - 1] if self.index else None
        if previous is not None and previous.kind in ("and", "or", "not", "in", "op", "(", ","):
            return ExpressionError(f"expected a value after {previous.text!r}", token.pos)
        if token.kind == "end":
            return ExpressionError("expected a value", token.pos)
        return ExpressionError(f"expected a value, not {token.text!r}", token.pos)

    def parse_value(self) -> Node:
        token = self.token
        if token.kind == "(":
            self.advance()
            self.nest(token.pos)
            node = self.parse_or()
            self.depth -= 1
            if self.token.kind != ")":
                raise ExpressionError("this '(' has no matching ')'", token.pos)
            self.advance()
            return self.check_no_suffix(node)
        if token.kind == "[":
            return self.check_no_suffix(self.parse_list())
        if token.kind == "name":
            self.advance()
            if self.token.kind == "(":
                return self.check_no_suffix(self.parse_call(token))
            return self.check_no_suffix(Name(token.text, token.pos))
        return self.check_no_suffix(self.parse_literal())

    def check_no_suffix(self, node: Node) -> Node:
        if self.token.kind == "[":
            raise ExpressionError("indexing with [...] is not allowed", self.token.pos)
        if self.token.kind == "(":
            raise ExpressionError(
                "only answered(), word_count() and count() can be called", self.token.pos
            )
        return node

    def parse_literal(self) -> Literal:
        token = self.token
        if token.kind in ("number", "string"):
            self.advance()
            return Literal(token.value, token.pos)
        if token.kind in ("true", "false", "none"):
            self.advance()
            value = {"true": True, "false": False, "none": None}[token.kind]
            return Literal(value, token.pos)
        if token.kind == "-" and self.tokens[self.index + 1].kind == "number":
            self.advance()
            number = self.advance()
            assert isinstance(number.value, int | float)
            return Literal(-number.value, token.pos)
        raise self.expected_value()

    def parse_list(self) -> ListLiteral:
        start = self.advance()
        items: list[Literal] = []
        while self.token.kind != "]":
            if self.token.kind == "name":
                raise ExpressionError(
                    "a list can only hold fixed values like 'a' or 3, not question ids",
                    self.token.pos,
                )
            if self.token.kind == "end":
                raise ExpressionError("this '[' has no matching ']'", start.pos)
            items.append(self.parse_literal())
            if self.token.kind == ",":
                self.advance()
            elif self.token.kind == "end":
                raise ExpressionError("this '[' has no matching ']'", start.pos)
            elif self.token.kind != "]":
                raise ExpressionError("expected ',' or ']' in the list", self.token.pos)
        self.advance()
        return ListLiteral(tuple(items), start.pos)

    def parse_call(self, name: _Token) -> Call:
        if name.text not in FUNCTIONS:
            raise ExpressionError(
                f"unknown function '{name.text}': you can use answered(), word_count() and count()",
                name.pos,
            )
        self.advance()  # "("
        argument = self.token
        if argument.kind != "name":
            raise ExpressionError(
                f"{name.text}() needs a question id, like {name.text}(ambition)", argument.pos
            )
        self.advance()
        if self.token.kind != ")":
            raise ExpressionError(f"{name.text}() takes exactly one question id", self.token.pos)
        self.advance()
        return Call(name.text, Name(argument.text, argument.pos), name.pos)


# --- evaluation ----------------------------------------------------------------------------


class Context(Protocol):
    """What an expression can ask about the answers."""

    def value(self, name: str) -> object: ...
    def answered(self, name: str) -> bool: ...
    def word_count(self, name: str) -> int: ...
    def count(self, name: str) -> int: ...


class MappingContext:
    """A Context over plain values, for tests and simple callers."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = values

    def value(self, name: str) -> object:
        return self.values.get(name)

    def answered(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip() != ""
        return value is not None and value != []

    def word_count(self, name: str) -> int:
        value = self.values.get(name)
        return count_words(value) if isinstance(value, str) else 0

    def count(self, name: str) -> int:
        value = self.values.get(name)
        return len(value) if isinstance(value, list) else 0


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(left: object, right: object) -> bool:
    # Mismatched kinds are simply unequal; in particular true is not 1.
    if _is_number(left) and _is_number(right):
        return left == right
    if type(left) is not type(right):
        return False
    return left == right


def _contains(item: object, container: object) -> bool:
    if isinstance(container, list | tuple):
        return any(_equal(item, element) for element in container)
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    return False


def _compare(op: str, left: object, right: object) -> bool:
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if op == "in":
        return _contains(left, right)
    if op == "not in":
        return not _contains(left, right)
    # Ordering only between two numbers or two strings; anything else (e.g. none < 3) is false.
    if not (
        (_is_number(left) and _is_number(right))
        or (isinstance(left, str) and isinstance(right, str))
    ):
        return False
    a: Any = left  # two numbers or two strings, checked just above
    b: Any = right
    return bool({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip() != ""
    return bool(value)


def _evaluate(node: Node, context: Context) -> object:
    match node:
        case Literal(value=value):
            return value
        case ListLiteral(items=items):
            return [item.value for item in items]
        case Name(name=name):
            return context.value(name)
        case Call(function="answered", argument=argument):
            return context.answered(argument.name)
        case Call(function="word_count", argument=argument):
            return context.word_count(argument.name)
        case Call(function="count", argument=argument):
            return context.count(argument.name)
        case Not(operand=operand):
            return not _truthy(_evaluate(operand, context))
        case BoolOp(op="and", left=left, right=right):
            return _truthy(_evaluate(left, context)) and _truthy(_evaluate(right, context))
        case BoolOp(op="or", left=left, right=right):
            return _truthy(_evaluate(left, context)) or _truthy(_evaluate(right, context))
        case Compare(op=op, left=left, right=right):
            return _compare(op, _evaluate(left, context), _evaluate(right, context))
    raise TypeError(f"unknown expression node {node!r}")  # pragma: no cover - parser bug


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed condition. Build it with `parse_expression`."""

    source: str
    tree: Node

    @property
    def names(self) -> frozenset[str]:
        """The question ids the condition refers to."""
        return frozenset(node.name for node in walk(self.tree) if isinstance(node, Name))

    def references(self) -> Iterator[tuple[Name, str | None]]:
        """Each question id with the function it is passed to (None when used as a value)."""
        arguments = {
            id(node.argument): node.function for node in walk(self.tree) if isinstance(node, Call)
        }
        for node in walk(self.tree):
            if isinstance(node, Name):
                yield node, arguments.get(id(node))

    def evaluate(self, context: Context | Mapping[str, object]) -> bool:
        if isinstance(context, Mapping):
            context = MappingContext(context)
        return _truthy(_evaluate(self.tree, context))


def parse_expression(
    source: str, *, max_length: int = MAX_LENGTH, max_depth: int = MAX_DEPTH
) -> Expression:
    """Parse a condition, raising ExpressionError (with a column) when it is not valid."""
    if len(source) > max_length:
        raise ExpressionError(
            f"the condition is too long ({len(source)} characters; the limit is {max_length})",
            max_length,
        )
    return Expression(source, _Parser(source, max_depth).parse())
