"""The meetings step of the daily `tick`: remind item owners whose paper is missing, two
working days before the papers deadline and on it. Each reminder is guarded by a unique
PaperReminderSent row inserted in the same transaction as its email, so several workers, or
`tick` run twice, send it once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from seslip.audit.services import record
from seslip.extensions import db
from seslip.meetings import rules
from seslip.meetings.models import AgendaItem, Meeting, PaperReminderSent
from seslip.meetings.services import agenda
from seslip.networks.emails import send
from seslip.timeutil import format_date, local_today
from seslip.web import external_url

# Wide enough for the first reminder before any run of holidays (Christmas, Easter).
LOOKAHEAD_DAYS = 14


def tick(today: date | None = None) -> list[str]:
    today = today or local_today()
    sent: list[str] = []
    stmt = (select(AgendaItem.id, Meeting.papers_due_on)
            .join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .where(Meeting.cancelled_at.is_(None), AgendaItem.withdrawn_at.is_(None),
                   AgendaItem.paper_expected.is_(True), AgendaItem.owner_id.is_not(None),
                   Meeting.papers_due_on >= today,
                   Meeting.papers_due_on <= today + timedelta(days=LOOKAHEAD_DAYS))
            .order_by(AgendaItem.id))
    done = {(r.item_id, r.kind) for r in db.session.scalars(select(PaperReminderSent))}
    for item_id, deadline in db.session.execute(stmt).all():
        kind = rules.reminder_due(deadline, today)
        if kind is None or (item_id, kind) in done:
            continue
        item = db.session.get(AgendaItem, item_id)
        if item is None or item.owner is None or not _missing(item):
            continue
        try:
            db.session.add(PaperReminderSent(item_id=item_id, kind=kind))
            _queue(item, kind, today)
            record(None, "remind", item, f"Reminded {item.owner.name} that the paper for "
                   f"“{item.title}” is due {format_date(deadline)}", {"kind": kind})
            db.session.commit()
        except IntegrityError:  # another worker sent it first
            db.session.rollback()
            continue
        sent.append(f"Paper reminder ({kind}): {item.owner.name} for “{item.title}”")
    return sent


def _missing(item: AgendaItem) -> bool:
    return not any(p.versions for p in item.papers)


def _queue(item: AgendaItem, kind: str, today: date) -> None:
    meeting = item.meeting
    assert item.owner is not None
    due_today = kind == rules.ON_DEADLINE
    subject = (f"{'Due today' if due_today else 'Reminder'}: your paper for {meeting.title}"
               f" (“{item.title}”)")
    send("paper_reminder", "owner", [item.owner], subject, meeting=meeting, item=item,
         due_today=due_today, deadline=meeting.papers_due_on, rows=agenda(meeting),
         url=external_url("meetings.upload_paper", meeting_id=meeting.id, item=item.id),
         urgent=due_today)  # due today: never held for a weekly digest
