"""The programme manager's lists: outcome themes and the regional improvement plan's
priorities, and which priorities each theme feeds. Staff only; archived, never deleted."""

from __future__ import annotations

from sqlalchemy import select

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.challenge.models import PlanPriority, Theme
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.permissions import require_staff
from seslip.records import get_or_raise


def themes(include_archived: bool = False) -> list[Theme]:
    stmt = select(Theme).order_by(Theme.name)
    if not include_archived:
        stmt = stmt.where(Theme.archived.is_(False))
    return list(db.session.scalars(stmt))


def priorities(include_archived: bool = False) -> list[PlanPriority]:
    stmt = select(PlanPriority).order_by(PlanPriority.position, PlanPriority.id)
    if not include_archived:
        stmt = stmt.where(PlanPriority.archived.is_(False))
    return list(db.session.scalars(stmt))


def _name(value: str, field: str, what: str, longest: int) -> str:
    value = " ".join(value.split())
    if not value:
        raise ServiceError(f"Enter the {what}.", field)
    if len(value) > longest:
        raise ServiceError(f"The {what} must be {longest} characters or fewer.", field)
    return value


def add_theme(actor: User | None, name: str, description: str = "") -> Theme:
    """`actor` None is the demo."""
    if actor is not None:
        require_staff(actor)
    name = _name(name, "name", "theme's name", 120)
    if db.session.scalar(select(Theme.id).where(Theme.name == name)) is not None:
        raise ServiceError(f"There is already a theme called “{name}”.", "name")
    theme = Theme(name=name, description=description.strip())
    db.session.add(theme)
    record(actor, "create", theme, f"Added the outcome theme “{name}”")
    db.session.commit()
    return theme


def add_priority(actor: User | None, title: str, description: str = "") -> PlanPriority:
    if actor is not None:
        require_staff(actor)
    title = _name(title, "title", "priority's title", 200)
    if db.session.scalar(select(PlanPriority.id).where(PlanPriority.title == title)):
        raise ServiceError(f"There is already a priority called “{title}”.", "title")
    last = db.session.scalar(select(PlanPriority.position).order_by(
        PlanPriority.position.desc()).limit(1))
    priority = PlanPriority(title=title, description=description.strip(),
                            position=(last or 0) + 1)
    db.session.add(priority)
    record(actor, "create", priority, f"Added the regional plan priority “{title}”")
    db.session.commit()
    return priority


def load_theme(actor: User, theme_id: int) -> Theme:
    require_staff(actor)
    return get_or_raise(Theme, theme_id, "There is no such theme.")


def load_priority(actor: User, priority_id: int) -> PlanPriority:
    require_staff(actor)
    return get_or_raise(PlanPriority, priority_id, "There is no such priority.")


def set_archived(actor: User, thing: Theme | PlanPriority, archived: bool) -> None:
    require_staff(actor)
    if thing.archived == archived:
        return
    thing.archived = archived
    label = thing.name if isinstance(thing, Theme) else thing.title
    record(actor, "archive" if archived else "restore", thing,
           f"{'Archived' if archived else 'Restored'} “{label}”",
           {"archived": [not archived, archived]})
    db.session.commit()


def link_priorities(actor: User | None, theme: Theme, priority_ids: list[int]) -> None:
    """Which of the plan's priorities `theme` feeds (replaces the list; audited)."""
    if actor is not None:
        require_staff(actor)
    wanted = set(priority_ids)
    found = list(db.session.scalars(select(PlanPriority).where(PlanPriority.id.in_(wanted))))
    if len(found) != len(wanted):
        raise ServiceError("Choose priorities from the list.", "priorities")
    before = sorted(p.title for p in theme.priorities)
    theme.priorities = sorted(found, key=lambda p: p.position)
    after = sorted(p.title for p in theme.priorities)
    if before != after:
        record(actor, "update", theme, f"Linked “{theme.name}” to the plan's priorities",
               {"priorities": [before, after]})
    db.session.commit()
