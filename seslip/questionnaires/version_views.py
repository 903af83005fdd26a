"""Staff pages about versions: the effect of publishing a candidate version (the definition
file as it is now, or YAML pasted in), and moving every draft to the newest version."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from seslip.errors import ServiceError
from seslip.formengine import Definition, DefinitionError
from seslip.permissions import require_staff
from seslip.questionnaires import versions
from seslip.web import render_page

bp = Blueprint("questionnaire_versions", __name__, url_prefix="/admin/questionnaires")
MAX_SOURCE_CHARS = 256 * 1024  # the library's draft limit; the loader has its own byte limit


@bp.route("/<definition_id>/publish-effect", methods=["GET", "POST"])
def publish_effect(definition_id: str) -> WerkzeugResponse:
    """GET: the effect of the definition file as it is now. POST `source`: of that YAML."""
    require_staff(current_user)
    source = request.form.get("source", "") if request.method == "POST" else ""
    problems: list[str] = []
    candidate: Definition | None = None
    if request.method == "POST":
        if len(source) > MAX_SOURCE_CHARS:
            problems = [f"The text is {len(source):,} characters long; a definition can be at "
                        f"most {MAX_SOURCE_CHARS:,}."]
        else:
            try:
                candidate = versions.candidate(definition_id, source)
            except DefinitionError as error:
                problems = [str(problem) for problem in error.problems]
    else:
        candidate = versions.current_file(definition_id)
        if candidate is None:
            problems = [f"There is no definition file {definition_id}.yaml that loads."]
    effect = None
    if candidate is not None:
        try:
            effect = versions.publish_effect(current_user, definition_id, candidate)
        except ServiceError as error:
            problems = [error.message]
    return render_page(
        "questionnaires/publish_effect.html", "questionnaires/_publish_effect.html",
        422 if problems and request.method == "POST" else 200,
        definition_id=definition_id, effect=effect, problems=problems, source=source,
        from_file=request.method == "GET",
    )


@bp.post("/<definition_id>/move-drafts")
def move_drafts(definition_id: str) -> WerkzeugResponse:
    require_staff(current_user)
    try:
        moved = versions.move_all_drafts(current_user, definition_id)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        count = len(moved)
        flash(f"Moved {count} draft{'' if count == 1 else 's'} to the newest version." if count
              else "Every draft is on the newest version already.", "success")
    if request.form.get("back") == "library":  # the button on the library's page
        return redirect(url_for("library.show", definition_id=definition_id))
    return redirect(url_for("questionnaire_versions.publish_effect", definition_id=definition_id))
