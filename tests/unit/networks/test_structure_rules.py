"""The pure rules for setting up networks and posts."""

from __future__ import annotations

from datetime import date

import pytest

from seslip.networks.rules import (
    creates_cycle,
    holders_message,
    network_shape_message,
    slugify,
    term_message,
)


@pytest.mark.parametrize(("name", "slug"), [
    ("Kinship Data Task & Finish Group", "kinship-data-task-finish-group"),
    ("  Children's Trust  Network ", "childrens-trust-network"),
    ("!!!", "network"),
])
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_task_and_finish_group_needs_a_parent_then_an_end_date() -> None:
    assert network_shape_message(True, False, None, None)[0] == "parent"
    assert network_shape_message(True, True, None, None)[0] == "ends_on"
    assert network_shape_message(True, True, None, date(2026, 12, 31)) is None
    assert network_shape_message(False, False, None, None) is None


def test_end_date_after_establishment() -> None:
    assert network_shape_message(False, False, date(2026, 5, 1), date(2026, 5, 1))[0] == "ends_on"
    assert network_shape_message(False, False, date(2026, 5, 1), date(2026, 5, 2)) is None


def test_creates_cycle() -> None:
    links = {1: None, 2: 1, 3: 2}  # 3 -> 2 -> 1
    assert creates_cycle(1, 3, links)  # 1 under 3 would loop
    assert creates_cycle(1, 1, links)
    assert not creates_cycle(3, 1, links)
    assert not creates_cycle(4, None, links)


def test_holders_message() -> None:
    assert holders_message(0, 1, 0, "Vice Chair") is None
    assert holders_message(-1, 1, 0, "Chair")[0] == "min_holders"
    assert holders_message(0, 0, 0, "Chair")[0] == "max_holders"
    assert holders_message(2, 1, 0, "Chair")[1] == (
        "The maximum number of holders must be at least the minimum.")
    assert "2 people hold Chair now" in holders_message(1, 1, 2, "Chair")[1]


def test_term_message() -> None:
    assert term_message(None, None) is None
    assert term_message(2, 2) is None
    assert term_message(0, None)[0] == "term_years"
    assert term_message(2, 0)[0] == "max_consecutive_terms"
    assert term_message(None, 2)[1].startswith("Set a term length")
