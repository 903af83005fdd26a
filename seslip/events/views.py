"""Views of the events area and the development programme: load, call a service, render."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from seslip.events import loaders, programme, rules
from seslip.events import services as svc
from seslip.events.forms import (
    CancelForm,
    CohortForm,
    ConfirmForm,
    EventForm,
    FeedbackForm,
    MoveForm,
    ParticipantsForm,
    SessionForm,
    SetForm,
    UploadForm,
)
from seslip.events.models import (
    Cohort,
    Event,
    EventKind,
    EventPaper,
    EventSession,
    LearningSet,
    LearningSetSession,
    Registration,
)
from seslip.extensions import db
from seslip.library import services as library
from seslip.markup import render_markdown
from seslip.meetings.rules import utc_to_london
from seslip.networks import queries as nq
from seslip.networks.models import Network
from seslip.permissions import require_staff
from seslip.timeutil import local_today
from seslip.web import attempt, form_status

bp = Blueprint("events", __name__)


def _people() -> list[SelectChoice]:
    return [SelectChoice(u.id, f"{u.name} ({u.organisation.name})" if u.organisation else u.name)
            for u in nq.active_people()]


def _choices(form: EventForm) -> None:
    networks = nq.all_networks() if current_user.is_staff else [
        n for n, _ in nq.my_networks(current_user, local_today())
        if svc.can_create(current_user, n)]
    form.network.choices = [SelectChoice(0, "Not a network's event")] + [
        SelectChoice(n.id, n.name) for n in networks]
    form.cohort.choices = [SelectChoice(0, "Not part of the development programme")] + [
        SelectChoice(c.id, f"{c.name} ({c.year})") for c in programme.cohorts()]


def _details(form: EventForm) -> svc.EventDetails:
    return svc.EventDetails(
        kind=EventKind(form.kind.data), title=form.title.data or "", day=form.day.data,
        starts=form.starts.data, ends=form.ends.data, description=form.description.data or "",
        place=form.place.data or "", online_link=form.online_link.data or "",
        network=db.session.get(Network, form.network.data) if form.network.data else None,
        cohort=db.session.get(Cohort, form.cohort.data) if form.cohort.data else None,
        capacity=form.capacity.data)


@bp.get("/events")
def index() -> str:
    return render_template("events/index.html", upcoming=svc.upcoming_events(),
                           past=svc.past_events(), mine=svc.my_registrations(current_user),
                           can_create=current_user.is_staff or any(
                               svc.can_create(current_user, n)
                               for n, _ in nq.my_networks(current_user, local_today())))


@bp.route("/events/new", methods=["GET", "POST"])
def new() -> Any:
    form = EventForm()
    _choices(form)
    if not current_user.is_staff and len(form.network.choices) == 1:
        require_staff(current_user)  # neither staff nor a chair: nothing to create
    if request.method == "GET" and request.args.get("cohort", "").isdigit():
        form.cohort.data = int(request.args["cohort"])
    if form.validate_on_submit():
        made = attempt(form, lambda: svc.create_event(current_user, _details(form)))
        if made:
            flash(f"{made.title} is planned. Now add its agenda.", "success")
            return redirect(url_for("events.show", event_id=made.id))
    return render_template("events/event_form.html", form=form, event=None), form_status(form)


def _show_context(event: Event) -> dict[str, Any]:
    organiser = svc.can_organise(current_user, event)
    mine = svc.registration_of(current_user, event)
    return {
        "event": event, "organiser": organiser, "mine": mine,
        "description": render_markdown(event.description), "agenda": svc.agenda(event),
        "withdrawn": [s for s in event.sessions if s.withdrawn_at] if organiser else [],
        "position": svc.waiting_position(mine) if mine and mine.status == svc.WAITING else None,
        "may_register": svc.may_register(current_user, event),
        "audience": svc.audience_text(event), "taken": svc.places_taken(event),
        "waiting": len(svc.registrations(event, svc.WAITING)),
        "start": utc_to_london(event.starts_at), "end": utc_to_london(event.ends_at),
        "open": not event.is_cancelled and rules.registration_open(svc.event_day(event),
                                                                   local_today()),
        "feedback": svc.feedback_summary(event),
        "attended_me": bool(mine and mine.attended),
        "confirm": ConfirmForm(), "cancel_form": CancelForm(),
    }


@bp.get("/events/<int:event_id>")
@loaders.event()
def show(event: Event) -> str:
    return render_template("events/show.html", **_show_context(event))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@loaders.event(organise=True)
def edit(event: Event) -> Any:
    form = EventForm()
    _choices(form)
    if request.method == "GET":
        start, end = utc_to_london(event.starts_at), utc_to_london(event.ends_at)
        form.kind.data, form.title.data = event.kind.value, event.title
        form.description.data, form.day.data = event.description, start.date()
        form.starts.data, form.ends.data = start.time(), end.time()
        form.place.data, form.online_link.data = event.place, event.online_link
        form.network.data, form.cohort.data = event.network_id or 0, event.cohort_id or 0
        form.capacity.data = event.capacity
    elif form.validate_on_submit() and attempt(
            form, lambda: svc.update_event(current_user, event, _details(form))):
        flash("The event was changed.", "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/event_form.html", form=form, event=event), form_status(form)


@bp.post("/events/<int:event_id>/cancel")
@loaders.event(organise=True)
def cancel(event: Event) -> Response:
    form = CancelForm()
    if form.validate_on_submit() and attempt(
            form, lambda: svc.cancel_event(current_user, event, form.reason.data or "")):
        flash(f"{event.title} is cancelled; everyone registered has been told.", "success")
    else:
        flash(next(iter(form.reason.errors + form.form_errors),
                   "Enter why the event is cancelled."), "error")
    return redirect(url_for("events.show", event_id=event.id))


def _session_page(event: Event, form: SessionForm, part: EventSession | None) -> Any:
    return render_template("events/session_form.html", event=event, form=form,
                           session=part), form_status(form)


@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@loaders.event(organise=True)
def add_session(event: Event) -> Any:
    form = SessionForm()
    if form.validate_on_submit() and attempt(form, lambda: svc.save_session(
            current_user, event, None, form.starts.data, form.ends.data, form.title.data or "",
            form.description.data or "", form.speakers.data or "")):
        flash("The session was added to the agenda.", "success")
        return redirect(url_for("events.show", event_id=event.id, _anchor="agenda"))
    return _session_page(event, form, None)


@bp.route("/events/<int:event_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@loaders.session
def edit_session(event: Event, session: EventSession) -> Any:
    form = SessionForm(obj=session if request.method == "GET" else None)
    if request.method == "GET":
        form.speakers.data = svc.speakers_text(session)
        form.withdrawn.data = session.withdrawn_at is not None
    elif form.validate_on_submit() and attempt(form, lambda: svc.save_session(
            current_user, event, session, form.starts.data, form.ends.data,
            form.title.data or "", form.description.data or "", form.speakers.data or "",
            bool(form.withdrawn.data))):
        flash("The session was changed.", "success")
        return redirect(url_for("events.show", event_id=event.id, _anchor="agenda"))
    return _session_page(event, form, session)


def _flash_errors(form: ConfirmForm) -> None:
    for message in form.form_errors:
        flash(message, "error")


@bp.post("/events/<int:event_id>/register")
@loaders.event()
def register(event: Event) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        reg = attempt(form, lambda: svc.register(current_user, event))
        if reg is not None and reg.status == svc.REGISTERED:
            flash(f"You have a place at {event.title}. We have emailed you the details.",
                  "success")
        elif reg is not None:
            flash(f"{event.title} is full: you are number {svc.waiting_position(reg)} on the "
                  "waiting list. If a place is freed we will email you.", "success")
    _flash_errors(form)
    return redirect(url_for("events.show", event_id=event.id))


@bp.post("/events/<int:event_id>/registrations/<int:registration_id>/cancel")
@loaders.registration
def cancel_registration(event: Event, registration: Registration) -> Response:
    form = ConfirmForm()
    own = registration.user_id == current_user.id
    if form.validate_on_submit() and attempt(
            form, lambda: svc.cancel_registration(current_user, registration)):
        flash("Your place is cancelled." if own else
              f"{registration.user.name}'s registration is cancelled.", "success")
    _flash_errors(form)
    if not own:
        return redirect(url_for("events.attendance", event_id=event.id))
    return redirect(url_for("events.show", event_id=event.id))


@bp.route("/events/<int:event_id>/attendance", methods=["GET", "POST"])
@loaders.event(organise=True)
def attendance(event: Event) -> Any:
    form = ConfirmForm()
    if form.validate_on_submit():
        present = {int(v) for v in request.form.getlist("present") if v.isdigit()
                   and len(v) < 10}
        count = attempt(form, lambda: svc.take_attendance(current_user, event, present))
        if count is not None:
            flash(f"Attendance is saved: {count} present.", "success")
            return redirect(url_for("events.attendance", event_id=event.id))
    feedback = FeedbackForm(prefix="feedback")
    feedback.definition.choices = [SelectChoice(d.id, d.title) for d in library.published()]
    return render_template(
        "events/attendance.html", event=event, form=form, feedback_form=feedback,
        registered=svc.registrations(event, svc.REGISTERED),
        waiting=svc.registrations(event, svc.WAITING),
        cancelled=svc.registrations(event, svc.CANCELLED),
        on_the_day=local_today() >= svc.event_day(event),
        summary=svc.feedback_summary(event)), form_status(form)


@bp.get("/events/<int:event_id>/registrations.csv")
@loaders.event(organise=True)
def registrations_csv(event: Event) -> Response:
    response = Response(svc.registrations_csv(current_user, event), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="registrations-{event.id}.csv"'
    return response


@bp.post("/events/<int:event_id>/feedback")
@loaders.event(organise=True)
def send_feedback(event: Event) -> Response:
    form = FeedbackForm(prefix="feedback")
    form.definition.choices = [SelectChoice(d.id, d.title) for d in library.published()]
    if form.validate_on_submit():
        count = attempt(form, lambda: svc.send_feedback(current_user, event,
                                                        form.definition.data or ""))
        if count is not None:
            flash(f"The feedback questionnaire was sent to {count} people who attended.",
                  "success")
    for message in form.form_errors + form.definition.errors:
        flash(message, "error")
    return redirect(url_for("events.attendance", event_id=event.id, _anchor="feedback"))


@bp.route("/events/<int:event_id>/papers/new", methods=["GET", "POST"])
@loaders.event(organise=True)
def upload_paper(event: Event) -> Any:
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        done = attempt(form, lambda: svc.upload_paper(
            current_user, event, form.title.data or "", upload.filename or "", upload.read()))
        if done:
            flash(f"“{done.title}” is attached to the event.", "success")
            return redirect(url_for("events.show", event_id=event.id, _anchor="papers"))
    return render_template("events/upload.html", event=event, form=form), form_status(form)


@bp.get("/events/<int:event_id>/papers/<int:paper_id>")
@loaders.paper
def download(event: Event, paper: EventPaper) -> Response:
    data, mimetype, name = svc.download(current_user, paper)
    response = send_file(BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- the development programme --------------------------------------------------------------


@bp.get("/programme")
def programme_index() -> str:
    cohorts = [c for c in programme.cohorts() if programme.can_see_cohort(current_user, c)]
    return render_template("events/programme_index.html", cohorts=cohorts,
                           sets=programme.my_sets(current_user))


@bp.route("/programme/new", methods=["GET", "POST"])
def new_cohort() -> Any:
    require_staff(current_user)
    form = CohortForm()
    if form.validate_on_submit():
        made = attempt(form, lambda: programme.create_cohort(
            current_user, form.name.data or "", form.year.data or "",
            form.description.data or ""))
        if made:
            flash(f"{made.name} is set up. Now add its participants.", "success")
            return redirect(url_for("events.cohort", cohort_id=made.id))
    return render_template("events/cohort_form.html", form=form), form_status(form)


def _cohort_page(cohort: Cohort, form: ParticipantsForm) -> Any:
    return render_template("events/cohort.html", cohort=cohort, form=form,
                           staff=current_user.is_staff), form_status(form)


@bp.get("/programme/<int:cohort_id>")
@loaders.cohort()
def cohort(cohort: Cohort) -> Any:
    form = ParticipantsForm()
    form.people.choices = _people()
    return _cohort_page(cohort, form)


@bp.post("/programme/<int:cohort_id>/participants")
@loaders.cohort(staff=True)
def add_participants(cohort: Cohort) -> Any:
    form = ParticipantsForm()
    form.people.choices = _people()
    if form.validate_on_submit():
        people = [p for p in (nq.person(i) for i in form.people.data or []) if p]
        count = attempt(form, lambda: programme.add_participants(current_user, cohort, people))
        if count is not None:
            flash(f"{count} participants were added.", "success")
            return redirect(url_for("events.cohort", cohort_id=cohort.id))
    return _cohort_page(cohort, form)


@bp.route("/programme/<int:cohort_id>/sets/new", methods=["GET", "POST"])
@loaders.cohort(staff=True)
def new_set(cohort: Cohort) -> Any:
    form = SetForm()
    form.members.choices = [SelectChoice(p.user.id, p.user.name) for p in cohort.participants]
    if form.validate_on_submit():
        members = [p for p in (nq.person(i) for i in form.members.data or []) if p]
        made = attempt(form, lambda: programme.create_learning_set(
            current_user, cohort, programme.SetDetails(
                form.name.data or "", form.first_day.data, form.starts.data, form.ends.data,
                form.place.data or "", form.facilitator.data or ""), members))
        if made:
            flash(f"{made.name} is set up with four monthly days.", "success")
            return redirect(url_for("events.learning_set", set_id=made.id))
    return render_template("events/set_form.html", cohort=cohort, form=form), form_status(form)


@bp.get("/programme/sets/<int:set_id>")
@loaders.learning_set
def learning_set(learning_set: LearningSet) -> str:
    member = any(m.user_id == current_user.id for m in learning_set.members)
    return render_template("events/set.html", learning_set=learning_set, member=member,
                           themes=programme.chosen_themes(learning_set),
                           staff=current_user.is_staff, confirm=ConfirmForm(),
                           move_form=MoveForm())


@bp.post("/programme/sets/<int:set_id>/days/<int:session_id>")
@loaders.set_session
def move_day(learning_set: LearningSet, set_session: LearningSetSession) -> Response:
    form = MoveForm()
    if form.validate_on_submit() and attempt(
            form, lambda: programme.move_session(current_user, set_session, form.day.data)):
        flash(f"Day {set_session.number} is now on {set_session.day:%-d %B %Y}.", "success")
    for message in form.form_errors + form.day.errors:
        flash(message, "error")
    return redirect(url_for("events.learning_set", set_id=learning_set.id))
