"""Damaged definitions must give DefinitionError, never another exception."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from seslip.formengine import DefinitionError, parse_definition

EXAMPLE = Path(__file__).resolve().parents[3] / "form_definitions/example-all-question-types.yaml"


def damaged_versions(source: str) -> list[str]:
    rng = random.Random(20221101)  # fixed seed: the same cases every run
    versions = [source[:cut] for cut in range(0, len(source), 401)]
    pieces = [":", "- ", "[", "{", "'", '"', "\t", "&a ", "*a", "!!int ", "  ", "\n", "(", "#"]
    for _ in range(150):
        at = rng.randrange(len(source))
        versions.append(source[:at] + rng.choice(pieces) + source[at + rng.randrange(3) :])
    return versions


@pytest.mark.skipif(not EXAMPLE.is_file(), reason="example definition not shipped")
def test_damaged_definitions_only_raise_definition_error() -> None:
    source = EXAMPLE.read_text(encoding="utf-8")
    failures = 0
    for text in damaged_versions(source):
        try:
            parse_definition(text, expected_id="example-all-question-types")
        except DefinitionError as error:
            failures += 1
            assert error.problems
            assert all(p.line >= 1 and p.column >= 1 for p in error.problems)
    assert failures > 50  # the damage really broke most of them
