from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from seslip.formengine import Definition, load_definition

HEAD = """\
id: {id}
version: 1
title: Test questionnaire
sections:
"""


@pytest.fixture
def write_definition(tmp_path: Path) -> Callable[..., Path]:
    """Write `<id>.yaml` holding the given sections (YAML text, dedented) and return its path."""

    def write(sections: str, definition_id: str = "test-form") -> Path:
        path = tmp_path / f"{definition_id}.yaml"
        body = HEAD.format(id=definition_id) + textwrap.indent(textwrap.dedent(sections), "  ")
        path.write_text(body, encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_definition(write_definition: Callable[..., Path]) -> Callable[[str], Definition]:
    def make(sections: str) -> Definition:
        return load_definition(write_definition(sections))

    return make
