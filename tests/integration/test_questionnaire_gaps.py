"""Form engine gaps a new admin hit (issue 16), through the web layer on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from seslip.accounts.models import OrgRole
from tests.integration.test_questionnaires import (
    Person,
    answers_in_db,
    fill_everything,
    use_definitions,
    use_example_definitions,
)
from tests.support.factories import make_organisation, make_user

EXAMPLE = "example-all-question-types"


@pytest.fixture
def authority() -> Any:
    return make_organisation("Kent County Council")


# --- 4. exclusive options ------------------------------------------------------------------------


def test_an_exclusive_option_with_another_is_refused_by_autosave(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    use_example_definitions(app, tmp_path)
    person = Person(app, make_user(organisation=authority))
    response_id = person.start(EXAMPLE)
    result = person.autosave(response_id, "partners", {"partners": ["health", "none"]})
    assert result.status_code == 422
    assert "“None of these” cannot be chosen together with other answers" in result.text
    assert answers_in_db(response_id) == {}
    assert person.autosave(response_id, "partners", {"partners": ["none"]}).status_code == 200
    assert answers_in_db(response_id) == {"partners": ["none"]}


def test_an_exclusive_option_with_another_is_refused_without_javascript(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    use_example_definitions(app, tmp_path)
    person = Person(app, make_user(organisation=authority))
    response_id = person.start(EXAMPLE)
    result = person.save_section(response_id, "priorities", {
        "rev.partners": "0", "partners": ["police", "none"]})
    assert result.status_code == 422
    assert "cannot be chosen together with other answers" in result.text
    # What was ticked stays ticked, so the person sees what to change.
    assert 'value="police" checked' in result.text and 'value="none" checked' in result.text
    assert 'data-exclusive' in result.text
    assert answers_in_db(response_id) == {}


# --- 5. completion text --------------------------------------------------------------------------


SMALL = """\
id: {id}
version: 1
title: Small questionnaire
{extra}sections:
  - id: only
    title: Only section
    items:
      - {{id: answer, type: short_text, label: Your answer, required: true}}
"""


def finalised_page(app: Flask, tmp_path: Path, authority: Any, extra: str = "") -> str:
    use_definitions(app, tmp_path, {"small.yaml": SMALL.format(id="small", extra=extra)})
    person = Person(app, make_user(organisation=authority))
    response_id = person.start("small")
    assert person.autosave(response_id, "answer", {"answer": "Done."}).status_code == 200
    result = person.client.post(f"/questionnaires/responses/{response_id}/finalise",
                                data={"csrf_token": person.token})
    assert result.status_code == 302, result.text
    page = person.get(result.headers["Location"])
    assert page.status_code == 200
    return str(page.text.split("<main", 1)[1])


def test_without_completion_text_the_page_promises_nothing_about_a_triad(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    page = finalised_page(app, tmp_path, authority)
    assert "Answers finalised" in page
    assert "triad" not in page and "will be shared" not in page
    assert "Only you and the programme staff" in page
    assert "What happens next" not in page


def test_a_definition_sets_its_own_completion_text_in_sanitised_markdown(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    extra = ('completion: |\n  We meet on **Friday**. [Agenda](https://example.org/agenda)\n'
             '  <script>window.x = 1</script>\n')
    page = finalised_page(app, tmp_path, authority, extra)
    assert "What happens next" in page
    assert "<strong>Friday</strong>" in page
    assert '<a href="https://example.org/agenda"' in page
    assert "<script" not in page


def test_the_self_assessment_says_what_happens_next(app: Flask, authority: Any) -> None:
    lead = Person(app, make_user(organisation=authority, org_role=OrgRole.LEAD_MEMBER))
    response_id = lead.start()
    fill_everything(lead, response_id)
    result = lead.client.post(f"/questionnaires/responses/{response_id}/finalise",
                              data={"csrf_token": lead.token})
    page = lead.get(result.headers["Location"]).text
    assert "share your self-assessment with the other lead members of your" in page
