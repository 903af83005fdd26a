"""Form engine gaps a new admin hit (issue 16), through the web layer on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from seslip.accounts.models import OrgRole
from seslip.extensions import db
from seslip.questionnaires.models import FormVersion
from tests.integration.test_questionnaires import (
    Person,
    answers_in_db,
    fill_everything,
    use_definitions,
    use_example_definitions,
)
from tests.support.factories import make_admin, make_organisation, make_user

EXAMPLE = "example-all-question-types"


@pytest.fixture
def authority() -> Any:
    return make_organisation("Kent County Council")


# --- 3. conditions update in place ---------------------------------------------------------------


def test_an_autosave_that_changes_which_questions_apply_swaps_them_in_place(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    use_example_definitions(app, tmp_path)
    person = Person(app, make_user(organisation=authority))
    response_id = person.start(EXAMPLE)
    section = person.get(f"/questionnaires/responses/{response_id}/sections/about_you").text
    # Every item has a slot; a hidden one is empty, ready to be filled.
    assert re.search(r'<div class="item-slot" id="item-about_you-4"></div>', section)
    result = person.autosave(response_id, "role", {"role": "Other"})
    slot = re.search(r'<div class="item-slot" id="item-about_you-4" hx-swap-oob="true">(.*?)'
                     r'<p class="save-status" id="status-role_other"', result.text, re.S)
    assert slot is not None and 'name="role_other"' in slot[1]
    assert "now showing “Please describe your role”" in result.text
    assert 'id="item-about_you-0"' not in result.text  # nothing else is replaced
    result = person.autosave(response_id, "role", {"role": "Director"}, 1)
    assert '<div class="item-slot" id="item-about_you-4" hx-swap-oob="true"></div>' in result.text
    assert "no longer showing “Please describe your role”" in result.text
    # A request that is not htmx's cannot apply swaps: it keeps the link.
    plain = person.client.post(
        f"/questionnaires/responses/{response_id}/answers/role",
        data={"role": "Other", "rev.role": "2"}, headers={"X-CSRFToken": person.token})
    assert "show the updated questions" in plain.text
    assert 'id="item-about_you-4"' not in plain.text


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


# --- 6. a broken file does not hide its responses --------------------------------------------


RATED = SMALL.replace(
    "      - {{id: answer, type: short_text, label: Your answer, required: true}}\n",
    "      - {{id: answer, type: short_text, label: Your answer, required: true}}\n"
    "      - {{id: rating, type: single_choice, label: Rating, options: ['1', '2']}}\n"
    "      - {{id: why, type: short_text, label: Why, visible_if: \"{condition}\"}}\n",
)


def test_a_broken_file_keeps_its_responses_listed_and_readable_with_a_warning(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    folder = use_definitions(app, tmp_path, {"small.yaml": SMALL.format(id="small", extra="")})
    owner = Person(app, make_user(name="Olive Owner", organisation=authority))
    response_id = owner.start("small")
    assert owner.autosave(response_id, "answer", {"answer": "Kept answer."}).status_code == 200
    (folder / "small.yaml").write_text(SMALL.format(id="small", extra="").replace(
        "title: Only section", "title: Only section\n   items: []"))
    admin = Person(app, make_admin())
    index = admin.get("/questionnaires/").text
    assert "Olive Owner" in index and "Small questionnaire" in index
    assert f"The definition file {folder / 'small.yaml'} has problems" in index
    assert "line 7, column 4: YAML syntax error" in index  # the problem itself, located
    page = admin.get(f"/questionnaires/responses/{response_id}")
    assert page.status_code == 200 and "Kept answer." in page.text
    # The owner still finds and continues their own response.
    assert f"/questionnaires/responses/{response_id}" in owner.get("/questionnaires/").text
    assert f"/questionnaires/responses/{response_id}" in owner.get("/").text
    assert owner.get(f"/questionnaires/responses/{response_id}/sections/only").status_code == 200
    # Nobody can start it while the file is broken.
    newcomer = Person(app, make_user(organisation=authority))
    assert newcomer.start_result("small").status_code == 302
    assert "cannot be opened" in newcomer.get("/questionnaires/").text


def test_a_deleted_file_keeps_its_responses_listed(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    folder = use_definitions(app, tmp_path, {"small.yaml": SMALL.format(id="small", extra="")})
    owner = Person(app, make_user(name="Olive Owner", organisation=authority))
    owner.start("small")
    (folder / "small.yaml").unlink()
    index = Person(app, make_admin()).get("/questionnaires/").text
    assert "Olive Owner" in index and "There is no definition file" in index


def test_a_stored_version_stays_readable_after_the_checks_got_stricter(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    # Stored before check-definitions refused numbers against text options.
    use_definitions(app, tmp_path, {
        "small.yaml": RATED.format(id="small", extra="", condition="rating in ['1', '2']")})
    owner = Person(app, make_user(organisation=authority))
    response_id = owner.start("small")
    old_text = RATED.format(id="small", extra="", condition="rating in [1, 2]")
    db.session.execute(update(FormVersion).values(source=old_text, sha256="0" * 64))
    db.session.commit()
    page = owner.get(f"/questionnaires/responses/{response_id}/sections/only")
    assert page.status_code == 200 and "Rating" in page.text


# --- 7. a changed file must raise its version ------------------------------------------------


def test_a_file_changed_without_a_new_version_is_refused_until_the_version_is_raised(
    app: Flask, tmp_path: Path, authority: Any, runner: Any
) -> None:
    text = SMALL.format(id="small", extra="")
    folder = use_definitions(app, tmp_path, {"small.yaml": text})
    first = Person(app, make_user(organisation=authority))
    first_id = first.start("small")
    (folder / "small.yaml").write_text(text.replace("Your answer", "Your changed answer"))
    second = Person(app, make_user(organisation=authority))
    result = second.start_result("small")
    assert result.status_code == 302
    assert "changed without a new version number" in second.get("/questionnaires/").text
    assert db.session.scalars(select(FormVersion)).all()[0].version == 1
    assert len(db.session.scalars(select(FormVersion)).all()) == 1
    admin_index = Person(app, make_admin()).get("/questionnaires/").text
    assert (f"The definition file {folder / 'small.yaml'} was changed, but its version is "
            "still 1") in admin_index
    assert "Raise &#39;version&#39; to 2" in admin_index
    # check-definitions says so too, at the file's version line.
    checked = runner.invoke(args=["seslip", "check-definitions"])
    assert checked.exit_code == 1
    assert f"{folder / 'small.yaml'}:2:1: The definition file" in checked.output
    # The first person carries on with the version they started.
    assert "Your answer" in first.get(f"/questionnaires/responses/{first_id}/sections/only").text
    (folder / "small.yaml").write_text(
        text.replace("Your answer", "Your changed answer").replace("version: 1", "version: 2"))
    second_id = second.start("small")
    assert "Your changed answer" in second.get(
        f"/questionnaires/responses/{second_id}/sections/only").text
    assert [v.version for v in db.session.scalars(select(FormVersion).order_by(FormVersion.id))
            ] == [1, 2]
    assert "was changed, but its version" not in Person(app, make_admin()).get(
        "/questionnaires/").text
    assert runner.invoke(args=["seslip", "check-definitions"]).exit_code == 0


# --- 8. adding a row, and dates in rows --------------------------------------------------------


MEETINGS = """\
id: meetings
version: 1
title: Meetings
sections:
  - id: only
    title: Only section
    items:
      - id: meetings
        type: repeatable
        label: Meetings
        item_label: Meeting
        fields:
          - {id: topic, type: short_text, label: Topic}
          - {id: day, type: date, label: Day, min: "2022-11-01", max: "2022-12-31"}
      - {id: first, type: date, label: First meeting, min: "2022-10-01", max: "2022-10-31"}
      - {id: contact, type: email, label: Contact}
"""


def row_count(html: str) -> int:
    return len(re.findall(r'id="meetings-\d+-topic"', html))


def test_reloading_after_add_another_adds_no_more_rows(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    use_definitions(app, tmp_path, {"meetings.yaml": MEETINGS})
    person = Person(app, make_user(organisation=authority))
    response_id = person.start("meetings")
    result = person.save_section(response_id, "only", {
        "rev.meetings": "0", "meetings-0-topic": "Budget", "meetings-0-day": "2022-11-02",
        "add_row": "meetings"})
    assert result.status_code == 302
    page = result.headers["Location"]
    assert row_count(person.get(page).text) == 2
    assert row_count(person.get(page).text) == 2  # reloading: the same rows
    # The new row is typed in and autosaved; reloading then shows it, and no new empty row.
    saved = person.autosave(response_id, "meetings", {
        "meetings-0-topic": "Budget", "meetings-0-day": "2022-11-02",
        "meetings-1-topic": "Schools", "meetings-1-day": ""}, 1)
    assert saved.status_code == 200
    html = person.get(page).text
    assert row_count(html) == 2 and 'value="Schools"' in html


def test_date_fields_in_rows_get_their_min_and_max(
    app: Flask, tmp_path: Path, authority: Any
) -> None:
    use_definitions(app, tmp_path, {"meetings.yaml": MEETINGS})
    person = Person(app, make_user(organisation=authority))
    response_id = person.start("meetings")
    html = person.get(f"/questionnaires/responses/{response_id}/sections/only").text
    field = re.search(r'<input[^>]*id="meetings-0-day"[^>]*>', html)
    assert field is not None
    assert 'type="date"' in field[0]
    assert 'min="2022-11-01"' in field[0] and 'max="2022-12-31"' in field[0]
    # Outside rows too: the attributes were escaped into nonsense (min=&#34;...&#34;).
    field = re.search(r'<input[^>]*id="first"[^>]*>', html)
    assert field is not None
    assert 'min="2022-10-01"' in field[0] and 'max="2022-10-31"' in field[0]
    assert 'autocomplete="email"' in html and "&#34;" not in html.split("<main", 1)[1]
