"""What the reader refuses outright (the library stores nothing of it), and what it does not:
a text being written, with a syntax error or a wrong key, is kept as a draft."""

from __future__ import annotations

import pytest

from seslip.formengine import Limits, refusals

GOOD = "id: x\nversion: 1\ntitle: X\nsections: []\n"


@pytest.mark.parametrize("text, message", [
    ("id: &a x\ntitle: *a\n", "anchors (&name) are not allowed"),
    ("id: x\ntitle: !!python/object:os.system x\n", "the tag '!!python/object:os.system'"),
    ("id: x\nlist: " + "[" * 30 + "]" * 30 + "\n", "nested too deeply"),
    ("id: x\ntitle: a\x07b\n", "control character"),
    (GOOD + "#" * 300, "the file is too large (the limit is 200 bytes)"),
])
def test_refused(text: str, message: str) -> None:
    found = refusals(text, path="x.yaml", limits=Limits(max_bytes=200))
    assert found and message in found[0].message


@pytest.mark.parametrize("text", [
    GOOD,
    "id: x\ntitle: 'unclosed\n",  # a syntax error while typing
    GOOD + "unknown_key: 1\n",
    "id: x\nid: y\n",  # a duplicate key
])
def test_not_refused(text: str) -> None:
    assert refusals(text, path="x.yaml", limits=Limits(max_bytes=200)) == []
