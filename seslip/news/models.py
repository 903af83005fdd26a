"""News items and their revisions. An edit never overwrites: the item holds what is shown now,
and every save (the first one too) adds a revision with what it said."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.accounts.models import User
from seslip.extensions import db
from seslip.timeutil import utcnow


class NewsItem(db.Model):
    __tablename__ = "news_item"
    __table_args__ = (Index("ix_news_item_published", "published_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised when shown
    published_on: Mapped[date]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    author: Mapped[User | None] = relationship()
    revisions: Mapped[list[NewsRevision]] = relationship(
        back_populates="item", order_by="NewsRevision.number")


class NewsRevision(db.Model):
    __tablename__ = "news_revision"
    __table_args__ = (UniqueConstraint("item_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("news_item.id"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date]
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[NewsItem] = relationship(back_populates="revisions")
    saved_by: Mapped[User | None] = relationship()
