"""The daily `tick`: start agreed appointments, move ended terms into holdover, send reminders,
close nomination rounds. Safe to run often and from several workers: each reminder is guarded
by a unique ReminderSent row inserted in the same transaction as its emails, and a round is
closed (and its email to the chairs queued) by a conditional update only one worker can win.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from seslip.audit.services import record
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.networks import emails
from seslip.networks.appointments import activate, close_round
from seslip.networks.models import (
    Appointment,
    AppointmentStatus,
    NominationRound,
    ReminderSent,
    RoundStatus,
)
from seslip.networks.queries import chairs_of, programme_managers
from seslip.networks.rules import holdover_escalates, holdover_stage, reminder_due
from seslip.timeutil import local_today


@dataclass
class TickReport:
    started: list[str] = field(default_factory=list)
    holdovers: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    rounds_closed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Started: {s}" for s in self.started]
        out += [f"Holdover began: {s}" for s in self.holdovers]
        out += [f"Reminder sent: {s}" for s in self.reminders]
        out += [f"Nominations closed: {s}" for s in self.rounds_closed]
        return out


def _ids(stmt: Select[int]) -> list[int]:
    return list(db.session.scalars(stmt))


def tick(today: date | None = None) -> TickReport:
    today = today or local_today()
    report = TickReport()
    _start_agreed(today, report)
    _begin_holdovers(today, report)
    _send_reminders(today, report)
    _close_rounds(today, report)
    return report


def _start_agreed(today: date, report: TickReport) -> None:
    stmt = select(Appointment.id).where(
        Appointment.status == AppointmentStatus.PROPOSED, Appointment.starts_on <= today
    )
    for ident in _ids(stmt):
        appointment = db.session.get(Appointment, ident)
        if appointment is None or appointment.status != AppointmentStatus.PROPOSED:
            continue
        activate(None, appointment, today)
        db.session.commit()
        report.started.append(f"{appointment.user.name} as {appointment.position.title}")


def _begin_holdovers(today: date, report: TickReport) -> None:
    stmt = select(Appointment.id).where(
        Appointment.status == AppointmentStatus.ACTIVE,
        Appointment.planned_end_on.is_not(None),
        Appointment.planned_end_on <= today,
    )
    for ident in _ids(stmt):
        appointment = db.session.get(Appointment, ident)
        if appointment is None or appointment.status != AppointmentStatus.ACTIVE:
            continue
        appointment.status = AppointmentStatus.HOLDOVER
        record(None, "holdover", appointment,
               f"{appointment.user.name}'s term as {appointment.position.title} ended with no "
               "successor: they continue in holdover",
               {"status": [AppointmentStatus.ACTIVE, AppointmentStatus.HOLDOVER]})
        db.session.commit()
        report.holdovers.append(f"{appointment.user.name} as {appointment.position.title}")


def _due_kind(appointment: Appointment, today: date) -> tuple[str, int] | None:
    if appointment.planned_end_on is None:
        return None
    if appointment.status == AppointmentStatus.ACTIVE:
        days = reminder_due(appointment.planned_end_on, today)
        return (f"before-{days}", days) if days else None
    stage = holdover_stage(appointment.planned_end_on, today)
    return (f"holdover-{stage}", stage) if stage else None


def _send_reminders(today: date, report: TickReport) -> None:
    stmt = select(Appointment.id).where(
        Appointment.status.in_([AppointmentStatus.ACTIVE, AppointmentStatus.HOLDOVER]),
        Appointment.planned_end_on.is_not(None),
    )
    sent = {(r.appointment_id, r.kind) for r in db.session.scalars(select(ReminderSent))}
    for ident in _ids(stmt):
        appointment = db.session.get(Appointment, ident)
        due = _due_kind(appointment, today) if appointment else None
        if appointment is None or due is None or (ident, due[0]) in sent:
            continue
        try:
            db.session.add(ReminderSent(appointment_id=ident, kind=due[0]))
            db.session.flush()
        except IntegrityError:
            db.session.rollback()  # another worker sent it first
            continue
        _queue_reminder(appointment, due[0], due[1], today)
        record(None, "remind", appointment,
               f"Sent the {due[0]} reminder for {appointment.user.name} as "
               f"{appointment.position.title}")
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        report.reminders.append(f"{due[0]} for {appointment.user.name} as "
                                f"{appointment.position.title}")


def _successor(appointment: Appointment) -> Appointment | None:
    return db.session.scalar(
        select(Appointment).where(
            Appointment.replaces_id == appointment.id,
            Appointment.status.in_(
                [AppointmentStatus.PROPOSED, AppointmentStatus.AWAITING_APPROVAL]
            ),
        )
    )


def _queue_reminder(appointment: Appointment, kind: str, number: int, today: date) -> None:
    position = appointment.position
    network = position.network
    holder = appointment.user
    assert appointment.planned_end_on is not None  # only appointments with an end are reminded
    chairs = [c for c in chairs_of(network) if c.id != holder.id]
    context = dict(
        appointment=appointment, position=position, network=network, holder=holder,
        successor=_successor(appointment), today=today, url=emails.network_url(network),
        days_left=(appointment.planned_end_on - today).days,
        days_over=(today - appointment.planned_end_on).days,
    )
    if kind.startswith("before-"):
        subject = f"{position.title} of {network.name}: term ends in {number} days or less"
        emails.send("term_reminder", "holder", [holder], subject, **context)
        emails.send("term_reminder", "chairs", chairs, subject, **context)
        emails.send("term_reminder", "programme_manager", programme_managers(), subject,
                    **context)
        return
    urgent = holdover_escalates(number)
    subject = (
        f"{'Action needed: ' if urgent else ''}{holder.name} is in holdover as "
        f"{position.title} of {network.name}"
    )
    context["stage"] = number
    # The holder is told about their own term, not about themselves by name.
    emails.send("holdover_reminder", "holder", [holder],
                f"Your term as {position.title} of {network.name} has ended: you continue "
                "in holdover", **context)
    emails.send("holdover_reminder", "chairs", chairs, subject, **context)
    if urgent:
        emails.send("holdover_reminder", "programme_manager", programme_managers(), subject,
                    **context)


def _close_rounds(today: date, report: TickReport) -> None:
    # Still marked open, but its closing date has passed.
    stmt = select(NominationRound.id).where(
        NominationRound.status == RoundStatus.OPEN, ~NominationRound.open_on(today)
    )
    for ident in _ids(stmt):
        nomination_round = db.session.get(NominationRound, ident)
        if nomination_round is None or nomination_round.status != RoundStatus.OPEN:
            continue
        try:
            close_round(None, nomination_round)
        except ServiceError:  # closed by someone else meanwhile: they sent the email
            db.session.rollback()
            continue
        report.rounds_closed.append(
            f"{nomination_round.position.title} of {nomination_round.position.network.name}"
        )
