"""Views of the programmes area: thin handlers that load, call a service and render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from seslip.extensions import db
from seslip.meetings import rules
from seslip.meetings.models import Meeting
from seslip.networks import queries as nq
from seslip.networks.models import Network, NetworkKind
from seslip.programmes import loaders, services, work
from seslip.programmes.forms import (
    GroupForm,
    ReportForm,
    StatusForm,
    SuggestionForm,
    TriageForm,
    WorkItemForm,
)
from seslip.programmes.loaders import RUN, SUGGEST
from seslip.programmes.models import Audience, ItemStatus, Outcome, Suggestion, WorkItem
from seslip.timeutil import format_date, local_today
from seslip.web import attempt, form_status, render_page

bp = Blueprint("programmes", __name__)


def _people(network: Network) -> list[SelectChoice]:
    return [SelectChoice(u.id, f"{u.name} ({u.organisation.name})" if u.organisation else u.name)
            for u in nq.active_people(network, local_today())]


# --- the forward programme ------------------------------------------------------------------


@bp.get("/networks/<slug>/programme")
@loaders.network()
def forward(network: Network) -> str:
    return render_template("programmes/forward.html", network=network,
                           programme=services.forward_programme(current_user, network))


@bp.route("/networks/<slug>/programme/suggest", methods=["GET", "POST"])
@loaders.network(SUGGEST)
def suggest(network: Network) -> Any:
    form = SuggestionForm()
    if form.validate_on_submit():
        made = attempt(form, lambda: services.suggest(current_user, network,
                                                      form.title.data or "",
                                                      form.details.data or ""))
        if made:
            flash(f"Thank you: “{made.title}” was sent to the chair. You will hear what "
                  "becomes of it.", "success")
            return redirect(url_for("programmes.mine"))
    return render_template("programmes/suggest.html", network=network, form=form), \
        form_status(form)


def _decision(form: TriageForm) -> services.Triage:
    return services.Triage(
        outcome=Outcome(form.outcome.data),
        meeting=db.session.get(Meeting, form.meeting.data) if form.meeting.data else None,
        owner=nq.person(form.owner.data), minutes=form.minutes.data, note=form.note.data or "")


@bp.route("/networks/<slug>/programme/suggestions/<int:suggestion_id>/triage",
          methods=["GET", "POST"])
@loaders.network(RUN)
def triage(network: Network, suggestion: Suggestion) -> Any:
    form = TriageForm()
    form.meeting.choices = [SelectChoice(0, "Choose a meeting")] + [
        SelectChoice(m.id, f"{m.title} ({format_date(rules.utc_to_london(m.starts_at).date())})")
        for m in services.meetings_to_come(network)]
    form.owner.choices = [SelectChoice(0, "Nobody yet"), *_people(network)]
    if request.method == "GET":
        form.owner.data = suggestion.suggested_by_id
    if suggestion.outcome in services.OPEN and form.validate_on_submit():
        done = attempt(form, lambda: services.triage(current_user, suggestion, _decision(form)))
        if done:
            flash(f"“{done.title}”: {done.outcome.label}. {done.suggested_by.name} has been "
                  "told.", "success")
            return redirect(url_for("programmes.forward", slug=network.slug))
    return render_template("programmes/triage.html", network=network, suggestion=suggestion,
                           form=form), form_status(form)


@bp.get("/suggestions")
def mine() -> str:
    return render_template("programmes/mine.html", suggestions=services.mine(current_user))


# --- the work programme ---------------------------------------------------------------------


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else work.programme_year(local_today())


def _work_url(network: Network, year: int) -> str:
    """The work programme page; the current year's has no `year` (one address per page)."""
    if year == work.programme_year(local_today()):
        return url_for("programmes.work_programme", slug=network.slug)
    return url_for("programmes.work_programme", slug=network.slug, year=year)


@bp.get("/networks/<slug>/work-programme")
@loaders.network()
def work_programme(network: Network) -> str:
    year, today = _year(), local_today()
    return render_template(
        "programmes/work.html", network=network, year=year, label=work.year_label(year),
        years=[(y, work.year_label(y)) for y in sorted(
            set(work.years_of(network)) | {work.programme_year(today)}, reverse=True)],
        items=work.items_of(network, year), groups=work.groups_of(network, today),
        reports=work.reports_of(network), can_run=services.can_triage(current_user, network),
        status_form=StatusForm(), today=today, this_year=work.programme_year(today))


def _item_form(network: Network, item: WorkItem | None = None) -> WorkItemForm:
    form = WorkItemForm()
    this = work.programme_year(local_today())
    years = sorted({this - 1, this, this + 1} | ({item.year} if item else set()))
    form.year.choices = [SelectChoice(y, work.year_label(y)) for y in years]
    form.owner.choices = [SelectChoice(0, "Nobody yet"), *_people(network)]
    return form


def _item_values(form: WorkItemForm) -> work.ItemValues:
    return work.ItemValues(
        title=form.title.data or "", year=form.year.data, description=form.description.data or "",
        owner=nq.person(form.owner.data), status=ItemStatus(form.status.data),
        target_on=form.target_on.data)


@bp.route("/networks/<slug>/work-programme/new", methods=["GET", "POST"])
@loaders.network(RUN)
def new_item(network: Network) -> Any:
    form = _item_form(network)
    if request.method == "GET":
        form.year.data = _year()
    if form.validate_on_submit():
        made = attempt(form, lambda: work.add_item(current_user, network, _item_values(form)))
        if made:
            flash(f"“{made.title}” was added to the work programme.", "success")
            return redirect(_work_url(network, made.year))
    return render_template("programmes/item_form.html", network=network, form=form,
                           item=None), form_status(form)


@bp.route("/networks/<slug>/work-programme/<int:item_id>/edit", methods=["GET", "POST"])
@loaders.network(RUN)
def edit_item(network: Network, item: WorkItem) -> Any:
    form = _item_form(network, item)
    if request.method == "GET":
        form.title.data, form.description.data = item.title, item.description
        form.year.data, form.owner.data = item.year, item.owner_id or 0
        form.status.data, form.target_on.data = item.status.value, item.target_on
    elif form.validate_on_submit() and attempt(
            form, lambda: work.update_item(current_user, item, _item_values(form))):
        flash(f"“{item.title}” was changed.", "success")
        return redirect(_work_url(network, item.year))
    return render_template("programmes/item_form.html", network=network, form=form,
                           item=item), form_status(form)


@bp.post("/networks/<slug>/work-programme/<int:item_id>/status")
@loaders.network(RUN)
def set_status(network: Network, item: WorkItem) -> Any:
    """An item's status from the table: htmx swaps the row; without JavaScript, the page."""
    form = StatusForm()
    if form.validate_on_submit():
        work.set_status(current_user, item, ItemStatus(form.status.data))
        message = f"“{item.title}” is now {item.status.label.lower()}."
    else:
        message = "Choose a status from the list."
    if request.headers.get("HX-Request"):
        return render_page("programmes/work.html", "programmes/_item_row.html", item=item,
                           network=network, can_run=True, status_form=StatusForm(),
                           today=local_today(), message=message)
    flash(message, "success")
    return redirect(_work_url(network, item.year))


@bp.route("/networks/<slug>/work-programme/<int:item_id>/group", methods=["GET", "POST"])
@loaders.network(RUN)
def new_group(network: Network, item: WorkItem) -> Any:
    form = GroupForm()
    form.members.choices = _people(network)
    if request.method == "GET":
        form.name.data = f"{item.title} Task and Finish Group"
        form.purpose.data = item.description
    if form.validate_on_submit():
        members = [p for p in (nq.person(i) for i in form.members.data or []) if p]
        group = attempt(form, lambda: work.create_group(current_user, item, work.GroupValues(
            form.name.data or "", form.purpose.data or "", form.ends_on.data, members)))
        if group:
            count = f"{len(members)} member{'' if len(members) == 1 else 's'}"
            flash(f"{group.name} is set up, with {count}. It reports back to {network.name}.",
                  "success")
            return redirect(_work_url(network, item.year))
    return render_template("programmes/group_form.html", network=network, item=item,
                           form=form), form_status(form)


@bp.route("/networks/<slug>/reports/new", methods=["GET", "POST"])
@loaders.network(RUN)
def new_report(network: Network) -> Any:
    """A network's report (to the DCS group, or from one of its groups); on a task-and-finish
    group's page, the group's report back to its network."""
    form = ReportForm()
    today = local_today()
    is_group = network.kind == NetworkKind.TASK_AND_FINISH and network.parent is not None
    home = network.parent if is_group and network.parent else network
    form.group.choices = [SelectChoice(0, "Not from a group")] + [
        SelectChoice(g.id, g.name) for g in work.groups_of(network, today)]
    if is_group:
        del form.audience  # a group reports back to its network
    if form.validate_on_submit():
        group = network if is_group else (db.session.get(Network, form.group.data)
                                          if form.group.data else None)
        audience = Audience.NETWORK if is_group else Audience(form.audience.data)
        report = attempt(form, lambda: work.publish_report(
            current_user, home, form.title.data or "", audience, form.file.data.read(),
            group=group))
        if report:
            flash(f"“{report.document.title}” is published on the page of {home.name}.",
                  "success")
            return redirect(url_for("programmes.work_programme", slug=home.slug))
    return render_template("programmes/report_form.html", network=network, home=home,
                           is_group=is_group, form=form), form_status(form)

