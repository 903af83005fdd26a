"""A scale question through the web layer: rendered as radios in a fieldset, saved, shown."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.integration.test_questionnaires import Person, answers_in_db, use_definitions
from tests.support.factories import make_organisation, make_user

pytestmark = pytest.mark.usefixtures("shipped")

RATING = textwrap.dedent("""\
    id: rating-test
    version: 1
    title: Rating
    sections:
      - id: one
        title: One
        items:
          - id: confidence
            type: scale
            label: How confident are you?
            hint: Choose one.
            max: 5
            labels: [Not at all, A little, Somewhat, Quite, Very]
    """)


def _person(app: Flask, tmp_path: Path) -> tuple[Person, int]:
    use_definitions(app, tmp_path, {"rating-test.yaml": RATING})
    person = Person(app, make_user(organisation=make_organisation("Kent County Council")))
    return person, person.start("rating-test")


def test_a_scale_is_radios_in_a_fieldset_named_by_the_question(app: Flask, tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    html = person.get(f"/questionnaires/responses/{response_id}/sections/one").text
    fieldset = html[html.index('<fieldset class="fieldset"'):html.index("</fieldset>")]
    assert '<legend class="label">How confident are you?</legend>' in fieldset
    radios = re.findall(r'<input class="radio-input" type="radio" id="([^"]+)" '
                        r'name="confidence" value="(\d)"', fieldset)
    assert radios == [("confidence", "1"), ("confidence-2", "2"), ("confidence-3", "3"),
                      ("confidence-4", "4"), ("confidence-5", "5")]
    assert '<label class="radio-label" for="confidence-4">4 – Quite</label>' in fieldset


def test_a_point_is_saved_and_shown_with_its_label(app: Flask, tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    assert person.autosave(response_id, "confidence", {"confidence": "4"}).status_code == 200
    assert answers_in_db(response_id) == {"confidence": "4"}
    page = person.get(f"/questionnaires/responses/{response_id}/check").text
    assert "4 – Quite" in page
    html = person.get(f"/questionnaires/responses/{response_id}/sections/one").text
    assert re.search(r'value="4" checked', html)


def test_a_value_off_the_scale_is_refused_keeping_nothing(app: Flask, tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    result = person.autosave(response_id, "confidence", {"confidence": "9"})
    assert result.status_code == 422 and "is not a point on this scale" in result.text
    result = person.save_section(response_id, "one", {"rev.confidence": "0", "confidence": "0"})
    assert result.status_code == 422
    assert answers_in_db(response_id) == {}


def test_the_section_saves_a_point_without_javascript(app: Flask, tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    result: Any = person.save_section(response_id, "one",
                                      {"rev.confidence": "0", "confidence": "2"})
    assert result.status_code == 302
    assert answers_in_db(response_id) == {"confidence": "2"}
