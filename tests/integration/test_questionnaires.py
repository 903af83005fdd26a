"""Filling in questionnaires through the web layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select, update

from seslip.accounts.models import OrgRole, User
from seslip.audit.models import AuditEvent
from seslip.extensions import db
from seslip.formengine import read_form
from seslip.library.services import sync
from seslip.questionnaires import services
from seslip.questionnaires.models import Answer, AnswerRevision, FormVersion, Response
from tests.support.factories import (
    csrf_token,
    login,
    make_admin,
    make_organisation,
    make_programme_manager,
    make_user,
)

LEAD = "lead-member-self-assessment-2022-23"
pytestmark = pytest.mark.usefixtures("shipped")
ROOT = Path(__file__).resolve().parents[2]


class Person:
    """A signed-in browser: the client plus its CSRF token."""

    def __init__(self, app: Flask, user: User) -> None:
        self.client = app.test_client()
        self.user = user
        login(self.client, user)
        self.token = csrf_token(self.client, "/questionnaires/")

    def start_result(self, definition_id: str = LEAD) -> Any:
        return self.client.post(f"/questionnaires/{definition_id}/start",
                                data={"csrf_token": self.token})

    def start(self, definition_id: str = LEAD) -> int:
        response = self.start_result(definition_id)
        assert response.status_code == 302, response.text
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    def autosave(self, response_id: int, question_id: str, data: dict[str, Any],
                 revision: Any = 0) -> Any:
        form = {**data, f"rev.{question_id}": str(revision)}
        return self.client.post(
            f"/questionnaires/responses/{response_id}/answers/{question_id}", data=form,
            headers={"X-CSRFToken": self.token, "HX-Request": "true"},
        )

    def save_section(self, response_id: int, section_id: str, data: dict[str, Any]) -> Any:
        return self.client.post(
            f"/questionnaires/responses/{response_id}/sections/{section_id}",
            data={"csrf_token": self.token, **data},
        )

    def get(self, path: str) -> Any:
        return self.client.get(path)


@pytest.fixture
def authority() -> Any:
    return make_organisation("Kent County Council")


@pytest.fixture
def lead(app: Flask, authority: Any) -> Person:
    user = make_user("lead@example.org", name="Lena Lead", organisation=authority,
                     org_role=OrgRole.LEAD_MEMBER)
    return Person(app, user)


def words(n: int) -> str:
    return " ".join(f"word{i}" for i in range(n))


def revision_in(html: str, question_id: str) -> int:
    match = re.search(rf'name="rev\.{question_id}"[^>]*value="(\d+)"', html)
    assert match, f"no revision for {question_id}"
    return int(match.group(1))


def answers_in_db(response_id: int) -> dict[str, Any]:
    rows = db.session.scalars(select(Answer).where(Answer.response_id == response_id))
    return {answer.question_id: answer.value for answer in rows}


def fill_everything(person: Person, response_id: int) -> None:
    required = {
        "ambition": words(40),
        "responsibility_1": "Cabinet and scrutiny work together.",
        "responsibility_2": "Budgets are reviewed quarterly.",
        "responsibility_3": "Monthly one-to-ones with the DCS.",
        "responsibility_4": "The partnership board meets every term.",
        "responsibility_5": "The children in care council attends cabinet.",
    }
    for question_id, text in required.items():
        assert person.autosave(response_id, question_id, {question_id: text}).status_code == 200


# --- starting and the task list ----------------------------------------------------------------


def test_start_records_the_version_once_and_continues_the_same_response(lead: Person) -> None:
    first = lead.start()
    again = lead.start()
    assert first == again
    version = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == LEAD)).one()
    assert version.source == (ROOT / "form_definitions" / f"{LEAD}.yaml").read_text("utf-8")
    response = db.session.get(Response, first)
    assert response.form_version_id == version.id
    assert response.organisation.name == "Kent County Council"
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "Response")).one().action == "create"


def test_task_list_shows_each_sections_status_as_text(lead: Person) -> None:
    response_id = lead.start()
    html = lead.get(f"/questionnaires/responses/{response_id}").text
    assert html.count(">Not started</strong>") == 6
    assert "You have completed 0 of 6 sections." in html

    lead.autosave(response_id, "ambition", {"ambition": words(80)})  # over the limit
    lead.autosave(response_id, "responsibility_1", {"responsibility_1": "Cabinet and scrutiny."})
    html = lead.get(f"/questionnaires/responses/{response_id}").text
    role = re.search(r'id="status-role_as_lead_member">([^<]+)<', html).group(1)
    political = re.search(r'id="status-political_accountability">([^<]+)<', html).group(1)
    assert (role, political) == ("In progress", "Completed")
    assert "You have completed 1 of 6 sections." in html


# --- sections without JavaScript ------------------------------------------------------------


def test_section_page_renders_guidance_prompts_evidence_and_word_count(lead: Person) -> None:
    response_id = lead.start()
    html = lead.get(f"/questionnaires/responses/{response_id}/sections/role_as_lead_member").text
    assert "<details class=\"details prompts\">" in html
    assert "In answering this question, you might also reflect on the following points:" in html
    assert "Example evidence source:" in html
    assert 'id="ambition-count"' in html and 'aria-live="polite"' in html
    assert "You have 75 words remaining" in html
    assert 'aria-describedby="ambition-hint ambition-error ambition-count ambition-note"' in html
    assert "Add another evidence link" in html


def test_save_section_without_javascript_redirects_to_the_task_list(lead: Person) -> None:
    response_id = lead.start()
    result = lead.save_section(response_id, "role_as_lead_member", {
        "ambition": "To make the county the best place to grow up.",
        "rev.ambition": "0",
        "ambition_evidence_links-0-title": "Corporate plan",
        "ambition_evidence_links-0-url": "https://example.gov.uk/plan",
        "rev.ambition_evidence_links": "0",
    })
    assert result.status_code == 302
    assert result.headers["Location"].endswith(f"/questionnaires/responses/{response_id}")
    assert answers_in_db(response_id) == {
        "ambition": "To make the county the best place to grow up.",
        "ambition_evidence_links": [
            {"title": "Corporate plan", "url": "https://example.gov.uk/plan"}],
    }


def test_add_another_row_and_remove_a_row_without_javascript(lead: Person) -> None:
    response_id = lead.start()
    base = f"/questionnaires/responses/{response_id}/sections/role_as_lead_member"
    result = lead.save_section(response_id, "role_as_lead_member", {
        "rev.ambition": "0", "ambition": "",
        "rev.ambition_evidence_links": "0",
        "ambition_evidence_links-0-title": "Plan", "ambition_evidence_links-0-url": "https://a.example",
        "add_row": "ambition_evidence_links",
    })
    assert result.status_code == 302
    assert "add=ambition_evidence_links" in result.headers["Location"]
    html = lead.get(result.headers["Location"]).text
    assert 'id="ambition_evidence_links-1-title"' in html and "autofocus" in html
    revision = revision_in(html, "ambition_evidence_links")
    result = lead.save_section(response_id, "role_as_lead_member", {
        "rev.ambition": "0", "ambition": "",
        "rev.ambition_evidence_links": str(revision),
        "ambition_evidence_links-0-title": "Plan", "ambition_evidence_links-0-url": "https://a.example",
        "ambition_evidence_links-1-title": "Minutes", "ambition_evidence_links-1-url": "https://b.example",
        "remove_row": "ambition_evidence_links:0",
    })
    assert result.status_code == 302 and base in result.headers["Location"]
    assert answers_in_db(response_id)["ambition_evidence_links"] == [
        {"title": "Minutes", "url": "https://b.example"}]
    history = db.session.scalars(select(AnswerRevision).where(
        AnswerRevision.question_id == "ambition_evidence_links").order_by(AnswerRevision.revision))
    assert [len(row.value) for row in history] == [1, 1]  # both versions kept


def test_section_errors_rerender_at_422_keeping_everything_typed(app: Flask, tmp_path: Path,
                                                                 authority: Any) -> None:
    use_example_definitions(app, tmp_path)
    person = Person(app, make_user(organisation=authority))
    response_id = person.start("example-all-question-types")
    html = person.get(
        f"/questionnaires/responses/{response_id}/sections/about_you").text
    assert 'name="rev.role"' in html
    result = person.save_section(response_id, "about_you", {
        **{f"rev.{qid}": "0" for qid in ("role", "role_other", "years_in_role", "has_scrutiny")},
        "role": "Astronaut",  # not an option
        "years_in_role": "seven",
    })
    assert result.status_code == 422
    page = result.text
    assert "<title>Error: " in page
    assert "&#39;Astronaut&#39; is not one of the options." in page
    assert 'value="seven"' in page  # what was typed is kept (saved as a draft, too)
    assert "Enter a number, like 12 or 3.5." in page
    assert answers_in_db(response_id) == {"years_in_role": "seven"}


# --- autosave ------------------------------------------------------------------------------------


def test_autosave_saves_with_revision_and_time(lead: Person) -> None:
    response_id = lead.start()
    result = lead.autosave(response_id, "ambition", {"ambition": "Every child thrives."})
    assert result.status_code == 200
    assert re.search(r"Saved at \d\d:\d\d", result.text)
    assert 'id="rev-ambition" value="1" hx-swap-oob="true"' in result.text
    result = lead.autosave(response_id, "ambition", {"ambition": "Every child thrives here."}, 1)
    assert 'value="2"' in result.text
    # Moments later by the same person: one revision, holding the latest text (see
    # test_autosaves_within_a_few_minutes_are_one_revision for the rule, with explicit times).
    history = db.session.scalars(select(AnswerRevision).order_by(AnswerRevision.revision)).all()
    assert [(row.revision, row.value) for row in history] == [(2, "Every child thrives here.")]
    # Saving the same text again (e.g. on leaving the field) changes nothing.
    lead.autosave(response_id, "ambition", {"ambition": "Every child thrives here."}, 2)
    assert db.session.query(AnswerRevision).count() == 1


def test_conflict_shows_both_versions_and_overwrites_nothing(app: Flask, lead: Person) -> None:
    response_id = lead.start()
    other_tab = Person(app, lead.user)
    assert lead.autosave(response_id, "ambition", {"ambition": "Tab one."}).status_code == 200
    result = other_tab.autosave(response_id, "ambition", {"ambition": "Tab two."}, 0)
    assert result.status_code == 409
    assert "Someone else changed this answer" in result.text
    assert "Tab one." in result.text and "Tab two." in result.text
    assert 'name="keep_mine" value="ambition:1"' in result.text
    assert 'rev-ambition' not in result.text  # the base revision stays until they choose
    assert answers_in_db(response_id) == {"ambition": "Tab one."}
    # Keep my version: saved on top of theirs, and both stay in the history.
    result = other_tab.client.post(
        f"/questionnaires/responses/{response_id}/answers/ambition",
        data={"ambition": "Tab two.", "rev.ambition": "0", "keep_mine": "ambition:1"},
        headers={"X-CSRFToken": other_tab.token, "HX-Request": "true"})
    assert result.status_code == 200
    assert answers_in_db(response_id) == {"ambition": "Tab two."}
    history = db.session.scalars(select(AnswerRevision.value).order_by(AnswerRevision.revision))
    assert list(history) == ["Tab one.", "Tab two."]


def test_use_their_version_returns_the_stored_question(app: Flask, lead: Person) -> None:
    response_id = lead.start()
    lead.autosave(response_id, "ambition", {"ambition": "Saved elsewhere."})
    html = lead.get(f"/questionnaires/responses/{response_id}/answers/ambition").text
    assert html.lstrip().startswith('<div class="question')
    assert "Saved elsewhere.</textarea>" in html and revision_in(html, "ambition") == 1


def test_section_conflict_without_javascript(app: Flask, lead: Person) -> None:
    response_id = lead.start()
    lead.autosave(response_id, "ambition", {"ambition": "Theirs."})
    result = lead.save_section(response_id, "role_as_lead_member", {
        "ambition": "Mine.", "rev.ambition": "0", "rev.ambition_evidence_links": "0"})
    assert result.status_code == 409
    assert "Someone else changed your answer to" in result.text
    assert "Mine.</textarea>" in result.text and revision_in(result.text, "ambition") == 0
    result = lead.save_section(response_id, "role_as_lead_member", {
        "ambition": "Mine.", "rev.ambition": "0", "rev.ambition_evidence_links": "0",
        "use_theirs": "ambition"})
    assert result.status_code == 302
    assert answers_in_db(response_id) == {"ambition": "Theirs."}
    result = lead.save_section(response_id, "role_as_lead_member", {
        "ambition": "Mine.", "rev.ambition": "0", "rev.ambition_evidence_links": "0",
        "keep_mine": "ambition:1"})
    assert result.status_code == 302
    assert answers_in_db(response_id) == {"ambition": "Mine."}


def test_autosaves_within_a_few_minutes_are_one_revision(app: Flask, lead: Person) -> None:
    """Ten quick autosaves keep one revision; a new few-minute slot of the clock, another
    person's version or "Keep my version" adds one. Revision numbers still rise on every save,
    so a page holding an older one gets a conflict as before."""
    response_id = lead.start()
    user, response = lead.user, db.session.get(Response, response_id)
    start = datetime.datetime(2026, 3, 2, 10, 0, 5)

    def save(text: str, base: int, seconds: int, who: User = user, **kwargs: Any) -> Any:
        return services.save_answer(who, response, "ambition",
                                    read_form({"ambition": text}).answer("ambition"), base,
                                    now=start + datetime.timedelta(seconds=seconds), **kwargs)

    def history() -> list[tuple[int, str, int]]:
        rows = db.session.execute(select(
            AnswerRevision.revision, AnswerRevision.value, AnswerRevision.saved_at
        ).order_by(AnswerRevision.revision))
        return [(r.revision, r.value, (r.saved_at - start).seconds) for r in rows]

    for n in range(10):  # 10:00:05 to 10:04:35
        assert save(f"Draft {n}.", n, 30 * n).outcome == "saved"
    assert history() == [(10, "Draft 9.", 270)]
    assert db.session.scalar(select(Answer.revision)) == 10
    # The page still showing revision 9 gets a conflict, though revision 9 was folded away.
    assert save("Stale tab.", 9, 280).outcome == "conflict"
    assert save("Next slot.", 10, 300).outcome == "saved"  # 10:05:05
    assert history() == [(10, "Draft 9.", 270), (11, "Next slot.", 300)]
    # "Keep my version" chooses to overwrite another version: always its own revision.
    assert save("Kept.", 11, 310, collapse=False).outcome == "saved"
    assert history()[-2:] == [(11, "Next slot.", 300), (12, "Kept.", 310)]
    # Someone else's latest version is never folded into (answers have one author today, so
    # the other person saves through the service directly).
    response.owner_id = make_admin().id
    other = db.session.get(User, response.owner_id)
    db.session.commit()
    assert save("Other person.", 12, 320, who=other).outcome == "saved"
    assert [row[:2] for row in history()][-2:] == [(12, "Kept."), (13, "Other person.")]
    # The no-JavaScript "Save and continue" is a deliberate save: never folded.
    response.owner_id = user.id
    db.session.commit()
    result = lead.save_section(response_id, "role_as_lead_member", {
        "ambition": "Saved the page.", "rev.ambition": "13", "rev.ambition_evidence_links": "0"})
    assert result.status_code == 302
    assert len(history()) == 5 and history()[-1][:2] == (14, "Saved the page.")


def test_the_finalised_value_stays_in_the_history_after_reopening(app: Flask,
                                                                  lead: Person) -> None:
    response_id = lead.start()
    fill_everything(lead, response_id)
    response = db.session.get(Response, response_id)
    services.finalise(lead.user, response)
    services.reopen(make_admin(), response, "Add the new strategy.")
    # Moments later, so in the same few minutes as the finalised answer: still a new revision.
    result = services.save_answer(lead.user, response, "ambition",
                                  read_form({"ambition": "After reopening."}).answer("ambition"),
                                  1)
    assert (result.outcome, result.revision) == ("saved", 2)
    history = db.session.scalars(select(AnswerRevision.value).where(
        AnswerRevision.question_id == "ambition").order_by(AnswerRevision.revision))
    assert list(history) == [words(40), "After reopening."]


def test_an_answer_over_the_size_limit_is_refused_keeping_the_text(app: Flask,
                                                                   lead: Person) -> None:
    limit = app.config["SESLIP_MAX_ANSWER_CHARS"]
    assert limit == 100_000  # the documented default
    response_id = lead.start()
    too_long = "x" * (limit + 1)
    result = lead.autosave(response_id, "ambition", {"ambition": too_long})
    assert result.status_code == 422
    assert ("Not saved: This answer is 100,001 characters long. An answer can be at most "
            "100,000 characters") in result.text
    assert "your text is still on the page" in result.text
    assert too_long not in result.text  # the fragment does not send the text back
    assert answers_in_db(response_id) == {}
    assert db.session.query(AnswerRevision).count() == 0
    # Without JavaScript: the section comes back with the text typed and the message.
    result = lead.save_section(response_id, "role_as_lead_member", {
        "ambition": too_long, "rev.ambition": "0", "rev.ambition_evidence_links": "0"})
    assert result.status_code == 422
    assert f"{too_long}</textarea>" in result.text
    assert "This answer is 100,001 characters long" in result.text
    assert answers_in_db(response_id) == {}
    # Repeatable rows count together: two 60,000-character titles are too long as well.
    result = lead.autosave(response_id, "ambition_evidence_links", {
        "ambition_evidence_links-0-title": "t" * 60_000,
        "ambition_evidence_links-1-title": "t" * 60_000})
    assert result.status_code == 422 and "120,000 characters long" in result.text
    # Exactly the limit saves.
    result = lead.autosave(response_id, "ambition", {"ambition": "x" * limit})
    assert result.status_code == 200 and "Saved at" in result.text
    assert len(answers_in_db(response_id)["ambition"]) == limit


def test_over_the_word_limit_is_saved_but_blocks_finalising(lead: Person) -> None:
    response_id = lead.start()
    fill_everything(lead, response_id)
    result = lead.autosave(response_id, "ambition", {"ambition": words(80)}, 1)
    assert result.status_code == 200
    # The status beside the answer says it is saved but not right yet (not just "Saved at").
    assert re.search(r"Saved at \d\d:\d\d, but this answer still needs changing: Your answer "
                     r"must be 75 words or fewer", result.text)
    assert "Your answer must be 75 words or fewer. You have 80 words (5 too many)." in result.text
    assert answers_in_db(response_id)["ambition"] == words(80)
    check = lead.get(f"/questionnaires/responses/{response_id}/check").text
    assert "Before you can finalise" in check
    assert "You have 80 words (5 too many)" in check
    # The links go to the field itself, so following one puts focus in it.
    assert "sections/role_as_lead_member#ambition\"" in check
    assert "#q-ambition" not in check
    assert "Continue to finalise" not in check
    result = lead.client.post(f"/questionnaires/responses/{response_id}/finalise",
                              data={"csrf_token": lead.token})
    assert result.status_code == 422 and "You cannot finalise yet" in result.text
    assert db.session.get(Response, response_id).status == "draft"


def test_missing_answers_are_listed_on_check_answers(lead: Person) -> None:
    response_id = lead.start()
    check = lead.get(f"/questionnaires/responses/{response_id}/check").text
    assert check.count("This question needs an answer.") == 6
    assert lead.get(f"/questionnaires/responses/{response_id}/finalise").status_code == 302


def test_finalise_makes_answers_read_only_until_staff_reopen(app: Flask, lead: Person) -> None:
    response_id = lead.start()
    fill_everything(lead, response_id)
    assert "Continue to finalise" in lead.get(f"/questionnaires/responses/{response_id}/check").text
    assert lead.get(f"/questionnaires/responses/{response_id}/finalise").status_code == 200
    result = lead.client.post(f"/questionnaires/responses/{response_id}/finalise",
                              data={"csrf_token": lead.token})
    assert result.headers["Location"].endswith(f"/responses/{response_id}/finalised")
    assert "Answers finalised" in lead.get(result.headers["Location"]).text

    result = lead.autosave(response_id, "ambition", {"ambition": "Too late."}, 1)
    assert result.status_code == 409 and "has been finalised" in result.text
    result = lead.save_section(response_id, "role_as_lead_member",
                               {"ambition": "Too late.", "rev.ambition": "1"})
    assert result.status_code == 409 and "has been finalised" in result.text
    assert answers_in_db(response_id)["ambition"] == words(40)
    view = lead.get(f"/questionnaires/responses/{response_id}").text
    assert "finalised and read-only" in view and "<textarea" not in view
    assert lead.get(f"/questionnaires/responses/{response_id}/reopen").status_code == 403

    manager = Person(app, make_programme_manager())
    page = manager.get(f"/questionnaires/responses/{response_id}/reopen")
    assert page.status_code == 200
    result = manager.client.post(f"/questionnaires/responses/{response_id}/reopen",
                                 data={"csrf_token": manager.token, "reason": "  "})
    assert result.status_code == 422 and "Enter the reason for reopening" in result.text
    result = manager.client.post(f"/questionnaires/responses/{response_id}/reopen",
                                 data={"csrf_token": manager.token, "reason": "Typo in R2."})
    assert result.status_code == 302
    response = db.session.get(Response, response_id)
    assert response.status == "draft" and response.reopen_reason == "Typo in R2."
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "Response").order_by(AuditEvent.id))
    assert list(actions) == ["create", "finalise", "reopen"]
    assert "Typo in R2." in lead.get(f"/questionnaires/responses/{response_id}").text
    assert lead.autosave(response_id, "ambition", {"ambition": "Fixed."}, 1).status_code == 200


def test_the_owner_is_emailed_when_staff_reopen(app: Flask, lead: Person, mail_to: Any) -> None:
    from seslip.notifications.delivery import deliver_pending

    response_id = lead.start()
    fill_everything(lead, response_id)
    lead.client.post(f"/questionnaires/responses/{response_id}/finalise",
                     data={"csrf_token": lead.token})
    manager = Person(app, make_programme_manager(name="Pat Manager"))
    manager.client.post(f"/questionnaires/responses/{response_id}/reopen",
                        data={"csrf_token": manager.token, "reason": "Please add R4 evidence."})
    deliver_pending()
    (message,) = mail_to.wait_for(lead.user.email)
    assert "can be changed again" in message.subject
    assert "Pat Manager has reopened your answers" in message.text
    assert "Please add R4 evidence." in message.text and "Please add R4 evidence." in message.html
    assert message.links() == [f"http://localhost/questionnaires/responses/{response_id}"]


# --- bad input -----------------------------------------------------------------------------------


def test_unknown_question_id_is_a_clear_400(lead: Person) -> None:
    response_id = lead.start()
    result = lead.autosave(response_id, "no_such_question", {"no_such_question": "x"})
    assert result.status_code == 400
    assert "&#39;no_such_question&#39; is not a question of this questionnaire" in result.text
    result = lead.save_section(response_id, "role_as_lead_member", {
        "ambition": "Keep me.", "rev.ambition": "0", "rev.responsibility_1": "0",
        "responsibility_1": "Wrong section."})
    assert result.status_code == 400
    assert "is not a question of this section" in result.text
    assert "Keep me.</textarea>" in result.text
    assert answers_in_db(response_id) == {}


def test_tampered_revision_is_a_clear_400_keeping_the_text(lead: Person) -> None:
    response_id = lead.start()
    result = lead.autosave(response_id, "ambition", {"ambition": "Typed."}, "1; DROP TABLE")
    assert result.status_code == 400
    assert "invalid revision number" in result.text
    result = lead.save_section(response_id, "role_as_lead_member", {
        "ambition": "Typed text stays.", "rev.ambition": "abc"})
    assert result.status_code == 400
    assert "Typed text stays.</textarea>" in result.text
    assert "invalid revision number" in result.text
    assert answers_in_db(response_id) == {}


def test_wrong_type_in_autosave_is_rejected_with_422(app: Flask, tmp_path: Path,
                                                     authority: Any) -> None:
    use_example_definitions(app, tmp_path)
    person = Person(app, make_user(organisation=authority))
    response_id = person.start("example-all-question-types")
    result = person.autosave(response_id, "role", {"role": "Astronaut"})
    assert result.status_code == 422 and "is not one of the options" in result.text
    result = person.autosave(response_id, "partners", {"partners": ["health", "martians"]})
    assert result.status_code == 422
    assert answers_in_db(response_id) == {}


# --- who may do what ----------------------------------------------------------------------------


ROLES = ["owner", "other_member", "dcs", "programme_manager", "admin", "anonymous"]


def _client_for(app: Flask, role: str, owner: Person, authority: Any) -> FlaskClient:
    if role == "owner":
        return owner.client
    if role == "anonymous":
        return app.test_client()
    user = {
        "other_member": lambda: make_user(organisation=authority, org_role=OrgRole.LEAD_MEMBER),
        "dcs": lambda: make_user(organisation=authority, org_role=OrgRole.DCS),
        "programme_manager": make_programme_manager,
        "admin": make_admin,
    }[role]()
    return Person(app, user).client


# (method, path, expected status by role: owner, other lead member, DCS of the same authority,
# PM, admin, anonymous). The self-assessment is for lead members only: nobody else starts it.
ENDPOINTS = [
    ("GET", "/questionnaires/", [200, 200, 200, 200, 200, 302]),
    ("GET", "/questionnaires/responses/{id}", [200, 403, 403, 200, 200, 302]),
    ("GET", "/questionnaires/responses/{id}/sections/role_as_lead_member",
     [200, 403, 403, 403, 403, 302]),
    ("POST", "/questionnaires/responses/{id}/sections/role_as_lead_member",
     [302, 403, 403, 403, 403, 302]),
    ("POST", "/questionnaires/responses/{id}/answers/ambition", [200, 403, 403, 403, 403, 401]),
    ("GET", "/questionnaires/responses/{id}/answers/ambition", [200, 403, 403, 403, 403, 302]),
    ("GET", "/questionnaires/responses/{id}/check", [200, 403, 403, 403, 403, 302]),
    ("GET", "/questionnaires/responses/{id}/finalise", [302, 403, 403, 403, 403, 302]),
    ("POST", "/questionnaires/responses/{id}/finalise", [422, 403, 403, 403, 403, 302]),
    ("GET", "/questionnaires/responses/{id}/finalised", [302, 403, 403, 403, 403, 302]),
    ("GET", "/questionnaires/responses/{id}/reopen", [403, 403, 403, 302, 302, 302]),
    ("POST", "/questionnaires/responses/{id}/reopen", [403, 403, 403, 302, 302, 302]),
    ("POST", f"/questionnaires/{LEAD}/start", [302, 302, 403, 403, 403, 302]),
    ("GET", "/questionnaires/responses/{id}/export.docx", [200, 403, 403, 200, 200, 302]),
    ("GET", "/questionnaires/responses/{id}/export.pdf", [200, 403, 403, 200, 200, 302]),
    ("GET", f"/questionnaires/{LEAD}/responses.csv", [403, 403, 403, 200, 200, 302]),
    ("GET", f"/questionnaires/{LEAD}/responses.zip", [403, 403, 403, 200, 200, 302]),
    ("GET", "/form-definitions/schema.json", [200, 200, 200, 200, 200, 200]),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_by_role(app: Flask, lead: Person, authority: Any, role: str) -> None:
    response_id = lead.start()
    client = _client_for(app, role, lead, authority)
    token = lead.token if role == "owner" else csrf_token(
        client, "/login" if role == "anonymous" else "/questionnaires/")
    for method, template, expected in ENDPOINTS:
        path = template.format(id=response_id)
        headers = {"HX-Request": "true"} if "/answers/" in path and method == "POST" else {}
        if token:
            headers["X-CSRFToken"] = token
        data = None
        if method == "POST":
            data = {"reason": "r"} if path.endswith("/reopen") else (
                {"rev.ambition": "0", "ambition": "x"} if "ambition" in path or "/sections/" in path
                else {})
        if token and data is not None:
            data["csrf_token"] = token
        result = client.open(path, method=method, data=data, headers=headers)
        assert result.status_code == expected[ROLES.index(role)], (method, path, role)
    covered = {rule.rule.replace("<int:response_id>", "{id}") for rule in app.url_map.iter_rules()
               if rule.endpoint.startswith("questionnaires.")}
    tested = {template.replace(LEAD, "<definition_id>") for _, template, _ in ENDPOINTS}
    assert {rule.replace("<section_id>", "role_as_lead_member").replace(
        "<question_id>", "ambition") for rule in covered} <= tested


def test_staff_see_everyones_responses_on_the_index(app: Flask, lead: Person) -> None:
    lead.start()
    manager = Person(app, make_programme_manager())
    html = manager.get("/questionnaires/").text
    assert "Everyone’s answers" in html and "Lena Lead" in html and "Kent County Council" in html
    member = Person(app, make_user())
    assert "Lena Lead" not in member.get("/questionnaires/").text


def test_home_page_lists_your_questionnaires(lead: Person) -> None:
    response_id = lead.start()
    html = lead.get("/").text
    assert "Your questionnaires" in html
    assert f"/questionnaires/responses/{response_id}" in html


# --- who a questionnaire is for -------------------------------------------------------------------


LEAD_TITLE = "SESLIP Lead Member Self-Assessment 2022-2023"
EXAMPLE_TITLE = "Example: every question type"


def _cards(html: str) -> str:
    """The "your questionnaires" cards of the index, without the staff tables below them."""
    return html.split("Everyone’s answers", 1)[0]


def test_only_its_audience_is_offered_a_questionnaire(app: Flask, lead: Person,
                                                      authority: Any) -> None:
    dcs = Person(app, make_user(organisation=authority, org_role=OrgRole.DCS))
    index = dcs.get("/questionnaires/").text
    assert LEAD_TITLE not in index and EXAMPLE_TITLE not in index  # the example is for staff
    assert LEAD_TITLE not in dcs.get("/").text
    home = lead.get("/").text
    assert EXAMPLE_TITLE not in home and EXAMPLE_TITLE not in lead.get("/questionnaires/").text
    assert f"/questionnaires/{LEAD}/start" not in index
    assert LEAD_TITLE in lead.get("/").text and LEAD_TITLE in lead.get("/questionnaires/").text


def test_starting_a_questionnaire_meant_for_others_is_refused(app: Flask, authority: Any) -> None:
    dcs = Person(app, make_user(organisation=authority, org_role=OrgRole.DCS))
    result = dcs.start_result(LEAD)
    assert result.status_code == 403
    assert "This questionnaire is for lead members." in result.text
    assert db.session.scalars(select(Response)).all() == []
    nobody = Person(app, make_user(organisation=authority))  # no role in their organisation
    assert nobody.start_result(LEAD).status_code == 403
    assert nobody.start_result("example-all-question-types").status_code == 403


def test_staff_see_every_questionnaire_and_response_but_start_only_their_own(
    app: Flask, lead: Person
) -> None:
    response_id = lead.start()
    manager = Person(app, make_programme_manager())
    index = manager.get("/questionnaires/").text
    assert f"/questionnaires/{LEAD}/start" not in index
    assert LEAD_TITLE not in _cards(index)
    assert f"<caption>{LEAD_TITLE} (for lead members)</caption>" in index
    assert f"/questionnaires/responses/{response_id}" in index and "Lena Lead" in index
    assert LEAD_TITLE not in manager.get("/").text
    view = manager.get(f"/questionnaires/responses/{response_id}")
    assert view.status_code == 200 and "<textarea" not in view.text
    assert manager.start_result(LEAD).status_code == 403
    assert EXAMPLE_TITLE in _cards(index)  # the reference example is for staff alone
    assert manager.start_result("example-all-question-types").status_code == 302


def test_someone_whose_role_changed_keeps_their_response(app: Flask, lead: Person) -> None:
    response_id = lead.start()
    lead.user.org_role = OrgRole.DCS
    db.session.commit()
    assert lead.start() == response_id
    assert LEAD_TITLE in _cards(lead.get("/questionnaires/").text)
    assert f"/questionnaires/responses/{response_id}" in lead.get("/").text


@pytest.mark.parametrize(("audience", "words"), [
    ("[dcs]", "directors of children’s services"),
    ("[officer, partner]", "officers and partner representatives"),
    ("[lead_member, dcs, partner]",
     "lead members, directors of children’s services and partner representatives"),
])
def test_the_refusal_names_the_audience(app: Flask, tmp_path: Path, authority: Any,
                                        audience: str, words: str) -> None:
    text = _generated_definition(1).replace("title: Generated 1\n",
                                            f"title: Generated 1\naudience: {audience}\n")
    use_definitions(app, tmp_path, {"generated-1.yaml": text})
    person = Person(app, make_user(organisation=authority, org_role=OrgRole.LEAD_MEMBER))
    if "lead_member" in audience:
        assert person.start_result("generated-1").status_code == 302
    else:
        result = person.start_result("generated-1")
        assert result.status_code == 403 and f"This questionnaire is for {words}." in result.text


# --- query counts ----------------------------------------------------------------------------


def _generated_definition(questions: int) -> str:
    items = "\n".join(
        f"      - id: q{i}\n        type: long_text\n        label: Question {i}\n"
        f"        max_words: 50\n        required: true"
        for i in range(questions)
    )
    return (f"id: generated-{questions}\nversion: 1\ntitle: Generated {questions}\n"
            f"sections:\n  - id: only\n    title: Only section\n    items:\n{items}\n")


@pytest.mark.parametrize("counts", [(5, 0), (50, 50)], ids=["5q-0a", "50q-50a"])
def test_query_counts_do_not_grow_with_questions_or_answers(
    app: Flask, tmp_path: Path, authority: Any, query_counter: Any, counts: tuple[int, int]
) -> None:
    folder = tmp_path / "definitions"
    folder.mkdir()
    for n in (5, 50):
        (folder / f"generated-{n}.yaml").write_text(_generated_definition(n))
    app.config["SESLIP_FORM_DEFINITIONS"] = str(folder)
    sync(None, folder)
    person = Person(app, make_user(organisation=authority))
    questions, answers = counts
    response_id = person.start(f"generated-{questions}")
    for i in range(answers):
        person.autosave(response_id, f"q{i}", {f"q{i}": f"answer {i}"})
    section = f"/questionnaires/responses/{response_id}/sections/only"
    person.get(section)  # warm the per-process definition cache
    with query_counter.count() as counter:
        assert person.get(section).status_code == 200
    page = counter.total
    with query_counter.count() as counter:
        assert person.autosave(response_id, "q0", {"q0": "changed"},
                               1 if answers else 0).status_code == 200
    save = counter.total
    # Each request first loads the signed-in person with their live session (one indexed
    # query, issue 15: sign-out must end the session on the server). The page: then the
    # response (with its version, owner, authority and the library's current version of the
    # questionnaire, since a draft moves when a newer one is published) and all its answers.
    # The save:
    # the response (locked), the one answer it changes (no condition reads q0), the answer
    # (insert or versioned update) and its revision row.
    assert (page, save) == (3, 5)
    assert any("question_id =" in sql for sql in counter.statements)
    # Once the response's "last changed" time is a minute old, a save moves it on: one UPDATE.
    with db.engine.begin() as connection:  # another connection: the session stays as it is
        connection.execute(update(Response).where(Response.id == response_id).values(
            updated_at=datetime.datetime(2020, 1, 1)))
    person.get(section)  # as before the first count
    with query_counter.count() as counter:
        assert person.autosave(response_id, "q1", {"q1": "changed"},
                               1 if answers else 0).status_code == 200
    assert counter.total == 6, counter.statements
    assert db.session.get(Response, response_id).updated_at.year > 2020


def test_saving_an_answer_that_conditions_read_loads_every_answer(
    app: Flask, tmp_path: Path, authority: Any, query_counter: Any
) -> None:
    use_example_definitions(app, tmp_path)
    person = Person(app, make_user(organisation=authority))
    response_id = person.start("example-all-question-types")
    with query_counter.count() as counter:
        result = person.autosave(response_id, "role", {"role": "Other"})  # role_other reads it
    assert 'id="role_other"' in result.text  # shown in place, from the answers already read
    assert counter.total == 5  # the signed-in person and session, then as above
    assert not any("question_id =" in sql for sql in counter.statements)


@pytest.mark.parametrize("base", [0, 1], ids=["new-answer", "changed-answer"])
def test_two_saves_from_the_same_revision_exactly_one_wins(app: Flask, lead: Person,
                                                          base: int) -> None:
    """Another save of the same revision commits after this one has read the answer and before
    it writes: this one must not overwrite it, and reports a conflict instead."""
    response_id = lead.start()
    if base:
        lead.autosave(response_id, "ambition", {"ambition": "First."})
    user_id = lead.user.id
    fired: list[str] = []
    running: list[bool] = []

    def other_save(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # Just before this save's first write, and only once: the other save runs to the end.
        if running or not statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            return
        running.append(True)
        with app.app_context():  # its own session and connection, like another request
            other = services.save_answer(db.session.get(User, user_id),
                                         db.session.get(Response, response_id), "ambition",
                                         read_form({"ambition": "Theirs."}).answer("ambition"),
                                         base)
            fired.append(other.outcome)

    event.listen(db.engine, "before_cursor_execute", other_save)
    try:
        mine = services.save_answer(db.session.get(User, user_id),
                                    db.session.get(Response, response_id), "ambition",
                                    read_form({"ambition": "Mine."}).answer("ambition"), base)
    finally:
        event.remove(db.engine, "before_cursor_execute", other_save)
    assert fired == ["saved"]
    assert (mine.outcome, mine.stored, mine.revision) == ("conflict", "Theirs.", base + 1)
    assert answers_in_db(response_id) == {"ambition": "Theirs."}
    # The winner is the same person moments after "First.", so its revision replaced that one.
    history = db.session.execute(select(AnswerRevision.revision, AnswerRevision.value))
    assert [tuple(row) for row in history] == [(base + 1, "Theirs.")]


# --- the CLI and the schema ---------------------------------------------------------------------


def test_check_definitions_passes_on_the_shipped_files(runner: Any) -> None:
    result = runner.invoke(args=["seslip", "check-definitions"])
    assert result.exit_code == 0, result.output
    assert "All definitions are fine" in result.output


def test_check_definitions_reports_path_line_column_and_exits_1(runner: Any,
                                                                tmp_path: Path) -> None:
    broken = tmp_path / "broken-one.yaml"
    source = (ROOT / "form_definitions" / f"{LEAD}.yaml").read_text("utf-8")
    broken.write_text(source.replace(f"id: {LEAD}", "id: broken-one").replace(
        "        label: What is your ambition", "        lable: What is your ambition", 1))
    good = ROOT / "form_definitions" / "example-all-question-types.yaml"
    result = runner.invoke(args=["seslip", "check-definitions", str(good), str(broken)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(broken))]
    assert lines and all(re.match(rf"{re.escape(str(broken))}:\d+:\d+: ", line) for line in lines)
    assert any("lable" in line for line in lines)


def test_schema_is_served_publicly_from_the_repository_file(client: FlaskClient) -> None:
    result = client.get("/form-definitions/schema.json")
    assert result.status_code == 200
    assert result.mimetype == "application/schema+json"
    shipped = json.loads((ROOT / "seslip" / "formengine" / "definition.schema.json").read_text())
    assert result.get_json(force=True) == shipped


def test_the_schema_command_prints_the_shipped_schema(runner: Any) -> None:
    result = runner.invoke(args=["seslip", "definitions", "schema"])
    assert result.exit_code == 0, result.output
    shipped = (ROOT / "seslip" / "formengine" / "definition.schema.json").read_text()
    assert result.output == shipped


# --- markup and XSS ---------------------------------------------------------------------------


XSS_DEFINITION = textwrap.dedent("""\
    id: xss-test
    version: 1
    title: "Safety <script>window.__xss = 1</script>"
    intro: |
      Intro <script>window.__xss = 2</script> and [click](javascript:window.__xss=3)
      <img src=x onerror="window.__xss=4">
    sections:
      - id: one
        title: "One <b onmouseover=alert(1)>bold</b>"
        intro: "[data](data:text/html,<script>alert(1)</script>) <iframe src=x></iframe>"
        items:
          - type: guidance
            text: "**Safe** <svg onload=alert(1)> [ok](https://example.org)"
          - type: prompts
            title: "Prompts <script>alert(1)</script>"
            items:
              - "<img src=x onerror=alert(1)>"
              - "[js](JaVaScRiPt:alert(1))"
          - id: answer
            type: long_text
            label: "Label <script>alert(1)</script>"
            hint: "<img src=x onerror=alert(1)>"
    """)

XSS_ANSWER = ('</textarea><script>window.__xss=5</script><img src=x onerror="window.__xss=6">'
              '"><svg onload=alert(1)>')


def use_definitions(app: Flask, tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "definitions"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    app.config["SESLIP_FORM_DEFINITIONS"] = str(folder)
    sync(None, folder)
    return folder


def use_example_definitions(app: Flask, tmp_path: Path) -> None:
    """The example, opened to everyone, so a test may answer it as any person."""
    example = (ROOT / "form_definitions" / "example-all-question-types.yaml").read_text("utf-8")
    assert "\naudience: [staff]\n" in example
    # A higher version, so the opened copy replaces the shipped one already in the library.
    example = example.replace("\naudience: [staff]\n", "\n").replace(
        "\nversion: 1\n", "\nversion: 2\n")
    use_definitions(app, tmp_path, {"example-all-question-types.yaml": example})


def test_markdown_and_answers_are_sanitised(app: Flask, tmp_path: Path, authority: Any) -> None:
    use_definitions(app, tmp_path, {"xss-test.yaml": XSS_DEFINITION})
    person = Person(app, make_user(organisation=authority))
    response_id = person.start("xss-test")
    assert person.autosave(response_id, "answer", {"answer": XSS_ANSWER}).status_code == 200
    pages = [person.get(f"/questionnaires/responses/{response_id}").text,
             person.get(f"/questionnaires/responses/{response_id}/sections/one").text,
             person.get(f"/questionnaires/responses/{response_id}/check").text]
    for html in pages:
        body = html.split("<main", 1)[1]
        assert "<script" not in body.lower()
        assert 'href="javascript' not in body.lower() and 'href="data' not in body.lower()
        assert not re.search(r"<[^>]*\son\w+\s*=", body)  # no event handler on any tag
        assert "<iframe" not in body and "<img" not in body and "<svg" not in body
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in pages[1]
    assert "&lt;/textarea&gt;&lt;script&gt;" in pages[1]


# --- demo ----------------------------------------------------------------------------------------


def test_demo_gives_a_lead_member_a_half_completed_self_assessment(runner: Any) -> None:
    from seslip.demo import lead_member_email

    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0
    lead = db.session.scalars(select(User).where(
        User.email == lead_member_email("east-sussex"))).one()
    response = db.session.scalars(select(Response).where(Response.owner_id == lead.id)).one()
    assert set(answers_in_db(response.id)) == {
        "ambition", "ambition_evidence_links", "responsibility_1", "responsibility_2"}
    second = runner.invoke(args=["seslip", "demo"])
    assert second.exit_code == 0 and "Questionnaires:" not in second.output
    assert db.session.query(AnswerRevision).count() == 4


def test_answers_that_change_which_questions_apply(app: Flask, tmp_path: Path,
                                                   authority: Any) -> None:
    use_example_definitions(app, tmp_path)
    person = Person(app, make_user(organisation=authority))
    response_id = person.start("example-all-question-types")
    section = f"/questionnaires/responses/{response_id}/sections/about_you"
    assert 'id="role_other"' not in person.get(section).text
    result = person.autosave(response_id, "role", {"role": "Other"})
    assert "now showing “Please describe your role”" in result.text
    assert 'id="role_other"' in person.get(section).text
    # Without JavaScript: the section page comes back, showing the new question.
    result = person.save_section(response_id, "about_you", {
        "rev.role": "1", "role": "Lead member",
        **{f"rev.{qid}": "0" for qid in ("full_name", "email", "council_website",
                                         "years_in_role", "has_scrutiny")}})
    assert result.status_code == 302 and result.headers["Location"].endswith("about_you")
    assert 'id="role_other"' not in person.get(section).text


def test_a_changed_file_synced_makes_a_new_version_and_finalised_responses_keep_theirs(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    folder = use_definitions(app, tmp_path, {"generated-5.yaml": _generated_definition(5)})
    first = Person(app, make_user(organisation=authority))
    first_id = first.start("generated-5")
    for i in range(5):
        assert first.autosave(first_id, f"q{i}", {f"q{i}": "An answer"}).status_code == 200
    assert first.client.post(f"/questionnaires/responses/{first_id}/finalise",
                             data={"csrf_token": first.token}).status_code == 302
    changed = _generated_definition(5).replace("version: 1", "version: 2").replace(
        "label: Question 0", "label: Question zero")
    (folder / "generated-5.yaml").write_text(changed)
    assert [outcome.done for outcome in sync(None, folder)] == ["published"]
    second = Person(app, make_user(organisation=authority))
    second_id = second.start("generated-5")
    versions = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == "generated-5").order_by(FormVersion.id)).all()
    assert [v.version for v in versions] == [1, 2]
    assert db.session.get(Response, first_id).form_version_id == versions[0].id
    assert db.session.get(Response, second_id).form_version_id == versions[1].id
    # Finalised answers render with their version; drafts move (test_carry_forward.py).
    assert "Question 0" in first.get(f"/questionnaires/responses/{first_id}").text
    assert "Question zero" in second.get(
        f"/questionnaires/responses/{second_id}/sections/only").text


def test_check_definitions_fails_on_every_file_of_the_broken_corpus(runner: Any) -> None:
    corpus = ROOT / "tests" / "data" / "broken_definitions"
    result = runner.invoke(args=["seslip", "check-definitions", str(corpus)])
    assert result.exit_code == 1
    reported = {line.split(":", 1)[0] for line in result.output.splitlines()
                if re.match(r".+\.ya?ml:\d+:\d+: .+", line)}
    assert reported == {str(path) for path in corpus.glob("*.y*ml")}


INPUTS_DEFINITION = textwrap.dedent("""\
    id: inputs-test
    version: 1
    title: Inputs
    sections:
      - id: one
        title: One
        items:
          - {id: when, type: date, label: When, min: "2022-11-01", max: "2022-12-31"}
          - {id: how_many, type: number, label: How many}
          - {id: email, type: email, label: Email}
          - id: links
            type: repeatable
            label: Links
            fields: [{id: url, type: url, label: Address}]
    """)


def test_inputs_carry_their_attributes_unescaped(app: Flask, tmp_path: Path,
                                                 authority: Any) -> None:
    use_definitions(app, tmp_path, {"inputs-test.yaml": INPUTS_DEFINITION})
    person = Person(app, make_user(organisation=authority))
    response_id = person.start("inputs-test")
    html = person.get(f"/questionnaires/responses/{response_id}/sections/one").text
    assert re.search(r'id="when"[^>]* min="2022-11-01" max="2022-12-31"', html)
    assert re.search(r'id="how_many"[^>]* inputmode="decimal" spellcheck="false"', html)
    assert re.search(r'id="email"[^>]* spellcheck="false" autocomplete="email"', html)
    assert re.search(r'type="url"[^>]* spellcheck="false" id="links-0-url"', html)
    assert "&#34;" not in html
