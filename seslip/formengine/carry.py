"""Carrying answers from one version of a questionnaire to another.

`plan(old, new)` says, from the two definitions alone, where each old question's answers go:
to the question with the same id, or to the one that says `renamed_from: <old id>` (followed
through the versions in between, when given). Old questions with no place are "removed": their
answers are kept and shown read-only. `carry(plan, answers)` applies a plan to one response's
answers without changing them, and `effect(new, responses)` sums it up for an admin about to
publish `new`: what moves, what becomes read-only, what is new or now required, and which
answers are now over a tightened word limit or name an option that is gone.

Pure: the web app stores the moves (questionnaires/services.py); nothing here deletes anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .answers import FormState, is_answered, validate_answer
from .model import Definition, Option, Question
from .types import type_of

Raw = Any


@dataclass(frozen=True, slots=True)
class WordLimit:
    """A question whose word limit is lower in the new version (`old` None: it had none)."""

    question_id: str
    old: int | None
    new: int


@dataclass(frozen=True, slots=True)
class Plan:
    """Where each question of `old` goes in `new`, and what changed on the way."""

    old: Definition
    new: Definition
    moves: Mapping[str, str]  # old question id -> new question id (the same, unless renamed)
    removed: tuple[str, ...]  # old question ids with no place in `new`: answers read-only
    added: tuple[str, ...]  # new question ids that no old question moves to
    now_required: tuple[str, ...]  # new question ids required now and not before
    tightened: tuple[WordLimit, ...]
    removed_options: Mapping[str, tuple[str, ...]]  # new id -> option values no longer there
    type_changed: Mapping[str, tuple[str, str]]  # new id -> (old type, new type)

    @property
    def renamed(self) -> dict[str, str]:
        return {old: new for old, new in self.moves.items() if old != new}


def _renames(definition: Definition) -> dict[str, str]:
    """{old id: question id} for the questions of `definition` that say renamed_from."""
    return {q.renamed_from: q.id for q in definition.questions.values()
            if q.renamed_from is not None}


def _options(question: Question) -> tuple[str, ...]:
    """The option values of a choice question (any type whose settings list Options)."""
    options = getattr(question.settings, "options", ())
    return tuple(option.value for option in options if isinstance(option, Option))


def _required(question: Question) -> bool:
    return question.required or question.required_if is not None


def plan(old: Definition, new: Definition, between: Sequence[Definition] = ()) -> Plan:
    """The plan from `old` to `new`. `between` are the versions in between, oldest first: a
    question renamed twice (a, then b, then c) is followed through them."""
    steps = [_renames(definition) for definition in (*between, new)]
    moves: dict[str, str] = {}
    removed: list[str] = []
    for old_id in old.questions:
        target = old_id
        if target not in new.questions:
            for renames in steps:
                target = renames.get(target, target)
        if target in new.questions:
            moves[old_id] = target
        else:
            removed.append(old_id)
    # A kept id wins over a rename onto it: the renamed question's answers stay read-only.
    for old_id, target in list(moves.items()):
        if old_id != target and target in old.questions and moves.get(target) == target:
            del moves[old_id]
            removed.append(old_id)
    sources = {target: old_id for old_id, target in moves.items()}
    tightened: list[WordLimit] = []
    removed_options: dict[str, tuple[str, ...]] = {}
    type_changed: dict[str, tuple[str, str]] = {}
    now_required: list[str] = []
    for question in new.questions.values():
        before = old.questions.get(sources[question.id]) if question.id in sources else None
        if _required(question) and (before is None or not _required(before)):
            now_required.append(question.id)
        if before is None:
            continue
        if before.type != question.type:
            type_changed[question.id] = (before.type, question.type)
        limit, earlier = type_of(question).word_limit(question), type_of(before).word_limit(before)
        if limit is not None and (earlier is None or limit < earlier):
            tightened.append(WordLimit(question.id, earlier, limit))
        gone = tuple(value for value in _options(before) if value not in _options(question))
        if gone and _options(question):
            removed_options[question.id] = gone
    return Plan(
        old=old,
        new=new,
        moves=MappingProxyType(moves),
        removed=tuple(removed),
        added=tuple(q for q in new.questions if q not in sources),
        now_required=tuple(now_required),
        tightened=tuple(tightened),
        removed_options=MappingProxyType(removed_options),
        type_changed=MappingProxyType(type_changed),
    )


@dataclass(frozen=True, slots=True)
class Finding:
    """Something about one carried answer that the person should look at."""

    question_id: str  # in the new version
    kind: str  # "over_limit" | "removed_option" | "invalid"
    message: str


@dataclass(frozen=True, slots=True)
class Carried:
    """One response's answers under a plan. `answers` are the raw answers by question id as
    the new version reads them (the old ones, renamed ones under their new id); nothing that
    was stored is changed or dropped."""

    plan: Plan
    answers: Mapping[str, Raw]
    moved: Mapping[str, str]  # answered old id -> new id
    read_only: tuple[str, ...]  # answered old ids left behind (shown read-only)
    findings: tuple[Finding, ...]
    unanswered_required: tuple[str, ...]  # now-required questions shown and not answered

    @property
    def renamed(self) -> dict[str, str]:
        return {old: new for old, new in self.moved.items() if old != new}


def _words_message(words: int, limit: int) -> str:
    return (f"The word limit is now {limit} words and this answer has {words} "
            f"({words - limit} too many).")


def carry(plan: Plan, answers: Mapping[str, Raw]) -> Carried:
    """What `plan` does to one response's raw `answers` (by question id). Answers to ids that
    are not questions of the old version (left behind by an earlier move) stay where they are;
    one whose id is a question again in the new version counts as an answer to it."""
    moved: dict[str, str] = {}
    read_only: list[str] = []
    carried: dict[str, Raw] = {}
    for old_id, raw in answers.items():
        if old_id not in plan.old.questions:
            if old_id in plan.new.questions and old_id not in plan.moves.values():
                carried[old_id] = raw
            continue
        if not is_answered(plan.old.questions[old_id], raw):
            continue
        target = plan.moves.get(old_id)
        if target is None:
            read_only.append(old_id)
        else:
            moved[old_id] = target
            carried[target] = raw
    findings: list[Finding] = []
    limits = {limit.question_id: limit for limit in plan.tightened}
    for old_id, target in moved.items():
        question, raw = plan.new.questions[target], carried[target]
        before = plan.old.questions[old_id]
        old_messages = set(validate_answer(before, raw))
        if target in limits:
            words = type_of(question).word_count(raw)
            if words > limits[target].new:
                findings.append(Finding(target, "over_limit",
                                        _words_message(words, limits[target].new)))
        chosen = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        gone = [v for v in plan.removed_options.get(target, ()) if v in chosen]
        if gone:
            findings.append(Finding(target, "removed_option", (
                f"{_quoted(gone)} {'is' if len(gone) == 1 else 'are'} no longer "
                f"{'one of the options' if len(gone) == 1 else 'options'}: choose again.")))
        if not any(f.question_id == target for f in findings):
            findings.extend(Finding(target, "invalid", message)
                            for message in validate_answer(question, raw)
                            if message not in old_messages)
    state = FormState(plan.new, carried)
    unanswered = tuple(
        qid for qid in plan.now_required
        if state.is_required(plan.new.questions[qid])
        and not state.is_answered(plan.new.questions[qid])
    )
    return Carried(plan, MappingProxyType(carried), MappingProxyType(moved), tuple(read_only),
                   tuple(findings), unanswered)


def _quoted(values: Sequence[str]) -> str:
    return ", ".join(f"‘{value}’" for value in values)


# --- the effect of publishing -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Someone:
    """One in-progress response as the effect page names it."""

    label: str  # e.g. "Jo Bloggs, East Sussex"
    definition: Definition  # the version it is on now
    answers: Mapping[str, Raw]


@dataclass
class Row:
    """One line of the effect: a question (in the new version, or the old one for read-only
    rows), a detail, and whose answers it concerns."""

    question: Question
    detail: str = ""
    old_id: str = ""  # renamed and read-only rows: the id the answers were given to
    who: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.who)


@dataclass
class Effect:
    """What publishing `new` does to the responses in progress (drafts)."""

    new: Definition
    in_progress: int = 0
    moving: int = 0  # drafts on an older version: they move when next opened
    compared: list[int] = field(default_factory=list)  # the older version numbers planned from
    kept_answers: int = 0  # answers that move to a question with the same id
    renamed: list[Row] = field(default_factory=list)  # answers that follow renamed_from
    read_only: list[Row] = field(default_factory=list)  # questions removed: answers kept
    added: list[Question] = field(default_factory=list)
    now_required: list[Row] = field(default_factory=list)  # who has not answered them
    tightened: list[Row] = field(default_factory=list)  # whose answer is over the new limit
    removed_options: list[Row] = field(default_factory=list)  # whose answer names one
    type_changed: list[Row] = field(default_factory=list)
    problems: list[Row] = field(default_factory=list)  # other answers that now need changing

    @property
    def nothing_changes(self) -> bool:
        return not (self.renamed or self.read_only or self.added or self.now_required
                    or self.tightened or self.removed_options or self.type_changed
                    or self.problems)


class _Rows:
    """Builds an Effect's rows, one per (kind, key), in the order first met."""

    def __init__(self, result: Effect) -> None:
        self.result = result
        self.rows: dict[tuple[str, str], Row] = {}

    def get(self, kind: str, key: str, question: Question, detail: str = "",
            old_id: str = "") -> Row:
        found = self.rows.get((kind, key))
        if found is None:
            found = self.rows[(kind, key)] = Row(question, detail, old_id)
            getattr(self.result, kind).append(found)
        return found

    def plan(self, the_plan: Plan) -> None:
        """The rows a plan gives whoever answered what."""
        new, old = the_plan.new, the_plan.old
        for old_id, target in the_plan.renamed.items():
            self.get("renamed", old_id, new.questions[target], old_id=old_id)
        for old_id in the_plan.removed:
            self.get("read_only", old_id, old.questions[old_id], old_id=old_id)
        for qid in the_plan.added:
            if new.questions[qid] not in self.result.added:
                self.result.added.append(new.questions[qid])
        for qid in the_plan.now_required:
            self.get("now_required", qid, new.questions[qid])
        for limit in the_plan.tightened:
            was = "no limit" if limit.old is None else f"{limit.old} words"
            self.get("tightened", limit.question_id, new.questions[limit.question_id],
                     f"{was} → {limit.new} words")
        for qid, values in the_plan.removed_options.items():
            self.get("removed_options", qid, new.questions[qid], _quoted(values))
        for qid, (was, now) in the_plan.type_changed.items():
            self.get("type_changed", qid, new.questions[qid], f"{was} → {now}")


_FINDING_ROWS = {"over_limit": "tightened", "removed_option": "removed_options"}


def effect(current: Definition | None, new: Definition, responses: Sequence[Someone]) -> Effect:
    """The effect of publishing `new` in place of `current` (None: nothing published yet) on
    these in-progress responses. Those on a version numbered `new.version` or higher do not
    move and are only counted."""
    result = Effect(new=new, in_progress=len(responses))
    rows = _Rows(result)
    plans: dict[int, Plan] = {}

    def plan_from(old: Definition) -> Plan:
        if id(old) not in plans:
            plans[id(old)] = plan(old, new)
            rows.plan(plans[id(old)])
            if old.version not in result.compared:
                result.compared.append(old.version)
        return plans[id(old)]

    if current is not None and current.version < new.version:
        plan_from(current)
    for someone in responses:
        if someone.definition.version >= new.version:
            continue
        result.moving += 1
        the_plan = plan_from(someone.definition)
        done = carry(the_plan, someone.answers)
        for old_id, target in done.moved.items():
            if old_id == target:
                result.kept_answers += 1
            else:
                rows.get("renamed", old_id, new.questions[target]).who.append(someone.label)
        for old_id in done.read_only:
            rows.get("read_only", old_id, the_plan.old.questions[old_id]).who.append(
                someone.label)
        for qid in done.unanswered_required:
            rows.get("now_required", qid, new.questions[qid]).who.append(someone.label)
        for finding in done.findings:
            kind = _FINDING_ROWS.get(finding.kind, "problems")
            rows.get(kind, finding.question_id, new.questions[finding.question_id]).who.append(
                f"{someone.label}: {finding.message}")
    return result
