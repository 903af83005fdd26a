"""What the question templates need, worked out in Python so the templates stay simple."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import url_for

from seslip.formengine import (
    Definition,
    Field,
    Question,
    Shown,
    SubmittedForm,
    count_words,
    normalise,
    type_of,
    validate_answer,
)
from seslip.questionnaires.services import Loaded, SaveResult

# Messages use the same counting rule as the server (and as static/js/wordcount.js).


def word_count_message(words: int, limit: int) -> str:
    left = limit - words
    if left >= 0:
        return f"You have {left} {'word' if left == 1 else 'words'} remaining"
    over = -left
    return f"You have {over} {'word' if over == 1 else 'words'} too many"


@dataclass
class QuestionView:
    question: Question
    raw: Any
    revision: int
    answer_url: str
    messages: list[str] = field(default_factory=list)
    required: bool = False
    conflict: SaveResult | None = None
    extra_row: bool = False
    saved_at: Any = None
    from_last_year: bool = False  # pre-filled by a cycle, not changed or kept since

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def template(self) -> str:
        """The question's template, as its type names it."""
        return template_of(self.question)

    @property
    def text(self) -> str:
        return self.raw if isinstance(self.raw, str) else ""

    @property
    def chosen(self) -> list[str]:
        if isinstance(self.raw, list):
            return [value for value in self.raw if isinstance(value, str)]
        return [self.raw] if isinstance(self.raw, str) else []

    @property
    def rows(self) -> list[Mapping[str, str]]:
        raw = self.raw if isinstance(self.raw, list) else []
        rows: list[Mapping[str, str]] = [row for row in raw if isinstance(row, dict)]
        if not rows or self.extra_row:
            rows = [*rows, {}]
        return rows

    @property
    def words(self) -> int:
        return count_words(self.text)

    @property
    def word_limit(self) -> int | None:
        return type_of(self.question).word_limit(self.question)

    @property
    def count_message(self) -> str:
        limit = self.word_limit
        return "" if limit is None else word_count_message(self.words, limit)

    @property
    def over_limit(self) -> bool:
        limit = self.word_limit
        return limit is not None and self.words > limit

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    def described_by(self, *extra: str) -> str:
        ids = []
        if self.question.hint:
            ids.append(f"{self.id}-hint")
        ids.append(self.error_id)
        if self.word_limit is not None:
            ids.append(f"{self.id}-count")
        if self.question.note:
            ids.append(f"{self.id}-note")
        ids.extend(extra)
        return " ".join(ids)


def question_view(
    loaded: Loaded,
    question: Question,
    *,
    typed: SubmittedForm | None = None,
    errors: Sequence[tuple[str | None, str]] | None = None,
    conflicts: Mapping[str, SaveResult] | None = None,
    extra_row: str = "",
) -> QuestionView:
    """`typed` holds what the person sent for questions that were not saved: it is shown
    instead of the stored answer."""
    answer = loaded.answers.get(question.id)
    conflict = (conflicts or {}).get(question.id)
    revision = answer.revision if answer is not None else 0
    messages: list[str] = []
    if typed is not None and question.id in typed.answers:
        raw, rejected = normalise(question, typed.answer(question.id))
        messages.extend(rejected)
        if conflict is not None:
            # Keep the revision the person had: they must choose before saving over theirs.
            sent = typed.revisions.get(question.id, "")
            revision = int(sent) if sent.isdigit() else revision
    else:
        raw = answer.value if answer is not None else None
    messages.extend(message for qid, message in errors or [] if qid == question.id)
    if not messages:
        messages = loaded.state.messages(question) if raw == (
            answer.value if answer else None) else validate_answer(question, raw)
    return QuestionView(
        question=question,
        raw=raw,
        revision=revision,
        answer_url=url_for("questionnaires.save_answer", response_id=loaded.response.id,
                           question_id=question.id),
        messages=messages,
        required=loaded.state.is_required(question),
        conflict=conflict,
        extra_row=extra_row == question.id,
        saved_at=answer.updated_at if answer is not None else None,
        from_last_year=bool(getattr(answer, "from_last_year", False)),
    )


def template_of(field: Field) -> str:
    """The template that renders a question or a field of a repeatable question."""
    return f"questionnaires/questions/{type_of(field).template}"


def first_input_id(definition: Definition, question_id: str) -> str:
    """The id an error summary links to: the question's first input."""
    question = definition.questions.get(question_id)
    return question_id if question is None else type_of(question).first_input(question)


def shown_answer(question: Field, raw: Any) -> Shown:
    """A stored answer as its type shows it (summaries, check your answers, conflicts)."""
    return type_of(question).display(question, raw)
