"""The directory of member authorities and partners, each organisation's page, staff edits."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from seslip.errors import ServiceError
from seslip.organisations import services
from seslip.organisations.forms import DirectorySearchForm, NewOrganisationForm, OrganisationForm
from seslip.permissions import require_staff
from seslip.web import form_status, refuse, render_page

bp = Blueprint("organisations", __name__, url_prefix="/directory")


@bp.get("/")
def index() -> Response:
    form = DirectorySearchForm(request.args)
    query = (form.q.data or "") if form.validate() else ""
    return render_page(
        "organisations/index.html",
        "organisations/_list.html",
        page_title=f"Directory: results for ‘{query}’" if query else "Directory",
        form=form,
        directory=services.directory(query),
    )


@bp.get("/<slug>")
def show(slug: str) -> str:
    org = services.get_by_slug(slug)
    return render_template(
        "organisations/show.html", org=org, groups=services.people_by_role(org)
    )


def _form_values(form: OrganisationForm) -> dict[str, object]:
    return {
        "name": form.name.data or "",
        "kind": form.kind.data,
        "note": form.note.data or "",
        "website": form.website.data or "",
        "archived": form.archived.data,
    }


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str) -> str | Response | tuple[str, int]:
    org = services.organisation_for_edit(current_user, slug)
    form = OrganisationForm(obj=org)
    if request.method == "GET":
        form.kind.data = org.kind.value
    if form.validate_on_submit():
        try:
            changes = services.update_organisation(current_user, org, **_form_values(form))
        except ServiceError as error:
            refuse(form, error)
        else:
            flash(
                f"{org.name} updated." if changes else f"Nothing changed for {org.name}.",
                "success",
            )
            return redirect(url_for("organisations.show", slug=org.slug))
    return render_template("organisations/edit.html", org=org, form=form), form_status(form)


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    require_staff(current_user)
    form = NewOrganisationForm()
    if request.method == "GET":
        form.kind.data = "partner"
    if form.validate_on_submit():
        try:
            org = services.create_organisation(
                current_user, slug=form.slug.data or "", **_form_values(form)
            )
        except ServiceError as error:
            refuse(form, error)
        else:
            flash(f"{org.name} added to the directory.", "success")
            return redirect(url_for("organisations.show", slug=org.slug))
    return render_template("organisations/edit.html", org=None, form=form), form_status(form)
