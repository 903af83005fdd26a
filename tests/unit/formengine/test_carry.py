"""The plan that carries answers from one version of a questionnaire to the next (pure)."""

from __future__ import annotations

from pathlib import Path

from seslip.formengine import Definition, parse_definition
from seslip.formengine.carry import Someone, WordLimit, carry, effect, plan

DATA = Path(__file__).resolve().parents[2] / "data" / "carry"
V1 = parse_definition((DATA / "v1.yaml").read_text(), path="v1.yaml")
V2 = parse_definition((DATA / "v2.yaml").read_text(), path="v2.yaml")

# Half filled in: no plans yet, an officer, an ambition of seven words.
HALF = {
    "name": "Jo Bloggs",
    "role": "officer",
    "ambition": "Every child in the county thrives at school",
    "hobby": "Walking",
    "notes": "Ask me about the budget",
}


def definition(text: str, version: int = 2) -> Definition:
    head = f"id: carry-test\nversion: {version}\ntitle: T\nsections:\n  - id: s\n    title: S\n"
    return parse_definition(head + "    items:\n" + text, path="t.yaml")


def test_kept_ids_move_and_renamed_from_is_followed() -> None:
    the_plan = plan(V1, V2)
    assert dict(the_plan.moves) == {"name": "full_name", "role": "role", "ambition": "ambition",
                                    "plans": "plans"}
    assert the_plan.renamed == {"name": "full_name"}


def test_questions_without_a_place_are_removed_and_new_ones_added() -> None:
    the_plan = plan(V1, V2)
    # 'hobby' became 'interest' without renamed_from: its answers cannot know, so they stay.
    assert the_plan.removed == ("hobby", "notes")
    assert the_plan.added == ("interest", "priority")
    assert the_plan.now_required == ("priority",)


def test_tightened_limits_removed_options_are_found() -> None:
    the_plan = plan(V1, V2)
    assert the_plan.tightened == (WordLimit("ambition", 100, 5),)
    assert dict(the_plan.removed_options) == {"role": ("officer",)}
    assert dict(the_plan.type_changed) == {}


def test_a_half_filled_response_keeps_every_answer() -> None:
    done = carry(plan(V1, V2), HALF)
    assert dict(done.answers) == {"full_name": "Jo Bloggs", "role": "officer",
                                  "ambition": HALF["ambition"]}
    assert done.read_only == ("hobby", "notes")
    assert set(done.moved) | set(done.read_only) == set(HALF)  # nothing is dropped
    assert done.unanswered_required == ("priority",)
    findings = {(f.question_id, f.kind): f.message for f in done.findings}
    assert findings == {
        ("ambition", "over_limit"):
            "The word limit is now 5 words and this answer has 8 (3 too many).",
        ("role", "removed_option"): "‘officer’ is no longer one of the options: choose again.",
    }


def test_an_answer_within_the_new_limit_and_a_kept_option_give_no_findings() -> None:
    done = carry(plan(V1, V2), {**HALF, "role": "lead", "ambition": "Thriving children"})
    assert done.findings == ()


def test_unanswered_questions_do_not_move() -> None:
    done = carry(plan(V1, V2), {"name": "", "hobby": "  ", "plans": "Soon"})
    assert dict(done.moved) == {"plans": "plans"} and done.read_only == ()


def test_a_rename_is_followed_through_the_versions_in_between() -> None:
    v1 = definition("      - {id: a, type: short_text, label: A}\n", 1)
    v2 = definition("      - {id: b, type: short_text, label: B, renamed_from: a}\n", 2)
    v3 = definition("      - {id: c, type: short_text, label: C, renamed_from: b}\n", 3)
    assert dict(plan(v1, v3, between=[v2]).moves) == {"a": "c"}
    assert plan(v1, v3).removed == ("a",)  # without the version in between there is no trail


def test_a_kept_id_wins_over_a_rename_onto_it() -> None:
    old = definition("      - {id: a, type: short_text, label: A}\n"
                     "      - {id: b, type: short_text, label: B}\n", 1)
    new = definition("      - {id: b, type: short_text, label: B, renamed_from: a}\n")
    the_plan = plan(old, new)
    assert dict(the_plan.moves) == {"b": "b"} and the_plan.removed == ("a",)


def test_a_question_becoming_required_and_a_changed_type_are_reported() -> None:
    old = definition("      - {id: a, type: short_text, label: A}\n"
                     "      - {id: n, type: short_text, label: N}\n", 1)
    new = definition("      - {id: a, type: short_text, label: A, required: true}\n"
                     "      - {id: n, type: number, label: N}\n")
    the_plan = plan(old, new)
    assert the_plan.now_required == ("a",)
    assert dict(the_plan.type_changed) == {"n": ("short_text", "number")}
    done = carry(the_plan, {"n": "lots"})
    assert [(f.question_id, f.kind) for f in done.findings] == [("n", "invalid")]
    assert done.unanswered_required == ("a",)


def test_a_hidden_required_question_is_not_reported_unanswered() -> None:
    old = definition("      - {id: a, type: yes_no, label: A}\n", 1)
    new = definition("      - {id: a, type: yes_no, label: A}\n"
                     "      - {id: why, type: long_text, label: Why, required: true,"
                     " visible_if: \"a == 'yes'\"}\n")
    assert carry(plan(old, new), {"a": "no"}).unanswered_required == ()
    assert carry(plan(old, new), {"a": "yes"}).unanswered_required == ("why",)


def test_an_answer_left_behind_earlier_counts_again_when_its_question_returns() -> None:
    v2 = definition("      - {id: b, type: short_text, label: B}\n", 2)
    v3 = definition("      - {id: a, type: short_text, label: A}\n"
                    "      - {id: b, type: short_text, label: B}\n", 3)
    done = carry(plan(v2, v3), {"a": "from version 1", "b": "kept"})
    assert dict(done.answers) == {"a": "from version 1", "b": "kept"}


def test_the_effect_of_publishing() -> None:
    someone = Someone("Jo Bloggs, East Sussex", V1, HALF)
    empty = Someone("Sam Smith, Kent", V1, {})
    already = Someone("Ali Khan, Surrey", V2, {"full_name": "Ali"})
    result = effect(V1, V2, [someone, empty, already])
    assert (result.in_progress, result.moving) == (3, 2)
    assert result.kept_answers == 2  # role and ambition
    assert [(row.old_id, row.question.id, row.who) for row in result.renamed] == [
        ("name", "full_name", ["Jo Bloggs, East Sussex"])]
    assert [(row.old_id, row.count) for row in result.read_only] == [("hobby", 1), ("notes", 1)]
    assert [question.id for question in result.added] == ["interest", "priority"]
    assert [(row.question.id, row.who) for row in result.now_required] == [
        ("priority", ["Jo Bloggs, East Sussex", "Sam Smith, Kent"])]
    [limit] = result.tightened
    assert limit.detail == "100 words → 5 words"
    assert limit.who == ["Jo Bloggs, East Sussex: The word limit is now 5 words and this "
                         "answer has 8 (3 too many)."]
    [option] = result.removed_options
    assert option.detail == "‘officer’" and option.count == 1
    assert not result.nothing_changes


def test_the_effect_with_no_responses_still_lists_the_changes() -> None:
    result = effect(V1, V2, [])
    assert (result.in_progress, result.moving) == (0, 0)
    assert [row.old_id for row in result.read_only] == ["hobby", "notes"]
    assert [row.count for row in result.tightened] == [0]


def test_the_effect_of_an_unchanged_text_is_nothing() -> None:
    assert effect(V1, V1, [Someone("Jo", V1, HALF)]).nothing_changes


def test_the_effect_says_what_it_compared_with() -> None:
    assert effect(V1, V2, []).compared == [1]
    nothing = effect(None, V2, [Someone("Ali", V2, {})])
    assert (nothing.compared, nothing.moving, nothing.in_progress) == ([], 0, 1)
