from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from seslip.formengine import (
    Block,
    Definition,
    FormState,
    Item,
    Question,
    Section,
    load_definition,
    normalise,
    read_form,
)
from seslip.formengine.answers import REQUIRED_MESSAGE, Answers, Status

# Each of these asks one FormState one thing, as a page does many times.


def visible_questions(definition: Definition, answers: Answers) -> list[Question]:
    return FormState(definition, answers).visible_questions()


def is_visible(definition: Definition, item: Item | Section, answers: Answers) -> bool:
    return FormState(definition, answers).is_visible(item)


def is_required(definition: Definition, question: Question, answers: Answers) -> bool:
    return FormState(definition, answers).is_required(question)


def section_status(definition: Definition, section_id: str, answers: Answers) -> Status:
    return FormState(definition, answers).section_status(section_id)


def missing_required(definition: Definition, answers: Answers) -> list[str]:
    """Ids of shown, required questions that have no answer."""
    problems = FormState(definition, answers).problems()
    return [question_id for question_id, message in problems if message == REQUIRED_MESSAGE]


def finalise_problems(definition: Definition, answers: Answers) -> list[tuple[str, str]]:
    return FormState(definition, answers).problems()

SECTIONS = """\
- id: about
  title: About
  items:
    - {id: role, type: single_choice, label: Role, required: true,
       options: [Lead member, Director, Other]}
    - {id: role_other, type: short_text, label: Other role, required: true,
       visible_if: "role == 'Other'"}
    - {id: detail, type: short_text, label: Detail, visible_if: "answered(role_other)"}
    - {id: years, type: number, label: Years}
    - {id: notes, type: long_text, label: Notes, max_words: 3,
       required_if: "years >= 2"}
    - {type: guidance, text: Tip, visible_if: "not answered(notes)"}
- id: challenge
  title: Challenge
  visible_if: "role in ['Lead member', 'Director']"
  items:
    - {id: day, type: date, label: Day, required: true}
- id: extra
  title: Extra
  items:
    - {id: links, type: repeatable, label: Links, fields: [{id: url, type: url, label: URL}]}
    - {id: summary, type: long_text, label: Summary, required_if: "count(links) >= 2"}
"""


@pytest.fixture
def definition(make_definition: Callable[[str], Definition]) -> Definition:
    return make_definition(SECTIONS)


def ids(questions: list) -> list[str]:  # type: ignore[type-arg]
    return [question.id for question in questions]


def test_visibility_follows_answers(definition: Definition) -> None:
    assert ids(visible_questions(definition, {})) == ["role", "years", "notes", "links", "summary"]
    answers = {"role": "Director"}
    assert "day" in ids(visible_questions(definition, answers))
    answers = {"role": "Other", "role_other": "Clerk"}
    assert ids(visible_questions(definition, answers))[:3] == ["role", "role_other", "detail"]


def test_hidden_answers_are_ignored_by_conditions(definition: Definition) -> None:
    # role_other keeps its answer but is hidden, so `answered(role_other)` is false.
    answers = {"role": "Director", "role_other": "Clerk"}
    assert "detail" not in ids(visible_questions(definition, answers))
    assert missing_required(definition, answers) == ["day"]


def test_block_and_section_visibility(definition: Definition) -> None:
    about, challenge, _ = definition.sections
    tip = about.items[-1]
    assert isinstance(tip, Block)
    assert is_visible(definition, tip, {})
    assert not is_visible(definition, tip, {"notes": "some"})
    assert not is_visible(definition, challenge, {})
    assert not is_visible(definition, challenge.items[0], {})
    assert is_visible(definition, challenge.items[0], {"role": "Lead member"})


def test_required_if_and_number_answers(definition: Definition) -> None:
    notes = definition.question("notes")
    assert not is_required(definition, notes, {"years": "1"})
    assert is_required(definition, notes, {"years": "2"})
    assert is_required(definition, notes, {"years": "2.5"})
    assert is_required(definition, notes, {"years": "1,000"})
    assert not is_required(definition, notes, {"years": "two"})  # invalid number -> none


def test_hidden_question_is_never_required(definition: Definition) -> None:
    role_other = definition.question("role_other")
    assert role_other.required
    assert not is_required(definition, role_other, {"role": "Director"})
    assert is_required(definition, role_other, {"role": "Other"})


def test_count_in_required_if(definition: Definition) -> None:
    summary = definition.question("summary")
    assert not is_required(definition, summary, {"links": [{"url": "http://a"}]})
    assert is_required(definition, summary, {"links": [{"url": "http://a"}, {"url": "http://b"}]})


def test_section_status(definition: Definition) -> None:
    assert section_status(definition, "about", {}) == "not_started"
    assert section_status(definition, "about", {"years": "1"}) == "in_progress"
    assert section_status(definition, "about", {"role": "Director"}) == "completed"
    # Over the word limit: answered but not complete.
    answers = {"role": "Director", "notes": "one two three four"}
    assert section_status(definition, "about", answers) == "in_progress"
    # A hidden question's invalid answer does not matter.
    answers = {"role": "Director", "role_other": "x\ny"}
    assert section_status(definition, "about", answers) == "completed"
    # A section with no shown questions has nothing left to do.
    assert section_status(definition, "challenge", {}) == "completed"
    assert section_status(definition, "challenge", {"role": "Director"}) == "not_started"
    with pytest.raises(KeyError):
        section_status(definition, "nope", {})


def test_finalise_problems(definition: Definition) -> None:
    answers = {"role": "Other", "years": "3", "notes": "one two three four", "extra": "x"}
    assert finalise_problems(definition, answers) == [
        ("role_other", "This question needs an answer."),
        ("notes", "Your answer must be 3 words or fewer. You have 4 words (1 too many)."),
    ]
    complete = {"role": "Lead member", "day": "2022-11-02"}
    assert finalise_problems(definition, complete) == []
    assert missing_required(definition, {}) == ["role"]


def test_unknown_answer_ids(definition: Definition) -> None:
    # An answer to a question of an older version is kept, and is simply not a question now.
    answers = {"role": "Other", "old_question": "x"}
    assert [key for key in answers if key not in definition.questions] == ["old_question"]
    assert "old_question" not in ids(FormState(definition, answers).visible_questions())


def test_form_state_answers_many_questions_at_once(definition: Definition) -> None:
    state = FormState(definition, {"role": "Other", "role_other": "Clerk"})
    about = definition.section("about")
    assert [type(item).__name__ for item in state.visible_items(about)] == [
        "Question",
        "Question",
        "Question",
        "Question",
        "Question",
        "Block",
    ]
    assert state.section_status("about") == "completed"
    assert state.problems(definition.section("challenge")) == []


def test_normalise_section(definition: Definition) -> None:
    form = read_form({"role": "Nobody", "years": "4", "notes": "a\r\nb"})
    answers, rejected = {}, {}
    for question in definition.section("about").questions:
        answers[question.id], messages = normalise(question, form.answer(question.id))
        if messages:
            rejected[question.id] = messages
    assert answers == {
        "role": None,
        "role_other": None,
        "detail": None,
        "years": "4",
        "notes": "a\nb",
    }
    assert rejected == {"role": ["'Nobody' is not one of the options."]}


EXAMPLE = Path(__file__).resolve().parents[3] / "form_definitions/example-all-question-types.yaml"


@pytest.mark.skipif(not EXAMPLE.is_file(), reason="example definition not shipped")
def test_example_definition_conditions() -> None:
    definition = load_definition(EXAMPLE)
    answers = {
        "role": "Other",
        "has_scrutiny": "yes",
        "years_in_role": "3",
        "partners": ["other"],
        "evidence_links": [{"title": "a", "url": "http://a"}],
    }
    shown = ids(visible_questions(definition, answers))
    assert {"role_other", "scrutiny_notes", "partners_other", "evidence_summary"} <= set(shown)
    assert "challenge_date" not in shown
    required = set(missing_required(definition, answers))
    assert {"scrutiny_notes", "partners_other", "ambition"} <= required
    assert "evidence_summary" not in required
