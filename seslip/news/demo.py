"""Two demo news items, in the words of the programme's site (seed 004). Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from seslip.demo import PROGRAMME_MANAGER_EMAIL, DemoContext, demo_step
from seslip.extensions import db
from seslip.news import services
from seslip.news.models import NewsItem
from seslip.timeutil import local_today

ITEMS = (
    ("DfE consultation on Agency rules closes on 28 February at 23:45",
     "On 31 January DfE opened its consultation on **Agency Rules for Local Authority "
     "Children’s Social Care**.\n\nClosing date: 23.45 28 February.", 9),
    ("Child Safeguarding Practice Review Panel: annual report 2022-2023",
     "On 30 January the Child Safeguarding Practice Review Panel published its Annual Review "
     "2022-2023.", 2),
)


@demo_step
def news(ctx: DemoContext) -> int:
    pm = ctx.user(PROGRAMME_MANAGER_EMAIL)
    created = 0
    for title, body, days_ago in ITEMS:
        if db.session.scalar(select(NewsItem.id).where(NewsItem.title == title)) is None:
            services.post_news(pm, title, body, local_today() - timedelta(days=days_ago))
            created += 1
    ctx.echo(f"News: {created} items added.")
    return created
