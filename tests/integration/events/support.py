"""An events world for the events tests, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from icalendar import Calendar
from icalendar import Event as VEvent

from seslip.accounts.models import OrgRole, User
from seslip.events import programme, services
from seslip.events.models import Cohort, Event, EventKind
from seslip.networks.appointments import appoint
from seslip.networks.models import Network
from seslip.notifications.models import OutboxMessage
from tests.integration.networks.support import TODAY, World, build_world
from tests.support.factories import make_admin, make_user

EVENT_DAY = date(2026, 3, 19)  # a Thursday, after TODAY (2 March 2026)


@dataclass
class EventWorld:
    w: World
    admin: User
    chair: User  # alice chairs the network
    lead: User  # a lead member, participant
    dora: User  # another lead member, participant
    cohort: Cohort
    network: Network
    event: Event  # the cohort's induction day, two places


def build_event_world(capacity: int | None = 2) -> EventWorld:
    w = build_world()
    admin = make_admin(name="Ada Admin")
    appoint(w.pm, w.chair, w.alice, starts_on=TODAY, today=TODAY)
    lead = make_user(name="Cllr Lena Lead", organisation=w.kent, org_role=OrgRole.LEAD_MEMBER)
    dora = make_user(name="Cllr Dora Dean", organisation=w.surrey, org_role=OrgRole.LEAD_MEMBER)
    cohort = programme.create_cohort(w.pm, "London programme", "2025-26")
    programme.add_participants(w.pm, cohort, [lead, dora, w.bob, w.carol])
    event = services.create_event(w.pm, services.EventDetails(
        EventKind.INDUCTION_DAY, "Induction day", EVENT_DAY, time(9, 30), time(16),
        "**For** new lead members", place="London Councils", cohort=cohort,
        capacity=capacity))
    return EventWorld(w, admin, w.alice, lead, dora, cohort, w.network, event)


def attached(message: OutboxMessage) -> tuple[Calendar, VEvent]:
    assert message.attachments and len(message.attachments) == 1
    attachment = message.attachments[0]
    assert attachment["filename"] == "event.ics"
    cal = Calendar.from_ical(attachment["content"])
    assert f"method={cal['METHOD']}" in attachment["mimetype"]
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]
