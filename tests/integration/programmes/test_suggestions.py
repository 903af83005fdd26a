"""Suggestions and their triage, through the real services: each outcome, the email to the
suggester (delivered over SMTP), the audit trail, and who may do what."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from flask import Flask
from sqlalchemy import select

from seslip.audit.models import AuditEvent
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.meetings import services as meetings
from seslip.meetings.models import AgendaItem
from seslip.notifications.delivery import deliver_pending
from seslip.programmes import services
from seslip.programmes.models import Outcome
from seslip.programmes.services import Triage
from tests.integration.meetings.support import MEETING_DAY, build_meeting_world
from tests.integration.networks.support import make_network, outbox
from tests.support.smtp import SmtpServer

NOW = datetime(2026, 3, 2, 12)  # before the world's meeting on 20 March 2026


def test_a_member_suggests_and_the_chair_puts_it_on_the_agenda(app: Flask,
                                                               mail_to: SmtpServer) -> None:
    mw = build_meeting_world()
    made = services.suggest(mw.member, mw.network, "  Kinship   carers' allowances ",
                            "Rates differ across the region.")
    assert (made.title, made.outcome) == ("Kinship carers' allowances", Outcome.AWAITING)
    [told] = outbox("suggestion_made")
    assert told.recipient == mw.chair.email and "Rates differ across the region." in \
        told.body_text
    assert f"/programme/suggestions/{made.id}/triage" in told.body_text
    assert [s.id for s in services.awaiting_for(mw.chair)] == [made.id]
    assert services.awaiting_for(mw.member) == []

    services.triage(mw.chair, made, Triage(Outcome.AGENDA, mw.meeting, owner=mw.member,
                                           minutes=20), now=NOW)

    item = db.session.get(AgendaItem, made.agenda_item_id)
    assert item is not None and item.meeting_id == mw.meeting.id
    assert (item.title, item.owner_id, item.minutes) == ("Kinship carers' allowances",
                                                         mw.member.id, 20)
    assert made.outcome == Outcome.AGENDA and made.decided_by_id == mw.chair.id
    assert services.mine(mw.member)[0].meeting_id == mw.meeting.id
    triaged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "triage")).one()
    assert triaged.changes["outcome"] == ["awaiting", "agenda"]

    assert len(outbox("suggestion_triaged")) == 1
    assert deliver_pending().sent >= 1
    [mail] = [m for m in mail_to.wait_for(mw.member.email) if "suggestion" in m.subject]
    assert mail.subject == "Your suggestion is on the agenda: Kinship carers' allowances"
    assert "Kinship Network, March, 20 March 2026" in mail.text
    assert any(f"/meetings/{mw.meeting.id}" in link for link in mail.links())
    assert any(link.endswith("/suggestions") for link in mail.links())


def test_declining_needs_a_reason_that_the_member_reads(app: Flask) -> None:
    mw = build_meeting_world()
    made = services.suggest(mw.member, mw.network, "Ofsted framework")
    with pytest.raises(ServiceError) as refused:
        services.triage(mw.chair, made, Triage(Outcome.DECLINED, note="  "), now=NOW)
    assert refused.value.field == "note"
    services.triage(mw.chair, made, Triage(Outcome.DECLINED, note="Covered by the DCS group."),
                    now=NOW)
    [message] = outbox("suggestion_triaged")
    assert message.recipient == mw.member.email
    assert message.subject == "Your suggestion was not taken forward: Ofsted framework"
    assert "The reason: Covered by the DCS group." in message.body_text
    with pytest.raises(ServiceError, match="already decided"):
        services.triage(mw.chair, made, Triage(Outcome.LATER), now=NOW)


def test_later_then_a_workshop_at_a_meeting(app: Flask) -> None:
    mw = build_meeting_world()
    made = services.suggest(mw.member, mw.network, "Family group conferencing")
    services.triage(mw.chair, made, Triage(Outcome.LATER, note="For the autumn."), now=NOW)
    assert services.forward_programme(mw.member, mw.network).later == [made]
    services.triage(mw.chair, made, Triage(Outcome.WORKSHOP, mw.meeting), now=NOW)
    assert made.agenda_item is not None
    assert made.agenda_item.title == "Expert workshop: Family group conferencing"
    assert services.forward_programme(mw.member, mw.network).scheduled == [made]
    subjects = [m.subject for m in outbox("suggestion_triaged")]
    assert subjects == [
        "Your suggestion is in the forward programme: Family group conferencing",
        "Your suggestion will be an expert workshop: Family group conferencing"]


def test_a_workshop_without_a_meeting_waits_to_be_arranged(app: Flask) -> None:
    mw = build_meeting_world()
    made = services.suggest(mw.owner, mw.network, "Data sharing")
    services.triage(mw.chair, made, Triage(Outcome.WORKSHOP), now=NOW)
    assert made.agenda_item_id is None
    assert services.forward_programme(mw.chair, mw.network).workshops == [made]
    assert "to be arranged" in outbox("suggestion_triaged")[0].body_text


def test_the_meeting_must_be_this_networks_and_still_to_come(app: Flask) -> None:
    mw = build_meeting_world()
    made = services.suggest(mw.member, mw.network, "Topic")
    with pytest.raises(ServiceError) as refused:
        services.triage(mw.chair, made, Triage(Outcome.AGENDA), now=NOW)
    assert refused.value.field == "meeting"
    with pytest.raises(ServiceError, match="still to come"):
        services.triage(mw.chair, made, Triage(Outcome.AGENDA, mw.meeting),
                        now=datetime(2026, 3, 21))
    other = make_network("Other Network")
    elsewhere = meetings.create_meeting(None, other, meetings.MeetingDetails(
        title="Other", day=MEETING_DAY, starts=time(10), ends=time(11), place="Here"))
    with pytest.raises(ServiceError, match="Choose a meeting of Kinship Network"):
        services.triage(mw.chair, made, Triage(Outcome.AGENDA, elsewhere), now=NOW)
    assert made.outcome == Outcome.AWAITING and outbox("suggestion_triaged") == []


def test_who_may_suggest_and_triage(app: Flask) -> None:
    mw = build_meeting_world()
    with pytest.raises(PermissionDenied):
        services.suggest(mw.w.outsider, mw.network, "Topic")
    with pytest.raises(ServiceError) as refused:
        services.suggest(mw.member, mw.network, "   ")
    assert refused.value.field == "title"
    made = services.suggest(mw.member, mw.network, "Topic")
    for person in (mw.member, mw.owner, mw.w.outsider):
        with pytest.raises(PermissionDenied):
            services.triage(person, made, Triage(Outcome.LATER), now=NOW)
    services.triage(mw.w.pm, made, Triage(Outcome.LATER), now=NOW)  # the programme manager
