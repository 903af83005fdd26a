"""News services: staff post and edit (every save kept as a revision, audited, committed);
every signed-in person reads. The read side for the pages is at the end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from seslip.accounts.models import User
from seslip.audit.services import diff, record
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.news.models import NewsItem, NewsRevision
from seslip.permissions import require_staff
from seslip.records import get_or_raise
from seslip.timeutil import local_today

MAX_BODY_CHARS = 50_000
HOME_ITEMS = 3


def _check(title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title:
        raise ServiceError("Enter a title for the news item.", "title")
    if len(title) > 200:
        raise ServiceError("The title must be 200 characters or fewer.", "title")
    if not body:
        raise ServiceError("Enter the text of the news item.", "body")
    if len(body) > MAX_BODY_CHARS:
        raise ServiceError(f"The text must be {MAX_BODY_CHARS:,} characters or fewer.", "body")
    return title, body


def _revise(actor: User | None, item: NewsItem) -> NewsRevision:
    revision = NewsRevision(item=item, number=len(item.revisions) + 1, title=item.title,
                            body=item.body, published_on=item.published_on,
                            saved_by_id=actor.id if actor else None)
    db.session.add(revision)
    return revision


def post_news(actor: User | None, title: str, body: str, published_on: date | None = None,
              ) -> NewsItem:
    """`actor` None is the demo."""
    if actor is not None:
        require_staff(actor)
    title, body = _check(title, body)
    item = NewsItem(title=title, body=body, published_on=published_on or local_today(),
                    author_id=actor.id if actor else None)
    db.session.add(item)
    _revise(actor, item)
    db.session.flush()
    record(actor, "create", item, f"Posted the news item “{title}”",
           {"published_on": item.published_on})
    db.session.commit()
    return item


def edit_news(actor: User, item: NewsItem, title: str, body: str,
              published_on: date | None) -> NewsItem:
    require_staff(actor)
    title, body = _check(title, body)
    values = {"title": title, "body": body, "published_on": published_on or item.published_on}
    changes = diff(item, values)
    if not changes:
        return item
    for name, value in values.items():
        setattr(item, name, value)
    revision = _revise(actor, item)
    record(actor, "update", item, f"Edited the news item “{title}” (version {revision.number})",
           changes)
    db.session.commit()
    return item


def require_poster(actor: User) -> None:
    """Admins and the programme manager post and edit news."""
    require_staff(actor)


def load(ident: int) -> NewsItem:
    return get_or_raise(NewsItem, ident, "There is no such news item.")


def load_for_edit(actor: User, ident: int) -> NewsItem:
    require_staff(actor)
    return load(ident)


def archive() -> list[NewsItem]:
    """Every item, newest first (signed-in people only: the views need a sign-in)."""
    return list(db.session.scalars(
        select(NewsItem).order_by(NewsItem.published_on.desc(), NewsItem.id.desc())))


@dataclass(frozen=True)
class HomePanel:
    items: list[NewsItem]
    may_post: bool


def home_panel(user: User) -> HomePanel:
    """The home page's "News": the latest few items."""
    items = list(db.session.scalars(
        select(NewsItem).order_by(NewsItem.published_on.desc(), NewsItem.id.desc())
        .limit(HOME_ITEMS)))
    return HomePanel(items=items, may_post=user.is_staff)
