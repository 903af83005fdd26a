"""Views of the networks area: thin handlers that load, call a service and render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from seslip.accounts.models import User
from seslip.errors import ServiceError
from seslip.markup import render_markdown
from seslip.networks import appointments, loaders, memberships
from seslip.networks import queries as q
from seslip.networks.forms import (
    AddMemberForm,
    AppointForm,
    AppointFromRoundForm,
    DecideJoinForm,
    DecisionForm,
    JoinForm,
    NominateForm,
    OpenRoundForm,
    ReasonForm,
)
from seslip.networks.loaders import MANAGE
from seslip.networks.models import (
    Appointment,
    AppointmentStatus,
    JoinRequest,
    Membership,
    Network,
    NetworkKind,
    NominationRound,
    Position,
)
from seslip.panels import network_panels, panels_by_place
from seslip.timeutil import format_date, local_today
from seslip.web import attempt, form_status, render_page

bp = Blueprint("networks", __name__, url_prefix="/networks")


def _person_label(user: User) -> str:
    return f"{user.name} ({user.organisation.name})" if user.organisation else user.name


@bp.get("/")
def index() -> Response:
    kind = request.args.get("kind", "")
    if kind not in {k.value for k in NetworkKind}:
        kind = ""
    rows = q.index_rows(kind or None, local_today())
    return render_page("networks/index.html", "networks/_network_list.html",
                       rows=rows, kind=kind, kinds=list(NetworkKind))


@bp.get("/mine")
def mine() -> str:
    today = local_today()
    return render_template("networks/mine.html", memberships=q.my_networks(current_user, today),
                           posts=q.my_posts(current_user))


@bp.get("/<slug>")
@loaders.network()
def show(network: Network) -> str:
    today = local_today()
    posts = q.posts_of(network)
    current = q.current_members(network, today)
    represented = {m.organisation_id for m in current}
    manage = q.can_manage(current_user, network, posts)
    return render_template(
        "networks/show.html", network=network, posts=posts, today=today,
        groups=q.members_by_organisation(current), member_count=len(current),
        missing=[a for a in q.authorities() if a.id not in represented],
        can_manage=manage, rounds=q.open_rounds(network),
        requests=q.pending_join_requests(network) if manage else [],
        is_member=any(m.user_id == current_user.id for m in current),
        end_form=ReasonForm(), is_staff=current_user.is_staff,
        purpose_html=render_markdown(network.purpose),
        retired=[p for p in network.positions if p.retired_on is not None],
        panels=panels_by_place(network_panels(current_user, network, today)),
    )


@bp.get("/<slug>/history")
@loaders.network()
def history(network: Network) -> str:
    return render_template("networks/history.html", network=network,
                           appointments=q.history_of(network))


@bp.route("/<slug>/members", methods=["GET", "POST"])
@loaders.network(MANAGE)
def members(network: Network) -> Any:
    today = local_today()
    current = q.current_members(network, today)
    form = AddMemberForm()
    member_ids = {m.user_id for m in current}
    form.person.choices = [SelectChoice(0, "Choose a person")] + [
        SelectChoice(u.id, _person_label(u)) for u in q.active_people() if u.id not in member_ids
    ]
    if form.validate_on_submit():
        person = q.person(form.person.data)
        if person is None:
            form.person.errors = ["Choose a person."]
        elif attempt(form, lambda: memberships.add_membership(
                current_user, network, person, role_note=form.role_note.data or "",
                started_on=form.started_on.data)):
            flash(f"{person.name} is now a member of {network.name}.", "success")
            return redirect(url_for("networks.members", slug=network.slug))
    status = form_status(form)
    return render_template("networks/members.html", network=network, form=form,
                           groups=q.members_by_organisation(current), end_form=ReasonForm(),
                           ), status


@bp.post("/<slug>/members/<int:membership_id>/end")
@loaders.membership(MANAGE)
def end_member(network: Network, membership: Membership) -> Any:
    form = ReasonForm()
    if form.validate_on_submit() and attempt(
        form, lambda: memberships.end_membership(current_user, membership, form.reason.data)
    ):
        flash(f"{membership.user.name}'s membership of {network.name} has ended.", "success")
    else:
        flash(f"Enter why {membership.user.name}'s membership is ending.", "error")
    return redirect(url_for("networks.members", slug=network.slug))


@bp.route("/<slug>/join", methods=["GET", "POST"])
@loaders.network()
def join(network: Network) -> Any:
    form = JoinForm()
    if form.validate_on_submit() and attempt(
        form, lambda: memberships.request_to_join(current_user, network, form.message.data or "")
    ):
        flash(f"Your request to join {network.name} has been sent to its chair.", "success")
        return redirect(url_for("networks.show", slug=network.slug))
    status = form_status(form)
    return render_template("networks/join.html", network=network, form=form), status


@bp.get("/<slug>/requests")
@loaders.network(MANAGE)
def join_requests(network: Network) -> str:
    return render_template("networks/join_requests.html", network=network,
                           requests=q.pending_join_requests(network), form=DecideJoinForm())


@bp.post("/<slug>/requests/<int:request_id>")
@loaders.join_request(MANAGE)
def decide_join(network: Network, join_request: JoinRequest) -> Any:
    form = DecideJoinForm()
    if form.validate_on_submit() and attempt(form, lambda: memberships.decide_join_request(
            current_user, join_request, form.decision.data == "accept", form.reason.data or "")):
        flash(f"{join_request.user.name}'s request was {join_request.status.value}.", "success")
        return redirect(url_for("networks.join_requests", slug=network.slug))
    return render_template("networks/join_requests.html", network=network, form=form,
                           requests=q.pending_join_requests(network),
                           failed_id=join_request.id), 422


@bp.route("/<slug>/posts/<int:position_id>/appoint", methods=["GET", "POST"])
@loaders.post(MANAGE)
def appoint(network: Network, position: Position) -> Any:
    form = AppointForm()
    people = q.active_people(network if position.members_only else None, local_today())
    form.person.choices = [SelectChoice(0, "Choose a person")] + [
        SelectChoice(u.id, _person_label(u)) for u in people
    ]
    if form.validate_on_submit():
        person = q.person(form.person.data)
        if person is None:
            form.person.errors = ["Choose a person."]
        else:
            made = attempt(form, lambda: appointments.appoint(
                current_user, position, person, starts_on=form.starts_on.data))
            if made:
                flash(_appointment_message(made), "success")
                return redirect(url_for("networks.show", slug=network.slug))
    status = form_status(form)
    return render_template("networks/appoint.html", network=network, position=position,
                           form=form), status


def _appointment_message(appointment: Appointment) -> str:
    title = appointment.position.title
    if appointment.status == AppointmentStatus.AWAITING_APPROVAL:
        approving = appointment.position.approval_network
        return (f"{appointment.user.name} is proposed as {title}. "
                f"The chair of {approving.name if approving else 'the approving network'} "
                "has been asked to approve.")
    if appointment.status == AppointmentStatus.PROPOSED:
        starts = format_date(appointment.starts_on)
        return f"{appointment.user.name} will become {title} on {starts}."
    return f"{appointment.user.name} is now {title}."


@bp.post("/appointments/<int:appointment_id>/end")
@loaders.appointment(MANAGE)
def end_appointment(appointment: Appointment) -> Any:
    network = appointment.position.network
    form = ReasonForm()
    if form.validate_on_submit() and attempt(form, lambda: appointments.end_appointment(
            current_user, appointment, form.reason.data)):
        flash(f"{appointment.user.name}'s appointment as {appointment.position.title} ended.",
              "success")
    else:
        flash("Enter why the appointment is ending.", "error")
    return redirect(url_for("networks.show", slug=network.slug))


@bp.route("/<slug>/posts/<int:position_id>/nominations", methods=["GET", "POST"])
@loaders.post(MANAGE)
def open_round(network: Network, position: Position) -> Any:
    form = OpenRoundForm()
    if form.validate_on_submit():
        opened = attempt(form, lambda: appointments.open_round(
            current_user, position, form.closes_on.data, form.note.data or ""))
        if opened:
            flash(f"Nominations for {position.title} are open: members have been emailed.",
                  "success")
            return redirect(url_for("networks.round", round_id=opened.id))
    status = form_status(form)
    return render_template("networks/open_round.html", network=network, position=position,
                           form=form), status


def _nominee_choices(nomination_round: NominationRound) -> list[SelectChoice]:
    return [SelectChoice(n.id, n.nominee.name) for n in nomination_round.nominations]


def _render_round(nomination_round: NominationRound, status: int = 200,
                  nominate_form: NominateForm | None = None,
                  appoint_form: AppointFromRoundForm | None = None) -> Any:
    network = nomination_round.position.network
    today = local_today()
    nominate_form = nominate_form or NominateForm()
    nominate_form.nominee.choices = [SelectChoice(0, "Choose a member")] + [
        SelectChoice(m.user.id, _person_label(m.user)) for m in q.current_members(network, today)
    ]
    appoint_form = appoint_form or AppointFromRoundForm()
    appoint_form.nomination.choices = _nominee_choices(nomination_round)
    return render_template(
        "networks/round.html", round=nomination_round, network=network,
        position=nomination_round.position, nominate_form=nominate_form,
        appoint_form=appoint_form, close_form=FlaskForm(),
        can_manage=q.can_manage(current_user, network),
        is_member=q.membership_of(current_user, network, today) is not None,
        is_open=nomination_round.open_on(today),
    ), status


@bp.get("/rounds/<int:round_id>", endpoint="round")
@loaders.nomination_round()
def show_round(nomination_round: NominationRound) -> Any:
    return _render_round(nomination_round)


@bp.post("/rounds/<int:round_id>/nominate")
@loaders.nomination_round()
def nominate(nomination_round: NominationRound) -> Any:
    form = NominateForm()
    network = nomination_round.position.network
    form.nominee.choices = [SelectChoice(m.user.id, m.user.name)
                            for m in q.current_members(network, local_today())]
    if form.validate_on_submit():
        nominee = q.person(form.nominee.data)
        if nominee and attempt(form, lambda: appointments.nominate(
                current_user, nomination_round, nominee, form.statement.data or "")):
            flash(f"{nominee.name} is nominated for {nomination_round.position.title}.",
                  "success")
            return redirect(url_for("networks.round", round_id=nomination_round.id))
    return _render_round(nomination_round, 422, nominate_form=form)


@bp.post("/rounds/<int:round_id>/close")
@loaders.nomination_round()
def close_round(nomination_round: NominationRound) -> Any:
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            appointments.close_round(current_user, nomination_round)
            flash("Nominations are closed. Choose who to appoint.", "success")
        except ServiceError as error:
            flash(error.message, "error")
    return redirect(url_for("networks.round", round_id=nomination_round.id))


@bp.post("/rounds/<int:round_id>/appoint")
@loaders.nomination_round(MANAGE)
def appoint_from_round(nomination_round: NominationRound) -> Any:
    form = AppointFromRoundForm()
    form.nomination.choices = _nominee_choices(nomination_round)
    if form.validate_on_submit():
        chosen = next(n for n in nomination_round.nominations if n.id == form.nomination.data)
        made = attempt(form, lambda: appointments.appoint_from_round(
            current_user, nomination_round, chosen))
        if made:
            flash(_appointment_message(made), "success")
            return redirect(url_for("networks.show", slug=nomination_round.position.network.slug))
    return _render_round(nomination_round, 422, appoint_form=form)


@bp.route("/approvals/<int:appointment_id>", methods=["GET", "POST"])
@loaders.approval
def approval(appointment: Appointment) -> Any:
    form = DecisionForm()
    if appointment.status == AppointmentStatus.AWAITING_APPROVAL and form.validate_on_submit():
        if form.decision.data == "approve":
            done = attempt(form, lambda: appointments.approve(current_user, appointment))
        else:
            done = attempt(form, lambda: appointments.decline(
                current_user, appointment, form.reason.data or ""))
        if done:
            flash(_decision_message(appointment), "success")
            return redirect(url_for("networks.show", slug=appointment.position.network.slug))
    status = form_status(form)
    return render_template("networks/approval.html", appointment=appointment,
                           position=appointment.position, network=appointment.position.network,
                           form=form), status


def _decision_message(appointment: Appointment) -> str:
    if appointment.status == AppointmentStatus.DECLINED:
        return (f"You declined {appointment.user.name} as {appointment.position.title}. "
                "The proposer has been told why.")
    return "Approved. " + _appointment_message(appointment)

