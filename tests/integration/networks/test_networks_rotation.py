"""Rotation rules through the services, on both databases, with frozen dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from seslip.audit.models import AuditEvent
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.networks import appointments as svc
from seslip.networks.memberships import (
    add_membership,
    decide_join_request,
    end_membership,
    request_to_join,
)
from seslip.networks.models import AppointmentStatus, ReminderSent, RoundStatus
from seslip.networks.queries import can_manage, posts_of
from seslip.networks.rotation import tick
from tests.integration.networks.support import TODAY, build_world, outbox


@pytest.fixture
def world(app: Flask):  # type: ignore[no-untyped-def]
    return build_world()


def test_appointment_starts_today_with_a_planned_end_and_is_audited(world) -> None:
    made = svc.appoint(world.pm, world.chair, world.alice, starts_on=TODAY, today=TODAY)
    assert made.status == AppointmentStatus.ACTIVE
    assert made.planned_end_on == date(2028, 3, 2)
    assert outbox("appointment_made")[-1].recipient == world.alice.email
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "Appointment")
    ).all()
    assert {"create", "activate"} <= set(actions)


def test_future_appointment_waits_then_tick_starts_it(world) -> None:
    made = svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2026, 4, 1),
                       today=TODAY)
    assert made.status == AppointmentStatus.PROPOSED
    tick(date(2026, 3, 31))
    assert made.status == AppointmentStatus.PROPOSED
    report = tick(date(2026, 4, 1))
    assert made.status == AppointmentStatus.ACTIVE
    assert report.started == ["Alice Officer as Chair"]


def test_too_many_holders(world) -> None:
    svc.appoint(world.pm, world.chair, world.alice, today=TODAY)
    with pytest.raises(ServiceError, match="Too many holders: Chair can have at most 1"):
        svc.appoint(world.pm, world.chair, world.bob, today=TODAY)
    svc.appoint(world.pm, world.vice, world.bob, today=TODAY)
    svc.appoint(world.pm, world.vice, world.carol, today=TODAY)  # two Vice Chairs allowed


def test_members_only_and_dcs_eligibility(world) -> None:
    with pytest.raises(ServiceError, match="Not eligible: Olly Outsider is not a member"):
        svc.appoint(world.pm, world.chair, world.outsider, today=TODAY)
    with pytest.raises(ServiceError, match="must be a director of children's services"):
        svc.appoint(world.pm, world.sponsor, world.alice, today=TODAY)


def test_term_limit_reached_after_two_consecutive_terms(world) -> None:
    first = svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2022, 3, 2),
                        today=date(2022, 3, 2))
    second = svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2024, 3, 2),
                         replaces=first, today=date(2024, 3, 2))
    assert first.status == AppointmentStatus.ENDED
    assert first.end_reason == "Succeeded by Alice Officer"
    with pytest.raises(ServiceError, match="Term limit reached"):
        svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2026, 3, 2),
                    replaces=second, today=TODAY)
    svc.appoint(world.pm, world.chair, world.bob, starts_on=date(2026, 3, 2), replaces=second,
                today=TODAY)


def test_only_managers_appoint(world) -> None:
    with pytest.raises(PermissionDenied):
        svc.appoint(world.bob, world.chair, world.alice, today=TODAY)
    svc.appoint(world.pm, world.chair, world.alice, today=TODAY)
    # the new Chair now manages the network
    svc.appoint(world.alice, world.vice, world.bob, today=TODAY)


def test_sponsor_change_needs_the_dcs_group_chair(world) -> None:
    old = svc.appoint(world.pm, world.sponsor, world.dcs_chair, starts_on=date(2025, 1, 1),
                      today=date(2025, 1, 1))
    assert old.status == AppointmentStatus.AWAITING_APPROVAL
    svc.approve(world.dcs_chair, old, today=date(2025, 1, 1))
    assert old.status == AppointmentStatus.ACTIVE

    new = svc.appoint(world.pm, world.sponsor, world.kent_dcs, starts_on=TODAY,
                      replaces=old, today=TODAY)
    assert new.status == AppointmentStatus.AWAITING_APPROVAL
    approval = outbox("approval_requested")[-1]
    assert approval.recipient == world.dcs_chair.email
    assert f"/networks/approvals/{new.id}" in approval.body_text
    with pytest.raises(PermissionDenied):
        svc.approve(world.alice, new, today=TODAY)
    with pytest.raises(ServiceError, match="Enter the reason"):
        svc.decline(world.dcs_chair, new, "  ")
    svc.approve(world.dcs_chair, new, today=TODAY)
    assert new.status == AppointmentStatus.ACTIVE
    assert old.status == AppointmentStatus.ENDED
    assert old.end_reason == "Succeeded by Ken Director"
    approved = outbox("appointment_approved")
    assert {(m.audience, m.recipient) for m in approved[-2:]} == {
        ("appointee", world.kent_dcs.email), ("proposer", world.pm.email)}
    with pytest.raises(ServiceError, match="already been decided"):
        svc.approve(world.dcs_chair, new, today=TODAY)


def test_declined_proposal_leaves_the_holder(world) -> None:
    proposal = svc.appoint(world.pm, world.sponsor, world.kent_dcs, today=TODAY)
    svc.decline(world.dcs_chair, proposal, "We would like a DCS from the west of the region.")
    assert proposal.status == AppointmentStatus.DECLINED
    email = outbox("appointment_declined")[-1]
    assert email.recipient == world.pm.email
    assert "west of the region" in email.body_text


def test_holdover_then_successor_ends_it(world) -> None:
    chair = svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2024, 3, 2),
                        today=date(2024, 3, 2))
    report = tick(date(2026, 3, 2))
    assert chair.status == AppointmentStatus.HOLDOVER
    assert report.holdovers == ["Alice Officer as Chair"]
    assert "holdover-1" in " ".join(report.reminders)
    # the holder still chairs and manages while in holdover
    assert can_manage(world.alice, world.network)
    successor = svc.appoint(world.pm, world.chair, world.bob, today=date(2026, 3, 20))
    assert successor.replaces_id == chair.id
    assert chair.status == AppointmentStatus.ENDED
    assert chair.ended_on == date(2026, 3, 20)


def test_holdover_reminders_escalate_to_the_programme_manager(world) -> None:
    svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2024, 3, 2),
                today=date(2024, 3, 2))
    tick(date(2026, 3, 2))
    assert {m.audience for m in outbox("holdover_reminder")} == {"holder"}
    tick(date(2026, 3, 16))
    assert {m.audience for m in outbox("holdover_reminder")} == {"holder", "programme_manager"}
    assert outbox("holdover_reminder")[-1].subject.startswith("Action needed:")


def test_vice_chair_is_acting_chair_when_the_chair_post_is_empty(world) -> None:
    chair = svc.appoint(world.pm, world.chair, world.alice, today=TODAY)
    svc.appoint(world.pm, world.vice, world.bob, today=TODAY)
    assert not can_manage(world.bob, world.network)
    svc.end_appointment(world.pm, chair, "Left the authority", today=TODAY)
    posts = posts_of(world.network)
    assert [u.name for u in posts.acting[world.chair.id]] == ["Bob Officer"]
    assert posts.chair_label() == "Bob Officer (acting Chair)"
    assert can_manage(world.bob, world.network)


def test_term_reminders_go_once_to_holder_chairs_and_programme_manager(world) -> None:
    svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2024, 6, 1),
                today=date(2024, 6, 1))
    svc.appoint(world.pm, world.vice, world.bob, starts_on=date(2025, 1, 1),
                today=date(2025, 1, 1))
    end = date(2026, 6, 1)
    assert tick(end - timedelta(days=91)).reminders == []
    first = tick(end - timedelta(days=90))
    assert first.reminders == ["before-90 for Alice Officer as Chair"]
    sent = {(m.audience, m.recipient) for m in outbox("term_reminder")}
    # Alice is the only chair, so the chairs' copy has nobody else to go to.
    assert sent == {("holder", world.alice.email), ("programme_manager", world.pm.email)}
    assert "What happens next" in outbox("term_reminder")[0].body_text
    count = len(outbox())
    for day in (90, 89, 61):
        assert tick(end - timedelta(days=day)).reminders == []
    assert len(outbox()) == count
    assert tick(end - timedelta(days=60)).reminders == ["before-60 for Alice Officer as Chair"]
    assert tick(end - timedelta(days=30)).reminders == ["before-30 for Alice Officer as Chair"]
    assert tick(end - timedelta(days=1)).reminders == []
    kinds = set(db.session.scalars(select(ReminderSent.kind)))
    assert kinds == {"before-90", "before-60", "before-30"}


def test_reminder_rows_are_unique_per_appointment_and_kind(world) -> None:
    made = svc.appoint(world.pm, world.chair, world.alice, today=TODAY)
    db.session.add(ReminderSent(appointment_id=made.id, kind="before-90"))
    db.session.commit()
    db.session.add(ReminderSent(appointment_id=made.id, kind="before-90"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_tick_skips_a_reminder_another_worker_already_sent(world) -> None:
    made = svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2024, 6, 1),
                       today=date(2024, 6, 1))
    db.session.add(ReminderSent(appointment_id=made.id, kind="before-90"))
    db.session.commit()
    assert tick(date(2026, 3, 3)).reminders == []
    assert outbox("term_reminder") == []


def test_nomination_round(world) -> None:
    holder = svc.appoint(world.pm, world.chair, world.alice, starts_on=date(2024, 4, 1),
                         today=date(2024, 4, 1))
    with pytest.raises(PermissionDenied):
        svc.open_round(world.bob, world.chair, date(2026, 3, 20), today=TODAY)
    with pytest.raises(ServiceError, match="closing date must be in the future"):
        svc.open_round(world.alice, world.chair, TODAY, today=TODAY)
    rnd = svc.open_round(world.alice, world.chair, date(2026, 3, 20), "Please stand",
                         today=TODAY)
    assert rnd.succeeds_id == holder.id
    assert {m.recipient for m in outbox("nomination_round_opened")} == {
        world.alice.email, world.bob.email, world.carol.email}
    with pytest.raises(PermissionDenied):
        svc.nominate(world.outsider, rnd, world.outsider, today=TODAY)
    with pytest.raises(ServiceError, match="not a member"):
        svc.nominate(world.bob, rnd, world.outsider, today=TODAY)
    svc.nominate(world.bob, rnd, world.bob, "I would like to stand", today=TODAY)
    nomination = svc.nominate(world.carol, rnd, world.carol, today=TODAY)
    with pytest.raises(ServiceError, match="already been nominated"):
        svc.nominate(world.alice, rnd, world.bob, today=TODAY)
    report = tick(date(2026, 3, 21))
    assert rnd.status == RoundStatus.CLOSED
    assert report.rounds_closed == ["Chair of Kinship Network"]
    with pytest.raises(ServiceError, match="closed"):
        svc.nominate(world.bob, rnd, world.alice, today=date(2026, 3, 21))
    made = svc.appoint_from_round(world.pm, rnd, nomination, today=date(2026, 3, 21))
    assert made.starts_on == date(2026, 4, 1)  # from the end of the current term
    assert made.status == AppointmentStatus.PROPOSED
    assert rnd.status == RoundStatus.DECIDED
    tick(date(2026, 4, 1))
    assert made.status == AppointmentStatus.ACTIVE
    assert holder.status == AppointmentStatus.ENDED
    assert holder.end_reason == "Succeeded by Carol Partner"


def test_join_request_accepted_and_declined(world) -> None:
    svc.appoint(world.pm, world.chair, world.alice, today=TODAY)
    request = request_to_join(world.outsider, world.network, "I lead on kinship", today=TODAY)
    assert [m.recipient for m in outbox("join_request")] == [world.alice.email]
    with pytest.raises(ServiceError, match="already asked"):
        request_to_join(world.outsider, world.network, today=TODAY)
    with pytest.raises(PermissionDenied):
        decide_join_request(world.bob, request, True, today=TODAY)
    decide_join_request(world.alice, request, True, today=TODAY)
    assert outbox("join_request_decided")[-1].recipient == world.outsider.email
    with pytest.raises(ServiceError, match="already a member"):
        request_to_join(world.outsider, world.network, today=TODAY)
    other = request_to_join(world.kent_dcs, world.network, today=TODAY)
    with pytest.raises(ServiceError, match="Enter why"):
        decide_join_request(world.alice, other, False, "", today=TODAY)
    decide_join_request(world.alice, other, False, "DCSs join the DCS group", today=TODAY)


def test_partners_cannot_ask_to_join_an_authorities_network(world) -> None:
    partner = world.carol
    with pytest.raises(ServiceError, match="19 authorities only"):
        request_to_join(partner, world.dcs_group, today=TODAY)


def test_memberships_end_and_are_kept(world) -> None:
    membership = add_membership(world.pm, world.network, world.outsider, today=TODAY)
    with pytest.raises(ServiceError, match="already a member"):
        add_membership(world.pm, world.network, world.outsider, today=TODAY)
    end_membership(world.pm, membership, "Moved to another role", today=TODAY)
    assert membership.ended_on == TODAY
    again = add_membership(world.pm, world.network, world.outsider, today=TODAY)
    assert again.id != membership.id
