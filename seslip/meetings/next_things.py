"""The meetings area's lines in "My next things": the coming meetings of the person's networks
(listed in seslip/panels.py)."""

from __future__ import annotations

from datetime import date, time, timedelta

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.extensions import db
from seslip.meetings.models import Meeting
from seslip.meetings.rules import london_to_utc
from seslip.networks.models import Membership
from seslip.networks.queries import current_memberships_stmt
from seslip.panels import NextThing

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
