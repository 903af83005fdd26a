"""Views of the terms-of-reference area: thin handlers that load, call a service and render.

One URL per thing: a section's URL gives its editor (the full page without JavaScript, the
fragment for htmx); `?view=1` gives the section as read, for htmx to swap back."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from seslip.errors import NotFound, PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.formengine import Section
from seslip.markup import render_markdown
from seslip.networks.models import Network
from seslip.networks.queries import get_network
from seslip.terms import exports, rules
from seslip.terms import services as svc
from seslip.terms.forms import CommentForm
from seslip.terms.models import TermsDraft
from seslip.timeutil import local_today
from seslip.web import attempt, render_page, wants_fragment

bp = Blueprint("terms", __name__)


def _common(network: Network) -> dict[str, Any]:
    return {"network": network, "md": render_markdown}


def _section_of(draft: TermsDraft, section_id: str) -> Section:
    definition = svc.definition_of(draft.template_version)
    for section in definition.sections:
        if section.id == section_id:
            return section
    raise NotFound("That section is not in these terms of reference.")


# --- the published copy ---------------------------------------------------------------------


@bp.get("/networks/<slug>/terms")
def show(slug: str) -> Any:
    network = get_network(slug)
    terms = svc.terms_of(network)
    version = svc.current_version(terms)
    draft = svc.open_draft(terms)
    editor = svc.can_edit(current_user, network)
    due = svc.due_on(terms)
    return render_template(
        "terms/show.html", **_common(network), terms=terms, version=version,
        shown=svc.shown_version(version) if version else None,
        draft=draft if editor or (draft and svc.can_approve(current_user, draft)) else None,
        editor=editor, due=due, review=rules.review_status(due, local_today()),
        mismatches=svc.mismatches(network, version) if editor and version else [],
        can_approve=draft is not None and svc.can_approve(current_user, draft),
        needs_approval=svc.needs_approval(network))


@bp.get("/networks/<slug>/terms/versions")
def versions(slug: str) -> Any:
    network = get_network(slug)
    terms = svc.terms_of(network)
    found = svc.versions(terms) if terms else []
    return render_template("terms/versions.html", **_common(network), versions=found,
                           reviews=svc.reviews(terms) if terms else [])


@bp.get("/networks/<slug>/terms/versions/<int:number>")
def version(slug: str, number: int) -> Any:
    network = get_network(slug)
    found = svc.version_numbered(network, number)
    current = svc.current_version(found.terms)
    return render_template("terms/version.html", **_common(network), version=found,
                           shown=svc.shown_version(found),
                           is_current=current is not None and current.id == found.id)


@bp.get("/networks/<slug>/terms/diff")
def diff(slug: str) -> Any:
    network = get_network(slug)
    older_n = request.args.get("from", type=int)
    newer_n = request.args.get("to", type=int)
    if older_n is None or newer_n is None:
        raise NotFound("Choose two versions to compare.")
    if older_n > newer_n:
        older_n, newer_n = newer_n, older_n
    older = svc.version_numbered(network, older_n)
    newer = svc.version_numbered(network, newer_n)
    return render_template("terms/diff.html", **_common(network), older=older, newer=newer,
                           sections=svc.diff(older, newer))


@bp.get("/networks/<slug>/terms/print")
def print_view(slug: str) -> Any:
    network = get_network(slug)
    found = _version_asked(network)
    return exports.print_html(network, found)


@bp.get("/networks/<slug>/terms/export.<fmt>")
def export(slug: str, fmt: str) -> Any:
    network = get_network(slug)
    found = _version_asked(network)
    if fmt not in exports.FORMATS:
        raise NotFound("Terms of reference are exported as docx or pdf.")
    data = exports.export(network, found, fmt)
    return exports.download(network, found, fmt, data)


def _version_asked(network: Network) -> Any:
    number = request.args.get("version", type=int)
    if number is not None:
        return svc.version_numbered(network, number)
    current = svc.current_version(svc.terms_of(network))
    if current is None:
        raise NotFound(f"{network.name} has no published terms of reference yet.")
    return current


# --- the draft ------------------------------------------------------------------------------


@bp.route("/networks/<slug>/terms/draft", methods=["GET", "POST"])
def draft(slug: str) -> Any:
    network = get_network(slug)
    if request.method == "POST":
        svc.require_edit(current_user, network)
        try:
            svc.start_draft(current_user, network)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("terms.show", slug=slug))
        return redirect(url_for("terms.draft", slug=slug))
    found = svc.draft_for(current_user, network)
    return render_template("terms/draft.html", **_common(network), draft=found,
                           shown=svc.shown_draft(found), editor=svc.can_edit(current_user,
                                                                              network),
                           changes=svc.diff_draft(found), form=CommentForm(),
                           needs_approval=svc.needs_approval(network),
                           approving=svc.approving_network(network))


def _editor_context(network: Network, found: TermsDraft, section: Section, **more: Any
                    ) -> dict[str, Any]:
    row = svc.section_row(found, section.id)
    context = {**_common(network), "draft": found, "section": section, "row": row,
               "body": row.body, "values": row.values, "result": None, "preview": None}
    context.update(more)
    context["problems"] = svc.field_problems(section, context["values"])
    return context


@bp.route("/networks/<slug>/terms/draft/<section_id>", methods=["GET", "POST"])
def section(slug: str, section_id: str) -> Any:
    network = get_network(slug)
    found = svc.draft_for(current_user, network)
    svc.require_edit(current_user, network)
    part = _section_of(found, section_id)
    if request.method == "GET":
        if request.args.get("view"):
            return render_template("terms/_section.html", **_common(network), draft=found,
                                   section=part, shown=svc.shown_draft(found), editable=True)
        return render_page("terms/section.html", "terms/_section_editor.html",
                           **_editor_context(network, found, part))
    body = request.form.get("body", "").replace("\r\n", "\n")
    values = svc.read_values(part, request.form.to_dict(flat=False))
    if "preview" in request.form:  # without JavaScript: show the preview, save nothing
        return render_page("terms/section.html", "terms/_section_editor.html",
                           **_editor_context(network, found, part, body=body, values=values,
                                             preview=render_markdown(body)))
    keep = request.form.get("keep_mine", "")
    base = int(keep) if keep.isdigit() else request.form.get("revision", 0, type=int)
    try:
        result = svc.save_section(current_user, found, section_id, body, values, base)
    except ServiceError as error:
        db.session.rollback()
        context = _editor_context(network, found, part, body=body, values=values,
                                  error=str(error))
        return render_page("terms/section.html", "terms/_section_editor.html", 422, **context)
    if request.args.get("autosave"):
        return render_template("terms/_save_status.html", **_common(network), draft=found,
                               section=part, row=result.row, result=result,
                               problems=svc.field_problems(part, values))
    if result.outcome == "conflict":
        context = _editor_context(network, found, part, body=body, values=values,
                                  result=result)
        return render_page("terms/section.html", "terms/_section_editor.html", 409, **context)
    if wants_fragment():
        return render_template("terms/_section.html", **_common(network), draft=found,
                               section=part, shown=svc.shown_draft(found), editable=True,
                               saved=True)
    flash(f"Saved “{part.title}”.", "success")
    return redirect(url_for("terms.draft", slug=slug, _anchor=f"section-{section_id}"))


@bp.post("/networks/<slug>/terms/preview")
def preview(slug: str) -> Any:
    network = get_network(slug)
    svc.require_edit(current_user, network)
    return render_template("terms/_preview.html", preview=render_markdown(
        request.form.get("body", "")[:svc.MAX_BODY_CHARS]))


def _comment_action(slug: str, action: Any, done: str, back: str) -> Any:
    network = get_network(slug)
    found = svc.draft_for(current_user, network)
    form = CommentForm()
    if not form.validate_on_submit():
        flash("The comment is too long (at most 5,000 characters).", "error")
        return redirect(url_for(back, slug=slug))
    result = attempt(form, lambda: action(current_user, found, form.comment.data or ""))
    if result is None:
        flash(" ".join(form.comment.errors or form.form_errors) or "That did not work.",
              "error")
        return redirect(url_for(back, slug=slug))
    flash(done, "success")
    return redirect(url_for("terms.show", slug=slug))


@bp.post("/networks/<slug>/terms/draft/submit")
def submit(slug: str) -> Any:
    return _comment_action(slug, svc.submit, "Sent for approval. The approving body's chair "
                           "has been emailed a link.", "terms.draft")


@bp.post("/networks/<slug>/terms/draft/publish")
def publish(slug: str) -> Any:
    return _comment_action(slug, svc.publish, "Published: members now see the new version.",
                           "terms.draft")


@bp.route("/networks/<slug>/terms/approve", methods=["GET", "POST"])
def approve(slug: str) -> Any:
    network = get_network(slug)
    found = svc.draft_for(current_user, network)
    if not svc.can_approve(current_user, found):
        raise PermissionDenied("Only the chair of the approving body can approve these terms "
                               "of reference, and only while they wait for approval.")
    if request.method == "POST":
        if request.form.get("decision") == "return":
            return _comment_action(slug, svc.return_draft, "Returned to the chairs with your "
                                   "comments.", "terms.approve")
        return _comment_action(slug, svc.approve, "Approved: members now see the new version.",
                               "terms.approve")
    return render_template("terms/approve.html", **_common(network), draft=found,
                           changes=svc.diff_draft(found), form=CommentForm())


@bp.post("/networks/<slug>/terms/review")
def review(slug: str) -> Any:
    network = get_network(slug)
    svc.require_edit(current_user, network)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            svc.record_review(current_user, network, form.comment.data or "")
            flash("Recorded: reviewed, no change. The next review is due in a year.",
                  "success")
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for("terms.show", slug=slug))


# --- the programme manager's overview -------------------------------------------------------


@bp.get("/terms")
def overview() -> Response | str:
    if not current_user.is_staff:
        raise PermissionDenied("Only admins and the programme manager see every network's "
                               "terms of reference.")
    return render_template("terms/overview.html", rows=svc.overview(local_today()))
