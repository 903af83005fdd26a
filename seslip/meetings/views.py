"""Views of the meetings area: thin handlers that load, call a service and render."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from seslip.errors import NotFound, PermissionDenied
from seslip.extensions import db
from seslip.meetings import calendar, loaders, pattern_rules, patterns, rules
from seslip.meetings import services as svc
from seslip.meetings.forms import (
    ActionForm,
    CancelForm,
    ConfirmForm,
    ItemForm,
    MeetingForm,
    PatternForm,
    RecordForm,
    ReplaceForm,
    UploadForm,
)
from seslip.meetings.loaders import RUN
from seslip.meetings.models import AgendaItem, Meeting, MeetingAction, Paper, PaperVersion
from seslip.networks import queries as nq
from seslip.networks.models import Network
from seslip.networks.queries import get_network
from seslip.timeutil import local_today
from seslip.web import attempt, form_status, public

bp = Blueprint("meetings", __name__)


def _people_choices() -> list[SelectChoice]:
    return [SelectChoice(0, "Nobody yet")] + [
        SelectChoice(u.id, f"{u.name} ({u.organisation.name})" if u.organisation else u.name)
        for u in nq.active_people()
    ]


def _network_choices(network: Network) -> list[SelectChoice]:
    return [SelectChoice(0, "Not a joint meeting")] + [
        SelectChoice(n.id, n.name) for n in nq.approving_networks(network)
    ]


def _details(form: MeetingForm) -> svc.MeetingDetails:
    joint = db.session.get(Network, form.joint_network.data) if form.joint_network.data else None
    return svc.MeetingDetails(
        title=form.title.data or "", day=form.day.data, starts=form.starts.data,
        ends=form.ends.data, place=form.place.data or "", online_link=form.online_link.data or "",
        joint_network=joint, papers_due_on=form.papers_due_on.data,
    )


@bp.get("/networks/<slug>/meetings")
@loaders.network()
def index(network: Network) -> str:
    return render_template("meetings/index.html", network=network,
                           meetings=svc.meetings_of(network),
                           can_run=svc.can_run(current_user, network))


@bp.get("/networks/<slug>/actions")
@loaders.network()
def actions(network: Network) -> str:
    return render_template("meetings/actions.html", network=network,
                           actions=svc.actions_of(network), today=local_today(),
                           form=ConfirmForm())


@bp.route("/networks/<slug>/meetings/new", methods=["GET", "POST"])
@loaders.network(RUN)
def new(network: Network) -> Any:
    form = MeetingForm()
    form.joint_network.choices = _network_choices(network)
    if form.validate_on_submit():
        made = attempt(form, lambda: svc.create_meeting(current_user, network, _details(form)))
        if made:
            flash(f"{made.title} is planned. Now add its agenda.", "success")
            return redirect(url_for("meetings.show", meeting_id=made.id))
    return render_template("meetings/meeting_form.html", network=network, form=form,
                           meeting=None), form_status(form)


@bp.route("/networks/<slug>/meetings/pattern", methods=["GET", "POST"])
@loaders.network(RUN)
def pattern(network: Network) -> Any:
    form = PatternForm()
    form.joint_network.choices = _network_choices(network)
    found = patterns.pattern_of(network)
    if request.method == "GET" and found is not None:
        for name in ("per_year", "first_month", "week", "weekday", "starts", "ends", "place",
                     "online_link", "months_ahead", "active"):
            getattr(form, name).data = getattr(found, name)
        form.joint_network.data = found.joint_network_id or 0
    if form.validate_on_submit():
        joint = (db.session.get(Network, form.joint_network.data) if form.joint_network.data
                 else None)
        saved = attempt(form, lambda: patterns.save_pattern(current_user, network,
                                                            patterns.PatternValues(
            per_year=form.per_year.data, first_month=form.first_month.data,
            weekday=form.weekday.data, week=form.week.data, starts=form.starts.data,
            ends=form.ends.data, place=form.place.data or "",
            online_link=form.online_link.data or "", joint_network=joint,
            months_ahead=form.months_ahead.data, active=bool(form.active.data))))
        if saved:
            made = saved[1]
            flash(f"The pattern is saved. {len(made)} meeting{'' if len(made) == 1 else 's'} "
                  "planned ahead, for you to confirm or move.", "success")
            return redirect(url_for("meetings.pattern", slug=network.slug))
    return render_template(
        "meetings/pattern.html", network=network, form=form, pattern=found,
        described=pattern_rules.describe(patterns.rhythm_of(found)) if found else "",
        planned=patterns.to_confirm(network)), form_status(form)


@bp.post("/meetings/<int:meeting_id>/confirm")
@loaders.meeting(RUN)
def confirm(meeting: Meeting) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit() and attempt(form, lambda: patterns.confirm(current_user,
                                                                           meeting)):
        flash(f"{meeting.title} is confirmed.", "success")
    for message in form.form_errors:
        flash(message, "error")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.get("/meetings/<int:meeting_id>")
@loaders.meeting()
def show(meeting: Meeting) -> str:
    runs = svc.can_run(current_user, meeting.network)
    try:
        may_upload = runs or bool(svc.upload_items(current_user, meeting))
    except PermissionDenied:
        may_upload = False
    following = svc.next_meeting_after(meeting)
    return render_template(
        "meetings/show.html", meeting=meeting, network=meeting.network, rows=svc.agenda(meeting),
        can_run=runs, may_upload=may_upload, chase=svc.chase_list(meeting) if runs else [],
        other_papers=[p for p in meeting.papers if p.item_id is None and p.versions],
        record=meeting.record, actions=[a for a in svc.actions_of(meeting.network)
                                        if a.meeting_id == meeting.id],
        following=following, confirm=ConfirmForm(), cancel_form=CancelForm(),
        local_start=rules.utc_to_london(meeting.starts_at),
        local_end=rules.utc_to_london(meeting.ends_at),
    )


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@loaders.meeting(RUN)
def edit(meeting: Meeting) -> Any:
    form = MeetingForm()
    form.joint_network.choices = _network_choices(meeting.network)
    if request.method == "GET":
        start, end = rules.utc_to_london(meeting.starts_at), rules.utc_to_london(meeting.ends_at)
        form.title.data, form.day.data = meeting.title, start.date()
        form.starts.data, form.ends.data = start.time(), end.time()
        form.place.data, form.online_link.data = meeting.place, meeting.online_link
        form.joint_network.data = meeting.joint_network_id or 0
        form.papers_due_on.data = meeting.papers_due_on
    elif form.validate_on_submit() and attempt(
            form, lambda: svc.update_meeting(current_user, meeting, _details(form))):
        flash("The meeting was changed.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", network=meeting.network, form=form,
                           meeting=meeting), form_status(form)


@bp.post("/meetings/<int:meeting_id>/cancel")
@loaders.meeting(RUN)
def cancel(meeting: Meeting) -> Response:
    form = CancelForm()
    if form.validate_on_submit() and attempt(
            form, lambda: svc.cancel_meeting(current_user, meeting, form.reason.data or "")):
        flash(f"{meeting.title} is cancelled.", "success")
    else:
        flash(next(iter(form.reason.errors + form.form_errors),
                   "Enter why the meeting is cancelled."), "error")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/items/new", methods=["GET", "POST"])
@loaders.meeting(RUN)
def add_item(meeting: Meeting) -> Any:
    form = ItemForm()
    form.owner.choices = _people_choices()
    if form.validate_on_submit() and attempt(form, lambda: svc.add_item(
            current_user, meeting, form.title.data or "", nq.person(form.owner.data),
            form.minutes.data, bool(form.paper_expected.data))):
        flash("The item was added to the agenda.", "success")
        if request.form.get("another"):
            return redirect(url_for("meetings.add_item", meeting_id=meeting.id))
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/item_form.html", meeting=meeting, network=meeting.network,
                           form=form, item=None), form_status(form)


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@loaders.item(RUN)
def edit_item(meeting: Meeting, item: AgendaItem) -> Any:
    form = ItemForm(obj=item if request.method == "GET" else None)
    form.owner.choices = _people_choices()
    if request.method == "GET":
        form.owner.data = item.owner_id or 0
        form.withdrawn.data = item.withdrawn_at is not None
    elif form.validate_on_submit() and attempt(form, lambda: svc.update_item(
            current_user, item, form.title.data or "", nq.person(form.owner.data),
            form.minutes.data, bool(form.paper_expected.data), bool(form.withdrawn.data))):
        flash("The item was changed.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/item_form.html", meeting=meeting, network=meeting.network,
                           form=form, item=item), form_status(form)


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/move")
@loaders.item(RUN)
def move_item(meeting: Meeting, item: AgendaItem) -> Response:
    if ConfirmForm().validate_on_submit():
        svc.move_item(current_user, item, up=request.form.get("direction") == "up")
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))


@bp.post("/meetings/<int:meeting_id>/send")
@loaders.meeting(RUN)
def send_agenda(meeting: Meeting) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        count = attempt(form, lambda: svc.send_agenda(current_user, meeting))
        if count is not None:
            flash(f"The agenda and papers were sent to {count} people.", "success")
    for message in form.form_errors:
        flash(message, "error")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


def _upload_choices(form: UploadForm, items: list[AgendaItem] | None,
                    meeting: Meeting) -> None:
    numbered = list(enumerate(meeting.current_items, start=1))  # numbered as on the agenda
    form.item.choices = ([SelectChoice(0, "Not tied to an item (slides, other papers)")]
                         if items is None else []) + [
        SelectChoice(i.id, f"{n}. {i.title}") for n, i in numbered if items is None or i in items]


@bp.route("/meetings/<int:meeting_id>/papers/new", methods=["GET", "POST"])
@loaders.meeting()
def upload_paper(meeting: Meeting) -> Any:
    items = svc.upload_items(current_user, meeting)
    form = UploadForm()
    _upload_choices(form, items, meeting)
    if request.method == "GET" and request.args.get("item", "").isdigit():
        form.item.data = int(request.args["item"])
    if form.validate_on_submit():
        chosen = next((i for i in meeting.current_items if i.id == form.item.data), None)
        upload = form.file.data
        done = attempt(form, lambda: svc.upload_paper(
            current_user, meeting, chosen, form.title.data or "", upload.filename or "",
            upload.read()))
        if done:
            flash(f"Version {done.number} of “{done.paper.title}” was uploaded.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))
    return render_template("meetings/upload.html", meeting=meeting, network=meeting.network,
                           form=form, paper=None), form_status(form)


@bp.route("/meetings/<int:meeting_id>/papers/<int:paper_id>/replace", methods=["GET", "POST"])
@loaders.paper()
def replace_paper(meeting: Meeting, paper: Paper) -> Any:
    form = ReplaceForm()
    if form.validate_on_submit():
        upload = form.file.data
        done = attempt(form, lambda: svc.replace_paper(
            current_user, paper, upload.filename or "", upload.read()))
        if done:
            flash(f"Version {done.number} of “{paper.title}” was uploaded; earlier versions "
                  "are kept.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))
    elif request.method == "GET":
        svc.replace_paper_allowed(current_user, paper)
    return render_template("meetings/upload.html", meeting=meeting, network=meeting.network,
                           form=form, paper=paper), form_status(form)


@bp.get("/meetings/<int:meeting_id>/papers/<int:paper_id>/versions/<int:version_id>")
@loaders.version
def download(meeting: Meeting, paper: Paper, version: PaperVersion) -> Response:
    got = svc.download(current_user, version)
    response = send_file(BytesIO(got.data), mimetype=got.mimetype, as_attachment=True,
                         download_name=got.name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/meetings/<int:meeting_id>/record", methods=["GET", "POST"])
@loaders.meeting(RUN)
def record(meeting: Meeting) -> Any:
    found = meeting.record
    form = RecordForm(obj=found if request.method == "GET" else None)
    action_form = ActionForm(prefix="action")
    action_form.owner.choices = _people_choices()
    if form.validate_on_submit() and attempt(form, lambda: svc.save_record(
            current_user, meeting, form.attendance.data or "", form.apologies.data or "",
            form.decisions.data or "")):
        flash("The record was saved as a draft.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="record"))
    return render_template("meetings/record.html", meeting=meeting, network=meeting.network,
                           form=form, action_form=action_form), form_status(form)


@bp.post("/meetings/<int:meeting_id>/actions")
@loaders.meeting(RUN)
def add_action(meeting: Meeting) -> Any:
    form = RecordForm(obj=meeting.record, formdata=None)
    action_form = ActionForm(prefix="action")
    action_form.owner.choices = _people_choices()
    if action_form.validate_on_submit() and attempt(action_form, lambda: svc.add_action(
            current_user, meeting, action_form.description.data or "",
            nq.person(action_form.owner.data), action_form.due_on.data)):
        flash("The action was added.", "success")
        return redirect(url_for("meetings.record", meeting_id=meeting.id, _anchor="actions"))
    return render_template("meetings/record.html", meeting=meeting, network=meeting.network,
                           form=form, action_form=action_form), form_status(action_form)


@bp.post("/meetings/<int:meeting_id>/record/approve")
@loaders.meeting(RUN)
def approve_record(meeting: Meeting) -> Response:
    form = ConfirmForm()
    found = meeting.record
    if found is None:
        flash("There is no record to approve yet.", "error")
    elif form.validate_on_submit() and attempt(
            form, lambda: svc.approve_record(current_user, found)):
        flash("The record is approved.", "success")
    for message in form.form_errors:
        flash(message, "error")
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="record"))


@bp.post("/meetings/<int:meeting_id>/actions/<int:action_id>/done")
@loaders.action
def complete_action(meeting: Meeting, action: MeetingAction) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit() and attempt(
            form, lambda: svc.complete_action(current_user, action)):
        flash("The action is marked done.", "success")
    for message in form.form_errors:
        flash(message, "error")
    if request.form.get("back") == "actions":
        return redirect(url_for("meetings.actions", slug=meeting.network.slug))
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="actions"))


# --- calendars: the private feeds and the page that manages their link ----------------------


@bp.get("/account/calendar")
def calendar_page() -> str:
    token = calendar.live_token(current_user)
    secret = calendar.secret_of(token) if token else None
    networks = [n for n, _ in nq.my_networks(current_user, local_today())]
    return render_template("meetings/calendar.html", secret=secret, networks=networks,
                           token=token, form=ConfirmForm())


@bp.post("/account/calendar/renew")
def calendar_renew() -> Response:
    if ConfirmForm().validate_on_submit():
        calendar.renew(current_user)
        flash("Your calendar link is ready. Any earlier link no longer works.", "success")
    return redirect(url_for("meetings.calendar_page"))


@bp.post("/account/calendar/revoke")
def calendar_revoke() -> Response:
    if ConfirmForm().validate_on_submit() and calendar.revoke(current_user):
        flash("Your calendar link is turned off: calendars using it get no more updates.",
              "success")
    return redirect(url_for("meetings.calendar_page"))


def _ics(body: bytes, name: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response


# No session: the secret in the URL is the authority, so a calendar app can fetch it.
@bp.get("/calendar/<secret>/meetings.ics")
@public
def person_feed(secret: str) -> Response:
    person = calendar.holder(secret)
    return _ics(calendar.feed(f"SESLIP meetings: {person.name}",
                              calendar.person_meetings(person),
                              calendar.person_events(person)), "meetings")


@bp.get("/calendar/<secret>/networks/<slug>.ics")
@public
def network_feed(secret: str, slug: str) -> Response:
    person = calendar.holder(secret)
    network = get_network(slug)
    if not svc.can_see_network(person, network):
        raise NotFound(calendar.NOT_FOUND)  # as for a bad link: says nothing about the network
    return _ics(calendar.feed(f"SESLIP: {network.name}", calendar.network_meetings(network)),
                network.slug)
