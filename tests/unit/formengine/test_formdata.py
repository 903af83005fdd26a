"""Reading the questionnaire form into plain values, and writing its input names."""

from __future__ import annotations

from seslip.formengine import read_form
from seslip.formengine.formdata import (
    Action,
    cell_name,
    keep_mine_value,
    remove_row_value,
    revision_name,
)


class MultiDict(dict[str, list[str]]):
    """Stands in for Werkzeug's MultiDict: several values per name, read with getlist()."""

    def getlist(self, name: str) -> list[str]:
        return self.get(name, [])


def test_names_written_are_the_names_read() -> None:
    form = MultiDict({
        "csrf_token": ["t"], "action": ["save"],
        revision_name("ambition"): ["3"], "ambition": ["Text"],
        "partners": ["health", "other"],
        cell_name("links", 0, "title"): ["Plan"], cell_name("links", 1, "url"): ["https://a"],
    })
    submitted = read_form(form)
    assert list(submitted.answers) == ["ambition", "partners", "links"]
    assert submitted.answer("ambition").values == ["Text"]
    assert submitted.answer("partners").values == ["health", "other"]
    assert submitted.answer("links").cells == {0: {"title": ["Plan"]}, 1: {"url": ["https://a"]}}
    assert submitted.revisions == {"ambition": "3"}
    assert submitted.action == Action()
    assert submitted.answer("absent").values == []


def test_names_that_are_not_cells_are_kept_apart() -> None:
    submitted = read_form({"links-x-title": "a", "links-201-title": "b", "links-200-title": "c"})
    sent = submitted.answer("links")
    assert sent.odd == ["links-x-title", "links-201-title"]
    assert sent.cells == {200: {"title": ["c"]}}


def test_use_their_version_leaves_the_question_out() -> None:
    submitted = read_form({"use_theirs": "ambition", "ambition": "Mine", "rev.ambition": "1",
                           "other": "x", "rev.other": "0"})
    assert submitted.action == Action("use_theirs", "ambition")
    assert list(submitted.answers) == ["other"] and submitted.revisions == {"other": "0"}


def test_remove_leaves_the_row_out() -> None:
    form = {"remove_row": remove_row_value("links", 1), "links-0-title": "a",
            "links-1-title": "b", "links-2-title": "c"}
    submitted = read_form(form)
    assert submitted.action == Action("remove_row", "links", "1")
    assert submitted.answer("links").cells == {0: {"title": ["a"]}, 2: {"title": ["c"]}}


def test_keep_my_version_is_based_on_the_revision_of_theirs() -> None:
    submitted = read_form({"keep_mine": keep_mine_value("ambition", 4), "rev.ambition": "3",
                           "ambition": "Mine"})
    assert submitted.action == Action("keep_mine", "ambition", "4")
    assert submitted.revisions == {"ambition": "4"}


def test_add_another_row_is_only_an_action() -> None:
    submitted = read_form({"add_row": "links", "links-0-title": "a"})
    assert submitted.action == Action("add_row", "links")
    assert submitted.answer("links").cells == {0: {"title": ["a"]}}


def test_only_keeps_the_questions_named() -> None:
    submitted = read_form({"a": "1", "rev.a": "0", "b": "2", "rev.b": "0"}).only(["b"])
    assert list(submitted.answers) == ["b"] and submitted.revisions == {"b": "0"}


def test_names_of_parts_are_read_by_part() -> None:
    submitted = read_form({"sessions-welcome": "3", "rank-1": "a", "rank-2": "",
                           "links-title": "x", "links-x-title": "y"})
    assert submitted.answer("sessions").parts == {"welcome": ["3"]}
    assert submitted.answer("rank").parts == {"1": ["a"], "2": [""]}
    links = submitted.answer("links")
    assert links.parts == {"title": ["x"]} and links.odd == ["links-x-title"]
