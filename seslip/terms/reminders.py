"""The terms-of-reference step of the daily `tick`: remind a network's chairs 30 and 7 days
before its annual review is due, and once when it is overdue. Each reminder is guarded by a
unique TermsReminderSent row (terms, due date, kind) inserted with its email, so it is sent
exactly once however often `tick` runs; a new approval or review moves the due date on."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from seslip.audit.services import record
from seslip.extensions import db
from seslip.networks.emails import send
from seslip.terms import rules, services
from seslip.terms.models import TermsOfReference, TermsReminderSent
from seslip.timeutil import format_date, local_today
from seslip.web import external_url


def tick(today: date | None = None) -> list[str]:
    today = today or local_today()
    lines: list[str] = []
    done = {(r.terms_id, r.due_on, r.kind) for r in db.session.scalars(select(TermsReminderSent))}
    for terms in db.session.scalars(select(TermsOfReference).order_by(TermsOfReference.id)):
        due = services.due_on(terms)
        if due is None or terms.network.is_archived:
            continue
        kind = rules.reminder_due(due, today)
        if kind is None or (terms.id, due, kind) in done:
            continue
        network = terms.network
        try:
            db.session.add(TermsReminderSent(terms_id=terms.id, due_on=due, kind=kind))
            subject = (f"The terms of reference of {network.name} are overdue for review"
                       if kind == rules.OVERDUE else
                       f"The terms of reference of {network.name} are due for review on "
                       f"{format_date(due)}")
            send("tor_review", "chairs", services._editors(network), subject, network=network,
                 due_on=due, overdue=kind == rules.OVERDUE,
                 url=external_url("terms.show", slug=network.slug))
            record(None, "remind", terms, f"Reminded the chairs of {network.name} to review "
                   f"the terms of reference (due {format_date(due)})", {"kind": kind})
            db.session.commit()
        except IntegrityError:  # another worker sent it first
            db.session.rollback()
            continue
        lines.append(f"Terms of reference review reminder ({kind}): {network.name}")
    return lines
