"""`diff` compares without changing the record; `assign` is what changes it."""

from __future__ import annotations

from types import SimpleNamespace

from seslip.audit.services import assign, diff


def test_diff_leaves_the_record_as_it_was() -> None:
    record = SimpleNamespace(name="Kent", note="")
    assert diff(record, {"name": "Kent County", "note": ""}) == {"name": ["Kent", "Kent County"]}
    assert record.name == "Kent"


def test_assign_sets_the_values_and_returns_what_changed() -> None:
    record = SimpleNamespace(name="Kent", note="")
    assert assign(record, {"name": "Kent County", "note": ""}) == {"name": ["Kent", "Kent County"]}
    assert (record.name, record.note) == ("Kent County", "")
