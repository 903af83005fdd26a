"""The pure rotation rules, with explicit dates (never the real clock)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from seslip.networks import rules
from seslip.networks.rules import (
    Candidate,
    Eligibility,
    JoinRule,
    Term,
    acting_holders,
    consecutive_terms,
    eligibility_message,
    holdover_escalates,
    holdover_stage,
    join_message,
    max_holders_message,
    reminder_due,
    term_end,
    term_limit_message,
)


def test_rules_module_imports_no_flask_or_sqlalchemy() -> None:
    tree = ast.parse(Path(rules.__file__).read_text())
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {n for n in names if n.split(".")[0] in {"flask", "sqlalchemy", "seslip"}}


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (date(2024, 9, 1), 2, date(2026, 9, 1)),
        (date(2023, 12, 31), 1, date(2024, 12, 31)),
        (date(2024, 2, 29), 2, date(2026, 2, 28)),  # leap day start ends on 28 February
        (date(2024, 2, 29), 4, date(2028, 2, 29)),  # another leap year keeps the 29th
        (date(2023, 3, 1), 1, date(2024, 3, 1)),
    ],
)
def test_term_end(start: date, years: int, end: date) -> None:
    assert term_end(start, years) == end


def test_post_without_a_term_has_no_end() -> None:
    assert term_end(date(2024, 1, 1), None) is None


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 6, 2), None),  # 91 days left
        (date(2026, 6, 3), 90),  # exactly 90
        (date(2026, 7, 3), 60),  # exactly 60
        (date(2026, 7, 4), 60),
        (date(2026, 8, 2), 30),  # exactly 30
        (date(2026, 8, 31), 30),  # 1 day left
        (date(2026, 9, 1), None),  # the end date: holdover, not a term reminder
    ],
)
def test_reminder_due_picks_the_nearest_window(today: date, due: int | None) -> None:
    assert reminder_due(date(2026, 9, 1), today) == due


def test_reminder_due_over_a_leap_day() -> None:
    # 2028 is a leap year: 90 days before 1 April 2028 is 2 January 2028.
    assert reminder_due(date(2028, 4, 1), date(2028, 1, 2)) == 90
    assert reminder_due(date(2028, 4, 1), date(2028, 1, 1)) is None


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2026, 8, 31), None),
        (date(2026, 9, 1), 1),
        (date(2026, 9, 14), 1),
        (date(2026, 9, 15), 2),
        (date(2026, 10, 1), 3),
        (date(2026, 10, 31), 4),
        (date(2026, 11, 30), 5),
    ],
)
def test_holdover_stages_escalate(today: date, stage: int | None) -> None:
    assert holdover_stage(date(2026, 9, 1), today) == stage


def test_programme_manager_joins_from_the_second_holdover_reminder() -> None:
    assert not holdover_escalates(1)
    assert holdover_escalates(2)


def test_consecutive_terms_count_until_a_gap() -> None:
    terms = [
        Term(date(2018, 1, 1), date(2020, 1, 1)),
        # a gap of a year breaks the run
        Term(date(2021, 1, 1), date(2023, 1, 1)),
        Term(date(2023, 1, 1), date(2025, 1, 1)),
    ]
    assert consecutive_terms(terms, date(2025, 1, 1)) == 2
    assert consecutive_terms(terms, date(2025, 1, 20)) == 2  # a short gap still counts
    assert consecutive_terms(terms, date(2025, 6, 1)) == 0
    assert consecutive_terms([], date(2025, 1, 1)) == 0


def test_term_limit() -> None:
    terms = [Term(date(2021, 1, 1), date(2023, 1, 1)), Term(date(2023, 1, 1), date(2025, 1, 1))]
    message = term_limit_message(terms, date(2025, 1, 1), 2, "Chair")
    assert message is not None and message.startswith("Term limit reached")
    assert term_limit_message(terms[1:], date(2025, 1, 1), 2, "Chair") is None
    assert term_limit_message(terms, date(2025, 1, 1), None, "Chair") is None


def test_max_holders() -> None:
    assert max_holders_message(1, 1, "Chair") is None
    message = max_holders_message(2, 1, "Chair")
    assert message is not None and "at most 1 holder" in message
    assert max_holders_message(2, 2, "Vice Chair") is None


def _who(role: str | None, kind: str | None, member: bool = True) -> Candidate:
    return Candidate("Alex Example", role, kind, member)


@pytest.mark.parametrize(
    ("rule", "value", "person", "ok"),
    [
        (Eligibility.ANYONE, "", _who(None, None), True),
        (Eligibility.DCS, "", _who("dcs", "authority"), True),
        (Eligibility.DCS, "", _who("officer", "authority"), False),
        (Eligibility.DCS, "", _who("dcs", "partner"), False),
        (Eligibility.LEAD_MEMBER, "", _who("lead_member", "authority"), True),
        (Eligibility.LEAD_MEMBER, "", _who("dcs", "authority"), False),
        (Eligibility.PARTNER, "", _who("partner", "partner"), True),
        (Eligibility.PARTNER, "", _who("officer", "authority"), False),
        (Eligibility.ORGANISATION_KIND, "authority", _who("officer", "authority"), True),
        (Eligibility.ORGANISATION_KIND, "authority", _who("partner", "partner"), False),
    ],
)
def test_eligibility(rule: Eligibility, value: str, person: Candidate, ok: bool) -> None:
    message = eligibility_message(rule, value, False, person, "Sponsor")
    assert (message is None) == ok
    if not ok:
        assert message.startswith("Not eligible: Sponsor must be")


def test_members_only_posts_need_a_member() -> None:
    message = eligibility_message(
        Eligibility.ANYONE, "", True, _who("officer", "authority", member=False), "Chair"
    )
    assert message is not None and "not a member" in message


def test_join_rules() -> None:
    officer = _who("officer", "authority", member=False)
    partner = _who("partner", "partner", member=False)
    assert join_message(JoinRule.ALL_AUTHORITIES, [], officer, "N") is None
    assert join_message(JoinRule.ALL_AUTHORITIES, [], partner, "N") is not None
    assert join_message(JoinRule.AUTHORITIES_AND_PARTNERS, [], partner, "N") is None
    assert join_message(JoinRule.NAMED_ROLES, ["dcs"], officer, "N") is not None
    assert join_message(JoinRule.BY_INVITATION, [], officer, "N") is not None
    assert "already a member" in join_message(
        JoinRule.ALL_AUTHORITIES, [], _who("officer", "authority"), "N"
    )


def test_vice_chair_acts_only_when_the_chair_post_is_empty() -> None:
    deputises = {1: None, 2: 1, 3: None}
    assert acting_holders({1: [], 2: [20, 21], 3: [30]}, deputises) == {1: [20, 21]}
    assert acting_holders({1: [10], 2: [20]}, deputises) == {}
    assert acting_holders({1: [], 2: []}, deputises) == {}
