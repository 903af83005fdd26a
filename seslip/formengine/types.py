"""Question types: one class per type, registered by name in QUESTION_TYPES.

Answers are stored RAW, as submitted (strings; a list of strings for multiple_choice; a list of
{field id: string} rows for repeatable), so a draft keeps exactly what was typed. Each type
knows how to build that raw answer from form data, validate it, and read it as a value for
conditions.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar
from urllib.parse import urlsplit

from .exclusive import exclusive_conflicts
from .model import Field, Question
from .words import count_words

Raw = Any  # str | list[str] | list[dict[str, str]] | None
FormData = Mapping[str, Any]  # a dict of str or list[str], or anything with getlist()
MAX_ROWS = 200  # highest row index accepted from a form, so a crafted post stays small

QUESTION_TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: make a question type available under its `name`."""
    QUESTION_TYPES[cls.name] = cls()
    return cls


def get_list(form: FormData, name: str) -> list[str]:
    """All values submitted under `name` (works for dicts and Werkzeug-style MultiDicts)."""
    getlist: Callable[[str], list[str]] | None = getattr(form, "getlist", None)
    if getlist is not None:
        return [str(value) for value in getlist(name)]
    value = form.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


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


class QuestionType:
    name: ClassVar[str]
    extra_keys: ClassVar[frozenset[str]] = frozenset()
    allowed_in_repeatable: ClassVar[bool] = False
    empty: ClassVar[Raw] = None  # the raw answer when nothing was submitted

    # -- building the raw answer ---------------------------------------------------------
    def normalise(self, field: Field, form: FormData) -> tuple[Raw, list[str]]:
        """The raw answer submitted for `field` (named by its id), and any rejection messages."""
        return self.from_values(field, get_list(form, field.id))

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


class _Text(QuestionType):
    extra_keys = frozenset({"max_words", "min_words", "max_length"})
    allowed_in_repeatable = True

    def check(self, field: Field, raw: str) -> list[str]:
        messages: list[str] = []
        if field.max_length is not None and len(raw) > field.max_length:
            over = len(raw) - field.max_length
            messages.append(
                f"Your answer must be {_plural(field.max_length, 'character')} or fewer. "
                f"You have {_plural(len(raw), 'character')} ({over} too many)."
            )
        words = count_words(raw)
        if field.max_words is not None and words > field.max_words:
            messages.append(
                f"Your answer must be {_plural(field.max_words, 'word')} or fewer. "
                f"You have {_plural(words, 'word')} ({words - field.max_words} too many)."
            )
        if field.min_words is not None and words < field.min_words:
            messages.append(
                f"Your answer must be at least {_plural(field.min_words, 'word')}. "
                f"You have {_plural(words, 'word')} ({field.min_words - words} more needed)."
            )
        return messages


@register
class ShortText(_Text):
    name = "short_text"

    def check(self, field: Field, raw: str) -> list[str]:
        messages = super().check(field, raw)
        if "\n" in raw or "\r" in raw:
            messages.insert(0, "Your answer must be on one line.")
        return messages


@register
class LongText(_Text):
    name = "long_text"


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


@register
class NumberType(QuestionType):
    name = "number"
    extra_keys = frozenset({"min", "max", "whole_number"})
    allowed_in_repeatable = True

    def value(self, field: Field, raw: Raw) -> object:
        number = parse_number(raw)
        if number is None:
            return None
        return int(number) if number == number.to_integral_value() else float(number)

    def check(self, field: Field, raw: str) -> list[str]:
        number = parse_number(raw)
        if number is None:
            return ["Enter a number, like 12 or 3.5."]
        if field.whole_number and number != number.to_integral_value():
            return ["Enter a whole number, like 12."]
        messages: list[str] = []
        if isinstance(field.min, int | float) and number < Decimal(str(field.min)):
            messages.append(f"The number must be {_format_number(field.min)} or more.")
        if isinstance(field.max, int | float) and number > Decimal(str(field.max)):
            messages.append(f"The number must be {_format_number(field.max)} or less.")
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


@register
class DateType(QuestionType):
    name = "date"
    extra_keys = frozenset({"min", "max"})
    allowed_in_repeatable = True

    def value(self, field: Field, raw: Raw) -> object:
        # ISO dates compare correctly as text, so conditions can say `d >= '2022-11-01'`.
        date = parse_date(raw)
        return date.isoformat() if date else None

    def check(self, field: Field, raw: str) -> list[str]:
        date = parse_date(raw)
        if date is None:
            return ["Enter a real date in the format YYYY-MM-DD, like 2023-03-31."]
        if isinstance(field.min, datetime.date) and date < field.min:
            return [f"The date must be on or after {_format_date(field.min)}."]
        if isinstance(field.max, datetime.date) and date > field.max:
            return [f"The date must be on or before {_format_date(field.max)}."]
        return []


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


@register
class EmailType(QuestionType):
    name = "email"
    allowed_in_repeatable = True

    def check(self, field: Field, raw: str) -> list[str]:
        text = raw.strip()
        if len(text) > 254 or not _EMAIL.fullmatch(text):
            return ["Enter an email address in the correct format, like name@example.org."]
        return []


@register
class UrlType(QuestionType):
    name = "url"
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


@register
class SingleChoice(QuestionType):
    name = "single_choice"
    extra_keys = frozenset({"options"})

    def from_values(self, field: Field, values: list[str]) -> tuple[Raw, list[str]]:
        values = [value for value in values if value != ""]
        if not values:
            return None, []
        assert isinstance(field, Question)
        if values[0] not in field.option_values:
            return None, [f"'{values[0]}' is not one of the options."]
        return values[0], []

    def check(self, field: Field, raw: str) -> list[str]:
        assert isinstance(field, Question)
        if raw not in field.option_values:
            return [f"'{raw}' is not one of the options. Choose another answer."]
        return []


@register
class YesNo(SingleChoice):
    name = "yes_no"
    extra_keys = frozenset()

    def from_values(self, field: Field, values: list[str]) -> tuple[Raw, list[str]]:
        values = [value for value in values if value != ""]
        if not values:
            return None, []
        if values[0] not in ("yes", "no"):
            return None, ["Choose yes or no."]
        return values[0], []

    def check(self, field: Field, raw: str) -> list[str]:
        return [] if raw in ("yes", "no") else ["Choose yes or no."]


@register
class MultipleChoice(QuestionType):
    name = "multiple_choice"
    extra_keys = frozenset({"options", "min_selected", "max_selected"})
    empty: ClassVar[Raw] = []

    def from_values(self, field: Field, values: list[str]) -> tuple[Raw, list[str]]:
        assert isinstance(field, Question)
        chosen: list[str] = []
        messages: list[str] = []
        for value in values:
            if value == "" or value in chosen:
                continue
            if value in field.option_values:
                chosen.append(value)
            else:
                messages.append(f"'{value}' is not one of the options.")
        # Keep the definition's order, whatever order the browser sent.
        ordered = [value for value in field.option_values if value in chosen]
        return ordered, messages + exclusive_conflicts(field, ordered)

    def is_answered(self, raw: Raw) -> bool:
        return isinstance(raw, list) and len(raw) > 0

    def value(self, field: Field, raw: Raw) -> object:
        return list(raw) if self.is_answered(raw) else None

    def validate(self, field: Field, raw: Raw) -> list[str]:
        assert isinstance(field, Question)
        if raw is None or raw == []:
            return []
        if not isinstance(raw, list) or not all(isinstance(value, str) for value in raw):
            return ["This answer should be a list of options, but something else was saved."]
        messages = [
            f"'{value}' is not one of the options. Choose another answer."
            for value in raw
            if value not in field.option_values
        ]
        messages.extend(exclusive_conflicts(field, raw))
        if field.min_selected is not None and len(raw) < field.min_selected:
            messages.append(f"Select at least {_plural(field.min_selected, 'option')}.")
        if field.max_selected is not None and len(raw) > field.max_selected:
            messages.append(
                f"Select no more than {_plural(field.max_selected, 'option')}. "
                f"You have selected {len(raw)}."
            )
        return messages


_ROW_NAME = re.compile(r"(\d{1,4})-(.+)")


@register
class Repeatable(QuestionType):
    name = "repeatable"
    extra_keys = frozenset({"fields", "min_items", "max_items", "item_label"})
    empty: ClassVar[Raw] = []

    def normalise(self, field: Field, form: FormData) -> tuple[Raw, list[str]]:
        """Rows come from names like `evidence-0-title`; rows left wholly blank are dropped."""
        assert isinstance(field, Question)
        fields = {sub.id: sub for sub in field.fields}
        prefix = f"{field.id}-"
        rows: dict[int, dict[str, str]] = {}
        messages: list[str] = []
        for name in list(form.keys()):
            if not name.startswith(prefix):
                continue
            match = _ROW_NAME.fullmatch(name[len(prefix) :])
            if match is None or int(match.group(1)) > MAX_ROWS:
                messages.append(f"'{name}' is not a field of this question.")
                continue
            index, field_id = int(match.group(1)), match.group(2)
            if field_id not in fields:
                messages.append(f"'{field_id}' is not a field of this question.")
                continue
            sub = fields[field_id]
            raw, errors = QUESTION_TYPES[sub.type].from_values(sub, get_list(form, name))
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

    def validate(self, field: Field, raw: Raw) -> list[str]:
        assert isinstance(field, Question)
        if raw is None or raw == []:
            return []
        if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
            return ["This answer should be a list of entries, but something else was saved."]
        label = field.item_label or "Item"
        messages: list[str] = []
        for number, row in enumerate(raw, start=1):
            for key in row:
                if key not in {sub.id for sub in field.fields}:
                    messages.append(f"{label} {number}: '{key}' is not a field of this question.")
            for sub in field.fields:
                value = row.get(sub.id)
                if sub.required and not (isinstance(value, str) and value.strip()):
                    messages.append(f"{label} {number}: {sub.label} is missing.")
                    continue
                for message in QUESTION_TYPES[sub.type].validate(sub, value):
                    messages.append(f"{label} {number}: {sub.label}: {message}")
        noun = label.lower() if label[1:] == label[1:].lower() else label
        if field.min_items is not None and len(raw) < field.min_items:
            messages.append(f"Add at least {_plural(field.min_items, noun)}.")
        if field.max_items is not None and len(raw) > field.max_items:
            messages.append(
                f"You can add no more than {_plural(field.max_items, noun)}. You have {len(raw)}."
            )
        return messages


REPEATABLE_FIELD_TYPES = tuple(
    name for name, kind in QUESTION_TYPES.items() if kind.allowed_in_repeatable
)
