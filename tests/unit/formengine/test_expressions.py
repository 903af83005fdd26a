from __future__ import annotations

import pytest

from seslip.formengine import ExpressionError, parse_expression


def evaluate(source: str, **values: object) -> bool:
    return parse_expression(source).evaluate(values)


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("has_scrutiny == 'yes'", {"has_scrutiny": "yes"}, True),
        ("has_scrutiny == 'yes'", {"has_scrutiny": "no"}, False),
        ('has_scrutiny != "no"', {}, True),
        ("n >= 10", {"n": 10}, True),
        ("n > 2.5", {"n": 3}, True),
        ("n < -1", {"n": -2}, True),
        ("n < 3", {"n": None}, False),  # mismatched kinds compare false, never raise
        ("n < 3", {"n": "a"}, False),
        ("n >= 3", {"n": "a"}, False),
        ("n == 1", {"n": True}, False),  # true is not the number 1
        ("'b' < 'c'", {}, True),
        ("x == none", {}, True),
        ("x != none", {"x": "a"}, True),
        ("flag == true", {"flag": True}, True),
        ("'other' in partners", {"partners": ["health", "other"]}, True),
        ("'other' in partners", {"partners": None}, False),
        ("'other' not in partners", {"partners": None}, True),
        ("role in ['Lead member', 'Director']", {"role": "Director"}, True),
        ("role in ['Lead member', 'Director']", {"role": "Officer"}, False),
        ("n in [1, 2]", {"n": 2}, True),
        ("'care' in text", {"text": "children in care"}, True),
        ("3 in text", {"text": "3 things"}, False),
        ("not (n >= 10)", {"n": 5}, True),
        ("not not x", {"x": "a"}, True),
        ("a or b and c", {"a": "", "b": "y", "c": ""}, False),  # and binds tighter
        ("(a or b) and c", {"a": "x", "c": "y"}, True),
        ("answered(q)", {"q": "  "}, False),
        ("answered(q)", {"q": ["a"]}, True),
        ("answered(q)", {"q": []}, False),
        ("word_count(q) > 2", {"q": "one two three"}, True),
        ("word_count(q) > 2", {"q": None}, False),
        ("count(q) >= 2", {"q": [{}, {}]}, True),
        ("count(q) == 0", {"q": None}, True),
        ("x", {"x": "text"}, True),
        ("x", {"x": ""}, False),
    ],
)
def test_evaluate(source: str, values: dict[str, object], expected: bool) -> None:
    assert parse_expression(source).evaluate(values) is expected


def test_names_are_the_questions_referred_to() -> None:
    expression = parse_expression(
        "'other' in partners and not answered(ambition) or count(links) > 1 or x == 'y'"
    )
    assert expression.names == {"partners", "ambition", "links", "x"}
    assert {(name.name, function) for name, function in expression.references()} == {
        ("partners", None),
        ("ambition", "answered"),
        ("links", "count"),
        ("x", None),
    }


def test_string_escapes() -> None:
    assert evaluate("x == 'it\\'s'", x="it's")


@pytest.mark.parametrize(
    ("source", "column", "message"),
    [
        ("a and", 6, "expected a value after 'and'"),
        ("a or", 5, "expected a value after 'or'"),
        ("not", 4, "expected a value after 'not'"),
        ("x in", 5, "expected a value after 'in'"),
        ("x ==", 5, "expected a value after '=='"),
        ("a = 1", 3, "use '==' to compare"),
        ("a && b", 3, "use 'and'"),
        ("a || b", 3, "use 'or'"),
        ("!a", 1, "use 'not'"),
        ("a.b", 2, "'.' is not allowed"),
        ("a[0]", 2, "indexing with [...] is not allowed"),
        ("answered(a)[0]", 12, "indexing"),
        ("foo(x)", 1, "unknown function 'foo'"),
        ("__import__('os')", 1, "unknown function '__import__'"),
        ("(a)(b)", 4, "only answered(), word_count() and count() can be called"),
        ("answered('x')", 10, "needs a question id"),
        ("answered(a, b)", 11, "takes exactly one question id"),
        ("answered()", 10, "needs a question id"),
        ("(a", 1, "this '(' has no matching ')'"),
        ("a)", 2, "')' has no matching '('"),
        ("[1, 2", 1, "this '[' has no matching ']'"),
        ("x in [1 2]", 9, "expected ',' or ']'"),
        ("x in [y]", 7, "a list can only hold fixed values"),
        ("a b", 3, "expected 'and', 'or' or a comparison before 'b'"),
        ("1 < a < 3", 7, "comparisons cannot be chained"),
        ("'abc", 1, "no closing quote"),
        ("", 1, "the condition is empty"),
        ("   ", 1, "the condition is empty"),
        ("a == é", 6, "unexpected character 'é'"),
        ("a == @", 6, "unexpected character '@'"),
    ],
)
def test_errors_carry_their_column(source: str, column: int, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(source)
    assert message in caught.value.message
    assert caught.value.column == column
    assert str(caught.value).endswith(f"at column {column}")


def test_length_limit() -> None:
    source = " or ".join(["answered(a)"] * 50)
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression(source)
    assert parse_expression(source, max_length=1000).names == {"a"}


@pytest.mark.parametrize("source", ["(" * 200 + "a" + ")" * 200, "not " * 400 + "a"])
def test_depth_limit_stops_before_recursion_error(source: str) -> None:
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression(source, max_length=10_000)


def test_moderate_nesting_is_fine() -> None:
    assert parse_expression("(" * 10 + "a" + ")" * 10).evaluate({"a": "x"})
