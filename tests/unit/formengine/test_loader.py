from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from seslip.formengine import (
    QUESTION_TYPES,
    Block,
    DefinitionError,
    Limits,
    Problem,
    Question,
    load_definition,
    parse_definition,
)
from seslip.formengine.model import AUDIENCE_ROLES
from seslip.formengine.schema import SCHEMA_PATH, schema_text

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / "tests" / "data" / "broken_definitions"
SHIPPED = sorted((REPO / "form_definitions").glob("*.yaml"))
EXPECT = re.compile(rb"# expect: (\d+):(\d+): (.*)")


def problems_of(path: Path, limits: Limits | None = None) -> list[Problem]:
    with pytest.raises(DefinitionError) as caught:
        if limits is None:
            load_definition(path)
        else:
            load_definition(path, limits=limits)
    assert caught.value.problems, "a DefinitionError must say what is wrong"
    return caught.value.problems


def test_corpus_is_large_enough() -> None:
    assert len(list(CORPUS.glob("*.yaml"))) >= 35


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.yaml")), ids=lambda path: path.stem)
def test_broken_definition_gives_its_located_message(path: Path) -> None:
    match = EXPECT.match(path.read_bytes().split(b"\n", 1)[0])
    assert match, f"{path.name} must start with '# expect: line:column: message'"
    line, column, message = int(match[1]), int(match[2]), match[3].decode()
    problems = problems_of(path)
    assert [(p.line, p.column) for p in problems] == [(line, column)], problems
    assert message in problems[0].message
    assert str(problems[0]) == f"{path}:{line}:{column}: {problems[0].message}"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_definitions_load_without_problems(path: Path) -> None:
    definition = load_definition(path)
    assert definition.id == path.stem
    assert definition.questions


def test_at_least_the_flagship_definition_is_shipped() -> None:
    assert "lead-member-self-assessment-2022-23" in [path.stem for path in SHIPPED]


def test_flagship_word_limit() -> None:
    definition = load_definition(REPO / "form_definitions/lead-member-self-assessment-2022-23.yaml")
    ambition = definition.question("ambition")
    assert ambition.type == "long_text" and ambition.settings.max_words == 75 and ambition.required


def test_full_definition_is_built(make_definition: Callable[..., object]) -> None:
    definition = make_definition(
        """\
        - id: about
          title: About
          intro: Hello
          items:
            - type: guidance
              text: Read *this*.
            - id: role
              type: single_choice
              label: Role
              options: [Lead member, {value: other, label: Something else}]
            - id: when
              type: date
              label: When
              min: 2022-11-01
              max: "2022-12-31"
            - id: how_many
              type: number
              label: How many
              min: 0
              max: 2.5
              whole_number: false
            - id: links
              type: repeatable
              label: Links
              item_label: Link
              max_items: 3
              fields:
                - {id: title, type: short_text, label: Title, required: true, max_words: 10}
                - {id: url, type: url, label: Address}
              visible_if: "role == 'other' and not (how_many > 9)"
        - id: later
          title: Later
          visible_if: "answered(role)"
          items:
            - type: prompts
              title: Consider
              items: [one, two]
              visible_if: "role != none"
        """
    )
    (about, later) = definition.sections
    assert about.intro == "Hello" and isinstance(about.items[0], Block)
    role = definition.question("role")
    assert [(o.value, o.label) for o in role.settings.options] == [
        ("Lead member", "Lead member"),
        ("other", "Something else"),
    ]
    when = definition.question("when")
    # Unquoted dates stay text in YAML reading, then become dates in the model.
    assert when.settings.min == datetime.date(2022, 11, 1)
    assert when.settings.max == datetime.date(2022, 12, 31)
    assert definition.question("how_many").settings.max == 2.5
    links = definition.question("links")
    fields = links.settings.fields
    assert [f.id for f in fields] == ["title", "url"] and fields[0].settings.max_words == 10
    assert links.visible_if is not None and links.visible_if.names == {"role", "how_many"}
    assert later.visible_if is not None and isinstance(later.items[0], Block)
    assert list(definition.questions) == ["role", "when", "how_many", "links"]
    assert definition.section_of["links"] == "about"


def test_yes_and_no_stay_text(make_definition: Callable[..., object]) -> None:
    definition = make_definition(
        """\
        - id: s
          title: S
          items:
            - id: q
              type: single_choice
              label: Q
              options: [yes, no, on, off, 1:30, 0x12]
        """
    )
    assert isinstance(definition, object)
    question = definition.question("q")  # type: ignore[attr-defined]
    assert question.settings.values == ("yes", "no", "on", "off", "1:30", "0x12")


def test_all_schema_problems_are_reported_together(write_definition: Callable[..., Path]) -> None:
    path = write_definition(
        """\
        - id: s
          title: S
          items:
            - id: a
              type: long_text
              lable: A
            - id: B
              type: short_text
              label: B
              max_words: lots
        """
    )
    problems = problems_of(path)
    assert [(p.line, p.column) for p in problems] == [(8, 9), (10, 9), (11, 13), (14, 20)]
    assert "missing required key 'label' in question 'a'" in problems[0].message
    assert "unknown key 'lable' in question 'a' (did you mean 'label'?)" in problems[1].message
    assert "invalid id 'B'" in problems[2].message
    assert "expected a whole number" in problems[3].message


def test_all_semantic_problems_are_reported_together(
    write_definition: Callable[..., Path],
) -> None:
    path = write_definition(
        """\
        - id: s
          title: S
          items:
            - id: a
              type: long_text
              label: A
              min_words: 9
              max_words: 5
            - id: a
              type: long_text
              label: Again
              visible_if: "answered(nope)"
        """
    )
    messages = [p.message for p in problems_of(path)]
    assert len(messages) == 3
    assert "min_words is greater than max_words" in messages[0]
    assert "duplicate question id 'a'" in messages[1] and "first at line 8" in messages[1]
    assert "unknown question 'nope'" in messages[2]


def test_required_if_may_refer_to_a_later_question(make_definition: Callable[..., object]) -> None:
    definition = make_definition(
        """\
        - id: s
          title: S
          items:
            - {id: a, type: short_text, label: A, required_if: "not answered(b)"}
            - {id: b, type: short_text, label: B}
        """
    )
    assert definition.question("a").required_if is not None  # type: ignore[attr-defined]


def test_section_condition_cannot_use_its_own_questions(
    write_definition: Callable[..., Path],
) -> None:
    path = write_definition(
        """\
        - id: s
          title: S
          visible_if: answered(a)
          items:
            - {id: a, type: short_text, label: A}
        """
    )
    (problem,) = problems_of(path)
    assert "comes later" in problem.message and (problem.line, problem.column) == (7, 26)


def test_count_only_on_lists(write_definition: Callable[..., Path]) -> None:
    path = write_definition(
        """\
        - id: s
          title: S
          items:
            - {id: a, type: short_text, label: A}
            - {id: b, type: short_text, label: B, visible_if: count(a) > 1}
        """
    )
    (problem,) = problems_of(path)
    assert "count() only works on multiple_choice and repeatable" in problem.message


def test_expression_in_block_scalar_is_located_at_its_start(
    write_definition: Callable[..., Path],
) -> None:
    path = write_definition(
        """\
        - id: s
          title: S
          items:
            - id: a
              type: short_text
              label: A
            - id: b
              type: short_text
              label: B
              visible_if: >-
                answered(a) and
        """
    )
    (problem,) = problems_of(path)
    assert (problem.line, problem.column) == (14, 21)
    assert "expected a value after 'and'" in problem.message


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("id: big\n" + "# padding\n" * 60_000, encoding="utf-8")
    assert path.stat().st_size > 512 * 1024
    (problem,) = problems_of(path)
    assert (problem.line, problem.column) == (1, 1) and "too large" in problem.message
    (problem,) = problems_of(path, Limits(max_bytes=100))
    assert "the limit is 100 bytes" in problem.message


def test_huge_nesting_and_aliases_do_not_crash(tmp_path: Path) -> None:
    for name, text in {
        "deep-flow": "a: " + "[" * 50_000 + "]" * 50_000,
        "deep-block": "".join(" " * i + "k:\n" for i in range(0, 3000, 1)),
        "laughs": "a: &a [x, x]\n" + "".join(f"b{i}: &b{i} [*a, *a]\n" for i in range(50)),
    }.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        problems = problems_of(path)
        assert len(problems) == 1


def test_depth_limit_can_be_lowered(write_definition: Callable[..., Path]) -> None:
    path = write_definition("- {id: s, title: S, items: [{type: guidance, text: x}]}\n")
    load_definition(path)
    (problem,) = problems_of(path, Limits(max_depth=3))
    assert "nested too deeply (more than 3 levels)" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "absent.yaml")
    assert "cannot be read" in problem.message


def test_parse_definition_from_text() -> None:
    definition = parse_definition(
        "id: x\nversion: 2\ntitle: T\nsections:\n"
        "  - {id: s, title: S, items: [{id: q, type: yes_no, label: Q}]}\n"
    )
    assert definition.version == 2 and isinstance(definition.sections[0].items[0], Question)
    with pytest.raises(DefinitionError) as caught:
        parse_definition("id: x\n", path="inline")
    assert str(caught.value.problems[0]).startswith("inline:1:1: missing required key")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(
        "\ufeffid: bom\nversion: 1\ntitle: T\nsections:\n"
        "  - {id: s, title: S, items: [{type: guidance, text: x}]}\n".encode()
    )
    assert load_definition(path).id == "bom"


def test_problem_str() -> None:
    problem = Problem("f.yaml", 7, 12, "unknown question 'ambitoin' in visible_if")
    assert str(problem) == "f.yaml:7:12: unknown question 'ambitoin' in visible_if"


def test_schema_is_valid_and_describes_every_property() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)

    def visit(node: object, where: str) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                assert node.get("additionalProperties") is False, where
                for key, value in node["properties"].items():
                    assert "description" in value, f"{where}.{key}"
            for key, value in node.items():
                if key != "if":  # conditions of if/then only select a branch
                    visit(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, f"{where}[{index}]")

    # Item and field dispatchers list only `type`; their `then` branches close the objects.
    for name in ("item", "field", "document_field"):
        schema["$defs"][name]["additionalProperties"] = False
    # The top level's kind branches only give its (listed, closed) sections their shape.
    for branch in ("then", "else"):
        schema[branch]["additionalProperties"] = False
    visit(schema, "schema")


def test_schema_keys_match_the_question_types() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    common = {"id", "type", "label", "hint", "note", "required", "visible_if", "required_if",
              "renamed_from"}
    assert set(QUESTION_TYPES) == set(schema["$defs"]["item"]["properties"]["type"]["enum"]) - {
        "guidance",
        "prompts",
        "evidence",
    }
    for name, kind in QUESTION_TYPES.items():
        assert set(schema["$defs"][name]["properties"]) == common | set(kind.setting_keys()), name


def test_the_shipped_schema_is_the_one_the_registry_generates() -> None:
    # Regenerate it with
    # flask --app app seslip definitions schema > seslip/formengine/definition.schema.json
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()


def test_shipped_definitions_validate_against_the_schema_alone() -> None:
    # What an editor sees: the JSON Schema on its own accepts the shipped files.
    import yaml

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
    for path in SHIPPED:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), path


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_fast_and_pure_python_yaml_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from seslip.formengine import loader

    def read() -> tuple[object, ...]:
        document = loader._Reader(str(path), loader.DEFAULT_LIMITS).read(path.read_bytes())
        assert document is not None
        return document.data, document.values, document.keys, document.inline

    fast = read()
    monkeypatch.setattr(loader, "_FastLoader", None)
    assert read() == fast


# --- audience ------------------------------------------------------------------------------------


def _with_audience(line: str) -> str:
    return (f"id: aud\nversion: 1\ntitle: T\n{line}sections:\n  - id: s\n    title: S\n"
            "    items:\n      - id: q\n        type: short_text\n        label: Q\n")


def test_no_audience_means_everyone() -> None:
    definition = parse_definition(_with_audience(""))
    assert definition.audience == ()
    assert definition.is_for(None) and definition.is_for("partner")


def test_audience_lists_the_roles_who_fill_it_in() -> None:
    definition = parse_definition(_with_audience("audience: [lead_member, dcs]\n"))
    assert definition.audience == ("lead_member", "dcs")
    assert definition.is_for("dcs") and not definition.is_for("officer")
    assert not definition.is_for(None)


def test_flagship_is_for_lead_members_and_the_example_for_staff() -> None:
    flagship = load_definition(REPO / "form_definitions/lead-member-self-assessment-2022-23.yaml")
    example = load_definition(REPO / "form_definitions/example-all-question-types.yaml")
    assert (flagship.audience, example.audience) == (("lead_member",), ("staff",))


def test_empty_audience_is_refused() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(_with_audience("audience: []\n"))
    assert [str(p) for p in caught.value.problems] == [
        "<string>:4:11: 'audience' in the top level must have at least 1 entry"]


def test_schema_lists_the_engines_audience_roles() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    assert tuple(schema["properties"]["audience"]["items"]["enum"]) == AUDIENCE_ROLES
