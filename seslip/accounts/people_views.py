"""People administration pages for admins and the programme manager."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from seslip.accounts import people
from seslip.accounts.forms import InviteForm, PeopleFilterForm, PersonForm
from seslip.accounts.models import OrgRole, SiteRole
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.permissions import require_staff
from seslip.web import render_page

people_bp = Blueprint("people", __name__, url_prefix="/admin/people")
bp = people_bp  # the factory registers each module's `bp`

Page = str | Response | tuple[str, int]


@people_bp.before_request
def staff_only() -> None:
    require_staff(current_user)


def _values(form: PersonForm) -> dict[str, object]:
    values: dict[str, object] = {
        "name": form.name.data or "",
        "job_title": form.job_title.data or "",
        "organisation_id": int(form.organisation_id.data) if form.organisation_id.data else None,
        "org_role": OrgRole(form.org_role.data) if form.org_role.data else None,
    }
    if "site_role" in form:
        values["site_role"] = SiteRole(form.site_role.data)
    return values


def _field_error(form: FlaskForm, error: ServiceError) -> None:
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)


@people_bp.get("/")
def index() -> Response:
    organisations = people.organisations()
    filters = PeopleFilterForm(request.args)
    filters.setup(organisations)
    filters.validate()
    org_id = filters.organisation.data
    stmt = people.people_query(
        current_user,
        search=filters.q.data or "",
        # Only a listed organisation (a huge number would overflow the database's integer).
        organisation_id=int(org_id) if org_id and not filters.organisation.errors else None,
        org_role=OrgRole(filters.role.data) if not filters.role.errors and filters.role.data
        else None,
        status=people.PersonStatus(filters.status.data)
        if not filters.status.errors and filters.status.data else None,
    )
    found = list(db.session.scalars(stmt))
    return render_page(
        "accounts/people_index.html", "accounts/_people_table.html",
        filters=filters, people_found=found, status_of=people.status_of,
    )


@people_bp.route("/invite", methods=["GET", "POST"])
def invite() -> Page:
    form = InviteForm()
    form.setup(people.organisations(), can_grant=current_user.is_admin)
    if form.validate_on_submit():
        try:
            user = people.invite(current_user, email=form.email.data or "", **_values(form))
        except PermissionDenied:
            raise
        except ServiceError as error:
            _field_error(form, error)
        else:
            flash(f"{user.name} has been invited. We have emailed them a link to set a password.",
                  "success")
            return redirect(url_for("people.show", user_id=user.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("accounts/people_invite.html", form=form), status


@people_bp.get("/<int:user_id>")
def show(user_id: int) -> str:
    person = people.get_person(current_user, user_id)
    return render_template("accounts/people_show.html", person=person,
                           status=people.status_of(person))


@people_bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int) -> Page:
    person = people.get_person(current_user, user_id)
    form = PersonForm(obj=person)  # typed values win over stored ones on POST
    form.setup(people.organisations(), can_grant=current_user.is_admin)
    if request.method == "GET":
        form.organisation_id.data = str(person.organisation_id or "")
        form.org_role.data = person.org_role.value if person.org_role else ""
        if "site_role" in form:
            form.site_role.data = person.site_role.value
    if form.validate_on_submit():
        try:
            changes = people.update_person(current_user, person, _values(form))
        except PermissionDenied:
            raise
        except ServiceError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            flash(f"{person.name}'s details have been saved." if changes
                  else "Nothing was changed.", "success")
            return redirect(url_for("people.show", user_id=person.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("accounts/people_edit.html", form=form, person=person), status


@people_bp.post("/<int:user_id>/resend")
def resend_invitation(user_id: int) -> Response:
    person = people.get_person(current_user, user_id)
    try:
        people.resend_invitation(current_user, person)
    except PermissionDenied:
        raise
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"We have emailed {person.name} a new invitation. Earlier links no longer work.",
              "success")
    return redirect(url_for("people.show", user_id=person.id))


@people_bp.post("/<int:user_id>/<any(deactivate, reactivate):action>")
def set_active(user_id: int, action: str) -> Response:
    person = people.get_person(current_user, user_id)
    try:
        people.set_active(current_user, person, active=action == "reactivate")
    except PermissionDenied:
        raise
    except ServiceError as error:
        flash(error.message, "error")
    else:
        done = "reactivated" if action == "reactivate" else "deactivated"
        flash(f"{person.name}'s account has been {done}.", "success")
    return redirect(url_for("people.show", user_id=person.id))

