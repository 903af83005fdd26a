"""The questionnaire form's input names, read and written here and nowhere else.

A question's inputs are named by its id (several values for tick boxes); a repeatable
question's cells are `<question>-<row>-<field>`; a question made of several named parts (the
rows of a grid, the places of a ranking) names them `<question>-<part>`; the hidden
`rev.<question>` carries the revision the person last saw; and a form may press one button:
`add_row=<question>`, `remove_row=<question>:<row>`, `keep_mine=<question>:<revision>` or
`use_theirs=<question>`.
After "Add another" the section page is asked for `?add=<question>&rows=<n>`: n rows in all.

`read_form` turns a submitted form into plain values (what was sent for each question, the
revision each was based on, the action asked for) before any service sees it; templates write
the names with the functions below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

REVISION_PREFIX = "rev."
ADD_ROW: Final = "add_row"
REMOVE_ROW: Final = "remove_row"
KEEP_MINE: Final = "keep_mine"
USE_THEIRS: Final = "use_theirs"
# Sent besides answers and buttons: the CSRF token and the page's own "Save" button.
IGNORED = frozenset({"csrf_token", "action"})
MAX_ROWS = 200  # highest row index accepted from a form, so a crafted post stays small
_CELL = re.compile(r"(\d{1,4})-(.+)")
_PART = re.compile(r"[a-z0-9_]{1,64}")  # an id or a number, never holding a dash

ActionKind = Literal["save", "add_row", "remove_row", "keep_mine", "use_theirs"]
# The first of these that a form sends is its action (a page has one submit button pressed).
BUTTONS: tuple[ActionKind, ...] = (USE_THEIRS, KEEP_MINE, REMOVE_ROW, ADD_ROW)
FormData = Mapping[str, Any]  # a dict of str or list[str], or anything with getlist()


# --- writing names -----------------------------------------------------------------------------


def revision_name(question_id: str) -> str:
    return REVISION_PREFIX + question_id


def cell_name(question_id: str, row: int, field_id: str) -> str:
    return f"{question_id}-{row}-{field_id}"


def part_name(question_id: str, part: str) -> str:
    return f"{question_id}-{part}"


def remove_row_value(question_id: str, row: int) -> str:
    return f"{question_id}:{row}"


def keep_mine_value(question_id: str, revision: int) -> str:
    return f"{question_id}:{revision}"


def add_row_args(question_id: str, rows: int) -> dict[str, str | int]:
    """The section page's query after "Add another": `rows` in all (those stored and one
    empty), so reloading the page, even after the new row was saved, adds no further row."""
    return {"add": question_id, "rows": rows}


def read_add_row(args: FormData) -> tuple[str, int] | None:
    """The question and number of rows that add_row_args asked for; None when the query asks
    for none (or for a number no page of ours would write)."""
    question_id, rows = _first(args, "add"), _first(args, "rows")
    if not question_id or not rows.isdigit() or len(rows) > 4:
        return None
    return question_id, int(rows)


# --- reading a form ----------------------------------------------------------------------------


@dataclass
class Sent:
    """What a form sent for one question: `values` under its own name, `cells` of a repeatable
    question by row and field id, `parts` by part name, and `odd` names under the question
    that are none of these."""

    values: list[str] = field(default_factory=list)
    cells: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    parts: dict[str, list[str]] = field(default_factory=dict)
    odd: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Action:
    """The button pressed: "save" (none), or a button with its question and argument (the row
    of remove_row, the revision of keep_mine)."""

    kind: ActionKind = "save"
    question_id: str = ""
    argument: str = ""


@dataclass
class SubmittedForm:
    """A questionnaire form as plain values. `answers` holds what was sent for each question (in
    the order sent); `revisions` the revision text each was based on, as sent (the services
    check it); `action` the button pressed."""

    answers: dict[str, Sent] = field(default_factory=dict)
    revisions: dict[str, str] = field(default_factory=dict)
    action: Action = Action()

    def answer(self, question_id: str) -> Sent:
        """What was sent for a question (nothing, when it sent no input)."""
        return self.answers.get(question_id) or Sent()

    def only(self, question_ids: Iterable[str]) -> SubmittedForm:
        """The same form holding only these questions."""
        keep = set(question_ids)
        return replace(
            self,
            answers={qid: sent for qid, sent in self.answers.items() if qid in keep},
            revisions={qid: rev for qid, rev in self.revisions.items() if qid in keep},
        )


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


def _first(form: FormData, name: str) -> str:
    values = get_list(form, name)
    return values[0] if values else ""


def _action(form: FormData) -> Action:
    for button in BUTTONS:
        value = _first(form, button)
        if value:
            question_id, _, argument = value.partition(":")
            return Action(button, question_id, argument)
    return Action()


def read_form(form: FormData) -> SubmittedForm:
    """The plain values of a submitted questionnaire form, with its button applied: "Use their
    version" leaves that question out, "Remove" leaves that row out, and "Keep my version" says
    the answer was based on the revision of theirs that the person saw."""
    submitted = SubmittedForm(action=_action(form))
    for name in form:
        if name in IGNORED or name in BUTTONS:
            continue
        if name.startswith(REVISION_PREFIX):
            submitted.revisions[name[len(REVISION_PREFIX) :]] = _first(form, name)
            continue
        question_id, dash, rest = name.partition("-")
        sent = submitted.answers.setdefault(question_id, Sent())
        if not dash:
            sent.values = get_list(form, name)
            continue
        if _PART.fullmatch(rest):
            sent.parts[rest] = get_list(form, name)
            continue
        match = _CELL.fullmatch(rest)
        if match is None or int(match.group(1)) > MAX_ROWS:
            sent.odd.append(name)
            continue
        sent.cells.setdefault(int(match.group(1)), {})[match.group(2)] = get_list(form, name)
    return _apply(submitted)


def _apply(submitted: SubmittedForm) -> SubmittedForm:
    action = submitted.action
    if action.kind == USE_THEIRS:
        submitted.answers.pop(action.question_id, None)
        submitted.revisions.pop(action.question_id, None)
    elif action.kind == REMOVE_ROW and action.argument.isdigit():
        sent = submitted.answers.get(action.question_id)
        if sent is not None:
            sent.cells.pop(int(action.argument), None)
    elif action.kind == KEEP_MINE:
        submitted.revisions[action.question_id] = action.argument
    return submitted
