"""Appointments to posts, approvals and nomination rounds. Rules come from `rules.py`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.networks import emails
from seslip.networks.memberships import require_manager
from seslip.networks.models import (
    HOLDING,
    PENDING,
    Appointment,
    AppointmentStatus,
    Nomination,
    NominationRound,
    Position,
    RoundStatus,
)
from seslip.networks.queries import (
    can_manage,
    candidate,
    chairs_of,
    current_members,
    membership_of,
    programme_managers,
)
from seslip.networks.rules import (
    Term,
    eligibility_message,
    max_holders_message,
    term_end,
    term_limit_message,
)
from seslip.records import rows_updated
from seslip.timeutil import local_today, utcnow


def _in_post(position: Position, statuses: tuple[AppointmentStatus, ...]) -> list[Appointment]:
    stmt = (
        select(Appointment)
        .where(Appointment.position_id == position.id, Appointment.status.in_(statuses))
        .order_by(Appointment.planned_end_on, Appointment.id)
    )
    return list(db.session.scalars(stmt))


def require_open_post(position: Position) -> None:
    if position.retired_on is not None:
        raise ServiceError(f"{position.title} of {position.network.name} has been retired: "
                           "nobody can be appointed or nominated to it.")


def check_rules(
    position: Position, person: User, starts_on: date, replaces: Appointment | None, today: date
) -> None:
    """Raise ServiceError naming the first rule the appointment would break."""
    network = position.network
    require_open_post(position)
    problem = eligibility_message(
        position.eligibility, position.eligibility_value, position.members_only,
        candidate(person, network, today),
        position.title,
    )
    if problem:
        raise ServiceError(problem, "person")
    past = [
        Term(a.starts_on, a.ended_on or a.planned_end_on)
        for a in db.session.scalars(
            select(Appointment).where(
                Appointment.position_id == position.id,
                Appointment.user_id == person.id,
                Appointment.status.in_(
                    (*HOLDING, AppointmentStatus.PROPOSED, AppointmentStatus.ENDED)
                ),
            )
        )
    ]
    problem = term_limit_message(past, starts_on, position.max_consecutive_terms, position.title)
    if problem:
        raise ServiceError(problem, "person")
    current = _in_post(position, HOLDING + PENDING)
    replaced = {a.replaces_id for a in current if a.replaces_id} | (
        {replaces.id} if replaces else set()
    )
    if replaces is not None and replaces.id in {a.replaces_id for a in current}:
        raise ServiceError(f"A successor to {replaces.user.name} has already been proposed.")
    staying = [a for a in current if a.id not in replaced]
    problem = max_holders_message(len(staying) + 1, position.max_holders, position.title)
    if problem:
        raise ServiceError(problem, "person")


def appoint(
    actor: User,
    position: Position,
    person: User,
    *,
    starts_on: date | None = None,
    replaces: Appointment | None = None,
    nomination_round: NominationRound | None = None,
    today: date | None = None,
    commit: bool = True,
) -> Appointment:
    """Appoint `person`: now, from a future date, or subject to approval if the post says so."""
    today = today or local_today()
    network = position.network
    require_manager(actor, network)
    starts_on = starts_on or today
    if replaces is None:
        # Whoever is in holdover is the one a new holder succeeds.
        holdover = _in_post(position, (AppointmentStatus.HOLDOVER,))
        replaces = holdover[0] if holdover else None
    if replaces is not None and replaces.position_id != position.id:
        raise ServiceError("The appointment being succeeded is in another post.")
    check_rules(position, person, starts_on, replaces, today)
    appointment = Appointment(
        position_id=position.id,
        user_id=person.id,
        starts_on=starts_on,
        planned_end_on=term_end(starts_on, position.term_years),
        status=AppointmentStatus.AWAITING_APPROVAL
        if position.needs_approval
        else AppointmentStatus.PROPOSED,
        replaces_id=replaces.id if replaces else None,
        proposed_by_id=actor.id,
        nomination_round_id=nomination_round.id if nomination_round else None,
    )
    db.session.add(appointment)
    db.session.flush()
    record(
        actor, "create", appointment,
        f"Proposed {person.name} as {position.title} of {network.name}",
        {"position": position.title, "person": person.name, "starts_on": starts_on,
         "planned_end_on": appointment.planned_end_on, "status": appointment.status,
         "replaces": replaces.user.name if replaces else None},
    )
    if position.needs_approval:
        approving = position.approval_network
        approvers = chairs_of(approving) if approving else []
        if not approvers:
            name = approving.name if approving else "another network"
            raise ServiceError(
                f"{position.title} needs the approval of {name}, "
                "which has no chair to approve it. Appoint that network's chair first."
            )
        emails.send(
            "approval_requested", "approver", approvers,
            f"Approval needed: {person.name} as {position.title} of {network.name}",
            appointment=appointment, position=position, network=network, proposer=actor,
            url=emails.approval_url(appointment),
        )
    else:
        _confirm(actor, appointment, today)
        emails.send(
            "appointment_made", "appointee", [person],
            f"You are appointed {position.title} of {network.name}",
            appointment=appointment, position=position, network=network, today=today,
            url=emails.network_url(network),
        )
    if commit:
        db.session.commit()
    return appointment


def _confirm(actor: User | None, appointment: Appointment, today: date) -> None:
    """An agreed appointment starts now if its date has come, otherwise waits (proposed)."""
    if appointment.starts_on <= today:
        activate(actor, appointment, today)
    else:
        appointment.status = AppointmentStatus.PROPOSED


def activate(actor: User | None, appointment: Appointment, today: date) -> None:
    """Start an appointment and end the one it succeeds (a holdover ends here too)."""
    appointment.status = AppointmentStatus.ACTIVE
    predecessor = appointment.replaces
    if predecessor is not None and predecessor.status in HOLDING:
        was = predecessor.status
        predecessor.status = AppointmentStatus.ENDED
        predecessor.ended_on = appointment.starts_on
        predecessor.end_reason = f"Succeeded by {appointment.user.name}"
        record(
            actor, "end", predecessor,
            f"{predecessor.user.name}'s term as {predecessor.position.title} ended"
            + (" (holdover over)" if was == AppointmentStatus.HOLDOVER else ""),
            {"ended_on": predecessor.ended_on, "end_reason": predecessor.end_reason},
        )
    record(
        actor, "activate", appointment,
        f"{appointment.user.name} became {appointment.position.title} of "
        f"{appointment.position.network.name}",
        {"status": appointment.status, "starts_on": appointment.starts_on},
    )


def may_decide(actor: User, appointment: Appointment) -> bool:
    approving = appointment.position.approval_network
    if actor.is_staff:
        return True
    return approving is not None and any(c.id == actor.id for c in chairs_of(approving))


def require_decider(actor: User, appointment: Appointment) -> None:
    """Only the approving network's chair, or staff, decide an appointment that needs approval."""
    if not may_decide(actor, appointment):
        approving = appointment.position.approval_network
        name = approving.name if approving else "the approving network"
        raise PermissionDenied(
            f"Only the chair of {name} or the programme manager can decide this."
        )


def _require_decider(actor: User, appointment: Appointment) -> None:
    require_decider(actor, appointment)
    if appointment.status != AppointmentStatus.AWAITING_APPROVAL:
        raise ServiceError(
            f"This appointment has already been decided ({appointment.status.label})."
        )


def approve(actor: User, appointment: Appointment, today: date | None = None) -> Appointment:
    today = today or local_today()
    _require_decider(actor, appointment)
    position = appointment.position
    appointment.decided_by_id = actor.id
    appointment.decided_at = utcnow()
    record(actor, "approve", appointment,
           f"Approved {appointment.user.name} as {position.title} of {position.network.name}")
    _confirm(actor, appointment, today)
    context = dict(appointment=appointment, position=position, network=position.network,
                   approver=actor, url=emails.network_url(position.network))
    subject = f"Approved: {appointment.user.name} as {position.title} of {position.network.name}"
    emails.send("appointment_approved", "appointee", [appointment.user], subject, **context)
    if appointment.proposed_by is not None:
        emails.send("appointment_approved", "proposer", [appointment.proposed_by], subject,
                    **context)
    db.session.commit()
    return appointment


def decline(actor: User, appointment: Appointment, reason: str) -> Appointment:
    _require_decider(actor, appointment)
    if not reason.strip():
        raise ServiceError("Enter the reason for declining: the proposer will see it.", "reason")
    position = appointment.position
    appointment.status = AppointmentStatus.DECLINED
    appointment.decided_by_id = actor.id
    appointment.decided_at = utcnow()
    appointment.decision_reason = reason.strip()
    record(actor, "decline", appointment,
           f"Declined {appointment.user.name} as {position.title} of {position.network.name}",
           {"reason": appointment.decision_reason})
    if appointment.proposed_by is not None:
        emails.send(
            "appointment_declined", "proposer", [appointment.proposed_by],
            f"Declined: {appointment.user.name} as {position.title} of {position.network.name}",
            appointment=appointment, position=position, network=position.network,
            approver=actor, url=emails.network_url(position.network),
        )
    db.session.commit()
    return appointment


def end_appointment(
    actor: User, appointment: Appointment, reason: str, today: date | None = None
) -> Appointment:
    today = today or local_today()
    require_manager(actor, appointment.position.network)
    if appointment.status not in HOLDING + PENDING:
        raise ServiceError("This appointment has already ended.")
    if not reason.strip():
        raise ServiceError("Enter why the appointment is ending.", "reason")
    appointment.status = AppointmentStatus.ENDED
    appointment.ended_on = today
    appointment.end_reason = reason.strip()
    record(actor, "end", appointment,
           f"Ended {appointment.user.name} as {appointment.position.title}",
           {"ended_on": today, "end_reason": appointment.end_reason})
    db.session.commit()
    return appointment


# Nomination rounds ---------------------------------------------------------------------------


def open_round(
    actor: User, position: Position, closes_on: date, note: str = "", today: date | None = None
) -> NominationRound:
    today = today or local_today()
    network = position.network
    require_manager(actor, network)
    require_open_post(position)
    if closes_on <= today:
        raise ServiceError("The closing date must be in the future.", "closes_on")
    running = db.session.scalars(
        select(NominationRound).where(
            NominationRound.position_id == position.id,
            NominationRound.status.in_([RoundStatus.OPEN, RoundStatus.CLOSED]),
        )
    )
    # A round that closed with nobody nominated leads nowhere: a new one may replace it.
    if any(r.status == RoundStatus.OPEN or r.nominations for r in running):
        raise ServiceError(f"A nomination round for {position.title} is already running.")
    holders = _in_post(position, HOLDING)
    nomination_round = NominationRound(
        position_id=position.id,
        succeeds_id=holders[0].id if holders else None,
        opened_by_id=actor.id,
        closes_on=closes_on,
        note=note.strip(),
    )
    db.session.add(nomination_round)
    db.session.flush()
    record(actor, "create", nomination_round,
           f"Opened nominations for {position.title} of {network.name}",
           {"closes_on": closes_on, "note": nomination_round.note})
    emails.send(
        "nomination_round_opened", "members", [m.user for m in current_members(network, today)],
        f"Nominations open for {position.title} of {network.name}",
        nomination_round=nomination_round, position=position, network=network,
        url=emails.round_url(nomination_round),
    )
    db.session.commit()
    return nomination_round


def nominate(
    actor: User,
    nomination_round: NominationRound,
    nominee: User,
    statement: str = "",
    today: date | None = None,
) -> Nomination:
    today = today or local_today()
    position = nomination_round.position
    network = position.network
    if membership_of(actor, network, today) is None and not can_manage(actor, network):
        raise PermissionDenied(f"Only members of {network.name} can nominate.")
    if not nomination_round.open_on(today):
        raise ServiceError("Nominations for this round have closed.")
    problem = eligibility_message(
        position.eligibility, position.eligibility_value, position.members_only,
        candidate(nominee, network, today), position.title,
    )
    if problem:
        raise ServiceError(problem, "nominee")
    if any(n.nominee_id == nominee.id for n in nomination_round.nominations):
        raise ServiceError(f"{nominee.name} has already been nominated.", "nominee")
    nomination = Nomination(
        round_id=nomination_round.id, nominee_id=nominee.id, nominated_by_id=actor.id,
        statement=statement.strip(),
    )
    db.session.add(nomination)
    db.session.flush()
    record(actor, "create", nomination,
           f"{actor.name} nominated {nominee.name} for {position.title} of {network.name}",
           {"statement": nomination.statement})
    db.session.commit()
    return nomination


def close_round(actor: User | None, nomination_round: NominationRound) -> NominationRound:
    """Close nominations and tell the chairs and the programme manager who was nominated.

    A conditional update closes the round, so when the manual close and `tick` (or two ticks)
    race, only one of them closes it and the email goes out once.
    """
    position = nomination_round.position
    network = position.network
    if actor is not None:
        require_manager(actor, network)
    closed = rows_updated(
        update(NominationRound)
        .where(NominationRound.id == nomination_round.id,
               NominationRound.status == RoundStatus.OPEN)
        .values(status=RoundStatus.CLOSED, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if closed != 1:
        raise ServiceError("This round is not open.")
    db.session.refresh(nomination_round)
    record(actor, "close", nomination_round, f"Closed nominations for {position.title}",
           {"status": [RoundStatus.OPEN, RoundStatus.CLOSED]})
    emails.send(
        "nomination_round_closed", "chairs", [*chairs_of(network), *programme_managers()],
        f"Nominations closed for {position.title} of {network.name}",
        nomination_round=nomination_round, position=position, network=network,
        nominations=nomination_round.nominations, url=emails.round_url(nomination_round),
        network_url=emails.network_url(network),
    )
    db.session.commit()
    return nomination_round


def appoint_from_round(
    actor: User, nomination_round: NominationRound, nomination: Nomination,
    today: date | None = None,
) -> Appointment:
    """Appoint a nominee: from the end of the current term, or today if it has already ended."""
    today = today or local_today()
    if nomination_round.status == RoundStatus.DECIDED:
        raise ServiceError("An appointment has already been made from this round.")
    if nomination.round_id != nomination_round.id:
        raise ServiceError("That nomination belongs to another round.")
    succeeds = nomination_round.succeeds
    if succeeds is not None and succeeds.status not in HOLDING:
        succeeds = None
    start = today
    if succeeds is not None and succeeds.planned_end_on and succeeds.planned_end_on > today:
        start = succeeds.planned_end_on
    appointment = appoint(
        actor, nomination_round.position, nomination.nominee, starts_on=start,
        replaces=succeeds, nomination_round=nomination_round, today=today, commit=False,
    )
    was = nomination_round.status
    nomination_round.status = RoundStatus.DECIDED
    nomination_round.closed_at = nomination_round.closed_at or utcnow()
    record(actor, "decide", nomination_round,
           f"Chose {nomination.nominee.name} for {nomination_round.position.title}",
           {"status": [was, RoundStatus.DECIDED], "appointment_id": appointment.id})
    db.session.commit()
    return appointment
