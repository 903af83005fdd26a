"""The challenge step of the daily `tick`: an agreed action comes back to its owner on its
due date (or the first run after it, if that day was missed). Exactly once: a unique
ActionReminderSent row goes in with the email, so a second run or worker sends nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from seslip.audit.services import record
from seslip.challenge.models import ActionReminderSent, AgreedAction
from seslip.extensions import db
from seslip.networks.emails import send
from seslip.timeutil import format_date, local_today
from seslip.web import external_url


def tick(today: date | None = None) -> list[str]:
    today = today or local_today()
    sent: list[str] = []
    stmt = (select(AgreedAction)
            .outerjoin(ActionReminderSent, ActionReminderSent.action_id == AgreedAction.id)
            .where(AgreedAction.due_on <= today, AgreedAction.done_at.is_(None),
                   AgreedAction.withdrawn.is_(False), ActionReminderSent.id.is_(None))
            .order_by(AgreedAction.due_on, AgreedAction.id))
    for action in list(db.session.scalars(stmt)):
        try:
            db.session.add(ActionReminderSent(action_id=action.id, sent_on=today))
            outcome = action.outcome
            send("action_due", "owner", [action.owner],
                 f"Action due {format_date(action.due_on)}: {outcome.organisation.name}",
                 action=action, outcome=outcome, due_today=action.due_on == today,
                 url=external_url("challenge.outcome", triad_id=outcome.triad_id,
                                  organisation_id=outcome.organisation_id))
            record(None, "remind", action, f"Reminded {action.owner.name} of the action "
                   f"due {format_date(action.due_on)}", {"due_on": action.due_on})
            db.session.commit()
        except IntegrityError:  # another worker sent it first
            db.session.rollback()
            continue
        sent.append(f"Action reminder: {action.owner.name}, due {format_date(action.due_on)}")
    return sent
