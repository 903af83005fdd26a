"""The admins' guide says what issue 16 found them guessing about, and its error table matches
what the checker really says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seslip.formengine import DefinitionError, load_definition

REPO = Path(__file__).resolve().parents[2]
GUIDE = (REPO / "docs" / "form-definitions.md").read_text(encoding="utf-8")
CORPUS = REPO / "tests" / "data" / "broken_definitions"


@pytest.mark.parametrize("said", [
    "Options are always text, even when they look like numbers.",
    "Drafts move to the new version when next opened",
    "On the page, conditions update in place.",
    "A changed file must have a new number.",
    "`exclusive: true`",
    "| `completion` | no |",
])
def test_the_guide_says_it_plainly(said: str) -> None:
    assert said in GUIDE


@pytest.mark.parametrize("entry", [
    "condition-number-against-text-options", "condition-unknown-option-value",
    "indent-key-too-deep",
])
def test_the_guides_error_table_quotes_the_checker(entry: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(CORPUS / f"{entry}.yaml")
    message = caught.value.problems[0].message
    rows = re.findall(r"^\| `(?:… )?([^`]+)`", GUIDE, re.M)
    # Line numbers and counts differ between the guide's example and the corpus file.
    shape = re.sub(r"\d+", "N", message)
    assert any(re.sub(r"\d+", "N", row) in shape for row in rows), message
