"""The actions step of the daily `tick`: remind an open action's owner when it falls due (from
two working days before) and once it is overdue. Each reminder is guarded by a unique
ActionReminderSent row inserted in the same transaction as its email, so `tick` run twice, or
by two workers, sends it once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from seslip.audit.services import record
from seslip.extensions import db
from seslip.meetings import pattern_rules
from seslip.meetings.models import ActionReminderSent, MeetingAction
from seslip.networks.emails import send
from seslip.timeutil import format_date, local_today
from seslip.web import external_url


def tick(today: date | None = None) -> list[str]:
    today = today or local_today()
    sent: list[str] = []
    done = {(r.action_id, r.kind) for r in db.session.scalars(select(ActionReminderSent))}
    stmt = (select(MeetingAction)
            .where(MeetingAction.done_on.is_(None), MeetingAction.due_on.is_not(None),
                   MeetingAction.owner_id.is_not(None))
            .order_by(MeetingAction.id))
    for action in db.session.scalars(stmt).all():
        assert action.due_on is not None and action.owner is not None
        kind = pattern_rules.action_reminder_due(action.due_on, today)
        if kind is None or (action.id, kind) in done:
            continue
        owner = action.owner
        try:
            db.session.add(ActionReminderSent(action_id=action.id, kind=kind))
            _queue(action, kind, today)
            record(None, "remind", action, f"Reminded {owner.name} of an action "
                   f"{'overdue since' if kind == pattern_rules.ACTION_OVERDUE else 'due'} "
                   f"{format_date(action.due_on)}", {"kind": kind})
            db.session.commit()
        except IntegrityError:  # another worker sent it first
            db.session.rollback()
            continue
        sent.append(f"Action reminder ({kind}): {owner.name}: {action.description[:60]}")
    return sent


def _queue(action: MeetingAction, kind: str, today: date) -> None:
    assert action.owner is not None and action.due_on is not None
    overdue = kind == pattern_rules.ACTION_OVERDUE
    subject = (f"{'Overdue' if overdue else 'Due'}: your action from {action.meeting.title}")
    send("action_reminder", "owner", [action.owner], subject, action=action,
         meeting=action.meeting, overdue=overdue, due=format_date(action.due_on),
         url=external_url("meetings.actions", slug=action.meeting.network.slug))
