"""Views of the challenge area: triads and their days, the shared self-assessments with
peers' comments, outcomes, the regional picture and the plan's lists. Thin: every rule is
in the services (access.py says who may see what)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from seslip.challenge import access, comments, compare, outcomes, plan, regional, triads
from seslip.challenge.forms import (
    ActionForm,
    CommentForm,
    EmptyForm,
    LinkForm,
    PointForm,
    PriorityForm,
    ThemeForm,
    ThemesForm,
    TriadForm,
)
from seslip.challenge.models import PointKind
from seslip.errors import NotFound
from seslip.meetings.rules import utc_to_london
from seslip.permissions import require, require_staff
from seslip.questionnaires.exports import File
from seslip.questionnaires.services import load
from seslip.web import attempt, form_status

bp = Blueprint("challenge", __name__, url_prefix="/challenge")


def _ident(value: str | None) -> int | None:
    """An id from a hidden field, or None: digits only, within PostgreSQL's integer."""
    if not value or not value.isdigit() or len(value) > 10 or int(value) > 2**31 - 1:
        return None
    return int(value)


def _choices(*pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for group in pairs for value, label in group]


@bp.get("")
def index() -> Any:
    return render_template("challenge/index.html", mine=triads.my_triads(current_user),
                           cycles=triads.all_cycles() if access.may_see_region(current_user)
                           else [])


# --- triads ---------------------------------------------------------------------------------


def _triad_form(form: TriadForm, cycle_id: int, choices: list[tuple[int, str]]) -> None:
    form.organisations.choices = _choices(choices)
    form.facilitator_id.choices = _choices([("", "Choose a person")], (
        (u.id, f"{u.name}{', ' + u.organisation.name if u.organisation else ''}")
        for u in triads.facilitator_choices()))


def _details(form: TriadForm) -> triads.DayDetails:
    return triads.DayDetails(form.name.data or "", form.day.data, form.starts.data,
                             form.ends.data, form.place.data or "", form.online_link.data or "",
                             form.facilitator_id.data)


@bp.route("/cycles/<int:cycle_id>/triads", methods=["GET", "POST"])
def cycle_triads(cycle_id: int) -> Any:
    require_staff(current_user)
    cycle = triads.load_cycle(cycle_id)
    waiting = triads.unassigned(cycle)
    form = TriadForm()
    _triad_form(form, cycle.id, [(r.organisation_id, r.organisation.name)
                                 for r in waiting if r.organisation and r.organisation_id])
    if form.validate_on_submit():
        made = attempt(form, lambda: triads.form_triad(
            current_user, cycle, list(form.organisations.data or []), _details(form)),
            fallback="organisations")
        if made:
            flash(f"{made.name} was formed; its members have been emailed the day.", "success")
            return redirect(url_for("challenge.triad", triad_id=made.id))
    elif request.method == "GET" and not form.name.data:
        form.name.data = f"Triad {len(triads.cycle_triads(cycle)) + 1}"
    return render_template("challenge/cycle_triads.html", cycle=cycle,
                           groups=triads.cycle_triads(cycle), waiting=waiting,
                           form=form), form_status(form)


@bp.get("/triads/<int:triad_id>")
def triad(triad_id: int) -> Any:
    group = triads.load_triad(triad_id)
    triads.require_see(current_user, group)
    cycle = triads.load_cycle(group.cycle_id)
    responses = triads.responses_of(group)
    mine = access.member_org_ids(current_user, group.cycle_id)
    return render_template("challenge/triad.html", triad=group, cycle=cycle,
                           responses=responses, mine=mine,
                           facilitating=group.facilitator_id == current_user.id,
                           outcomes=outcomes.triad_outcomes(group),
                           day_reached=outcomes.day_reached(group))


@bp.route("/triads/<int:triad_id>/edit", methods=["GET", "POST"])
def edit_triad(triad_id: int) -> Any:
    require_staff(current_user)
    group = triads.load_triad(triad_id)
    cycle = triads.load_cycle(group.cycle_id)
    form = TriadForm(obj=None if request.method == "POST" else group)
    members = [(m.organisation_id, m.organisation.name) for m in group.members]
    others = [(r.organisation_id, r.organisation.name) for r in triads.unassigned(cycle)
              if r.organisation and r.organisation_id]
    _triad_form(form, cycle.id, sorted(members + others, key=lambda pair: pair[1]))
    if request.method == "GET":
        form.organisations.data = [org_id for org_id, _ in members]
    if request.method == "GET" and group.starts_at and group.ends_at:
        form.day.data = utc_to_london(group.starts_at).date()
        form.starts.data = utc_to_london(group.starts_at).time()
        form.ends.data = utc_to_london(group.ends_at).time()
    if form.validate_on_submit():
        done = attempt(form, lambda: triads.update_day(
            current_user, group, _details(form), list(form.organisations.data or [])),
            fallback="organisations")
        if done:
            flash(f"{done.name} was saved; members' calendars will update.", "success")
            return redirect(url_for("challenge.triad", triad_id=group.id))
    return render_template("challenge/edit_triad.html", triad=group, cycle=cycle,
                           form=form), form_status(form)


# --- the shared self-assessment and its comments -------------------------------------------


def _peer_page(view: comments.PeerView, form: CommentForm | None = None,
               status: int = 200) -> Any:
    loaded = load(view.response)
    summary: list[tuple[str, str]] = []
    if form is not None:  # the error goes to the box that was typed in
        box = (f"reply-{form.parent_id.data}" if form.parent_id.data
               else f"comment-{form.section_id.data}")
        summary = [(box, m) for m in form.body.errors] + [("", m) for m in form.form_errors]
    return render_template("challenge/peer_response.html", view=view, loaded=loaded,
                           summary=summary,
                           threads=comments.threads(view.response),
                           form=form or CommentForm(formdata=None),
                           failed_section=form.section_id.data if form else None,
                           failed_parent=form.parent_id.data if form else None), status


@bp.get("/responses/<int:response_id>")
def peer_response(response_id: int) -> Any:
    return _peer_page(comments.open_shared(current_user, response_id))


@bp.post("/responses/<int:response_id>/comments")
def comment(response_id: int) -> Any:
    view = comments.open_shared(current_user, response_id)
    form = CommentForm()
    if form.validate_on_submit():
        parent = form.parent_id.data
        if parent and _ident(parent) is None:
            raise NotFound("There is no such comment to reply to.")
        made = attempt(form, lambda: comments.add_comment(
            current_user, view, form.section_id.data or "", form.body.data or "",
            _ident(parent)))
        if made:
            flash("Your reply was added." if made.parent_id else "Your comment was added.",
                  "success")
            return redirect(url_for("challenge.peer_response", response_id=response_id,
                                    _anchor=f"comments-{made.section_id}"))
    return _peer_page(view, form, form_status(form))


# --- outcomes -------------------------------------------------------------------------------


def _outcome_forms(page: outcomes.OutcomePage, cycle_sections: list[tuple[str, str]],
                   ) -> dict[str, Any]:
    theme_choices = [(t.id, t.name) for t in plan.themes()]
    forms: dict[str, Any] = {}
    for kind in PointKind:
        form = PointForm(prefix=kind.value, formdata=None)
        form.theme_id.choices = _choices([("", "No theme")], theme_choices)
        form.section_id.choices = _choices([("", "Not one responsibility")], cycle_sections)
        forms[kind.value] = form
    chosen = ThemesForm(formdata=None, prefix="themes")
    chosen.themes.choices = _choices(theme_choices)
    chosen.themes.data = [t.id for t in page.outcome.themes] if page.outcome else []
    action = ActionForm(formdata=None, prefix="action")
    action.owner_id.choices = _choices([("", "Choose a person")], (
        (u.id, u.name) for u in outcomes.action_owners(page.organisation.id)))
    forms.update(themes=chosen, action=action)
    return forms


def _bind(form: Any) -> Any:
    """The form again with what was posted (keeping its choices)."""
    form.process(request.form)
    return form


@bp.route("/triads/<int:triad_id>/outcomes/<int:organisation_id>", methods=["GET", "POST"])
def outcome(triad_id: int, organisation_id: int) -> Any:
    group = triads.load_triad(triad_id)
    page = outcomes.open_outcome(current_user, group, organisation_id)
    cycle = triads.load_cycle(group.cycle_id)
    sections = [(s.id, s.title) for s in outcomes.sections_of(cycle)]
    forms = _outcome_forms(page, sections)
    status = 200
    if request.method == "POST":
        do = request.form.get("do", "")
        if do != "done":  # an action's owner marks it done; everything else is recording
            require(page.may_record, "Only the triad's facilitator can record its outcomes.")
        done, status = _record(page, forms, do)
        if done:
            return redirect(url_for("challenge.outcome", triad_id=triad_id,
                                    organisation_id=organisation_id, _anchor=done))
    page = outcomes.open_outcome(current_user, group, organisation_id)
    return render_template("challenge/outcome.html", page=page, cycle=cycle, forms=forms,
                           sections=dict(sections), tools=EmptyForm(formdata=None),
                           kinds=list(PointKind)), status


def _record(page: outcomes.OutcomePage, forms: dict[str, Any], do: str) -> tuple[str, int]:
    """Apply the form whose button was pressed: the anchor to go back to, or "" and 422."""
    user = current_user._get_current_object()
    if do in {k.value for k in PointKind}:
        form = _bind(forms[do])
        if form.validate() and attempt(form, lambda: outcomes.add_point(
                user, page, PointKind(do), form.text.data or "", form.theme_id.data,
                form.section_id.data or "")):
            flash("Saved.", "success")
            return f"{do}s", 200
        return "", 422
    if do == "themes":
        form = _bind(forms["themes"])
        if form.validate() and attempt(form, lambda: outcomes.set_themes(
                user, page, list(form.themes.data or []))):
            flash("The themes were saved.", "success")
            return "themes", 200
        return "", 422
    if do == "action":
        form = _bind(forms["action"])
        if form.validate() and attempt(form, lambda: outcomes.add_action(
                user, page, form.text.data or "", form.owner_id.data, form.due_on.data)):
            flash("The action was added.", "success")
            return "actions", 200
        return "", 422
    tools = EmptyForm()
    if do not in {"withdraw", "done"} or not tools.validate_on_submit():
        return "", 400
    target = _ident(request.form.get("id"))
    if target is None:
        raise NotFound("There is no such item in these outcomes.")
    if do == "withdraw":
        outcomes.withdraw_point(user, page, target)
        flash("The point was withdrawn; the audit trail keeps it.", "success")
        return "points", 200
    outcomes.mark_done(user, page, target)
    flash("The action was marked done.", "success")
    return "actions", 200


# --- the regional picture -------------------------------------------------------------------


@bp.get("/cycles/<int:cycle_id>/regional")
def regional_page(cycle_id: int) -> Any:
    region = regional.open_picture(current_user, cycle_id)
    return render_template("challenge/regional.html", region=region,
                           may_manage=current_user.is_staff)


def _download(file: File) -> WerkzeugResponse:
    response = send_file(io.BytesIO(file.data), mimetype=file.mimetype, as_attachment=True,
                         download_name=file.name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/cycles/<int:cycle_id>/regional.docx")
def regional_docx(cycle_id: int) -> WerkzeugResponse:
    return _download(regional.to_docx(regional.open_picture(current_user, cycle_id)))


@bp.get("/cycles/<int:cycle_id>/regional.csv")
def regional_csv(cycle_id: int) -> WerkzeugResponse:
    return _download(regional.to_csv(regional.open_picture(current_user, cycle_id)))


@bp.get("/cycles/<int:cycle_id>/authorities/<int:organisation_id>/compare")
def compare_years(cycle_id: int, organisation_id: int) -> Any:
    return render_template("challenge/compare.html",
                           comparison=compare.compare(current_user, cycle_id, organisation_id))


# --- the programme manager's lists ----------------------------------------------------------


@bp.route("/themes", methods=["GET", "POST"])
def themes() -> Any:
    require_staff(current_user)
    theme_form = ThemeForm(prefix="theme")
    priority_form = PriorityForm(prefix="priority")
    do = request.form.get("do")
    status = 200
    if request.method == "POST" and do == "theme":
        if theme_form.validate() and attempt(theme_form, lambda: plan.add_theme(
                current_user, theme_form.name.data or "", theme_form.description.data or "")):
            flash(f"The theme “{theme_form.name.data}” was added.", "success")
            return redirect(url_for("challenge.themes"))
        status = 422
    elif request.method == "POST" and do == "priority":
        if priority_form.validate() and attempt(priority_form, lambda: plan.add_priority(
                current_user, priority_form.title.data or "",
                priority_form.description.data or "")):
            flash(f"The priority “{priority_form.title.data}” was added.", "success")
            return redirect(url_for("challenge.themes"))
        status = 422
    elif request.method == "POST":
        status = 400
    if do != "theme":
        theme_form = ThemeForm(prefix="theme", formdata=None)
    if do != "priority":
        priority_form = PriorityForm(prefix="priority", formdata=None)
    priorities = plan.priorities(include_archived=True)
    links = {}
    for theme in plan.themes(include_archived=True):
        link = LinkForm(formdata=None, prefix=f"t{theme.id}")
        link.priorities.choices = _choices((p.id, p.title) for p in priorities
                                           if not p.archived)
        link.priorities.data = [p.id for p in theme.priorities]
        links[theme] = link
    return render_template("challenge/themes.html", theme_form=theme_form,
                           priority_form=priority_form, links=links, priorities=priorities,
                           tools=EmptyForm(formdata=None)), status


@bp.post("/themes/<int:theme_id>/priorities")
def theme_priorities(theme_id: int) -> Any:
    theme = plan.load_theme(current_user, theme_id)
    form = LinkForm(prefix=f"t{theme.id}")
    form.priorities.choices = _choices((p.id, p.title) for p in plan.priorities())
    if form.validate_on_submit():
        plan.link_priorities(current_user, theme, list(form.priorities.data or []))
        flash(f"The priorities of “{theme.name}” were saved.", "success")
    else:
        flash("Choose priorities from the list.", "error")
    return redirect(url_for("challenge.themes", _anchor=f"theme-{theme.id}"))


@bp.post("/themes/<int:theme_id>/archive")
def archive_theme(theme_id: int) -> Any:
    theme = plan.load_theme(current_user, theme_id)
    if EmptyForm().validate_on_submit():
        plan.set_archived(current_user, theme, not theme.archived)
        flash(f"“{theme.name}” was {'archived' if theme.archived else 'restored'}.", "success")
    return redirect(url_for("challenge.themes"))


@bp.post("/priorities/<int:priority_id>/archive")
def archive_priority(priority_id: int) -> Any:
    priority = plan.load_priority(current_user, priority_id)
    if EmptyForm().validate_on_submit():
        plan.set_archived(current_user, priority, not priority.archived)
        flash(f"“{priority.title}” was {'archived' if priority.archived else 'restored'}.",
              "success")
    return redirect(url_for("challenge.themes"))

