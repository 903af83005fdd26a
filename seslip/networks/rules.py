"""Pure rules of network posts: term dates, reminders, holdover, limits, eligibility, deputising.

No Flask or SQLAlchemy here: plain functions on dates and small dataclasses, so every rule is
unit-tested with explicit dates. Each check returns a message for the person (or None when the
rule is met); services turn a message into a ServiceError.

Term dates: a term runs from its start date up to its planned end date, which is the start's
anniversary after `years` years. On the planned end date the successor takes over or, if there
is none, the holder continues in holdover. A term starting on 29 February ends on 28 February
(the last day of February in a year without a leap day), so it is one day shorter, never longer.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

# Days before the planned end of a term when reminders go out, most distant first.
REMINDER_DAYS = (90, 60, 30)
# Days after the planned end when holdover reminders go out; then every HOLDOVER_REPEAT_DAYS.
HOLDOVER_OFFSETS = (0, 14, 30)
HOLDOVER_REPEAT_DAYS = 30
# From this holdover stage on, the programme manager is told as well (escalation).
HOLDOVER_ESCALATE_STAGE = 2
# A new term starting within this many days of the previous one ending counts as consecutive.
CONSECUTIVE_GAP_DAYS = 31
# Upper bounds on a post's numbers: far above any real post, and inside a database integer.
MAX_HOLDERS = 100
MAX_CONSECUTIVE_TERMS = 20


def add_years(start: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # only 29 February can fail
        return start.replace(year=start.year + years, day=28)


def term_end(start: date, years: int | None) -> date | None:
    """Planned end of a term of `years` starting on `start` (None: the post has no fixed term)."""
    if not years:
        return None
    return add_years(start, years)


def reminder_due(planned_end: date | None, today: date) -> int | None:
    """Which of the 90/60/30-day reminders is due today, or None.

    Only the nearest window counts, so a tick that did not run for weeks sends one current
    reminder rather than a burst of stale ones. Idempotency (never twice) is the caller's job.
    """
    if planned_end is None:
        return None
    days_left = (planned_end - today).days
    if days_left <= 0:
        return None
    due = None
    for days in REMINDER_DAYS:
        if days_left <= days:
            due = days
    return due


def holdover_offset(stage: int) -> int:
    """Days after the planned end when holdover reminder `stage` (1-based) is due."""
    if stage <= len(HOLDOVER_OFFSETS):
        return HOLDOVER_OFFSETS[stage - 1]
    return HOLDOVER_OFFSETS[-1] + (stage - len(HOLDOVER_OFFSETS)) * HOLDOVER_REPEAT_DAYS


def holdover_stage(planned_end: date, today: date) -> int | None:
    """The latest holdover reminder stage reached today (1 on the end date), or None before it."""
    days_over = (today - planned_end).days
    if days_over < 0:
        return None
    stage = 1
    while holdover_offset(stage + 1) <= days_over:
        stage += 1
    return stage


def holdover_escalates(stage: int) -> bool:
    return stage >= HOLDOVER_ESCALATE_STAGE


@dataclass(frozen=True)
class Term:
    """One past or current term of a person in a post."""

    start: date
    end: date | None  # actual end, or planned end, or None when open-ended


def consecutive_terms(terms: Iterable[Term], new_start: date) -> int:
    """How many terms run unbroken up to `new_start` (a gap over CONSECUTIVE_GAP_DAYS breaks)."""
    count = 0
    boundary = new_start
    for term in sorted(terms, key=lambda t: t.start, reverse=True):
        if term.start >= new_start:
            continue
        end = term.end or new_start
        if (boundary - end).days > CONSECUTIVE_GAP_DAYS:
            break
        count += 1
        boundary = term.start
    return count


def term_limit_message(
    terms: Iterable[Term], new_start: date, max_consecutive: int | None, title: str
) -> str | None:
    if not max_consecutive:
        return None
    served = consecutive_terms(terms, new_start)
    if served >= max_consecutive:
        noun = "term" if max_consecutive == 1 else "terms"
        return (
            f"Term limit reached: this person has served {served} consecutive {noun} as "
            f"{title}, the most allowed is {max_consecutive}."
        )
    return None


def max_holders_message(holders_after: int, max_holders: int, title: str) -> str | None:
    """`holders_after`: people who would hold the post once the new appointment starts."""
    if holders_after > max_holders:
        noun = "holder" if max_holders == 1 else "holders"
        return (
            f"Too many holders: {title} can have at most {max_holders} {noun}. "
            "End a current holder's appointment or appoint a successor to them instead."
        )
    return None


class Eligibility(enum.StrEnum):
    """Who may hold a post (besides being a member of the network, when the post asks that)."""

    ANYONE = "anyone"
    DCS = "dcs"
    LEAD_MEMBER = "lead_member"
    PARTNER = "partner"
    ORGANISATION_KIND = "organisation_kind"

    @property
    def label(self) -> str:
        return ELIGIBILITY_LABELS[self]


ELIGIBILITY_LABELS = {
    Eligibility.ANYONE: "Anyone",
    Eligibility.DCS: "Must be a director of children's services",
    Eligibility.LEAD_MEMBER: "Must be a lead member for children's services",
    Eligibility.PARTNER: "Must be from a partner organisation",
    Eligibility.ORGANISATION_KIND: "Must be from a particular kind of organisation",
}


@dataclass(frozen=True)
class Candidate:
    """What the eligibility rules need to know about a person."""

    name: str
    org_role: str | None  # "dcs", "lead_member", "officer", "partner"
    organisation_kind: str | None  # "authority", "partner"
    is_member: bool


def eligibility_message(
    rule: Eligibility, value: str, members_only: bool, candidate: Candidate, title: str
) -> str | None:
    if members_only and not candidate.is_member:
        return (
            f"Not eligible: {candidate.name} is not a member of this network, and {title} "
            "must be held by a member. Add them as a member first."
        )
    failed = {
        Eligibility.ANYONE: False,
        Eligibility.DCS: candidate.org_role != "dcs"
        or candidate.organisation_kind != "authority",
        Eligibility.LEAD_MEMBER: candidate.org_role != "lead_member",
        Eligibility.PARTNER: candidate.organisation_kind != "partner",
        Eligibility.ORGANISATION_KIND: candidate.organisation_kind != value,
    }[rule]
    if failed:
        requirement = ELIGIBILITY_LABELS[rule].lower().removeprefix("must be ")
        if rule == Eligibility.ORGANISATION_KIND:
            requirement = f"from an organisation of kind '{value}'"
        return f"Not eligible: {title} must be {requirement}, and {candidate.name} is not."
    return None


class JoinRule(enum.StrEnum):
    """Who may ask to join a network."""

    ALL_AUTHORITIES = "all_authorities"
    AUTHORITIES_AND_PARTNERS = "authorities_and_partners"
    NAMED_ROLES = "named_roles"
    BY_INVITATION = "by_invitation"

    @property
    def label(self) -> str:
        return JOIN_RULE_LABELS[self]


JOIN_RULE_LABELS = {
    JoinRule.ALL_AUTHORITIES: "Open to all 19 authorities",
    JoinRule.AUTHORITIES_AND_PARTNERS: "Open to all 19 authorities and partner organisations",
    JoinRule.NAMED_ROLES: "Open to people in named roles",
    JoinRule.BY_INVITATION: "By invitation of the chair or the programme manager",
}


def join_message(
    rule: JoinRule, roles: Sequence[str], candidate: Candidate, network_name: str
) -> str | None:
    """Why this person may not ask to join (None: they may)."""
    if candidate.is_member:
        return f"You are already a member of {network_name}."
    if rule == JoinRule.BY_INVITATION:
        return f"{network_name} is by invitation: ask its chair or the programme manager."
    if rule == JoinRule.ALL_AUTHORITIES and candidate.organisation_kind != "authority":
        return f"{network_name} is open to people from the 19 authorities only."
    if rule == JoinRule.AUTHORITIES_AND_PARTNERS and candidate.organisation_kind is None:
        return f"{network_name} is open to people from the 19 authorities and partners only."
    if rule == JoinRule.NAMED_ROLES and candidate.org_role not in roles:
        return f"{network_name} is open to people in these roles only: {', '.join(roles)}."
    return None


def acting_holders(
    holders: Mapping[int, Sequence[int]], deputises_for: Mapping[int, int | None]
) -> dict[int, list[int]]:
    """Posts that are empty and the people acting in them: {empty post: deputies' ids}.

    `holders`: post id -> ids of people holding it now (active or in holdover);
    `deputises_for`: post id -> the post it deputises for. A Vice Chair acts as Chair only
    while the Chair post has nobody in it.
    """
    acting: dict[int, list[int]] = {}
    for deputy_post, principal in deputises_for.items():
        if principal is None or holders.get(principal):
            continue
        for person in holders.get(deputy_post, ()):
            acting.setdefault(principal, [])
            if person not in acting[principal]:
                acting[principal].append(person)
    return acting



# Shape of networks and posts: what staff may set up -----------------------------------------

SLUG_RESERVED = frozenset({"new", "mine", "rounds", "appointments", "approvals"})


def slugify(name: str) -> str:
    """A web address name from a network's name: "Kinship Data Group" -> "kinship-data-group"."""
    words = "".join(c if c.isalnum() else " " for c in name.lower().replace("'", "")).split()
    return "-".join(words)[:70].strip("-") or "network"


def network_shape_message(
    is_task_and_finish: bool, has_parent: bool, established_on: date | None, ends_on: date | None
) -> tuple[str, str] | None:
    """(field, message) for the first broken rule of a network's shape, or None."""
    if is_task_and_finish and not has_parent:
        return ("parent", "Choose the parent network: a task and finish group belongs to one.")
    if is_task_and_finish and ends_on is None:
        return ("ends_on", "Enter the end date: a task and finish group has one.")
    if established_on and ends_on and ends_on <= established_on:
        return ("ends_on", "The end date must be after the date the network was established.")
    return None


def creates_cycle(start: int, target: int | None, links: Mapping[int, int | None]) -> bool:
    """Would pointing `start` at `target` make a loop? `links`: id -> what it points at now.

    Used for parents of networks and for posts deputising for posts.
    """
    seen = {start}
    current = target
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = links.get(current)
    return False


def holders_message(
    min_holders: int, max_holders: int, holding_now: int, title: str
) -> tuple[str, str] | None:
    """(field, message) when the numbers of holders make no sense, or None."""
    if min_holders < 0:
        return ("min_holders", "The minimum number of holders must be 0 or more.")
    if max_holders < 1:
        return ("max_holders", "The maximum number of holders must be 1 or more.")
    if max_holders > MAX_HOLDERS:
        return ("max_holders", f"The maximum number of holders must be {MAX_HOLDERS} or fewer.")
    if min_holders > max_holders:
        return ("max_holders", "The maximum number of holders must be at least the minimum.")
    if holding_now > max_holders:
        return (
            "max_holders",
            f"The maximum cannot be {max_holders}: {holding_now} people hold {title} now. "
            "End an appointment first.",
        )
    return None


def term_message(term_years: int | None, max_consecutive: int | None) -> tuple[str, str] | None:
    if term_years is not None and not 1 <= term_years <= 10:
        return ("term_years", "The term length must be between 1 and 10 years, or empty.")
    if max_consecutive is not None and not 1 <= max_consecutive <= MAX_CONSECUTIVE_TERMS:
        return ("max_consecutive_terms", "The most consecutive terms must be between 1 and "
                f"{MAX_CONSECUTIVE_TERMS}, or empty.")
    if max_consecutive is not None and term_years is None:
        return (
            "max_consecutive_terms",
            "Set a term length to limit consecutive terms, or leave the limit empty.",
        )
    return None
