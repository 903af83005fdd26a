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
from seslip.library import services as library
from seslip.permissions import require_staff
from seslip.questionnaires import services, versions
from seslip.questionnaires.models import Answer, Response
from seslip.questionnaires.services import Loaded
from seslip.questionnaires.versions import EARLIER_HEADING, EarlierAnswer
from seslip.timeutil import format_datetime, to_local

Format = Literal["csv", "docx", "pdf", "zip"]
FORMATS: tuple[Format, ...] = ("csv", "docx", "pdf", "zip")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
EARLIER_NOTE = ("These questions are no longer asked. The answers given to them are kept and "
                "shown here, read-only.")
# In static/: the one print stylesheet, for the browser printing any page and for PDFs.
PRINT_CSS = "css/print.css"


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
    # Answers to questions this version no longer asks, kept read-only (as on the page).
    earlier: tuple[ShownAnswer, ...] = ()
    earlier_heading: str = EARLIER_HEADING

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


def document_of(loaded: Loaded, earlier: Iterable[EarlierAnswer] = ()) -> Document:
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
        earlier=tuple(ShownAnswer(item.question.id,
                                  f"{item.question.label} (version {item.version})",
                                  type_of(item.question).display(item.question, item.answer.value),
                                  "") for item in earlier),
    )


def _raw(answer: Answer | None) -> Any:
    return answer.value if answer is not None else None


# --- who may export what ----------------------------------------------------------------------


def response_file(user: User, response_id: int, fmt: Literal["docx", "pdf"]) -> File:
    """One response as Word or PDF, for whoever may read it."""
    loaded = services.load(services.load_response(user, response_id))
    document = document_of(loaded, versions.earlier_answers(loaded))
    return File(file_name(loaded.response, fmt), MIMETYPES[fmt],
                to_docx(document) if fmt == "docx" else to_pdf(document))


def responses_file(actor: User | None, definition_id: str, fmt: Literal["csv", "zip"]) -> File:
    """Every response to one questionnaire as CSV or a zip of Word files: staff only
    (`actor=None`: the command line)."""
    definition, everyone = responses_of(actor, definition_id)
    earlier = versions.earlier_answers_of(everyone)
    data = to_csv(definition, everyone, earlier) if fmt == "csv" else to_zip(everyone, earlier)
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
    current = library.current_definition(definition_id)
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


def to_docx(document: Document) -> bytes:
    import docx  # imported here: only exports need it, and it is slow to import

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
    if document.earlier:
        word.add_heading(document.earlier_heading, level=1)
        word.add_paragraph(EARLIER_NOTE)
        for answer in document.earlier:
            word.add_heading(_xml_text(answer.label), level=2)
            _add_answer(word, answer.shown)
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


def print_html(document: Document, *, for_pdf: bool = False) -> str:
    """The print view of a response: its content only (no navigation, no guidance)."""
    return render_template("questionnaires/print.html", document=document, for_pdf=for_pdf,
                           earlier_note=EARLIER_NOTE)


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The print view links nothing: its stylesheet is handed over below. Refusing every URL
    # means no answer or label can make the server fetch anything.
    raise ValueError(f"The print view does not load {url}")


class PdfUnavailable(ServiceError):
    """The server lacks the system libraries WeasyPrint needs (scripts/system-packages)."""


def to_pdf(document: Document) -> bytes:
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
    html = weasyprint.HTML(string=print_html(document, for_pdf=True), url_fetcher=_no_fetching)
    return html.write_pdf(stylesheets=[css])


# --- CSV and zip -------------------------------------------------------------------------------

DETAIL_COLUMNS = ("response", "authority", "respondent", "status", "version", "last change")
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """`text` as a spreadsheet will show it, never run it: a leading `'` disarms a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


Earlier = dict[int, list[EarlierAnswer]]  # by response id: versions.earlier_answers_of


def question_ids(current: Definition, everyone: Iterable[Loaded],
                 earlier: Earlier | None = None) -> list[str]:
    """The columns: the current version's questions in form order, then any question only an
    older version has (its answers are kept, so they are exported too), then the questions
    of answers kept from an earlier version."""
    ids = list(current.questions)
    seen = set(ids)
    for loaded in sorted(everyone, key=lambda loaded: -loaded.response.form_version.id):
        for question_id in loaded.definition.questions:
            if question_id not in seen:
                seen.add(question_id)
                ids.append(question_id)
    for question_id in sorted({item.question.id for items in (earlier or {}).values()
                               for item in items} - seen):
        ids.append(question_id)
    return ids


def _cell(loaded: Loaded, question_id: str, earlier: list[EarlierAnswer]) -> str:
    question = loaded.definition.questions.get(question_id)
    if question is None:  # maybe an answer kept from an earlier version
        for item in earlier:
            if item.question.id == question_id:
                return type_of(item.question).display(item.question, item.answer.value).plain()
        return ""
    if not loaded.state.is_visible(question):  # includes its section's
        return ""
    return type_of(question).display(question, _raw(loaded.answers.get(question_id))).plain()


def to_csv(current: Definition, everyone: list[Loaded], earlier: Earlier | None = None) -> bytes:
    """One row per response, one column per question id. UTF-8 with a byte-order mark, so
    spreadsheets read non-ASCII text right; a cell keeps its answer's line breaks (quoted).
    An answer kept from an earlier version is in its question's column."""
    earlier = earlier or {}
    ids = question_ids(current, everyone, earlier)
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
                         [*details, *(_cell(loaded, qid, earlier.get(response.id, []))
                                      for qid in ids)]])
    return out.getvalue().encode("utf-8-sig")


def to_zip(everyone: list[Loaded], earlier: Earlier | None = None) -> bytes:
    """One Word file per response."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for loaded in everyone:
            document = document_of(loaded, (earlier or {}).get(loaded.response.id, []))
            archive.writestr(file_name(loaded.response, "docx"), to_docx(document))
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
