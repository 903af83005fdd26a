"""Grid and ranking questions, and choice fields in repeatable rows, through the web layer."""

from __future__ import annotations

import html as markup
import re
import textwrap
from pathlib import Path

from flask import Flask

from tests.integration.test_questionnaires import Person, answers_in_db, use_definitions
from tests.support.factories import make_organisation, make_user

# A small induction-day feedback form: the shapes programme officers asked for.
FEEDBACK = textwrap.dedent("""\
    id: induction-feedback-test
    version: 1
    title: Induction day feedback
    sections:
      - id: day
        title: The day
        items:
          - id: sessions
            type: grid
            label: How useful was each session?
            hint: Choose one answer for each session.
            required: true
            options: [Not useful, Quite useful, Very useful]
            statements:
              - {id: welcome, label: The welcome talk}
              - {id: workshop, label: The safeguarding workshop}
          - id: priorities
            type: ranking
            label: Which topics should the next day cover first?
            required: true
            top: 2
            options:
              - {value: budget, label: Budgets}
              - {value: scrutiny, label: Scrutiny}
              - {value: ofsted, label: Inspections}
          - id: meetings
            type: repeatable
            label: Meetings you have been to
            item_label: Meeting
            fields:
              - {id: name, type: short_text, label: Name of the meeting}
              - {id: kind, type: single_choice, label: Kind, options: [Board, Panel]}
              - {id: spoke, type: yes_no, label: "Did you speak?"}
    """)
SECTION = "/questionnaires/responses/{}/sections/day"


def _person(app: Flask, tmp_path: Path) -> tuple[Person, int]:
    use_definitions(app, tmp_path, {"induction-feedback-test.yaml": FEEDBACK})
    person = Person(app, make_user(organisation=make_organisation("Kent County Council")))
    return person, person.start("induction-feedback-test")


def _between(page: str, start: str, end: str) -> str:
    at = page.index(start)
    return page[at:page.index(end, at)]


def test_a_grid_is_a_fieldset_per_statement_with_radios_per_row(app: Flask,
                                                                tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    page = person.get(SECTION.format(response_id)).text
    row = _between(page, '<fieldset class="fieldset grid-row">', "</fieldset>")
    assert '<legend class="grid-statement">The welcome talk</legend>' in row
    radios = re.findall(r'type="radio" id="([^"]+)" name="([^"]+)" value="([^"]+)"', row)
    assert radios == [("sessions-welcome", "sessions-welcome", "Not useful"),
                      ("sessions-welcome-2", "sessions-welcome", "Quite useful"),
                      ("sessions-welcome-3", "sessions-welcome", "Very useful")]
    assert page.count('<fieldset class="fieldset grid-row">') == 2


def test_grid_rows_are_autosaved_shown_and_missing_rows_named(app: Flask,
                                                              tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    result = person.autosave(response_id, "sessions", {"sessions-workshop": "Very useful"})
    assert result.status_code == 200, result.text
    assert answers_in_db(response_id)["sessions"] == {"workshop": "Very useful"}
    page = person.get(SECTION.format(response_id)).text
    assert re.search(r'id="sessions-workshop-3" name="sessions-workshop" value="Very useful" '
                     r'checked', page)
    check = markup.unescape(person.get(f"/questionnaires/responses/{response_id}/check").text)
    assert "Rate every statement. Not rated yet: 'The welcome talk'." in check
    assert re.search(r"<strong>The safeguarding workshop:</strong> Very useful", check)
    assert re.search(r"<strong>The welcome talk:</strong> Not rated", check)


def test_a_grid_rating_off_the_scale_is_refused_keeping_nothing(app: Flask,
                                                               tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    result = person.autosave(response_id, "sessions", {"sessions-welcome": "Brilliant"})
    assert result.status_code == 422
    assert "is not one of the options for" in markup.unescape(result.text)
    assert answers_in_db(response_id) == {}


def test_a_ranking_is_a_list_per_place_saved_without_javascript(app: Flask,
                                                               tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    page = person.get(SECTION.format(response_id)).text
    assert '<label class="label" for="priorities-1">1st</label>' in page
    assert '<label class="label" for="priorities-2">2nd</label>' in page
    assert 'id="priorities-3"' not in page  # only the top 2 are ranked
    result = person.save_section(response_id, "day", {
        "rev.sessions": "0", "rev.priorities": "0", "rev.meetings": "0",
        "priorities-1": "scrutiny", "priorities-2": "budget"})
    assert result.status_code == 302, result.text
    assert answers_in_db(response_id) == {"priorities": ["scrutiny", "budget"]}
    page = person.get(SECTION.format(response_id)).text
    assert '<option value="scrutiny" selected>Scrutiny</option>' in _between(
        page, 'id="priorities-1"', "</select>")
    check = person.get(f"/questionnaires/responses/{response_id}/check").text
    assert "1st: Scrutiny<br>2nd: Budgets" in check


def test_an_option_in_two_places_is_named_and_the_draft_kept(app: Flask,
                                                             tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    result = person.autosave(response_id, "priorities",
                             {"priorities-1": "ofsted", "priorities-2": "ofsted"})
    assert result.status_code == 200
    message = ("You have put 'Inspections' in more than one place (1st and 2nd). "
               "Choose each option once.")
    assert message in markup.unescape(result.text)
    assert answers_in_db(response_id) == {"priorities": ["ofsted", "ofsted"]}
    page = markup.unescape(person.get(SECTION.format(response_id)).text)
    assert message in page
    check = markup.unescape(person.get(f"/questionnaires/responses/{response_id}/check").text)
    assert message in check


def test_a_ranking_option_that_does_not_exist_is_refused(app: Flask, tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    result = person.save_section(response_id, "day", {
        "rev.priorities": "0", "priorities-1": "lunch", "priorities-2": "budget"})
    assert result.status_code == 422
    assert "&#39;lunch&#39; is not one of the options." in result.text
    assert answers_in_db(response_id) == {}


def test_choice_fields_in_rows_are_lists_labelled_by_the_field(app: Flask,
                                                              tmp_path: Path) -> None:
    person, response_id = _person(app, tmp_path)
    page = person.get(SECTION.format(response_id)).text
    assert '<label class="label" for="meetings-0-kind">Kind</label>' in page
    kind = _between(page, '<select class="select" id="meetings-0-kind"', "</select>")
    assert re.findall(r'<option value="([^"]*)"', kind) == ["", "Board", "Panel"]
    spoke = _between(page, '<select class="select" id="meetings-0-spoke"', "</select>")
    assert re.findall(r'<option value="([^"]*)"', spoke) == ["", "yes", "no"]
    result = person.save_section(response_id, "day", {
        "rev.meetings": "0", "meetings-0-name": "Corporate parenting", "meetings-0-kind": "Panel",
        "meetings-0-spoke": "yes"})
    assert result.status_code == 302, result.text
    assert answers_in_db(response_id) == {"meetings": [
        {"name": "Corporate parenting", "kind": "Panel", "spoke": "yes"}]}
    page = person.get(SECTION.format(response_id)).text
    assert '<option value="Panel" selected>Panel</option>' in page
    assert '<option value="yes" selected>Yes</option>' in page
    check = person.get(f"/questionnaires/responses/{response_id}/check").text
    assert "<strong>Did you speak?:</strong> Yes" in check
    refused = person.autosave(response_id, "meetings", {"meetings-0-spoke": "perhaps"}, 1)
    assert refused.status_code == 422 and "Choose yes or no." in refused.text
