"""Views of the documents area: the library, a document with its versions, staff uploads, and
downloads (as attachments with a safe name, never shown inline)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from seslip.documents import services as svc
from seslip.documents.forms import DocumentForm, VersionForm
from seslip.documents.models import DocumentCategory
from seslip.web import attempt, form_status

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.get("")
def index() -> Any:
    return render_template("documents/index.html", library=svc.library(),
                           may_upload=current_user.is_staff)


@bp.get("/<int:document_id>")
def show(document_id: int) -> Any:
    return render_template("documents/show.html", document=svc.load(document_id),
                           may_upload=current_user.is_staff)


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    svc.require_uploader(current_user)
    form = DocumentForm()
    if form.validate_on_submit():
        document = attempt(form, lambda: svc.add_document(
            current_user, form.title.data or "", DocumentCategory(form.category.data),
            form.file.data.read()))
        if document:
            flash(f"“{document.title}” was added.", "success")
            return redirect(url_for("documents.show", document_id=document.id))
    return render_template("documents/upload.html", form=form, document=None), form_status(form)


@bp.route("/<int:document_id>/versions/new", methods=["GET", "POST"])
def add_version(document_id: int) -> Any:
    svc.require_uploader(current_user)
    document = svc.load(document_id)
    form = VersionForm()
    if form.validate_on_submit():
        version = attempt(form, lambda: svc.add_version(current_user, document,
                                                        form.file.data.read()))
        if version:
            flash(f"Version {version.number} of “{document.title}” was uploaded; earlier "
                  "versions are kept.", "success")
            return redirect(url_for("documents.show", document_id=document.id))
    return render_template("documents/upload.html", form=form, document=document), \
        form_status(form)


@bp.get("/<int:document_id>/versions/<int:version_id>")
def download(document_id: int, version_id: int) -> Response:
    got = svc.download(current_user, svc.load_version(document_id, version_id))
    response = send_file(BytesIO(got.data), mimetype=got.mimetype, as_attachment=True,
                         download_name=got.name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
