"""The questionnaire library pages (admins and the programme manager): the list, the editor
with its live check, preview, publish, archive, versions as YAML, diffs and history."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from seslip.errors import ServiceError
from seslip.formengine import FormState, Problem, normalise, read_form
from seslip.library import preview as preview_slots
from seslip.library import services
from seslip.library.models import Questionnaire
from seslip.permissions import require_staff
from seslip.questionnaires import presenters, versions
from seslip.questionnaires.models import Response
from seslip.questionnaires.services import Loaded
from seslip.web import is_htmx

bp = Blueprint("library", __name__, url_prefix="/admin/questionnaires")
Page = str | WerkzeugResponse | tuple[str, int]


@bp.before_request
def staff_only() -> None:
    require_staff(current_user)  # every page here is for staff; services check again


@bp.get("/")
def index() -> str:
    return render_template("library/index.html", entries=services.library(current_user))


def _source() -> str:
    """The editor's text: browsers send a textarea's line breaks as CRLF; files use LF."""
    return request.form.get("source", "").replace("\r\n", "\n")


def _revision() -> int:
    text = request.form.get("revision", "")
    return int(text) if text.isdigit() and len(text) < 10 else -1


def _problems(problems: list[Problem]) -> list[Problem]:
    return problems[:200]  # a page of messages is enough to start fixing


def _editor(questionnaire: Questionnaire | None, source: str, *, problems: list[Problem],
            error: str = "", conflict: services.DraftConflict | None = None,
            status: int = 200, saved: str = "") -> tuple[str, int]:
    return render_template(
        "library/edit.html", questionnaire=questionnaire, source=source,
        problems=_problems(problems), error=error, conflict=conflict, saved=saved,
        revision=conflict.revision if conflict else (
            questionnaire.draft_revision if questionnaire else 0),
        lines=max(1, source.count("\n") + 1), max_bytes=services.MAX_BYTES,
    ), status


@bp.get("/new")
def new() -> Page:
    return _editor(None, "", problems=[])[0]


@bp.post("/new")
def create() -> Page:
    source = _source()
    if request.form.get("action") == "check":  # the check without JavaScript: nothing saved
        return _editor(None, source, problems=services.check(source).problems)
    try:
        questionnaire = services.create(current_user, source)
    except services.TextRefused as refused:
        return _editor(None, source, problems=refused.problems, error=refused.message,
                       status=422)
    except ServiceError as error:
        return _editor(None, source, problems=services.check(source).problems,
                       error=error.message, status=422)
    flash(f"The draft of “{questionnaire.title}” is saved. Check it, preview it, then publish.",
          "success")
    return redirect(url_for("library.edit", definition_id=questionnaire.definition_id))


@bp.post("/upload")
def upload() -> Page:
    file = request.files.get("definition")
    if file is None or not file.filename:
        flash("Choose a .yaml file to upload.", "error")
        return redirect(url_for("library.new"))
    data = file.stream.read(services.MAX_BYTES + 1)
    if len(data) > services.MAX_BYTES:
        flash(f"{file.filename} is too large: a definition can be at most "
              f"{services.MAX_BYTES:,} bytes. Nothing was saved.", "error")
        return redirect(url_for("library.new"))
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        flash(f"{file.filename} is not UTF-8 text: save it with UTF-8 encoding. Nothing was "
              "saved.", "error")
        return redirect(url_for("library.new"))
    try:
        questionnaire = services.create(current_user, source, origin=f"upload {file.filename}")
    except ServiceError as error:
        problems = error.problems if isinstance(error, services.TextRefused) else []
        return _editor(None, "" if problems else source, problems=problems,
                       error=error.message, status=422)
    flash(f"{file.filename} is uploaded as the draft of “{questionnaire.title}”.", "success")
    return redirect(url_for("library.edit", definition_id=questionnaire.definition_id))


@bp.post("/check")
def check() -> Page:
    """The live check of the editor (htmx): every problem, with line and column."""
    source = _source()
    definition_id = request.form.get("definition_id") or None
    problems = services.check(source, definition_id).problems
    return render_template("library/_problems.html", problems=_problems(problems),
                           checked=True)


@bp.get("/<definition_id>")
def show(definition_id: str) -> str:
    questionnaire = services.get(current_user, definition_id)
    published = services.versions(current_user, questionnaire)
    current = questionnaire.current_version
    return render_template(
        "library/show.html", questionnaire=questionnaire, versions=published,
        behind=versions.drafts_behind(definition_id, current.version) if current else 0,
        history=services.history(current_user, questionnaire),
        entry=next(e for e in services.library(current_user)
                   if e.questionnaire.id == questionnaire.id),
    )


@bp.get("/<definition_id>/edit")
def edit(definition_id: str) -> Page:
    questionnaire = services.get(current_user, definition_id)
    if not questionnaire.has_draft:
        return redirect(url_for("library.show", definition_id=definition_id))
    source = questionnaire.draft_source or ""
    return _editor(questionnaire, source,
                   problems=services.check(source, definition_id).problems)[0]


@bp.post("/<definition_id>/draft")
def start_draft(definition_id: str) -> WerkzeugResponse:
    questionnaire = services.get(current_user, definition_id)
    services.start_draft(current_user, questionnaire)
    return redirect(url_for("library.edit", definition_id=definition_id))


@bp.post("/<definition_id>/edit")
def save(definition_id: str) -> Page:
    """Autosave (htmx, after a pause in typing) or the Save button: the draft as typed, then
    its problems. A stale revision saves nothing and shows both texts."""
    questionnaire = services.get(current_user, definition_id)
    source = _source()
    action = request.form.get("action", "save")
    fragment = is_htmx()
    base = _revision()
    if action == "keep_mine":  # save over the version they saw in the conflict, on purpose
        theirs = request.form.get("theirs_revision", "")
        base = int(theirs) if theirs.isdigit() and len(theirs) < 10 else -1
    try:
        services.save_draft(current_user, questionnaire, source, base)
    except services.TextRefused as refused:
        if fragment:
            return render_template("library/_status.html", problems=refused.problems,
                                   error=refused.message, questionnaire=questionnaire), 422
        return _editor(questionnaire, source, problems=refused.problems,
                       error=refused.message, status=422)
    except services.DraftConflict as conflict:
        problems = services.check(source, definition_id).problems
        if fragment:
            return render_template("library/_status.html", problems=problems,
                                   conflict=conflict, questionnaire=questionnaire), 409
        return _editor(questionnaire, source, problems=problems, conflict=conflict,
                       error=conflict.message, status=409)
    problems = services.check(source, definition_id).problems
    if fragment:
        return render_template("library/_status.html", problems=_problems(problems),
                               questionnaire=questionnaire, saved="Draft saved")
    if action == "publish":  # first the page that says what publishing would do
        return redirect(url_for("library.confirm_publish", definition_id=definition_id))
    if action == "preview":
        return redirect(url_for("library.preview", definition_id=definition_id))
    return _editor(questionnaire, source, problems=problems, saved="Draft saved")


def _publish(questionnaire: Questionnaire) -> Page:
    try:
        version = services.publish(current_user, questionnaire, questionnaire.draft_revision)
    except services.PublishBlocked as blocked:
        return _editor(questionnaire, questionnaire.draft_source or "",
                       problems=blocked.problems, error=blocked.message, status=422)
    except ServiceError as error:
        source = questionnaire.draft_source or ""
        return _editor(questionnaire, source, error=error.message, status=422,
                       problems=services.check(source, questionnaire.definition_id).problems)
    moving = versions.drafts_behind(questionnaire.definition_id, version.version)
    flash(f"Version {version.version} of “{version.title}” is published: its audience can "
          "start it now." + (f" {moving} draft{' moves' if moving == 1 else 's move'} to it "
                             "when next opened; you can move them all now."
                             if moving else ""), "success")
    return redirect(url_for("library.show", definition_id=questionnaire.definition_id))


@bp.get("/<definition_id>/publish")
def confirm_publish(definition_id: str) -> Page:
    """Before publishing the draft: its problems, or what it would do to the responses in
    progress (the same effect as /publish-effect), then the button."""
    questionnaire = services.get(current_user, definition_id)
    if not questionnaire.has_draft:
        return redirect(url_for("library.show", definition_id=definition_id))
    source = questionnaire.draft_source or ""
    checked = services.check(source, definition_id)
    problems = [str(problem) for problem in _problems(checked.problems)]
    effect = None
    if checked.definition is not None:
        refused = services.number_problem(questionnaire, checked.definition, source)
        if refused:
            problems.append(refused)
        else:
            effect = versions.publish_effect(current_user, definition_id, checked.definition)
    return render_template(
        "library/publish.html", questionnaire=questionnaire, definition=checked.definition,
        effect=effect, problems=problems, revision=questionnaire.draft_revision)


@bp.post("/<definition_id>/publish")
def publish(definition_id: str) -> Page:
    questionnaire = services.get(current_user, definition_id)
    if _revision() != questionnaire.draft_revision:
        source = questionnaire.draft_source or ""
        return _editor(questionnaire, source, status=409,
                       error="The draft changed since you saw it: check it, then publish.",
                       problems=services.check(source, definition_id).problems)
    return _publish(questionnaire)


@bp.post("/<definition_id>/archive")
def archive(definition_id: str) -> WerkzeugResponse:
    questionnaire = services.get(current_user, definition_id)
    try:
        services.archive(current_user, questionnaire)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"“{questionnaire.title}” is archived: nobody can start it; every response "
              "given stays readable.", "success")
    return redirect(url_for("library.show", definition_id=definition_id))


@bp.post("/<definition_id>/restore")
def restore(definition_id: str) -> WerkzeugResponse:
    questionnaire = services.get(current_user, definition_id)
    try:
        services.restore(current_user, questionnaire)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"“{questionnaire.title}” takes new responses again.", "success")
    return redirect(url_for("library.show", definition_id=definition_id))


# --- preview ----------------------------------------------------------------------------------


@bp.route("/<definition_id>/preview", methods=["GET", "POST"])
def preview(definition_id: str) -> Page:
    """The draft (or ?version=ID) as a respondent sees it, every section on one page. What is
    typed here is posted back only to work out conditions: nothing is stored."""
    questionnaire = services.get(current_user, definition_id)
    version_id = request.values.get("version", "")
    if version_id.isdigit() and len(version_id) < 10:
        source = services.get_version(current_user, questionnaire, int(version_id)).source
    elif questionnaire.has_draft:
        source = questionnaire.draft_source or ""
    elif questionnaire.current_version is not None:
        source = questionnaire.current_version.source
    else:
        source = ""
    checked = services.check(source, definition_id)
    if checked.definition is None:
        flash("The draft has problems, so it cannot be previewed yet: fix them first.", "error")
        return redirect(url_for("library.edit", definition_id=definition_id))
    definition = checked.definition
    typed = read_form(request.form) if request.method == "POST" else None
    raw: dict[str, Any] = {}
    if typed is not None:
        for question_id in typed.answers:
            question = definition.questions.get(question_id)
            if question is not None:
                raw[question_id] = normalise(question, typed.answer(question_id))[0]
    state = FormState(definition, raw)
    loaded = Loaded(Response(id=0), definition, {}, state)  # never added to the session
    questions = {question.id: dataclasses.replace(
        presenters.question_view(loaded, question, typed=typed), answer_url="")
        for question in state.visible_questions()}
    slots = preview_slots.slots(loaded)
    shown = " ".join(slot.id for slot in slots if slot.visible)
    context = dict(questionnaire=questionnaire, definition=definition, loaded=loaded,
                   questions=questions, slots=slots, shown=shown, version_id=version_id)
    if request.method == "POST" and is_htmx():
        # Only the parts whose visibility changed, so focus and what is typed elsewhere stay.
        changed = preview_slots.changed(slots, request.form.get("shown", ""))
        return render_template("library/_preview_update.html", changed=changed,
                               message=preview_slots.message(changed), **context)
    return render_template("library/preview.html", **context)


# --- versions ---------------------------------------------------------------------------------


@bp.get("/<definition_id>/versions/<int:version_id>.yaml")
def download(definition_id: str, version_id: int) -> WerkzeugResponse:
    questionnaire = services.get(current_user, definition_id)
    version = services.get_version(current_user, questionnaire, version_id)
    response = make_response(version.source)
    response.content_type = "application/yaml; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{definition_id}-v{version.version}-{version.id}.yaml"')
    return response


@bp.get("/<definition_id>/diff")
def diff(definition_id: str) -> str:
    """Two versions (or a version and the draft) line by line."""
    questionnaire = services.get(current_user, definition_id)
    choices = [(str(v.id), f"Version {v.version} ({v.created_at:%d %b %Y %H:%M})")
               for v in services.versions(current_user, questionnaire)]
    if questionnaire.has_draft:
        choices.insert(0, ("draft", "The draft being written"))

    def text_of(choice: str) -> str | None:
        if choice == "draft":
            return questionnaire.draft_source
        if choice.isdigit() and len(choice) < 10:
            return services.get_version(current_user, questionnaire, int(choice)).source
        return None

    default_new = choices[0][0] if choices else ""
    default_old = choices[1][0] if len(choices) > 1 else default_new
    old_choice = request.args.get("from", default_old)
    new_choice = request.args.get("to", default_new)
    old, new_text = text_of(old_choice), text_of(new_choice)
    lines = services.diff(old, new_text) if old is not None and new_text is not None else []
    return render_template(
        "library/diff.html", questionnaire=questionnaire, choices=choices,
        old_choice=old_choice, new_choice=new_choice, lines=lines,
        added=sum(line.kind == "added" for line in lines),
        removed=sum(line.kind == "removed" for line in lines),
    )
