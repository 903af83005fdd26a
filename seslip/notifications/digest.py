"""The weekly digest: the `tick` step (listed in seslip/tick.py) that sends each person who
has held messages one email with all of them.

The week starts on Monday (Europe/London). The first run in a week sends each person what
was held before that Monday began; messages held during the week wait for the next one. A
WeeklyDigest row, unique per person and week and inserted in the same transaction as the
digest email, makes a second run (or a second machine) send nothing more.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.extensions import db
from seslip.meetings.rules import london_to_utc
from seslip.notifications.models import OutboxMessage, OutboxStatus, WeeklyDigest
from seslip.notifications.services import queue_email
from seslip.timeutil import format_date, local_today
from seslip.web import external_url


def week_starting(day: date) -> date:
    return day - timedelta(days=day.weekday())


def tick(today: date | None = None) -> list[str]:
    week = week_starting(today or local_today())
    before = london_to_utc(week, time.min)
    waiting = _held(before)
    people = db.session.scalars(select(User).where(User.id.in_(waiting))).all()
    sent: list[str] = []
    for person in sorted(people, key=lambda p: p.id):
        if not person.is_active_account:
            continue
        try:
            count = _send(person, week, waiting[person.id])
            db.session.commit()
        except IntegrityError:  # this week's digest was sent already (or by another run)
            db.session.rollback()
            continue
        sent.append(f"Weekly digest: {count} email{'' if count == 1 else 's'} to {person.name}")
    return sent


def _held(before: object) -> dict[int, list[OutboxMessage]]:
    stmt = (select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.HELD,
                   OutboxMessage.held_for_id.is_not(None), OutboxMessage.created_at < before)
            .order_by(OutboxMessage.created_at, OutboxMessage.id))
    found: dict[int, list[OutboxMessage]] = {}
    for message in db.session.scalars(stmt):
        assert message.held_for_id is not None
        found.setdefault(message.held_for_id, []).append(message)
    return found


def _send(person: User, week: date, messages: list[OutboxMessage]) -> int:
    digest = WeeklyDigest(user_id=person.id, week_starting=week, items=len(messages))
    db.session.add(digest)
    db.session.flush()  # the unique key: a second run stops here
    files = [a for m in messages for a in (m.attachments or [])]
    subject = (f"Your weekly SESLIP digest: {len(messages)} "
               f"update{'' if len(messages) == 1 else 's'}, {format_date(week)}")
    email = queue_email("weekly_digest", "person", person.email, subject, person=person,
                        messages=messages, week=week, attachments=files or None,
                        preferences_url=external_url("notification_preferences.edit"))
    email.digest_id = digest.id
    for message in messages:
        message.status = OutboxStatus.DIGESTED
        message.digest_id = digest.id
    record(None, "send", digest, f"Sent {person.name} a weekly digest of "
           f"{len(messages)} email{'' if len(messages) == 1 else 's'}",
           {"week_starting": week.isoformat(), "items": len(messages)})
    return len(messages)
