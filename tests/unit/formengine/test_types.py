from __future__ import annotations

import datetime

import pytest

from seslip.formengine import (
    QUESTION_TYPES,
    Option,
    Question,
    RepeatableField,
    read_form,
    validate_answer,
)
from seslip.formengine import normalise as normalise_sent
from seslip.formengine.formdata import FormData


def normalise(question: Question, form: FormData) -> tuple[object, list[str]]:
    """The raw answer from a whole form, read as the pages read it."""
    return normalise_sent(question, read_form(form).answer(question.id))


def q(type_: str, **settings: object) -> Question:
    """A question of this type with these settings (the type's own keys)."""
    own = QUESTION_TYPES[type_].settings(**settings)
    return Question(id="q", type=type_, label="Q", settings=own)


CHOICES = (Option("a", "A"), Option("b", "B"), Option("c", "C"))
LINKS = q(
    "repeatable",
    item_label="Evidence link",
    max_items=2,
    min_items=1,
    fields=(
        RepeatableField(id="title", type="short_text", label="Title", required=True,
                        settings=QUESTION_TYPES["short_text"].settings()),
        RepeatableField(id="url", type="url", label="Web address"),
    ),
)


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (q("long_text", max_words=75), "word " * 75, []),
        (
            q("long_text", max_words=75),
            "word " * 80,
            ["Your answer must be 75 words or fewer. You have 80 words (5 too many)."],
        ),
        (
            q("long_text", max_words=1),
            "two words",
            ["Your answer must be 1 word or fewer. You have 2 words (1 too many)."],
        ),
        (
            q("short_text", min_words=3),
            "one",
            ["Your answer must be at least 3 words. You have 1 word (2 more needed)."],
        ),
        (
            q("short_text", max_length=3),
            "abcd",
            ["Your answer must be 3 characters or fewer. You have 4 characters (1 too many)."],
        ),
        (q("short_text"), "two\nlines", ["Your answer must be on one line."]),
        (q("long_text"), "two\nlines", []),
        (q("long_text", min_words=5), "   ", []),  # blank is unanswered, not too short
        (q("long_text"), ["a list"], ["This answer should be text, but something else was saved."]),
        (q("number"), "12", []),
        (q("number"), " -3.5 ", []),
        (q("number"), "1,000", []),
        (q("number"), "1,00", ["Enter a number, like 12 or 3.5."]),
        (q("number"), "twelve", ["Enter a number, like 12 or 3.5."]),
        (q("number"), "1e5", ["Enter a number, like 12 or 3.5."]),
        (q("number"), "nan", ["Enter a number, like 12 or 3.5."]),
        (q("number", whole_number=True), "2.5", ["Enter a whole number, like 12."]),
        (q("number", whole_number=True), "2.0", []),
        (q("number", min=0, max=40), "-1", ["The number must be 0 or more."]),
        (q("number", min=0, max=2.5), "3", ["The number must be 2.5 or less."]),
        (q("date"), "2023-03-31", []),
        (q("date"), "2023-02-30", ["Enter a real date in the format YYYY-MM-DD, like 2023-03-31."]),
        (q("date"), "31/03/2023", ["Enter a real date in the format YYYY-MM-DD, like 2023-03-31."]),
        (
            q("date", min=datetime.date(2022, 11, 1)),
            "2022-10-31",
            ["The date must be on or after 1 November 2022."],
        ),
        (
            q("date", max=datetime.date(2022, 12, 31)),
            "2023-01-01",
            ["The date must be on or before 31 December 2022."],
        ),
        (q("email"), "name@example.org", []),
        (
            q("email"),
            "name@example",
            ["Enter an email address in the correct format, like name@example.org."],
        ),
        (
            q("email"),
            "a b@example.org",
            ["Enter an email address in the correct format, like name@example.org."],
        ),
        (q("url"), "https://www.example.gov.uk/a-b?c=d", []),
        (q("url"), "http://example.org", []),
        (q("url"), "ftp://example.org", ["Enter a web address starting with http:// or https://."]),
        (
            q("url"),
            "javascript:alert(1)",
            ["Enter a web address starting with http:// or https://."],
        ),
        (q("url"), "https://", ["Enter a web address starting with http:// or https://."]),
        (
            q("url"),
            "https://exa mple.org",
            ["Enter a web address starting with http:// or https://."],
        ),
        (q("url"), "http://[::1", ["Enter a web address starting with http:// or https://."]),
        (q("single_choice", options=CHOICES), "a", []),
        (
            q("single_choice", options=CHOICES),
            "z",
            ["'z' is not one of the options. Choose another answer."],
        ),
        (q("yes_no"), "yes", []),
        (q("yes_no"), "maybe", ["Choose yes or no."]),
        (q("multiple_choice", options=CHOICES), ["a", "c"], []),
        (
            q("multiple_choice", options=CHOICES, max_selected=1),
            ["a", "c"],
            ["Select no more than 1 option. You have selected 2."],
        ),
        (
            q("multiple_choice", options=CHOICES, min_selected=2),
            ["a"],
            ["Select at least 2 options."],
        ),
        (
            q("multiple_choice", options=CHOICES),
            ["a", "z"],
            ["'z' is not one of the options. Choose another answer."],
        ),
        (
            q("multiple_choice", options=CHOICES),
            "a",
            ["This answer should be a list of options, but something else was saved."],
        ),
        (LINKS, [{"title": "Plan", "url": "https://example.org"}], []),
        (
            LINKS,
            [{"title": "", "url": "ftp://x"}],
            [
                "Evidence link 1: Title is missing.",
                "Evidence link 1: Web address: Enter a web address starting with http:// or https://.",
            ],
        ),
        (
            LINKS,
            [{"title": "a"}, {"title": "b"}, {"title": "c"}],
            ["You can add no more than 2 evidence links. You have 3."],
        ),
        (
            LINKS,
            [{"title": "a", "colour": "red"}],
            ["Evidence link 1: 'colour' is not a field of this question."],
        ),
        (
            LINKS,
            {"title": "a"},
            ["This answer should be a list of entries, but something else was saved."],
        ),
    ],
)
def test_validate_answer(question: Question, raw: object, expected: list[str]) -> None:
    assert validate_answer(question, raw) == expected


@pytest.mark.parametrize(
    "kind",
    [
        "short_text",
        "long_text",
        "number",
        "date",
        "email",
        "url",
        "single_choice",
        "yes_no",
        "multiple_choice",
        "repeatable",
    ],
)
def test_unanswered_is_never_invalid(kind: str) -> None:
    settings = {"options": CHOICES} if "choice" in kind else {}
    if kind == "repeatable":
        settings = {"fields": LINKS.settings.fields}
    question = q(kind, **settings)
    assert validate_answer(question, None) == []


def test_min_items() -> None:
    assert validate_answer(
        q("repeatable", min_items=2, fields=LINKS.settings.fields), [{"title": "a", "url": ""}]
    ) == ["Add at least 2 items."]


def test_normalise_text_keeps_what_was_typed_but_not_crlf() -> None:
    assert normalise(q("long_text"), {"q": "  two\r\nlines  "}) == ("  two\nlines  ", [])
    assert normalise(q("long_text"), {}) == (None, [])


def test_normalise_single_choice_rejects_unknown_values() -> None:
    question = q("single_choice", options=CHOICES)
    assert normalise(question, {"q": "b"}) == ("b", [])
    assert normalise(question, {"q": "zz"}) == (None, ["'zz' is not one of the options."])
    assert normalise(q("yes_no"), {"q": "perhaps"}) == (None, ["Choose yes or no."])
    assert normalise(q("yes_no"), {"q": ""}) == (None, [])


class MultiDict(dict[str, list[str]]):
    """Stands in for Werkzeug's MultiDict: several values per name, read with getlist()."""

    def getlist(self, name: str) -> list[str]:
        return self.get(name, [])


def test_normalise_multiple_checkboxes() -> None:
    question = q("multiple_choice", options=CHOICES)
    form = MultiDict(q=["c", "a", "zz", "a"])
    assert normalise(question, form) == (["a", "c"], ["'zz' is not one of the options."])
    assert normalise(question, MultiDict()) == ([], [])


def test_normalise_repeatable_rows() -> None:
    form = {
        "q-1-title": "Second",
        "q-0-title": "First",
        "q-0-url": "https://example.org",
        "q-2-title": "  ",  # an empty row added and left blank
        "q-0-colour": "red",
        "q-x-title": "bad",
        "q-99999-title": "too far",
        "other": "ignored",
    }
    rows, messages = normalise(LINKS, form)
    assert rows == [
        {"title": "First", "url": "https://example.org"},
        {"title": "Second", "url": ""},
    ]
    assert sorted(messages) == [
        "'colour' is not a field of this question.",
        "'q-99999-title' is not a field of this question.",
        "'q-x-title' is not a field of this question.",
    ]


def test_each_type_shows_its_answer() -> None:
    from seslip.formengine import type_of

    def shown(question: Question, raw: object) -> str:
        return type_of(question).display(question, raw).plain()

    assert shown(q("long_text"), "Two\nlines") == "Two\nlines"
    assert shown(q("single_choice", options=CHOICES), "b") == "B"
    assert shown(q("multiple_choice", options=CHOICES), ["a", "c"]) == "A\nC"
    assert shown(q("yes_no"), "no") == "No"
    assert shown(q("single_choice", options=CHOICES), "gone") == "gone"  # an old option
    assert shown(LINKS, [{"title": "Plan", "url": "https://a"}, {"title": "B"}]) == (
        "Title: Plan; Web address: https://a\nTitle: B; Web address: ")
    for question in (q("short_text"), LINKS, q("multiple_choice", options=CHOICES)):
        assert type_of(question).display(question, None).empty
        assert type_of(question).display(question, []).empty
    assert not type_of(q("short_text")).display(q("short_text"), "  ").empty  # kept as typed


def test_a_repeatable_refuses_names_that_are_parts() -> None:
    rows, messages = normalise(LINKS, {"q-title": "x", "q-0-title": "First"})
    assert rows == [{"title": "First", "url": ""}]
    assert messages == ["'q-title' is not a field of this question."]
