"""A definition changes under half-filled responses: drafts move to the new version when next
opened (or all at once by staff), every answer is kept, and the new rules apply. Finalised
responses stay on their version. On SQLite and PostgreSQL."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from seslip.audit.models import AuditEvent
from seslip.extensions import db
from seslip.library.services import sync
from seslip.questionnaires.models import (
    Answer,
    AnswerRevision,
    FormVersion,
    Response,
    ResponseMove,
)
from tests.integration.test_questionnaires import Person, use_definitions
from tests.support.factories import make_admin, make_organisation, make_user

DATA = Path(__file__).resolve().parents[1] / "data" / "carry"
V1 = (DATA / "v1.yaml").read_text()
V2 = (DATA / "v2.yaml").read_text()
AMBITION = "Every child in the county thrives at school"  # 8 words: over v2's limit of 5
HALF = {"name": "Jo Bloggs", "role": "officer", "ambition": AMBITION, "hobby": "Walking",
        "notes": "Ask me about the budget"}
EARLIER = "From an earlier version of this questionnaire"


@pytest.fixture
def folder(app: Flask, tmp_path: Path) -> Path:
    return use_definitions(app, tmp_path, {"carry-test.yaml": V1})


@pytest.fixture
def jo(app: Flask, folder: Path) -> Person:
    authority = make_organisation("East Sussex County Council")
    return Person(app, make_user("jo@example.org", name="Jo Bloggs", organisation=authority))


def half_fill(person: Person) -> int:
    response_id = person.start("carry-test")
    for question_id, value in HALF.items():
        saved = person.autosave(response_id, question_id, {question_id: value})
        assert saved.status_code == 200, saved.text
    return response_id


def publish_v2(folder: Path) -> None:
    (folder / "carry-test.yaml").write_text(V2)
    sync(None, folder)  # the library publishes the file's new version


def rows(response_id: int) -> dict[str, Answer]:
    found = db.session.scalars(select(Answer).where(Answer.response_id == response_id))
    return {answer.question_id: answer for answer in found.unique()}


def revisions(response_id: int) -> list[tuple[str, int, Any]]:
    found = db.session.execute(select(
        AnswerRevision.question_id, AnswerRevision.revision, AnswerRevision.value).where(
        AnswerRevision.response_id == response_id).order_by(AnswerRevision.id))
    return [tuple(row) for row in found]


def text_of(page: Any) -> str:
    return html.unescape(page.text)


def test_a_draft_moves_when_opened_and_keeps_every_answer(jo: Person, folder: Path) -> None:
    response_id = half_fill(jo)
    history_before = revisions(response_id)
    publish_v2(folder)
    db.session.expire_all()
    assert db.session.get(Response, response_id).form_version.version == 1  # until opened

    page = jo.get(f"/questionnaires/responses/{response_id}")
    assert page.status_code == 200
    text = text_of(page)
    assert "version 1 → 2" in text and "Your answers have been carried across" in text
    assert "About you and your role" in text  # the renamed section
    db.session.expire_all()
    response = db.session.get(Response, response_id)
    assert response.form_version.version == 2

    # Every answer is still stored as it was typed, with its history; nothing was rewritten.
    stored = rows(response_id)
    assert {qid: stored[qid].value for qid in HALF} == HALF
    assert revisions(response_id)[:len(history_before)] == history_before
    # The renamed question has its own copy (revision 1), pointing at the original row.
    assert stored["full_name"].value == "Jo Bloggs" and stored["full_name"].revision == 1
    assert stored["full_name"].carried_from_id == stored["name"].id
    assert ("full_name", 1, "Jo Bloggs") in revisions(response_id)
    # No answer for the question renamed without renamed_from: 'hobby' stays behind.
    assert "interest" not in stored

    # Answers to removed questions are shown read-only on the response and check pages.
    for path in ("", "/check"):
        shown = text_of(jo.get(f"/questionnaires/responses/{response_id}{path}"))
        earlier = shown.split(EARLIER, 1)[1]
        assert "Your hobby" in earlier and "Walking" in earlier
        assert "Anything else" in earlier and "Ask me about the budget" in earlier
        assert "Jo Bloggs" not in earlier  # carried, so not shown as left behind

    [move] = db.session.scalars(select(ResponseMove)).all()
    assert (move.from_version.version, move.to_version.version) == (1, 2)
    assert move.carried["renamed"] == {"name": "full_name"}
    assert move.carried["read_only"] == ["hobby", "notes"]
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "move")).all()
    assert event.actor_id == jo.user.id and event.entity_id == str(response_id)
    assert "from version 1 to version 2" in event.summary
    assert event.changes["version"] == [1, 2]


def test_the_new_rules_apply_after_the_move(jo: Person, folder: Path) -> None:
    response_id = half_fill(jo)
    publish_v2(folder)
    moved = text_of(jo.get(f"/questionnaires/responses/{response_id}"))
    # The owner is told what needs a look.
    assert "The word limit is now 5 words and this answer has 8 (3 too many)." in moved
    assert "‘officer’ is no longer one of the options" in moved
    assert "New questions to answer: “Your top priority”." in moved

    section = text_of(jo.get(f"/questionnaires/responses/{response_id}/sections/about_you"))
    assert 'value="Jo Bloggs"' in section and "Your full name" in section
    assert AMBITION in section

    check = text_of(jo.get(f"/questionnaires/responses/{response_id}/check"))
    assert "Your top priority: This question needs an answer." in check
    assert "Your answer must be 5 words or fewer. You have 8 words (3 too many)." in check
    assert "'officer' is not one of the options." in check
    assert "Your interests" in check  # new, and simply not answered

    finalise = jo.client.post(f"/questionnaires/responses/{response_id}/finalise",
                              data={"csrf_token": jo.token})
    assert finalise.status_code == 422

    # The renamed answer saves on from its carried revision; the original row is untouched.
    assert jo.autosave(response_id, "full_name", {"full_name": "Jo Anne Bloggs"},
                       1).status_code == 200
    assert jo.autosave(response_id, "role", {"role": "council_officer"},
                       1).status_code == 200
    assert jo.autosave(response_id, "ambition", {"ambition": "Every child thrives"},
                       1).status_code == 200
    assert jo.autosave(response_id, "priority", {"priority": "Care leavers"}).status_code == 200
    finalise = jo.client.post(f"/questionnaires/responses/{response_id}/finalise",
                              data={"csrf_token": jo.token})
    assert finalise.status_code == 302, text_of(finalise)
    db.session.expire_all()
    stored = rows(response_id)
    assert stored["name"].value == "Jo Bloggs" and stored["full_name"].value == "Jo Anne Bloggs"
    assert stored["role"].value == "council_officer"
    assert stored["hobby"].value == "Walking" and stored["notes"].value == HALF["notes"]
    view = text_of(jo.get(f"/questionnaires/responses/{response_id}"))
    assert EARLIER in view and "Walking" in view.split(EARLIER, 1)[1]


def test_a_finalised_response_stays_on_its_version(app: Flask, jo: Person,
                                                   folder: Path) -> None:
    response_id = half_fill(jo)
    finalised = jo.client.post(f"/questionnaires/responses/{response_id}/finalise",
                               data={"csrf_token": jo.token})
    assert finalised.status_code == 302
    publish_v2(folder)
    page = text_of(jo.get(f"/questionnaires/responses/{response_id}"))
    assert "Your name" in page and "Your hobby" in page and "Walking" in page
    assert EARLIER not in page and "carried across" not in page
    admin = Person(app, make_admin())
    moved = admin.client.post("/admin/questionnaires/carry-test/move-drafts",
                              data={"csrf_token": admin.token}, follow_redirects=True)
    assert "Every draft is on the newest version already." in text_of(moved)
    db.session.expire_all()
    assert db.session.get(Response, response_id).form_version.version == 1
    assert db.session.scalars(select(ResponseMove)).all() == []


def test_staff_looking_at_a_draft_move_nothing(app: Flask, jo: Person, folder: Path) -> None:
    response_id = half_fill(jo)
    publish_v2(folder)
    admin = Person(app, make_admin())
    page = text_of(admin.get(f"/questionnaires/responses/{response_id}"))
    assert "Your name" in page and "carried across" not in page
    db.session.expire_all()
    assert db.session.get(Response, response_id).form_version.version == 1


def test_staff_move_every_draft_at_once(app: Flask, jo: Person, folder: Path) -> None:
    first = half_fill(jo)
    other = Person(app, make_user("sam@example.org", name="Sam Smith",
                                  organisation=make_organisation("Kent County Council")))
    second = other.start("carry-test")
    assert other.autosave(second, "plans", {"plans": "A new strategy"}).status_code == 200
    publish_v2(folder)
    admin = Person(app, make_admin())
    before = text_of(admin.get("/admin/questionnaires/carry-test/publish-effect"))
    assert "Move 2 drafts to version 2" in before
    moved = admin.client.post("/admin/questionnaires/carry-test/move-drafts",
                              data={"csrf_token": admin.token}, follow_redirects=True)
    assert "Moved 2 drafts to the newest version." in text_of(moved)
    db.session.expire_all()
    assert [db.session.get(Response, rid).form_version.version for rid in (first, second)] \
        == [2, 2]
    assert rows(second)["plans"].value == "A new strategy"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "move")).all()
    assert {event.actor_id for event in events} == {admin.user.id} and len(events) == 2
    # Opening it afterwards moves nothing again.
    assert "carried across" not in text_of(jo.get(f"/questionnaires/responses/{first}"))
    assert len(db.session.scalars(select(ResponseMove)).all()) == 2


def test_a_file_changed_without_a_new_version_number_moves_nothing(jo: Person,
                                                                   folder: Path) -> None:
    response_id = half_fill(jo)
    (folder / "carry-test.yaml").write_text(V2.replace("version: 2", "version: 1"))
    sync(None, folder)  # refused: version 1 already names another text
    page = text_of(jo.get(f"/questionnaires/responses/{response_id}"))
    assert "Your name" not in page or "carried across" not in page
    db.session.expire_all()
    assert db.session.get(Response, response_id).form_version.version == 1
    assert db.session.scalars(select(FormVersion)).all()[0].version == 1
    assert len(db.session.scalars(select(FormVersion)).all()) == 1


def test_an_old_section_address_after_the_move_goes_to_the_task_list(jo: Person,
                                                                      folder: Path) -> None:
    response_id = half_fill(jo)
    publish_v2(folder)
    opened = jo.get(f"/questionnaires/responses/{response_id}/sections/about")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/questionnaires/responses/{response_id}")


def test_renames_are_followed_through_stored_versions_in_between(app: Flask, jo: Person,
                                                                 folder: Path) -> None:
    response_id = half_fill(jo)
    # Someone else opens version 2, so it is stored; then version 3 renames full_name again.
    other = Person(app, make_user("sam@example.org", name="Sam Smith"))
    publish_v2(folder)
    other.start("carry-test")
    v3 = V2.replace("version: 2", "version: 3").replace(
        "{id: full_name, type: short_text, label: Your full name, renamed_from: name}",
        "{id: your_name, type: short_text, label: Your name, renamed_from: full_name}")
    (folder / "carry-test.yaml").write_text(v3)
    sync(None, folder)
    jo.get(f"/questionnaires/responses/{response_id}")
    db.session.expire_all()
    stored = rows(response_id)
    assert stored["your_name"].value == "Jo Bloggs"
    assert stored["your_name"].carried_from_id == stored["name"].id


# --- before publishing ---------------------------------------------------------------------------


def test_the_effect_of_a_candidate_version(app: Flask, jo: Person) -> None:
    half_fill(jo)
    admin = Person(app, make_admin())
    shown = admin.client.post("/admin/questionnaires/carry-test/publish-effect",
                              data={"csrf_token": admin.token, "source": V2})
    assert shown.status_code == 200
    text = text_of(shown)
    assert "What publishing version 2 changes" in text
    assert "1 response in progress; 1 is on an older version" in text
    assert "2 answers to questions that keep their id move across unchanged." in text
    assert "“Your full name” (full_name, renamed from name): 1 answer follow it." in text
    effect = text.split("Answers that become read-only", 1)[1]
    assert "“Your hobby” (hobby): 1 answer" in effect and "“Anything else” (notes)" in effect
    assert "“Your top priority” (priority)" in text.split("New questions", 1)[1]
    assert "Questions now required" in text
    tightened = text.split("Word limits tightened", 1)[1]
    assert "100 words → 5 words; 1 answer now over the limit" in tightened
    assert "Jo Bloggs, East Sussex County Council: The word limit is now 5 words" in tightened
    assert "‘officer’; 1 answer chose it" in text
    # The same through htmx: only the fragment comes back.
    fragment = admin.client.post("/admin/questionnaires/carry-test/publish-effect",
                                 data={"source": V2},
                                 headers={"X-CSRFToken": admin.token, "HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'id="publish-effect"' in fragment.text
    # Working it out changed nothing.
    assert db.session.scalars(select(ResponseMove)).all() == []


def test_a_broken_candidate_gets_the_checkers_messages_and_keeps_the_text(app: Flask,
                                                                         jo: Person) -> None:
    admin = Person(app, make_admin())
    broken = V2.replace("renamed_from: name", "renamed_from: role")
    shown = admin.client.post("/admin/questionnaires/carry-test/publish-effect",
                              data={"csrf_token": admin.token, "source": broken})
    assert shown.status_code == 422
    text = text_of(shown)
    assert ("carry-test.yaml:11:80: renamed_from of question 'full_name' names 'role', but "
            "that question is still in this file (line 12)") in text
    assert "renamed_from: role" in text  # the text is still in the box


def test_members_cannot_see_the_effect_or_move_drafts(jo: Person) -> None:
    assert jo.get("/admin/questionnaires/carry-test/publish-effect").status_code == 403
    moved = jo.client.post("/admin/questionnaires/carry-test/move-drafts",
                           data={"csrf_token": jo.token})
    assert moved.status_code == 403


def test_with_no_older_version_the_effect_says_nothing_moves(app: Flask, jo: Person) -> None:
    half_fill(jo)
    admin = Person(app, make_admin())
    text = text_of(admin.get("/admin/questionnaires/carry-test/publish-effect"))
    assert "There is no earlier version to compare it with, and no draft is on a version " \
           "numbered below 1, so nothing moves." in text
    assert "Move every draft now" not in text


def test_opening_finalise_after_a_new_version_shows_the_answers_again(jo: Person,
                                                                      folder: Path) -> None:
    response_id = half_fill(jo)
    publish_v2(folder)
    opened = jo.get(f"/questionnaires/responses/{response_id}/finalise")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/check")


def test_the_staff_overview_links_to_the_effect_page(app: Flask, jo: Person) -> None:
    half_fill(jo)
    admin = Person(app, make_admin())
    assert 'href="/admin/questionnaires/carry-test/publish-effect"' in admin.get(
        "/questionnaires/").text
    assert "publish-effect" not in jo.get("/questionnaires/").text


def test_the_effect_costs_the_same_queries_however_many_drafts(app: Flask, jo: Person,
                                                                folder: Path,
                                                                query_counter: Any) -> None:
    half_fill(jo)
    admin = Person(app, make_admin())
    path = "/admin/questionnaires/carry-test/publish-effect"
    publish_v2(folder)
    admin.get(path)  # warm the definition cache
    with query_counter.count() as counter:
        assert admin.get(path).status_code == 200
    one = counter.total
    for n in range(3):
        other = Person(app, make_user(f"p{n}@example.org"))
        rid = other.start("carry-test")
        assert other.autosave(rid, "plans", {"plans": "Plans"}).status_code == 200
    with query_counter.count() as counter:
        assert "4 responses in progress" in text_of(admin.get(path))
    # The signed-in person, then the drafts (with owner and authority), their answers, and
    # the newest stored version below the candidate.
    assert counter.total == one == 4, counter.statements


def test_exports_keep_the_answers_from_an_earlier_version(app: Flask, jo: Person,
                                                          folder: Path) -> None:
    """Word, PDF and CSV show the read-only answers as the pages do, under their heading."""
    import csv
    import io

    import docx

    from tests.integration.test_exports import pdf_text

    response_id = half_fill(jo)
    publish_v2(folder)
    assert EARLIER in text_of(jo.get(f"/questionnaires/responses/{response_id}"))  # moves it
    word = docx.Document(io.BytesIO(
        jo.get(f"/questionnaires/responses/{response_id}/export.docx").data))
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs]
    start = paragraphs.index(("Heading 1", EARLIER))
    assert paragraphs[start + 2:] == [  # by question id, as on the page
        ("Heading 2", "Your hobby (version 1)"), ("Normal", "Walking"),
        ("Heading 2", "Anything else (version 1)"), ("Normal", "Ask me about the budget"),
    ]
    assert ("Normal", "Jo Bloggs") in paragraphs[:start]  # carried to full_name
    pdf = jo.get(f"/questionnaires/responses/{response_id}/export.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    tail = pdf_text(pdf.data).split(EARLIER, 1)[1]
    assert "Your hobby (version 1)" in tail and "Walking" in tail
    assert "Ask me about the budget" in tail
    admin = Person(app, make_admin())
    exported = admin.get("/questionnaires/carry-test/responses.csv")
    row = next(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert row["version"] == "2" and row["full_name"] == "Jo Bloggs"
    assert row["hobby"] == "Walking" and row["notes"] == "Ask me about the budget"
    assert "name" not in row  # its answer was carried to full_name
