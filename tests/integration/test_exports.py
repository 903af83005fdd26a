"""Exports of responses (Word, PDF, CSV, zip of Word files), opened and read back, on SQLite and
PostgreSQL; from the pages and from `seslip export-responses`."""

from __future__ import annotations

import csv
import io
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from flask import Flask

from seslip.accounts.models import OrgRole
from seslip.questionnaires.exports import safe_cell
from tests.integration.test_questionnaires import Person, use_definitions
from tests.support.factories import (
    make_admin,
    make_organisation,
    make_programme_manager,
    make_user,
)

DEFINITION = textwrap.dedent("""\
    id: export-test
    version: 1
    title: "Export test: the “Año” review"
    sections:
      - id: about
        title: About your authority
        items:
          - type: guidance
            text: GUIDANCE-NOT-EXPORTED
          - id: summary
            type: long_text
            label: Your summary
            hint: HINT-NOT-EXPORTED
            max_words: 50
          - id: formula
            type: short_text
            label: A formula-looking answer
          - id: partners
            type: multiple_choice
            label: Partners
            options:
              - value: health
                label: Health
              - value: schools
                label: Schools and colleges
          - id: has_plan
            type: yes_no
            label: Is there a plan?
          - id: plan_details
            type: long_text
            label: Plan details
            visible_if: "has_plan == 'yes'"
      - id: evidence
        title: Evidence
        items:
          - id: links
            type: repeatable
            label: Links
            item_label: Link
            fields:
              - id: title
                type: short_text
                label: Title
              - id: url
                type: url
                label: Web address
    """)

SUMMARY = "Première ligne: “quoted”, 'single', \"double\"\nSecond line – Ørsted, Ŵyn, αβγ, Привіт"
FORMULA = '=HYPERLINK("https://evil.example","click")'
ANSWERS = {
    "summary": {"summary": SUMMARY},
    "formula": {"formula": FORMULA},
    "partners": {"partners": ["health", "schools"]},
    "has_plan": {"has_plan": "no"},
    "plan_details": {"plan_details": "HIDDEN-ANSWER-NOT-EXPORTED"},
    "links": {"links-0-title": "@Plan", "links-0-url": "https://example.org/plan",
              "links-1-title": "-Budget", "links-1-url": "https://example.org/budget"},
}


@pytest.fixture
def filled(app: Flask, tmp_path: Path) -> tuple[Person, int]:
    use_definitions(app, tmp_path, {"export-test.yaml": DEFINITION})
    person = Person(app, make_user("zoe@example.org", name="Zoë “Zed” O’Neill",
                                   organisation=make_organisation("Kent County Council"),
                                   org_role=OrgRole.LEAD_MEMBER))
    response_id = person.start("export-test")
    # plan_details is answered while shown, then hidden by the answer "no".
    assert person.autosave(response_id, "has_plan", {"has_plan": "yes"}).status_code == 200
    for question_id, data in ANSWERS.items():
        revision = 1 if question_id == "has_plan" else 0
        result = person.autosave(response_id, question_id, data, revision)
        assert result.status_code == 200, (question_id, result.text)
    return person, response_id


def docx_text(data: bytes) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_word_has_title_details_sections_answers_and_word_counts(
        filled: tuple[Person, int]) -> None:
    person, response_id = filled
    result = person.get(f"/questionnaires/responses/{response_id}/export.docx")
    assert result.status_code == 200
    assert result.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in result.headers["Content-Disposition"]
    assert f"{response_id}-kent-county-council-zoe-zed-oneill.docx" in result.headers[
        "Content-Disposition"]
    word = docx.Document(io.BytesIO(result.data))
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name != "Normal"]
    assert headings == [
        ("Title", "Export test: the “Año” review"),
        ("Heading 1", "About your authority"),
        ("Heading 2", "Your summary"),
        ("Heading 2", "A formula-looking answer"),
        ("Heading 2", "Partners"),
        ("Heading 2", "Is there a plan?"),
        ("Heading 1", "Evidence"),
        ("Heading 2", "Links"),
    ]
    text = docx_text(result.data)
    for line in ["Authority: Kent County Council", "Answered by: Zoë “Zed” O’Neill",
                 "Status: Draft", "Version: Version 1 of the questionnaire",
                 SUMMARY, "11 of 50 words", FORMULA, "Health\nSchools and colleges", "No",
                 "1. Title: @Plan\nWeb address: https://example.org/plan",
                 "2. Title: -Budget\nWeb address: https://example.org/budget"]:
        assert line in text, line
    everything = "\n".join(text)
    assert "GUIDANCE-NOT-EXPORTED" not in everything and "HINT-NOT-EXPORTED" not in everything
    assert "HIDDEN-ANSWER-NOT-EXPORTED" not in everything
    assert "Plan details" not in everything


def test_pdf_is_the_print_view_with_every_answer(filled: tuple[Person, int]) -> None:
    person, response_id = filled
    result = person.get(f"/questionnaires/responses/{response_id}/export.pdf")
    assert result.status_code == 200 and result.mimetype == "application/pdf"
    text = pdf_text(result.data)
    for part in ["Export test: the “Año” review", "Kent County Council", "Zoë “Zed” O’Neill",
                 "About your authority", "Your summary", *SUMMARY.split("\n"),
                 "11 of 50 words", FORMULA, "Health", "Schools and colleges", "Evidence",
                 "Title: @Plan", "https://example.org/budget", "Page 1 of 1"]:
        assert part in text, part
    # The answer's line break is kept: its two lines are two lines of the PDF.
    first, second = SUMMARY.split("\n")
    assert f"{first}\n{second}" in text
    assert "GUIDANCE-NOT-EXPORTED" not in text and "HIDDEN-ANSWER-NOT-EXPORTED" not in text


def test_csv_has_a_row_per_response_and_a_column_per_question(
        app: Flask, filled: tuple[Person, int]) -> None:
    _, response_id = filled
    other = Person(app, make_user(name="+Plus Person", organisation=make_organisation(
        "Medway Council"), org_role=OrgRole.LEAD_MEMBER))
    other_id = other.start("export-test")
    manager = Person(app, make_programme_manager())
    result = manager.get("/questionnaires/export-test/responses.csv")
    assert result.status_code == 200 and result.mimetype == "text/csv"
    assert "export-test-responses.csv" in result.headers["Content-Disposition"]
    assert result.data.startswith(b"\xef\xbb\xbf")  # spreadsheets then read UTF-8
    rows = list(csv.DictReader(io.StringIO(result.data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["response", "authority", "respondent", "status", "version",
                             "last change", "summary", "formula", "partners", "has_plan",
                             "plan_details", "links"]
    assert [row["response"] for row in rows] == [str(response_id), str(other_id)]
    first = rows[0]
    assert first["authority"] == "Kent County Council"
    assert first["respondent"] == "Zoë “Zed” O’Neill"
    assert (first["status"], first["version"]) == ("Draft", "1")
    assert len(first["last change"]) == len("2026-12-03 11:08")
    assert first["summary"] == SUMMARY
    assert first["formula"] == "'" + FORMULA
    assert first["partners"] == "Health\nSchools and colleges"
    assert first["has_plan"] == "No"
    assert first["plan_details"] == ""  # hidden by the answer "No", as on the page
    assert first["links"] == ("Title: @Plan; Web address: https://example.org/plan\n"
                              "Title: -Budget; Web address: https://example.org/budget")
    second = rows[1]
    assert second["respondent"] == "'+Plus Person"
    assert second["authority"] == "Medway Council" and second["summary"] == ""


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_is_disarmed(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert safe_cell("Plain – text = fine") == "Plain – text = fine"


def test_zip_holds_a_word_file_per_response(app: Flask, filled: tuple[Person, int]) -> None:
    _, response_id = filled
    other = Person(app, make_user(name="Sam Smith", organisation=make_organisation(
        "Medway Council"), org_role=OrgRole.LEAD_MEMBER))
    other_id = other.start("export-test")
    assert other.autosave(other_id, "summary", {"summary": "Ça va\nbien"}).status_code == 200
    admin = Person(app, make_admin())
    result = admin.get("/questionnaires/export-test/responses.zip")
    assert result.status_code == 200 and result.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(result.data))
    assert archive.namelist() == [f"{response_id}-kent-county-council-zoe-zed-oneill.docx",
                                  f"{other_id}-medway-council-sam-smith.docx"]
    assert SUMMARY in docx_text(archive.read(archive.namelist()[0]))
    assert "Ça va\nbien" in docx_text(archive.read(archive.namelist()[1]))


def test_control_characters_pasted_into_an_answer_do_not_break_word(
        app: Flask, filled: tuple[Person, int]) -> None:
    person, response_id = filled
    pasted = "Line one\x0bline two\x01\x1f end"
    assert person.autosave(response_id, "summary", {"summary": pasted}, 1).status_code == 200
    result = person.get(f"/questionnaires/responses/{response_id}/export.docx")
    assert result.status_code == 200
    assert "Line one\nline two end" in docx_text(result.data)
    assert person.get(f"/questionnaires/responses/{response_id}/export.pdf").status_code == 200


def test_the_pages_link_to_the_exports(app: Flask, filled: tuple[Person, int]) -> None:
    person, response_id = filled
    page = person.get(f"/questionnaires/responses/{response_id}").text
    assert f'href="/questionnaires/responses/{response_id}/export.docx"' in page
    assert f'href="/questionnaires/responses/{response_id}/export.pdf"' in page
    assert "responses.csv" not in person.get("/questionnaires/").text
    manager = Person(app, make_programme_manager())
    index = manager.get("/questionnaires/").text
    assert 'href="/questionnaires/export-test/responses.csv"' in index
    assert 'href="/questionnaires/export-test/responses.zip"' in index
    view = manager.get(f"/questionnaires/responses/{response_id}").text
    assert f'href="/questionnaires/responses/{response_id}/export.pdf"' in view


def test_someone_else_gets_no_file(app: Flask, filled: tuple[Person, int]) -> None:
    person, response_id = filled
    stranger = Person(app, make_user(org_role=OrgRole.LEAD_MEMBER))
    for path in (f"/questionnaires/responses/{response_id}/export.docx",
                 f"/questionnaires/responses/{response_id}/export.pdf",
                 "/questionnaires/export-test/responses.csv",
                 "/questionnaires/export-test/responses.zip"):
        result = stranger.get(path)
        assert result.status_code == 403, path
        assert SUMMARY.split("\n")[0] not in result.text
    # The owner reads their own answers, not everyone's.
    assert person.get("/questionnaires/export-test/responses.csv").status_code == 403
    manager = Person(app, make_programme_manager())
    assert manager.get("/questionnaires/no-such-thing/responses.csv").status_code == 404


# --- the command line -------------------------------------------------------------------------


def test_the_command_writes_each_format(runner: Any, tmp_path: Path,
                                        filled: tuple[Person, int]) -> None:
    _, response_id = filled
    name = f"{response_id}-kent-county-council-zoe-zed-oneill"
    out = tmp_path / "out"
    for fmt, target in [("csv", out / "all.csv"), ("zip", out / "all.zip"),
                        ("docx", out / "word"), ("pdf", out / "pdf")]:
        out.mkdir(exist_ok=True)
        result = runner.invoke(args=["seslip", "export-responses", "export-test", "--format", fmt,
                                     "--output", str(target)])
        assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((out / "all.csv").read_text("utf-8-sig"))))
    assert [row["summary"] for row in rows] == [SUMMARY]
    assert zipfile.ZipFile(out / "all.zip").namelist() == [f"{name}.docx"]
    assert SUMMARY in docx_text((out / "word" / f"{name}.docx").read_bytes())
    assert FORMULA in pdf_text((out / "pdf" / f"{name}.pdf").read_bytes())


def test_the_command_says_when_there_is_no_such_questionnaire(runner: Any,
                                                              tmp_path: Path) -> None:
    result = runner.invoke(args=["seslip", "export-responses", "nope", "--format", "csv",
                                 "--output", str(tmp_path / "x.csv")])
    assert result.exit_code == 1
    assert "There is no such questionnaire. (nope)" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_without_weasyprint_the_pdf_link_says_so_and_offers_word(
        filled: tuple[Person, int], monkeypatch: pytest.MonkeyPatch) -> None:
    person, response_id = filled
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as when Pango cannot be loaded
    result = person.get(f"/questionnaires/responses/{response_id}/export.pdf")
    assert result.status_code == 302
    assert result.headers["Location"] == f"/questionnaires/responses/{response_id}"
    page = person.get(result.headers["Location"]).text
    assert "PDF files cannot be made on this server at the moment." in page


def test_csv_keeps_the_answers_of_questions_only_an_older_version_has(
        app: Flask, tmp_path: Path, filled: tuple[Person, int]) -> None:
    _, first_id = filled
    # Version 2 drops "formula" and adds "contact": the older response's formula answer is kept.
    changed = DEFINITION.replace("version: 1", "version: 2").replace(
        "id: formula", "id: contact").replace("A formula-looking answer", "Who to contact")
    (tmp_path / "definitions" / "export-test.yaml").write_text(changed)
    later = Person(app, make_user(name="Ann Later", org_role=OrgRole.LEAD_MEMBER))
    later_id = later.start("export-test")
    assert later.autosave(later_id, "contact", {"contact": "Ann, 01632 960000"}).status_code == 200
    result = Person(app, make_admin()).get("/questionnaires/export-test/responses.csv")
    rows = list(csv.DictReader(io.StringIO(result.data.decode("utf-8-sig"))))
    assert list(rows[0])[6:] == ["summary", "contact", "partners", "has_plan", "plan_details",
                                 "links", "formula"]
    assert [(row["response"], row["version"], row["contact"], row["formula"]) for row in rows] == [
        (str(first_id), "1", "", "'" + FORMULA), (str(later_id), "2", "Ann, 01632 960000", "")]
    assert rows[1]["authority"] == ""


def test_exporting_everyone_takes_the_same_queries_for_one_or_many(
        app: Flask, filled: tuple[Person, int], query_counter: Any) -> None:
    admin = Person(app, make_admin())

    def queries() -> int:
        admin.get("/questionnaires/export-test/responses.csv")  # warm the definition cache
        with query_counter.count() as counter:
            assert admin.get("/questionnaires/export-test/responses.csv").status_code == 200
        return counter.total

    one = queries()
    for n in range(3):
        other = Person(app, make_user(organisation=make_organisation(f"Council {n}"),
                                      org_role=OrgRole.LEAD_MEMBER))
        other.autosave(other.start("export-test"), "summary", {"summary": f"Answer {n}"})
    # The signed-in person and session, the responses (owner, authority, version joined), and
    # every answer.
    assert (one, queries()) == (3, 3)
