"""Form engine gaps a new admin hit (issue 16), through the web layer on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.integration.test_questionnaires import (
    Person,
    answers_in_db,
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
