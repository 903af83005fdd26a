"""Cycle pages: the list, opening a cycle and its dashboard (staff); for a cycle response,
who has access, keeping answers from last year, sign-off and finalising. The answers
themselves are filled in on the questionnaire pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from seslip.accounts.models import OrgRole
from seslip.cycles import services as svc
from seslip.cycles.forms import GrantAccessForm, OpenCycleForm
from seslip.errors import ServiceError
from seslip.permissions import require_staff
from seslip.questionnaires import services as questionnaires
from seslip.questionnaires.models import AccessLevel, Response
from seslip.questionnaires.services import FinaliseBlocked
from seslip.timeutil import local_today
from seslip.web import attempt, form_status, render_page

bp = Blueprint("cycles", __name__, url_prefix="/cycles")


@bp.get("/")
def index() -> str:
    staff = current_user.is_staff
    return render_template("cycles/index.html", cycles=svc.cycles(current_user) if staff else [],
                           mine=svc.my_responses(current_user))


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    require_staff(current_user)
    form = OpenCycleForm()
    form.form_version_id.choices = [
        SelectChoice(v.id, f"{v.title}, version {v.version}") for v in svc.versions_to_choose()]
    if form.validate_on_submit():
        data = svc.CycleInput(
            name=form.name.data or "", form_version_id=form.form_version_id.data or 0,
            respondent_role=OrgRole(form.respondent_role.data), opens_on=form.opens_on.data,
            finalise_by=form.finalise_by.data, challenge_from=form.challenge_from.data,
            challenge_to=form.challenge_to.data,
            sign_off_required=bool(form.sign_off_required.data),
            prefill=bool(form.prefill.data))
        cycle = attempt(form, lambda: svc.open_cycle(current_user, data))
        if cycle:
            flash(f"“{cycle.name}” is open: each authority's respondent has been emailed a "
                  "link." if cycle.opens_on <= local_today() else
                  f"“{cycle.name}” is ready: each respondent will be emailed on the open date.",
                  "success")
            return redirect(url_for("cycles.dashboard", cycle_id=cycle.id))
    return render_template("cycles/new.html", form=form), form_status(form)


@bp.get("/<int:cycle_id>")
def dashboard(cycle_id: int) -> WerkzeugResponse:
    cycle = svc.load_cycle(current_user, cycle_id)
    return render_page("cycles/dashboard.html", "cycles/_dashboard.html",
                       board=svc.dashboard(current_user, cycle))


@bp.post("/<int:cycle_id>/responses/<int:response_id>/remind")
def remind(cycle_id: int, response_id: int) -> WerkzeugResponse:
    cycle = svc.load_cycle(current_user, cycle_id)
    try:
        person = svc.remind_now(current_user, cycle, response_id)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"A reminder was sent to {person.name}.", "success")
    return redirect(url_for("cycles.dashboard", cycle_id=cycle.id) + f"#row-{response_id}")


@bp.post("/<int:cycle_id>/close")
def close(cycle_id: int) -> WerkzeugResponse:
    cycle = svc.load_cycle(current_user, cycle_id)
    try:
        svc.close_cycle(current_user, cycle)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"“{cycle.name}” is closed: its responses stay as they are and readable.",
              "success")
    return redirect(url_for("cycles.dashboard", cycle_id=cycle.id))


# --- a cycle response ----------------------------------------------------------------------


@bp.route("/responses/<int:response_id>/access", methods=["GET", "POST"])
def access(response_id: int) -> Any:
    response = svc.load_response(current_user, response_id)
    svc.require_may_share(current_user, response)
    form = GrantAccessForm()
    form.person_id.choices = [
        SelectChoice(p.id, f"{p.name}{', ' + p.job_title if p.job_title else ''}")
        for p in svc.access_candidates(current_user, response)]
    if form.validate_on_submit():
        given = attempt(form, lambda: svc.grant_access(
            current_user, response, form.person_id.data or 0, AccessLevel(form.level.data)))
        if given:
            can = "can change" if given.level == AccessLevel.EDIT else "can read"
            flash(f"{given.person.name} {can} these answers now, and has been emailed a link.",
                  "success")
            return redirect(url_for("cycles.access", response_id=response.id))
    return render_template("cycles/access.html", response=response, form=form,
                           cycle=svc.cycle_of(response),
                           people=svc.access_list(current_user, response)), form_status(form)


@bp.post("/responses/<int:response_id>/access/<int:access_id>/revoke")
def revoke(response_id: int, access_id: int) -> WerkzeugResponse:
    response = svc.load_response(current_user, response_id)
    done = svc.revoke_access(current_user, response, access_id)
    flash(f"{done.person.name} no longer has access to these answers.", "success")
    return redirect(url_for("cycles.access", response_id=response.id))


@bp.post("/responses/<int:response_id>/confirm")
def confirm(response_id: int) -> WerkzeugResponse:
    response = svc.load_response(current_user, response_id)
    question_id = request.form.get("question_id") or None
    try:
        kept = svc.confirm_prefilled(current_user, response, question_id)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"{kept} answer{'s' if kept != 1 else ''} from last year kept as "
              f"{'they are' if kept != 1 else 'it is'}." if kept else
              "There was no answer from last year left to keep.", "success")
    return redirect(url_for("questionnaires.response", response_id=response.id))


def _finalise_page(response: Response, status: int = 200, error: str = "") -> tuple[str, int]:
    loaded = questionnaires.load(response)
    cycle = svc.cycle_of(response)
    return render_template(
        "cycles/finalise.html", loaded=loaded, cycle=cycle, error=error,
        problems=questionnaires.check_answers(loaded),
        lines=svc.sign_off_lines(response) if cycle and cycle.sign_off_required else [],
        may_sign=svc.may_sign_off(current_user, response),
        may_view=questionnaires.can_view(current_user, response),
    ), status


@bp.route("/responses/<int:response_id>/finalise", methods=["GET", "POST"])
def finalise(response_id: int) -> Any:
    response = svc.load_response(current_user, response_id)
    if request.method == "GET":
        return _finalise_page(response)
    try:
        svc.finalise(current_user, response)
    except FinaliseBlocked:
        return _finalise_page(response, 422, "Some answers are missing or need changing.")
    except ServiceError as error:
        return _finalise_page(response, 422, error.message)
    return redirect(url_for("questionnaires.finalised", response_id=response.id))


@bp.post("/responses/<int:response_id>/sign-off")
def sign_off(response_id: int) -> Any:
    response = svc.load_response(current_user, response_id)
    try:
        svc.sign_off(current_user, response)
    except ServiceError as error:
        return _finalise_page(response, 422, error.message)
    flash("You have signed off these answers.", "success")
    return redirect(url_for("cycles.finalise", response_id=response.id))
