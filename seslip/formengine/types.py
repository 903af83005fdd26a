"""Question types: one class per type, registered by name in QUESTION_TYPES.

A type's class is the one place that says everything about it: its name and description (for
the JSON Schema and the guide), its settings (a Settings dataclass whose fields carry their
JSON Schema, default and how they are read, plus the checks across them), the condition
functions that apply to it, whether it can be a field of a repeatable question, its template,
and how its answer is built from form data, validated, read by conditions and shown. The
loader, the JSON Schema (schema.py) and the pages read these declarations; none of them names
a type.

Answers are stored RAW, as submitted (strings; a list of strings for multiple_choice; a list of
{field id: string} rows for repeatable), so a draft keeps exactly what was typed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Generic, TypeVar, cast
from urllib.parse import urlsplit

from .exclusive import exclusive_conflicts
from .formdata import Sent, cell_name, part_name
from .model import Field, Option, RepeatableField, Settings, setting
from .words import count_words

Raw = Any  # str | list[str] | list[dict[str, str]] | None
S = TypeVar("S", bound=Settings)

QUESTION_TYPES: dict[str, QuestionType[Any]] = {}


def register(cls: type[QuestionType[S]]) -> type[QuestionType[S]]:
    """Class decorator: make a question type available under its `name`."""
    QUESTION_TYPES[cls.name] = cls()
    return cls


def type_of(field: Field) -> QuestionType[Any]:
    """The registered type of a question or field."""
    return QUESTION_TYPES[field.type]


def repeatable_field_types() -> list[str]:
    """The types a field of a repeatable question may have, in registry order."""
    return [name for name, kind in QUESTION_TYPES.items() if kind.allowed_in_repeatable]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _format_number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _format_date(value: datetime.date) -> str:
    # Spelled out by hand: strftime("%B") depends on the server's locale.
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _blank(raw: Raw) -> bool:
    return raw is None or raw == "" or raw == []


@dataclass(frozen=True, slots=True)
class Shown:
    """An answer ready to show: free `text` (its line breaks kept), `lines` (e.g. the labels of
    the chosen options) or `rows` of (field label, text) pairs. All empty: not answered."""

    text: str | None = None
    lines: tuple[str, ...] = ()
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()

    @property
    def empty(self) -> bool:
        return self.text is None and not self.lines and not self.rows

    def plain(self) -> str:
        """The answer as one plain string, for exports ("" when not answered)."""
        if self.rows:
            return "\n".join(
                "; ".join(f"{label}: {text}" for label, text in row) for row in self.rows
            )
        if self.lines:
            return "\n".join(self.lines)
        return self.text or ""


def _range(settings: Settings, low: str, high: str, owner: str) -> Iterator[tuple[str, str]]:
    """A `low` setting above its `high` one, e.g. min_words above max_words."""
    a, b = getattr(settings, low), getattr(settings, high)
    if a is not None and b is not None and a > b:
        yield low, f"{low} is greater than {high} ({a} > {b}) in {owner}"


POSITIVE = {"type": "integer", "minimum": 1}


class QuestionType(Generic[S]):
    """One kind of question. Subclasses set the class variables and override what differs."""

    name: ClassVar[str]
    description: ClassVar[str]  # one line, for the JSON Schema and editors
    template: ClassVar[str]  # questionnaires/questions/<template>; it also renders a row cell
    # when the type is allowed in repeatables
    settings: ClassVar[type[Settings]] = Settings
    functions: ClassVar[frozenset[str]] = frozenset({"answered"})  # condition functions
    group: ClassVar[str] = ""  # a name for several types in messages, e.g. "text"
    allowed_in_repeatable: ClassVar[bool] = False
    # False when conditions cannot compare the answer itself (only call its functions).
    comparable: ClassVar[bool] = True
    empty: ClassVar[Raw] = None  # the raw answer when nothing was submitted

    def own(self, field: Field) -> S:
        """The field's settings, as this type declares them."""
        if not isinstance(field.settings, self.settings):
            raise TypeError(f"{field.id} has no {self.settings.__name__}")
        return cast(S, field.settings)

    @classmethod
    def setting_keys(cls) -> tuple[str, ...]:
        """The keys of this type's own settings, in declaration order."""
        return tuple(spec.name for spec in cls.settings.declared())

    # -- building the raw answer ---------------------------------------------------------
    def normalise(self, field: Field, sent: Sent) -> tuple[Raw, list[str]]:
        """The raw answer from what a form sent for `field`, and any rejection messages."""
        return self.from_values(field, sent.values)

    def from_values(self, field: Field, values: list[str]) -> tuple[Raw, list[str]]:
        if not values:
            return self.empty, []
        # Browsers send textarea line breaks as CRLF; store LF so counts match what was seen.
        return values[0].replace("\r\n", "\n"), []

    # -- reading it ------------------------------------------------------------------------
    def is_answered(self, raw: Raw) -> bool:
        return isinstance(raw, str) and raw.strip() != ""

    def value(self, field: Field, raw: Raw) -> object:
        """The answer as conditions see it (None when unanswered or unusable)."""
        return raw if self.is_answered(raw) else None

    def word_count(self, raw: Raw) -> int:
        return count_words(raw) if isinstance(raw, str) else 0

    def count(self, raw: Raw) -> int:
        return len(raw) if isinstance(raw, list) else 0

    def word_limit(self, field: Field) -> int | None:
        """The most words allowed, for the live word counter (None: no counter)."""
        return None

    def first_input(self, field: Field) -> str:
        """The id of the question's first input, which an error summary links to."""
        return field.id

    def display(self, field: Field, raw: Raw) -> Shown:
        """The stored answer as it is shown on summaries, check-answers pages and exports."""
        if _blank(raw):
            return Shown()
        return Shown(text=raw if isinstance(raw, str) else str(raw))

    # -- validating it ---------------------------------------------------------------------
    def validate(self, field: Field, raw: Raw) -> list[str]:
        """Messages for an answer that is present but wrong. Required-ness is checked elsewhere."""
        if raw is None or raw == "":
            return []
        if not isinstance(raw, str):
            return ["This answer should be text, but something else was saved."]
        if not raw.strip():
            return []
        return self.check(field, raw)

    def check(self, field: Field, raw: str) -> list[str]:
        return []

    def missing(self, field: Field, raw: Raw) -> list[str]:
        """What a required answer that has been started still lacks (e.g. grid rows)."""
        return []


@dataclass(frozen=True, slots=True, kw_only=True)
class TextSettings(Settings):
    max_words: int | None = setting(
        {"description": "Most words allowed. Longer answers are kept in drafts but block "
         "finalising.", **POSITIVE}, default=None)
    min_words: int | None = setting(
        {"description": "Fewest words needed (when answered).", **POSITIVE}, default=None)
    max_length: int | None = setting(
        {"description": "Most characters allowed.", **POSITIVE}, default=None)

    def problems(self, owner: str) -> Iterator[tuple[str, str]]:
        yield from _range(self, "min_words", "max_words", owner)


class _Text(QuestionType[TextSettings]):
    settings = TextSettings
    functions = frozenset({"answered", "word_count"})
    group = "text"
    allowed_in_repeatable = True

    def word_limit(self, field: Field) -> int | None:
        return self.own(field).max_words

    def check(self, field: Field, raw: str) -> list[str]:
        own = self.own(field)
        messages: list[str] = []
        if own.max_length is not None and len(raw) > own.max_length:
            over = len(raw) - own.max_length
            messages.append(
                f"Your answer must be {_plural(own.max_length, 'character')} or fewer. "
                f"You have {_plural(len(raw), 'character')} ({over} too many)."
            )
        words = count_words(raw)
        if own.max_words is not None and words > own.max_words:
            messages.append(
                f"Your answer must be {_plural(own.max_words, 'word')} or fewer. "
                f"You have {_plural(words, 'word')} ({words - own.max_words} too many)."
            )
        if own.min_words is not None and words < own.min_words:
            messages.append(
                f"Your answer must be at least {_plural(own.min_words, 'word')}. "
                f"You have {_plural(words, 'word')} ({own.min_words - words} more needed)."
            )
        return messages


@register
class ShortText(_Text):
    name = "short_text"
    description = "A one-line text answer."
    template = "_short_text.html"

    def check(self, field: Field, raw: str) -> list[str]:
        messages = super().check(field, raw)
        if "\n" in raw or "\r" in raw:
            messages.insert(0, "Your answer must be on one line.")
        return messages


@register
class LongText(_Text):
    name = "long_text"
    description = "A text answer of many lines."
    template = "_long_text.html"


_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def parse_number(raw: object) -> Decimal | None:
    """The number typed (commas between thousands allowed), or None when it is not one."""
    if not isinstance(raw, str) or len(raw) > 100:
        return None
    text = raw.strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberSettings(Settings):
    min: int | float | None = setting(
        {"description": "Smallest number accepted.", "type": "number"}, default=None)
    max: int | float | None = setting(
        {"description": "Largest number accepted.", "type": "number"}, default=None)
    whole_number: bool = setting(
        {"description": "true when only whole numbers are accepted.", "type": "boolean"},
        default=False)

    def problems(self, owner: str) -> Iterator[tuple[str, str]]:
        if self.min is not None and self.max is not None and self.min > self.max:
            yield "min", f"min is greater than max in {owner}"


@register
class NumberType(QuestionType[NumberSettings]):
    name = "number"
    description = "A number; stored as typed."
    template = "_number.html"
    settings = NumberSettings
    allowed_in_repeatable = True

    def value(self, field: Field, raw: Raw) -> object:
        number = parse_number(raw)
        if number is None:
            return None
        return int(number) if number == number.to_integral_value() else float(number)

    def check(self, field: Field, raw: str) -> list[str]:
        own = self.own(field)
        number = parse_number(raw)
        if number is None:
            return ["Enter a number, like 12 or 3.5."]
        if own.whole_number and number != number.to_integral_value():
            return ["Enter a whole number, like 12."]
        messages: list[str] = []
        if own.min is not None and number < Decimal(str(own.min)):
            messages.append(f"The number must be {_format_number(own.min)} or more.")
        if own.max is not None and number > Decimal(str(own.max)):
            messages.append(f"The number must be {_format_number(own.max)} or less.")
        return messages


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(raw: object) -> datetime.date | None:
    """A real date written YYYY-MM-DD, or None."""
    if not isinstance(raw, str) or not _DATE.fullmatch(raw.strip()):
        return None
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class DateSettings(Settings):
    # The noqa: setting() makes a dataclass field, which ruff cannot tell.
    min: datetime.date | None = setting(  # noqa: RUF009
        {"$ref": "#/$defs/iso_date", "description": "Earliest date accepted, YYYY-MM-DD."},
        read="date", default=None)
    max: datetime.date | None = setting(  # noqa: RUF009
        {"$ref": "#/$defs/iso_date", "description": "Latest date accepted, YYYY-MM-DD."},
        read="date", default=None)

    def problems(self, owner: str) -> Iterator[tuple[str, str]]:
        if self.min is not None and self.max is not None and self.min > self.max:
            yield "min", f"min is greater than max in {owner}"


@register
class DateType(QuestionType[DateSettings]):
    name = "date"
    description = "A date, stored as YYYY-MM-DD."
    template = "_date.html"
    settings = DateSettings
    allowed_in_repeatable = True

    def value(self, field: Field, raw: Raw) -> object:
        # ISO dates compare correctly as text, so conditions can say `d >= '2022-11-01'`.
        date = parse_date(raw)
        return date.isoformat() if date else None

    def check(self, field: Field, raw: str) -> list[str]:
        own = self.own(field)
        date = parse_date(raw)
        if date is None:
            return ["Enter a real date in the format YYYY-MM-DD, like 2023-03-31."]
        if own.min is not None and date < own.min:
            return [f"The date must be on or after {_format_date(own.min)}."]
        if own.max is not None and date > own.max:
            return [f"The date must be on or before {_format_date(own.max)}."]
        return []


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


@register
class EmailType(QuestionType[Settings]):
    name = "email"
    description = "An email address."
    template = "_email.html"
    allowed_in_repeatable = True

    def check(self, field: Field, raw: str) -> list[str]:
        text = raw.strip()
        if len(text) > 254 or not _EMAIL.fullmatch(text):
            return ["Enter an email address in the correct format, like name@example.org."]
        return []


@register
class UrlType(QuestionType[Settings]):
    name = "url"
    description = "A web address starting with http:// or https://."
    template = "_url.html"
    allowed_in_repeatable = True

    def check(self, field: Field, raw: str) -> list[str]:
        text = raw.strip()
        try:
            parts = urlsplit(text)
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme.lower() not in ("http", "https")
            or not parts.hostname
            or any(char.isspace() for char in text)
        ):
            return ["Enter a web address starting with http:// or https://."]
        return []


OPTIONS_SCHEMA = {
    "description": "The choices, in the order shown. Each is a plain string (value and label "
    "the same) or a mapping with value and label.",
    "type": "array",
    "minItems": 1,
    "items": {"$ref": "#/$defs/option"},
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceSettings(Settings):
    options: tuple[Option, ...] = setting(OPTIONS_SCHEMA, read="options")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    @property
    def labels(self) -> dict[str, str]:
        return {option.value: option.label for option in self.options}


class _Choice(QuestionType[S]):
    """Shared by the types whose answers are values from a fixed list."""

    def labels(self, field: Field) -> Mapping[str, str]:
        raise NotImplementedError

    def display(self, field: Field, raw: Raw) -> Shown:
        if _blank(raw):
            return Shown()
        labels = self.labels(field)
        chosen = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else [raw]
        return Shown(lines=tuple(
            labels.get(value, value) if isinstance(value, str) else str(value) for value in chosen
        ))


@register
class SingleChoice(_Choice[ChoiceSettings]):
    name = "single_choice"
    description = "Choose one option."
    template = "_single_choice.html"
    settings = ChoiceSettings
    allowed_in_repeatable = True

    def labels(self, field: Field) -> Mapping[str, str]:
        return self.own(field).labels

    def from_values(self, field: Field, values: list[str]) -> tuple[Raw, list[str]]:
        values = [value for value in values if value != ""]
        if not values:
            return None, []
        if values[0] not in self.own(field).values:
            return None, [f"'{values[0]}' is not one of the options."]
        return values[0], []

    def check(self, field: Field, raw: str) -> list[str]:
        if raw not in self.own(field).values:
            return [f"'{raw}' is not one of the options. Choose another answer."]
        return []


@dataclass(frozen=True, slots=True, kw_only=True)
class MultipleChoiceSettings(ChoiceSettings):
    min_selected: int | None = setting(
        {"description": "Fewest options that must be ticked (when answered).", **POSITIVE},
        default=None)
    max_selected: int | None = setting(
        {"description": "Most options that may be ticked.", **POSITIVE}, default=None)

    def problems(self, owner: str) -> Iterator[tuple[str, str]]:
        yield from _range(self, "min_selected", "max_selected", owner)
        for key in ("max_selected", "min_selected"):
            limit = getattr(self, key)
            if limit is not None and limit > len(self.options):
                yield key, (
                    f"{key} is greater than the number of options ({len(self.options)}) "
                    f"in {owner}"
                )


@register
class MultipleChoice(_Choice[MultipleChoiceSettings]):
    name = "multiple_choice"
    description = "Tick any number of options."
    template = "_multiple_choice.html"
    settings = MultipleChoiceSettings
    functions = frozenset({"answered", "count"})
    empty: ClassVar[Raw] = []

    def labels(self, field: Field) -> Mapping[str, str]:
        return self.own(field).labels

    def from_values(self, field: Field, values: list[str]) -> tuple[Raw, list[str]]:
        allowed = self.own(field).values
        chosen: list[str] = []
        messages: list[str] = []
        for value in values:
            if value == "" or value in chosen:
                continue
            if value in allowed:
                chosen.append(value)
            else:
                messages.append(f"'{value}' is not one of the options.")
        # Keep the definition's order, whatever order the browser sent.
        ordered = [value for value in allowed if value in chosen]
        return ordered, messages + exclusive_conflicts(self.own(field).options, ordered)

    def is_answered(self, raw: Raw) -> bool:
        return isinstance(raw, list) and len(raw) > 0

    def value(self, field: Field, raw: Raw) -> object:
        return list(raw) if self.is_answered(raw) else None

    def validate(self, field: Field, raw: Raw) -> list[str]:
        own = self.own(field)
        if raw is None or raw == []:
            return []
        if not isinstance(raw, list) or not all(isinstance(value, str) for value in raw):
            return ["This answer should be a list of options, but something else was saved."]
        messages = [
            f"'{value}' is not one of the options. Choose another answer."
            for value in raw
            if value not in own.values
        ]
        messages.extend(exclusive_conflicts(own.options, raw))
        if own.min_selected is not None and len(raw) < own.min_selected:
            messages.append(f"Select at least {_plural(own.min_selected, 'option')}.")
        if own.max_selected is not None and len(raw) > own.max_selected:
            messages.append(
                f"Select no more than {_plural(own.max_selected, 'option')}. "
                f"You have selected {len(raw)}."
            )
        return messages


@register
class YesNo(_Choice[Settings]):
    name = "yes_no"
    description = "A yes or no answer, stored as 'yes' or 'no'."
    template = "_yes_no.html"
    allowed_in_repeatable = True
    LABELS: ClassVar[Mapping[str, str]] = {"yes": "Yes", "no": "No"}

    def labels(self, field: Field) -> Mapping[str, str]:
        return self.LABELS

    def from_values(self, field: Field, values: list[str]) -> tuple[Raw, list[str]]:
        values = [value for value in values if value != ""]
        if not values:
            return None, []
        if values[0] not in self.LABELS:
            return None, ["Choose yes or no."]
        return values[0], []

    def check(self, field: Field, raw: str) -> list[str]:
        return [] if raw in self.LABELS else ["Choose yes or no."]


def _fields_schema() -> dict[str, Any]:
    return {
        "description": "The fields of one entry (row), in order. Types: "
        f"{', '.join(repeatable_field_types())}.",
        "type": "array",
        "minItems": 1,
        "items": {"$ref": "#/$defs/field"},
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class RepeatableSettings(Settings):
    fields: tuple[RepeatableField, ...] = setting(_fields_schema, read="fields")
    min_items: int | None = setting(
        {"description": "Fewest entries needed (when answered).", **POSITIVE}, default=None)
    max_items: int | None = setting(
        {"description": "Most entries allowed.", **POSITIVE}, default=None)
    item_label: str | None = setting(
        {"description": "What one entry is called, e.g. 'Evidence link'.", "type": "string",
         "minLength": 1}, default=None)

    def problems(self, owner: str) -> Iterator[tuple[str, str]]:
        yield from _range(self, "min_items", "max_items", owner)


def _cell_text(sub: Field, value: object) -> str:
    """A cell as its type shows it (an option's label), or as stored."""
    if not isinstance(value, str):
        return str(value)
    return type_of(sub).display(sub, value).plain() if value.strip() else value


@register
class Repeatable(QuestionType[RepeatableSettings]):
    name = "repeatable"
    description = "A list of entries, each made of the same fields (e.g. evidence links)."
    template = "_repeatable.html"
    settings = RepeatableSettings
    functions = frozenset({"answered", "count"})
    empty: ClassVar[Raw] = []

    def first_input(self, field: Field) -> str:
        fields = self.own(field).fields
        return cell_name(field.id, 0, fields[0].id) if fields else field.id

    def normalise(self, field: Field, sent: Sent) -> tuple[Raw, list[str]]:
        """Rows from the cells sent, in row order; rows left wholly blank are dropped."""
        fields = {sub.id: sub for sub in self.own(field).fields}
        rows: dict[int, dict[str, str]] = {}
        odd = [*(part_name(field.id, part) for part in sent.parts), *sent.odd]
        messages = [f"'{name}' is not a field of this question." for name in odd]
        for index, cells in sent.cells.items():
            for field_id, values in cells.items():
                if field_id not in fields:
                    messages.append(f"'{field_id}' is not a field of this question.")
                    continue
                sub = fields[field_id]
                raw, errors = type_of(sub).from_values(sub, values)
                messages.extend(errors)
                rows.setdefault(index, {})[field_id] = raw if isinstance(raw, str) else ""
        kept = [
            {sub_id: row.get(sub_id, "") for sub_id in fields}
            for _, row in sorted(rows.items())
            if any(value.strip() for value in row.values())
        ]
        return kept, messages

    def is_answered(self, raw: Raw) -> bool:
        return isinstance(raw, list) and len(raw) > 0

    def value(self, field: Field, raw: Raw) -> object:
        return list(raw) if self.is_answered(raw) else None

    def word_count(self, raw: Raw) -> int:
        if not isinstance(raw, list):
            return 0
        return sum(
            count_words(value)
            for row in raw
            if isinstance(row, dict)
            for value in row.values()
            if isinstance(value, str)
        )

    def display(self, field: Field, raw: Raw) -> Shown:
        if _blank(raw):
            return Shown()
        if not isinstance(raw, list):
            return Shown(text=str(raw))
        fields = self.own(field).fields
        return Shown(rows=tuple(
            tuple((sub.label, _cell_text(sub, row.get(sub.id, "")) if isinstance(row, dict)
                   else "") for sub in fields)
            for row in raw
        ))

    def validate(self, field: Field, raw: Raw) -> list[str]:
        own = self.own(field)
        if raw is None or raw == []:
            return []
        if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
            return ["This answer should be a list of entries, but something else was saved."]
        label = own.item_label or "Item"
        messages: list[str] = []
        for number, row in enumerate(raw, start=1):
            for key in row:
                if key not in {sub.id for sub in own.fields}:
                    messages.append(f"{label} {number}: '{key}' is not a field of this question.")
            for sub in own.fields:
                value = row.get(sub.id)
                if sub.required and not (isinstance(value, str) and value.strip()):
                    messages.append(f"{label} {number}: {sub.label} is missing.")
                    continue
                for message in type_of(sub).validate(sub, value):
                    messages.append(f"{label} {number}: {sub.label}: {message}")
        noun = label.lower() if label[1:] == label[1:].lower() else label
        if own.min_items is not None and len(raw) < own.min_items:
            messages.append(f"Add at least {_plural(own.min_items, noun)}.")
        if own.max_items is not None and len(raw) > own.max_items:
            messages.append(
                f"You can add no more than {_plural(own.max_items, noun)}. You have {len(raw)}."
            )
        return messages


MAX_POINTS = 11  # 0 to 10 is the widest scale people read at a glance


@dataclass(frozen=True, slots=True, kw_only=True)
class ScaleSettings(Settings):
    min: int = setting(
        {"description": "The lowest point of the scale. Default 1.", "type": "integer",
         "minimum": 0}, default=1)
    max: int = setting(
        {"description": "The highest point of the scale, e.g. 5.", "type": "integer",
         "minimum": 1})
    labels: tuple[str, ...] = setting(
        {"description": "Optional: a label for each point, lowest first, e.g. [Poor, Fair, "
         "Good, Very good, Excellent].", "type": "array", "minItems": 2,
         "items": {"type": "string", "minLength": 1}}, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", tuple(self.labels))  # YAML gives a list

    @property
    def points(self) -> tuple[tuple[str, str], ...]:
        """(value, text) of each point, lowest first: ("1", "1 – Poor")."""
        labels = self.labels if len(self.labels) == self.max - self.min + 1 else ()
        numbers = [str(number) for number in range(self.min, self.max + 1)]
        if not labels:
            return tuple((number, number) for number in numbers)
        pairs = zip(numbers, labels, strict=True)
        return tuple((number, f"{number} – {label}") for number, label in pairs)

    def problems(self, owner: str) -> Iterator[tuple[str, str]]:
        size = self.max - self.min + 1
        if self.max <= self.min:
            yield "max", f"max must be greater than min ({self.min}) in {owner}"
        elif size > MAX_POINTS:
            yield "max", (
                f"a scale can have at most {MAX_POINTS} points, and {owner} has {size} "
                f"({self.min} to {self.max})"
            )
        elif self.labels and len(self.labels) != size:
            yield "labels", (
                f"labels in {owner} has {len(self.labels)} entries, but the scale has {size} "
                f"points ({self.min} to {self.max}): give one label for each point"
            )


@register
class Scale(QuestionType[ScaleSettings]):
    """A rating on a labelled scale, e.g. 1 (Poor) to 5 (Excellent), chosen with radios.
    The answer is the number chosen, stored as text; conditions read it as a number."""

    name = "scale"
    description = "A rating on a scale of numbers, e.g. 1 to 5, each point optionally labelled."
    template = "_scale.html"
    settings = ScaleSettings

    def from_values(self, field: Field, values: list[str]) -> tuple[Raw, list[str]]:
        values = [value for value in values if value != ""]
        if not values:
            return None, []
        if values[0] not in dict(self.own(field).points):
            return None, [f"'{values[0]}' is not a point on this scale."]
        return values[0], []

    def value(self, field: Field, raw: Raw) -> object:
        return int(raw) if isinstance(raw, str) and raw in dict(self.own(field).points) else None

    def check(self, field: Field, raw: str) -> list[str]:
        if raw not in dict(self.own(field).points):
            return [f"'{raw}' is not a point on this scale. Choose another answer."]
        return []

    def display(self, field: Field, raw: Raw) -> Shown:
        if isinstance(raw, str) and raw in dict(self.own(field).points):
            return Shown(text=dict(self.own(field).points)[raw])
        return super().display(field, raw)


def _ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _strings(raw: Raw) -> bool:
    return isinstance(raw, list) and all(isinstance(value, str) for value in raw)


def _unknown_names(field: Field, sent: Sent, parts: list[str]) -> list[str]:
    """The names sent under a question made of parts that are not among its `parts`."""
    known = set(parts)
    names = [field.id] if sent.values else []
    names += [part_name(field.id, part) for part in sent.parts if part not in known]
    names += [cell_name(field.id, row, cell) for row, cells in sent.cells.items() for cell in cells]
    return [*names, *sent.odd]


@dataclass(frozen=True, slots=True)
class Statement:
    """One row of a grid: its id keys its rating in the answer."""

    id: str
    label: str


STATEMENTS_SCHEMA = {
    "description": "The statements to rate, one row each, in the order shown. Each has an id "
    "(it stores that row's rating; do not change it once people have answered) and a label.",
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["id", "label"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/$defs/question_id",
                   "description": "Identifies the statement within its question."},
            "label": {"description": "The statement, as shown.", "type": "string",
                      "minLength": 1},
        },
    },
}


@dataclass(frozen=True, slots=True, kw_only=True)
class GridSettings(Settings):
    statements: tuple[Statement, ...] = setting(STATEMENTS_SCHEMA)
    options: tuple[Option, ...] = setting(
        {**OPTIONS_SCHEMA, "description": "The shared scale: the choices offered for every "
         "statement, in the order shown, e.g. [Poor, Fair, Good, Very good]. Each is a plain "
         "string or a mapping with value and label."}, read="options")

    def __post_init__(self) -> None:
        # YAML gives a list of {id, label} mappings.
        statements = tuple(
            item if isinstance(item, Statement) else Statement(str(item["id"]), str(item["label"]))
            for item in self.statements
        )
        object.__setattr__(self, "statements", statements)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    @property
    def labels(self) -> dict[str, str]:
        return {option.value: option.label for option in self.options}

    def problems(self, owner: str) -> Iterator[tuple[str, str]]:
        seen: dict[str, int] = {}
        for number, statement in enumerate(self.statements, start=1):
            if statement.id in seen:
                yield "statements", (
                    f"the statement id '{statement.id}' appears twice in {owner} (entries "
                    f"{seen[statement.id]} and {number})"
                )
            seen.setdefault(statement.id, number)


@register
class Grid(QuestionType[GridSettings]):
    """Statements rated on one scale, one row of radios each. The answer maps each rated
    statement's id to the option chosen; rows not rated are left out."""

    name = "grid"
    description = "Several statements rated on one shared scale: a row of radio buttons each."
    template = "_grid.html"
    settings = GridSettings
    comparable = False  # a mapping: conditions can ask answered() only

    def first_input(self, field: Field) -> str:
        statements = self.own(field).statements
        return part_name(field.id, statements[0].id) if statements else field.id

    def normalise(self, field: Field, sent: Sent) -> tuple[Raw, list[str]]:
        own = self.own(field)
        ids = [statement.id for statement in own.statements]
        messages = [
            f"'{name}' is not a statement of this question."
            for name in _unknown_names(field, sent, ids)
        ]
        ratings: dict[str, str] = {}
        for statement in own.statements:
            values = [value for value in sent.parts.get(statement.id, []) if value != ""]
            if not values:
                continue
            if values[0] in own.values:
                ratings[statement.id] = values[0]
            else:
                messages.append(f"'{values[0]}' is not one of the options for "
                                f"'{statement.label}'.")
        return (ratings or None), messages  # None: nothing is stored for an unrated grid

    def is_answered(self, raw: Raw) -> bool:
        return isinstance(raw, dict) and any(
            isinstance(value, str) and value for value in raw.values())

    def value(self, field: Field, raw: Raw) -> object:
        return None  # the loader lets conditions only call answered() on a grid

    def display(self, field: Field, raw: Raw) -> Shown:
        if not isinstance(raw, dict):
            return super().display(field, raw)
        if not self.is_answered(raw):
            return Shown()
        own = self.own(field)

        def rating(value: object) -> str:
            if not value:
                return "Not rated"
            return own.labels.get(value, value) if isinstance(value, str) else str(value)

        rows = [((statement.label, rating(raw.get(statement.id))),)
                for statement in own.statements]
        known = {statement.id for statement in own.statements}
        rows += [((str(key), str(value)),) for key, value in raw.items() if key not in known]
        return Shown(rows=tuple(rows))

    def validate(self, field: Field, raw: Raw) -> list[str]:
        if raw is None or raw == {}:
            return []
        if not isinstance(raw, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in raw.items()
        ):
            return ["This answer should be a rating for each statement, but something else "
                    "was saved."]
        own = self.own(field)
        labels = {statement.id: statement.label for statement in own.statements}
        messages: list[str] = []
        for key, value in raw.items():
            if key not in labels:
                messages.append(f"'{key}' is not a statement of this question.")
            elif value and value not in own.values:
                messages.append(f"{labels[key]}: '{value}' is not one of the options. "
                                "Choose another answer.")
        return messages

    def missing(self, field: Field, raw: Raw) -> list[str]:
        rated = raw if isinstance(raw, dict) else {}
        unrated = [f"'{statement.label}'" for statement in self.own(field).statements
                   if not rated.get(statement.id)]
        if not unrated:
            return []
        return [f"Rate every statement. Not rated yet: {_and(unrated)}."]


@dataclass(frozen=True, slots=True, kw_only=True)
class RankingSettings(ChoiceSettings):
    top: int | None = setting(
        {"description": "Optional: how many places to fill, e.g. 3 to rank only the top "
         "three. Default: every option is put in order.", **POSITIVE}, default=None)

    @property
    def places(self) -> int:
        """How many places the person fills."""
        return min(self.top or len(self.options), len(self.options))

    @property
    def place_labels(self) -> tuple[tuple[str, str], ...]:
        """(part name, label) of each place: ("1", "1st"), ("2", "2nd") …"""
        return tuple((str(place), _ordinal(place)) for place in range(1, self.places + 1))

    def problems(self, owner: str) -> Iterator[tuple[str, str]]:
        if len(self.options) < 2:
            yield "options", (
                f"a ranking needs at least 2 options to put in order, and {owner} has "
                f"{len(self.options)}"
            )
        elif self.top is not None and self.top > len(self.options):
            yield "top", (
                f"top is greater than the number of options ({len(self.options)}) in {owner}"
            )


@register
class Ranking(QuestionType[RankingSettings]):
    """Options put in order: one list per place ("1st", "2nd" …), so it works without
    JavaScript. The answer is the value in each place, in order ("" for a place not chosen);
    an option in two places is kept in the draft and blocks finalising."""

    name = "ranking"
    description = "Put options in order (or choose the top few), one list for each place."
    template = "_ranking.html"
    settings = RankingSettings
    empty: ClassVar[Raw] = []

    def first_input(self, field: Field) -> str:
        return part_name(field.id, "1")

    def normalise(self, field: Field, sent: Sent) -> tuple[Raw, list[str]]:
        own = self.own(field)
        places = [part for part, _ in own.place_labels]
        messages = [
            f"'{name}' is not a place in this ranking."
            for name in _unknown_names(field, sent, places)
        ]
        chosen: list[str] = []
        for place in places:
            values = [value for value in sent.parts.get(place, []) if value != ""]
            value = values[0] if values else ""
            if value and value not in own.values:
                messages.append(f"'{value}' is not one of the options.")
                value = ""
            chosen.append(value)
        return (chosen if any(chosen) else []), messages

    def is_answered(self, raw: Raw) -> bool:
        return isinstance(raw, list) and any(isinstance(value, str) and value for value in raw)

    def value(self, field: Field, raw: Raw) -> object:
        # The options ranked, best first, so `'budget' in priorities` reads naturally.
        if not self.is_answered(raw):
            return None
        return [value for value in raw if isinstance(value, str) and value]

    def display(self, field: Field, raw: Raw) -> Shown:
        if not _strings(raw):
            return super().display(field, raw)
        if not self.is_answered(raw):
            return Shown()
        labels = self.own(field).labels
        return Shown(lines=tuple(
            f"{_ordinal(place)}: {labels.get(value, value) if value else 'not chosen'}"
            for place, value in enumerate(raw, start=1)
        ))

    def validate(self, field: Field, raw: Raw) -> list[str]:
        if raw is None or raw == []:
            return []
        if not _strings(raw):
            return ["This answer should be a list of options in order, but something else "
                    "was saved."]
        own = self.own(field)
        messages = [
            f"'{value}' is not one of the options. Choose another answer."
            for value in dict.fromkeys(raw)
            if value and value not in own.values
        ]
        if len(raw) > own.places:
            messages.append(f"Rank no more than {_plural(own.places, 'option')}. "
                            f"You have {len(raw)} places.")
        places_of: dict[str, list[str]] = {}
        for place, value in enumerate(raw, start=1):
            if value:
                places_of.setdefault(value, []).append(_ordinal(place))
        for value, where in places_of.items():
            if len(where) > 1:
                messages.append(
                    f"You have put '{own.labels.get(value, value)}' in more than one place "
                    f"({_and(where)}). Choose each option once."
                )
        empty = [_ordinal(place) for place in range(1, own.places + 1)
                 if place > len(raw) or not raw[place - 1]]
        if empty and self.is_answered(raw):
            noun = "place" if len(empty) == 1 else "places"
            messages.append(f"Choose an option for the {_and(empty)} {noun}.")
        return messages
