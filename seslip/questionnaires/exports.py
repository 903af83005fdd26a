"""Exports of questionnaire responses: one response to Word or PDF, every response to one
questionnaire to CSV or to a zip of Word files. The pages and `seslip export-responses` call
these same functions.

Who may export: a response's own Word or PDF file whoever may read the response (the same
check as its page, `services.load_response`); every response at once only admins and the
programme manager (`require_staff`), or the command line, which is run by someone with the
server in hand (`actor=None`).

Each answer is shown as its question type declares (`display`, a `Shown`), only for the
questions that apply to the answers given, as on the response page; guidance is left out.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from flask import current_app, render_template
from sqlalchemy import select

from seslip.accounts.models import User
from seslip.errors import NotFound, ServiceError
from seslip.extensions import db
from seslip.formengine import Definition, FormState, Question, Shown, type_of
from seslip.permissions import require_staff
from seslip.questionnaires import services
from seslip.questionnaires.models import Answer, Response
from seslip.questionnaires.services import Loaded
from seslip.timeutil import format_datetime, to_local

Format = Literal["csv", "docx", "pdf", "zip"]
FORMATS: tuple[Format, ...] = ("csv", "docx", "pdf", "zip")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
PRINT_CSS = "css/export.css"  # in static/: the print view's stylesheet, for browsers and PDFs


@dataclass(frozen=True, slots=True)
class File:
    """An export ready to send or write: its file name, media type and bytes."""

    name: str
    mimetype: str
    data: bytes


# --- what an export shows ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShownAnswer:
    question_id: str
    label: str
    shown: Shown
    words: str  # e.g. "120 of 250 words" where the question has a word limit, else ""


@dataclass(frozen=True, slots=True)
class ShownSection:
    title: str
    answers: tuple[ShownAnswer, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """One response as Word and PDF show it."""

    title: str
    authority: str
    respondent: str
    status: str
    version: int
    last_change: str
    sections: tuple[ShownSection, ...]

    @property
    def details(self) -> tuple[tuple[str, str], ...]:
        return (
            ("Authority", self.authority or "None"),
            ("Answered by", self.respondent),
            ("Status", self.status),
            ("Version", f"Version {self.version} of the questionnaire"),
            ("Last changed", self.last_change),
        )


def _words(question: Question, raw: Any) -> str:
    kind = type_of(question)
    limit = kind.word_limit(question)
    if limit is None:
        return ""
    return f"{kind.word_count(raw)} of {limit} words"


def document_of(loaded: Loaded) -> Document:
    response, state = loaded.response, loaded.state
    sections = []
    for section in loaded.definition.sections:
        if not state.is_visible(section):
            continue
        answers = []
        for question in state.visible_questions(section):
            raw = _raw(loaded.answers.get(question.id))
            answers.append(ShownAnswer(question.id, question.label,
                                       type_of(question).display(question, raw),
                                       _words(question, raw)))
        sections.append(ShownSection(section.title, tuple(answers)))
    return Document(
        title=loaded.definition.title,
        authority=response.organisation.name if response.organisation else "",
        respondent=response.owner.name,
        status=response.status.label,
        version=response.form_version.version,
        last_change=format_datetime(response.updated_at),
        sections=tuple(sections),
    )


def _raw(answer: Answer | None) -> Any:
    return answer.value if answer is not None else None


# --- who may export what ----------------------------------------------------------------------


def response_file(user: User, response_id: int, fmt: Literal["docx", "pdf"]) -> File:
    """One response as Word or PDF, for whoever may read it."""
    loaded = services.load(services.load_response(user, response_id))
    return File(file_name(loaded.response, fmt), MIMETYPES[fmt],
                to_docx(loaded) if fmt == "docx" else to_pdf(loaded))


def responses_file(actor: User | None, definition_id: str, fmt: Literal["csv", "zip"]) -> File:
    """Every response to one questionnaire as CSV or a zip of Word files: staff only
    (`actor=None`: the command line)."""
    definition, everyone = responses_of(actor, definition_id)
    data = to_csv(definition, everyone) if fmt == "csv" else to_zip(everyone)
    return File(f"{_slug(definition_id)}-responses.{fmt}", MIMETYPES[fmt], data)


def responses_of(actor: User | None, definition_id: str) -> tuple[Definition, list[Loaded]]:
    """The questionnaire (as it is now) and every response to it, loaded with two queries
    whatever their number: the responses (with version, owner, authority) and the answers."""
    if actor is not None:
        require_staff(actor)
    responses = list(db.session.scalars(
        select(Response).where(Response.definition_id == definition_id).order_by(Response.id)
    ).unique())
    answers: dict[int, dict[str, Answer]] = {response.id: {} for response in responses}
    for answer in db.session.scalars(
        select(Answer).join(Response, Response.id == Answer.response_id)
        .where(Response.definition_id == definition_id)
    ).unique():
        if answer.response_id in answers:  # not a response started since the first query
            answers[answer.response_id][answer.question_id] = answer
    everyone = []
    for response in responses:
        definition = services.definition_of(response)
        raw = services.raw_answers(answers[response.id])
        everyone.append(Loaded(response, definition, answers[response.id],
                               FormState(definition, raw)))
    current = next((d for d in services.all_questionnaires() if d.id == definition_id), None)
    if current is None:
        if not everyone:
            raise NotFound("There is no such questionnaire.")
        current = max(everyone, key=lambda loaded: loaded.response.form_version.id).definition
    return current, everyone


# --- Word --------------------------------------------------------------------------------------

# Characters XML 1.0 (and so Word) cannot hold; a vertical tab or form feed pasted from
# another program was meant as a line break.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))


def to_docx(loaded: Loaded) -> bytes:
    import docx  # imported here: only exports need it, and it is slow to import

    document = document_of(loaded)
    word = docx.Document()
    word.core_properties.title = _xml_text(document.title)[:255]
    word.add_heading(_xml_text(document.title), level=0)
    for label, value in document.details:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_xml_text(value))
    for section in document.sections:
        word.add_heading(_xml_text(section.title), level=1)
        for answer in section.answers:
            word.add_heading(_xml_text(answer.label), level=2)
            _add_answer(word, answer.shown)
            if answer.words:
                word.add_paragraph().add_run(answer.words).italic = True
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _add_answer(word: Any, shown: Shown) -> None:
    if shown.empty:
        word.add_paragraph().add_run("Not answered").italic = True
    elif shown.rows:
        for number, row in enumerate(shown.rows, 1):
            paragraph = word.add_paragraph()
            paragraph.add_run(f"{number}. ").bold = True
            for index, (label, text) in enumerate(row):
                if index:
                    paragraph.add_run().add_break()
                paragraph.add_run(f"{_xml_text(label)}: ").bold = True
                paragraph.add_run(_xml_text(text))
    else:
        # A run's text turns each "\n" into a line break, so the answer keeps its lines.
        word.add_paragraph(_xml_text(shown.text if shown.text is not None
                                     else "\n".join(shown.lines)))


# --- PDF ---------------------------------------------------------------------------------------


def print_html(loaded: Loaded, *, for_pdf: bool = False) -> str:
    """The print view of a response: its content only (no navigation, no guidance)."""
    return render_template("questionnaires/print.html", document=document_of(loaded),
                           for_pdf=for_pdf)


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The print view links nothing: its stylesheet is handed over below. Refusing every URL
    # means no answer or label can make the server fetch anything.
    raise ValueError(f"The print view does not load {url}")


class PdfUnavailable(ServiceError):
    """The server lacks the system libraries WeasyPrint needs (scripts/system-packages)."""


def to_pdf(loaded: Loaded) -> bytes:
    try:
        import weasyprint  # imported here: only PDFs need it, and it is slow to import
    except (OSError, ImportError) as error:  # no Pango (or no WeasyPrint): say so
        current_app.logger.error("PDF exports are unavailable: %s", error)
        raise PdfUnavailable("PDF files cannot be made on this server at the moment. "
                             "Download the Word file instead, and please tell the "
                             "programme team.") from None

    static = Path(current_app.static_folder or "static")
    css = weasyprint.CSS(string=(static / PRINT_CSS).read_text(encoding="utf-8"),
                         url_fetcher=_no_fetching)
    html = weasyprint.HTML(string=print_html(loaded, for_pdf=True), url_fetcher=_no_fetching)
    return html.write_pdf(stylesheets=[css])


# --- CSV and zip -------------------------------------------------------------------------------

DETAIL_COLUMNS = ("response", "authority", "respondent", "status", "version", "last change")
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """`text` as a spreadsheet will show it, never run it: a leading `'` disarms a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def question_ids(current: Definition, everyone: Iterable[Loaded]) -> list[str]:
    """The columns: the current version's questions in form order, then any question only an
    older version has (its answers are kept, so they are exported too)."""
    ids = list(current.questions)
    seen = set(ids)
    for loaded in sorted(everyone, key=lambda loaded: -loaded.response.form_version.id):
        for question_id in loaded.definition.questions:
            if question_id not in seen:
                seen.add(question_id)
                ids.append(question_id)
    return ids


def _cell(loaded: Loaded, question_id: str) -> str:
    question = loaded.definition.questions.get(question_id)
    if question is None or not loaded.state.is_visible(question):  # includes its section's
        return ""
    return type_of(question).display(question, _raw(loaded.answers.get(question_id))).plain()


def to_csv(current: Definition, everyone: list[Loaded]) -> bytes:
    """One row per response, one column per question id. UTF-8 with a byte-order mark, so
    spreadsheets read non-ASCII text right; a cell keeps its answer's line breaks (quoted)."""
    ids = question_ids(current, everyone)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*DETAIL_COLUMNS, *ids])
    for loaded in everyone:
        response = loaded.response
        moment = to_local(response.updated_at)
        details = [
            str(response.id),
            response.organisation.name if response.organisation else "",
            response.owner.name,
            response.status.label,
            str(response.form_version.version),
            f"{moment:%Y-%m-%d %H:%M}" if moment else "",
        ]
        writer.writerow([safe_cell(text) for text in
                         [*details, *(_cell(loaded, qid) for qid in ids)]])
    return out.getvalue().encode("utf-8-sig")


def to_zip(everyone: list[Loaded]) -> bytes:
    """One Word file per response."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for loaded in everyone:
            archive.writestr(file_name(loaded.response, "docx"), to_docx(loaded))
    return out.getvalue()


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def file_name(response: Response, fmt: str) -> str:
    """E.g. `12-kent-county-council-lena-lead.docx`: the id keeps names apart in a zip."""
    parts = [str(response.id)]
    if response.organisation:
        parts.append(_slug(response.organisation.name))
    parts.append(_slug(response.owner.name))
    return f"{'-'.join(parts)}.{fmt}"
