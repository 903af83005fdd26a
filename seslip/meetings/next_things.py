"""The meetings area's lines in "My next things" (listed in seslip/panels.py): the coming
meetings of the person's networks, papers they owe for a meeting still to come, the actions
they own that are open, and (for those who run a network) planned meetings to confirm."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.extensions import db
from seslip.meetings.models import AgendaItem, Meeting, MeetingAction
from seslip.meetings.rules import london_to_utc
from seslip.networks.models import Membership
from seslip.networks.queries import current_memberships_stmt
from seslip.parts import NextThing
from seslip.timeutil import utcnow

AHEAD = timedelta(days=90)  # further ahead than this is not a "next" thing


def coming_meetings(user: User, today: date) -> list[NextThing]:
    mine = current_memberships_stmt(today).where(Membership.user_id == user.id).with_only_columns(
        Membership.network_id)
    start = london_to_utc(today, time.min)
    stmt = (select(Meeting)
            .where(or_(Meeting.network_id.in_(mine), Meeting.joint_network_id.in_(mine)),
                   Meeting.cancelled_at.is_(None), Meeting.starts_at >= start,
                   Meeting.starts_at < start + AHEAD)
            .options(selectinload(Meeting.network), selectinload(Meeting.joint_network))
            .order_by(Meeting.starts_at, Meeting.id))
    return [NextThing(m.starts_at, _describe(m), url_for("meetings.show", meeting_id=m.id),
                      "meeting")
            for m in db.session.scalars(stmt)]


def _describe(meeting: Meeting) -> str:
    where = meeting.how.lower() + (f": {meeting.place}" if meeting.place else "")
    return f"{meeting.title} ({where})"


def papers_due(user: User, today: date) -> list[NextThing]:
    """Agenda items the person owns, with a paper expected and none uploaded yet."""
    stmt = (select(AgendaItem).join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .where(AgendaItem.owner_id == user.id, AgendaItem.paper_expected.is_(True),
                   AgendaItem.withdrawn_at.is_(None), Meeting.cancelled_at.is_(None),
                   Meeting.starts_at >= utcnow())
            .options(selectinload(AgendaItem.papers), selectinload(AgendaItem.meeting))
            .order_by(Meeting.papers_due_on, AgendaItem.id))
    return [NextThing(item.meeting.papers_due_on,
                      f"Upload your paper for “{item.title}” ({item.meeting.title})",
                      url_for("meetings.upload_paper", meeting_id=item.meeting_id, item=item.id),
                      "paper")
            for item in db.session.scalars(stmt)
            if not any(p.versions for p in item.papers)]


def actions_owned(user: User, today: date) -> list[NextThing]:
    """Open actions the person owns, from every network's meetings."""
    stmt = (select(MeetingAction)
            .where(MeetingAction.owner_id == user.id, MeetingAction.done_on.is_(None))
            .options(selectinload(MeetingAction.meeting).selectinload(Meeting.network))
            .order_by(MeetingAction.due_on, MeetingAction.id))
    return [NextThing(action.due_on,
                      ("Overdue action: " if action.due_on and action.due_on < today
                       else "Action: ") + _short(action.description),
                      url_for("meetings.actions", slug=action.meeting.network.slug),
                      "action")
            for action in db.session.scalars(stmt)]


def _short(text: str, length: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


CONFIRM_WITHIN_DAYS = 90  # planned meetings further ahead need no decision yet


def meetings_to_confirm(user: User, today: date) -> list[NextThing]:
    """For those who run a network: its planned meetings of the next three months that wait
    for confirmation."""
    from seslip.meetings.services import can_run

    soon = datetime.combine(today + timedelta(days=CONFIRM_WITHIN_DAYS), datetime.min.time())
    stmt = (select(Meeting)
            .where(Meeting.pattern_id.is_not(None), Meeting.confirmed_at.is_(None),
                   Meeting.cancelled_at.is_(None), Meeting.starts_at >= utcnow(),
                   Meeting.starts_at < soon)
            .options(selectinload(Meeting.network))
            .order_by(Meeting.starts_at))
    allowed: dict[int, bool] = {}
    things = []
    for meeting in db.session.scalars(stmt):
        if meeting.network_id not in allowed:
            allowed[meeting.network_id] = can_run(user, meeting.network)
        if allowed[meeting.network_id]:
            things.append(NextThing(meeting.starts_at, f"Confirm or move {meeting.title}",
                                    url_for("meetings.show", meeting_id=meeting.id),
                                    "meeting"))
    return things
