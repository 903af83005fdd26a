"""The events step of the daily `tick`: remind everyone with a place the day before the event
(or on its morning, when the day before's tick did not run). Each reminder is guarded by a
unique EventReminderSent row inserted in the same transaction as its email, so `tick` run
twice, or by two workers, sends it once."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from seslip.audit.services import record
from seslip.events import rules
from seslip.events.models import Event, EventReminderSent, Registration, RegistrationStatus
from seslip.events.services import event_day, notify
from seslip.extensions import db
from seslip.meetings.rules import london_to_utc
from seslip.timeutil import local_today


def tick(today: date | None = None) -> list[str]:
    today = today or local_today()
    window_end = london_to_utc(today + timedelta(days=2), time())
    stmt = (select(Registration.id)
            .join(Event, Registration.event_id == Event.id)
            .where(Registration.status == RegistrationStatus.REGISTERED,
                   Event.cancelled_at.is_(None), Event.starts_at >= london_to_utc(today, time()),
                   Event.starts_at < window_end,
                   Registration.id.not_in(select(EventReminderSent.registration_id)))
            .order_by(Registration.id))
    sent: list[str] = []
    for reg_id in db.session.scalars(stmt).all():
        reg = db.session.get(Registration, reg_id)
        if reg is None or not rules.reminder_due(event_day(reg.event), today):
            continue
        try:
            db.session.add(EventReminderSent(registration_id=reg.id))
            db.session.flush()
            notify(reg, "event_reminder", f"Tomorrow: {reg.event.title}"
                   if event_day(reg.event) > today else f"Today: {reg.event.title}",
                   tomorrow=event_day(reg.event) > today)
            record(None, "remind", reg, f"Reminded {reg.user.name} of {reg.event.title}")
            db.session.commit()
        except IntegrityError:  # another worker sent it first
            db.session.rollback()
            continue
        sent.append(f"Event reminder: {reg.user.name} for “{reg.event.title}”")
    return sent
