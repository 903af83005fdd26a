"""The memorandum of understanding and the regional improvement plan (seed 004) as small PDFs
made at demo time, as the meetings demo makes its paper. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from seslip.demo import PROGRAMME_MANAGER_EMAIL, DemoContext, demo_step
from seslip.documents import services
from seslip.documents.models import Document, DocumentCategory
from seslip.extensions import db
from seslip.meetings.demo import demo_pdf

DOCUMENTS = (
    ("SESLIP Memorandum of Understanding", DocumentCategory.AGREEMENT),
    ("South East Regional Improvement Plan", DocumentCategory.PLAN),
)


@demo_step
def documents(ctx: DemoContext) -> int:
    pm = ctx.user(PROGRAMME_MANAGER_EMAIL)
    created = 0
    for title, category in DOCUMENTS:
        if db.session.scalar(select(Document.id).where(Document.title == title)) is None:
            services.add_document(pm, title, category, demo_pdf(title))
            created += 1
    ctx.echo(f"Key documents: {created} added.")
    return created
