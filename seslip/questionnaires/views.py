"""Questionnaire pages: index, task list, sections (autosave and no-JS save), check your answers,
finalise, read-only view, reopen, and the public JSON Schema of definitions."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

import seslip
from seslip.errors import PermissionDenied, ServiceError
from seslip.formengine import Question, Section, SubmittedForm, formdata, read_form
from seslip.markup import render_markdown_cached
from seslip.permissions import require_staff
from seslip.questionnaires import exports, presenters, services, versions
from seslip.questionnaires.live import ResponseRef, live_update, slot_id
from seslip.questionnaires.services import (
    BadSubmission,
    FinaliseBlocked,
    Loaded,
    ResponseLocked,
    SaveResult,
)
from seslip.web import is_htmx, public

# No url_prefix: the schema lives at /form-definitions/schema.json, where the guide says.
bp = Blueprint("questionnaires", __name__)
SCHEMA_PATH = "formengine/definition.schema.json"
PREFIX = "/questionnaires"

Page = str | WerkzeugResponse | tuple[str, int] | tuple[str, int, dict[str, str]]


@bp.app_template_filter("markdown")
def markdown_filter(text: str | None) -> Markup:
    """Markdown of definition text (immutable per FormVersion), rendered once per process.
    Answers never go through it: they are shown as escaped text."""
    return render_markdown_cached(text)


@bp.app_template_test("question")
def is_question(item: object) -> bool:
    return isinstance(item, Question)


bp.add_app_template_global(presenters.first_input_id, "first_input_id")
# Templates write input names with the formdata module's functions.
bp.record_once(lambda state: state.app.jinja_env.globals.update(formdata=formdata))
bp.add_app_template_global(presenters.shown_answer, "shown_answer")
bp.add_app_template_global(presenters.template_of, "template_of")
bp.add_app_template_global(slot_id, "slot_id")


@bp.get("/form-definitions/schema.json")
@public
def schema() -> WerkzeugResponse:
    path = Path(seslip.__file__).parent / SCHEMA_PATH
    response = make_response(path.read_bytes())
    response.mimetype = "application/schema+json"
    response.headers["Access-Control-Allow-Origin"] = "*"  # editors fetch it from anywhere
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get(f"{PREFIX}/")
def index() -> str:
    overview = services.questionnaire_overview(current_user) if current_user.is_staff else []
    return render_template(
        "questionnaires/index.html", yours=services.questionnaires_for(current_user),
        overview=overview,
    )


@bp.post(f"{PREFIX}/<definition_id>/start")
def start(definition_id: str) -> WerkzeugResponse:
    try:
        response = services.start_or_continue(current_user, definition_id)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("questionnaires.index"))
    return redirect(url_for("questionnaires.response", response_id=response.id))


def _load(response_id: int, *, for_update: bool = False) -> Loaded:
    return services.load(services.load_response(current_user, response_id, for_update=for_update))


def _open(response_id: int) -> tuple[Loaded, bool]:
    """Load a response for a page that opens it: the owner's draft first moves to the newest
    version of its questionnaire (versions.bring_up_to_date). True when it moved."""
    response = services.load_response(current_user, response_id)
    moved = versions.bring_up_to_date(current_user, response)
    if moved is not None:
        flash(" ".join(versions.moved_notice(moved)), "info")
    return services.load(moved.response if moved else response), moved is not None


@bp.get(f"{PREFIX}/responses/<int:response_id>")
def response(response_id: int) -> str:
    loaded, _ = _open(response_id)
    earlier = versions.earlier_answers(loaded)
    if services.can_edit(current_user, loaded.response):
        return render_template(
            "questionnaires/task_list.html", loaded=loaded, tasks=services.task_list(loaded),
            earlier=earlier,
        )
    return render_template("questionnaires/view.html", loaded=loaded, earlier=earlier)


# --- sections -----------------------------------------------------------------------------------


def _editable(loaded: Loaded) -> None:
    services.require_may_change_answers(current_user, loaded.response)


def _finaliser(loaded: Loaded) -> None:
    if loaded.response.owner_id != current_user.id:
        raise PermissionDenied("Only the respondent can finalise these answers.")


@bp.get(f"{PREFIX}/responses/<int:response_id>/sections/<section_id>")
def section(response_id: int, section_id: str) -> Page:
    loaded, moved = _open(response_id)
    _editable(loaded)
    if moved and section_id not in {part.id for part in loaded.definition.sections}:
        return redirect(url_for("questionnaires.response", response_id=response_id))
    if not loaded.response.is_draft:
        flash("This questionnaire has been finalised, so its answers can no longer be changed.",
              "info")
        return redirect(url_for("questionnaires.response", response_id=response_id))
    part = services.section_of(loaded, section_id)
    saved = _problems_in(loaded, part) if request.args.get("saved") == "1" else []
    return _render_section(loaded, part, extra_row=_row_to_add(loaded), saved_problems=saved)


@bp.post(f"{PREFIX}/responses/<int:response_id>/sections/<section_id>")
def save_section(response_id: int, section_id: str) -> Page:
    loaded = _load(response_id, for_update=True)
    submitted = read_form(request.form)
    action = submitted.action
    part = services.section_of(loaded, section_id)
    try:
        saved = services.save_section(current_user, loaded.response, section_id, submitted)
    except BadSubmission as error:
        return _render_section(loaded, part, typed=submitted,
                               errors=[(error.field, error.message)], status=400)
    except ResponseLocked as error:
        return _render_locked(loaded, error, part)
    loaded = services.load(loaded.response)
    problems = [(qid, message) for qid, result in saved.results.items()
                for message in result.messages if result.outcome == "rejected"]
    if saved.conflicts or saved.rejected:
        typed = submitted.only([*saved.conflicts, *saved.rejected])
        return _render_section(loaded, part, typed=typed, errors=problems,
                               conflicts=saved.conflicts,
                               status=409 if saved.conflicts else 422)
    if action.kind == formdata.USE_THEIRS:
        flash("Their version is shown below. Your version was not saved.", "info")
        return redirect(_section_url(loaded, part, action.question_id))
    if action.kind in (formdata.ADD_ROW, formdata.REMOVE_ROW):
        return redirect(_section_url(loaded, part, action.question_id,
                                     add=action.kind == formdata.ADD_ROW))
    if saved.visibility_changed and loaded.state.is_visible(part):
        flash("Your answers changed which questions are shown. "
              "Check the questions on this page, then save again.", "info")
        return redirect(_section_url(loaded, part))
    if _problems_in(loaded, part):
        # Saved, but not right yet (too many words, an email that is not one): say so on the
        # section itself, which offers to continue anyway. After a redirect, so reloading is safe.
        return redirect(url_for("questionnaires.section", response_id=response_id,
                                section_id=part.id, saved="1"))
    flash(f"Your answers to “{part.title}” have been saved.", "success")
    return redirect(url_for("questionnaires.response", response_id=response_id))


def _stored_rows(loaded: Loaded, question_id: str) -> int:
    answer = loaded.answers.get(question_id)
    return len(answer.value) if answer is not None and isinstance(answer.value, list) else 0


def _row_to_add(loaded: Loaded) -> str:
    """The repeatable question that gets an empty row: the one "Add another" asked for, while
    fewer rows than it asked for are stored (see formdata.add_row_args)."""
    asked = formdata.read_add_row(request.args)
    if asked is None or _stored_rows(loaded, asked[0]) >= asked[1]:
        return ""
    return asked[0]


def _section_url(loaded: Loaded, part: Section, question_id: str = "", add: bool = False) -> str:
    args: dict[str, Any] = {"response_id": loaded.response.id, "section_id": part.id}
    if add:
        # How many rows the page should then show: those stored now, and one empty.
        args.update(formdata.add_row_args(question_id, _stored_rows(loaded, question_id) + 1))
    anchor = f"#q-{question_id}" if question_id else ""
    return url_for("questionnaires.section", **args) + anchor


def _problems_in(loaded: Loaded, part: Section) -> list[tuple[str, str]]:
    """(question id, message) for each shown answer of the section that is stored but not
    acceptable; a missing answer is not one (it is reported only when finalising)."""
    return [(question.id, message) for question in loaded.state.visible_questions(part)
            for message in loaded.state.messages(question)]


def _render_section(
    loaded: Loaded,
    part: Section,
    *,
    typed: SubmittedForm | None = None,
    errors: Sequence[tuple[str | None, str]] | None = None,
    conflicts: dict[str, SaveResult] | None = None,
    extra_row: str = "",
    saved_problems: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The section page. `typed` holds what the person sent for questions that were not saved,
    so it is shown instead of the stored answer. `saved_problems`: the answers were saved by
    "Save and continue" but these still need changing."""
    summary = [
        (presenters.first_input_id(loaded.definition, qid) if qid else "", message)
        for qid, message in errors or []
    ]
    summary.extend(
        (f"conflict-{qid}-title", "Someone else changed your answer to "
         f"“{loaded.definition.questions[qid].label}”. Choose which version to keep.")
        for qid in conflicts or {}
    )
    sections = [s for s in loaded.definition.sections if loaded.state.is_visible(s)]
    position = next(i for i, s in enumerate(sections) if s.id == part.id)
    questions = {
        question.id: presenters.question_view(loaded, question, typed=typed, errors=errors,
                                              conflicts=conflicts, extra_row=extra_row)
        for question in loaded.state.visible_questions(part)
    }
    return render_template(
        "questionnaires/section.html",
        loaded=loaded,
        section=part,
        questions=questions,
        summary=summary,
        saved_summary=[
            (presenters.first_input_id(loaded.definition, qid),
             loaded.definition.questions[qid].label, message)
            for qid, message in saved_problems or []
        ],
        position=position + 1,
        total=len(sections),
    ), status


def _render_locked(loaded: Loaded, error: ServiceError, part: Section | None = None) -> Page:
    if is_htmx():
        return render_template("questionnaires/_save_status.html", locked=error.message,
                               question=None), 409
    flash(error.message, "error")
    return render_template("questionnaires/view.html", loaded=loaded, locked=error.message), 409


# --- autosave -------------------------------------------------------------------------------------


@bp.post(f"{PREFIX}/responses/<int:response_id>/answers/<question_id>")
def save_answer(response_id: int, question_id: str) -> Page:
    response = services.load_response(current_user, response_id, for_update=True)
    # "Keep my version" sends the revision of theirs the person saw, and read_form uses it.
    submitted = read_form(request.form)
    # Worked out before saving: the commit expires the response and would cost a query.
    definition = services.definition_of(response)
    section_id = definition.section_of.get(question_id, "")
    section_url = url_for("questionnaires.section", response_id=response_id,
                          section_id=section_id) if section_id else ""
    try:
        # "Keep my version" overwrites another version on purpose: it always adds a revision.
        keep = submitted.action
        result = services.save_answer(current_user, response, question_id,
                                      submitted.answer(question_id),
                                      submitted.revisions.get(question_id),
                                      collapse=not (keep.kind == formdata.KEEP_MINE
                                                    and keep.question_id == question_id))
    except BadSubmission as error:
        # Marked, so the page can tell it from the 400 of an expired CSRF token (session lost).
        return render_template("questionnaires/_save_status.html", question=None,
                               bad=error.message), 400, {"X-Questionnaire-Error": "bad-submission"}
    except ResponseLocked as error:
        return render_template("questionnaires/_save_status.html", question=None,
                               locked=error.message), 409
    status = {"saved": 200, "unchanged": 200, "conflict": 409, "rejected": 422}[result.outcome]
    live, loaded = None, None
    questions: dict[str, presenters.QuestionView] = {}
    if result.state is not None and result.answers is not None and section_id and is_htmx():
        # Show and hide the affected questions in place (the link stays for other requests).
        # The edited question's own Stored entry is out of date, but it is never among them.
        loaded = Loaded(ResponseRef(response_id), definition,  # type: ignore[arg-type]
                        dict(result.answers), result.state)  # type: ignore[arg-type]
        live = live_update(loaded, definition.section(section_id), result.changed_ids)
        questions = {slot.item.id: presenters.question_view(loaded, slot.item)
                     for slot in live.slots if slot.visible and isinstance(slot.item, Question)}
    return render_template(
        "questionnaires/_save_status.html",
        question=result.question,
        result=result,
        response=response,
        section_url=section_url,
        live=live,
        loaded=loaded,
        questions=questions,
        response_id=response_id,
    ), status


@bp.get(f"{PREFIX}/responses/<int:response_id>/answers/<question_id>")
def answer(response_id: int, question_id: str) -> Page:
    """One question as stored now: "Use their version" swaps it in."""
    loaded = _load(response_id)
    _editable(loaded)
    question = loaded.definition.questions.get(question_id)
    if question is None:
        abort(404)
    return render_template(
        "questionnaires/_question_fragment.html",
        loaded=loaded,
        qv=presenters.question_view(loaded, question),
    )


@bp.get(f"{PREFIX}/responses/<int:response_id>/answers/<question_id>/history")
def answer_history(response_id: int, question_id: str) -> Page:
    """Every value saved for one answer, who saved it and when."""
    loaded = _load(response_id)
    question, revisions = services.answer_history(loaded, question_id)
    return render_template("questionnaires/answer_history.html", loaded=loaded,
                           question=question, revisions=revisions)


# --- check, finalise, reopen --------------------------------------------------------------------


@bp.get(f"{PREFIX}/responses/<int:response_id>/check")
def check(response_id: int) -> Page:
    loaded, _ = _open(response_id)
    _editable(loaded)
    if not loaded.response.is_draft:
        return redirect(url_for("questionnaires.response", response_id=response_id))
    return render_template(
        "questionnaires/check.html", loaded=loaded, problems=services.check_answers(loaded),
        earlier=versions.earlier_answers(loaded),
    )


@bp.route(f"{PREFIX}/responses/<int:response_id>/finalise", methods=["GET", "POST"])
def finalise(response_id: int) -> Page:
    if request.method == "GET" and _open(response_id)[1]:
        # It moved to a newer version: look at the answers again before finalising.
        return redirect(url_for("questionnaires.check", response_id=response_id))
    loaded = _load(response_id, for_update=request.method == "POST")
    _finaliser(loaded)
    if not loaded.response.is_draft:
        return redirect(url_for("questionnaires.response", response_id=response_id))
    if loaded.response.cycle_id is not None:  # the cycle's page checks its sign-off
        return redirect(url_for("cycles.finalise", response_id=response_id))
    problems = services.check_answers(loaded)
    if request.method == "POST":
        try:
            services.finalise(current_user, loaded.response)
        except FinaliseBlocked:
            return render_template(
                "questionnaires/check.html", loaded=loaded, problems=problems, blocked=True,
                earlier=versions.earlier_answers(loaded),
            ), 422
        return redirect(url_for("questionnaires.finalised", response_id=response_id))
    if problems:
        return redirect(url_for("questionnaires.check", response_id=response_id))
    return render_template("questionnaires/finalise.html", loaded=loaded)


@bp.get(f"{PREFIX}/responses/<int:response_id>/finalised")
def finalised(response_id: int) -> Page:
    loaded = _load(response_id)
    services.require_may_change_answers(current_user, loaded.response)
    if loaded.response.is_draft:
        return redirect(url_for("questionnaires.response", response_id=response_id))
    return render_template("questionnaires/finalised.html", loaded=loaded)


@bp.route(f"{PREFIX}/responses/<int:response_id>/reopen", methods=["GET", "POST"])
def reopen(response_id: int) -> Page:
    response = services.load_response(current_user, response_id)
    require_staff(current_user)
    error: ServiceError | None = None
    reason = request.form.get("reason", "")
    if request.method == "POST":
        try:
            services.reopen(current_user, response, reason)
        except ResponseLocked as locked:
            flash(locked.message, "error")
            return redirect(url_for("questionnaires.response", response_id=response_id))
        except ServiceError as problem:
            error = problem
        else:
            flash(f"The answers of {response.owner.name} have been reopened. They can change them "
                  "and finalise again.", "success")
            return redirect(url_for("questionnaires.response", response_id=response_id))
    elif response.is_draft:
        flash("These answers are not finalised, so there is nothing to reopen.", "info")
        return redirect(url_for("questionnaires.response", response_id=response_id))
    return render_template(
        "questionnaires/reopen.html", response=response, reason=reason, error=error
    ), (422 if error else 200)



# --- exports: the service checks who may have each file ---------------------------------------


def _download(file: exports.File) -> WerkzeugResponse:
    return send_file(io.BytesIO(file.data), mimetype=file.mimetype, as_attachment=True,
                     download_name=file.name)


@bp.get(f"{PREFIX}/responses/<int:response_id>/export.docx")
def export_docx(response_id: int) -> WerkzeugResponse:
    return _download(exports.response_file(current_user, response_id, "docx"))


@bp.get(f"{PREFIX}/responses/<int:response_id>/export.pdf")
def export_pdf(response_id: int) -> WerkzeugResponse:
    try:
        return _download(exports.response_file(current_user, response_id, "pdf"))
    except exports.PdfUnavailable as error:
        flash(error.message, "error")
        return redirect(url_for("questionnaires.response", response_id=response_id))


@bp.get(f"{PREFIX}/<definition_id>/responses.csv")
def export_csv(definition_id: str) -> WerkzeugResponse:
    return _download(exports.responses_file(current_user, definition_id, "csv"))


@bp.get(f"{PREFIX}/<definition_id>/responses.zip")
def export_zip(definition_id: str) -> WerkzeugResponse:
    return _download(exports.responses_file(current_user, definition_id, "zip"))
