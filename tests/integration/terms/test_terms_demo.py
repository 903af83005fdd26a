"""The demo's terms of reference are the seeds' own: every paragraph and list item of seed
000 (Lead Member Network) and seed 002 (Regional Kinship Network, December 2025) is in the
first published version, with the structured fields filled in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from seslip.formengine.documentdiff import paragraphs
from seslip.networks.queries import get_network
from seslip.terms import services

REPO = Path(__file__).resolve().parents[3]
SEEDS = {"lead-member-network": "000_e2cd28f97ce7054d.txt",
         "regional-kinship-network": "002_33482f36634a6bb6.txt"}
_BULLET = re.compile(r"^(?:·|\d+)\s+")
_LIST = re.compile(r"^(?:[-*+]\s+|>\s*)")
_SENTENCE_END = (".", ";", ":", "”", ")")


def _seed_text(name: str) -> str:
    shared = REPO.parent / "shared" / "seeds" / name
    copied = REPO / "tests" / "data" / "seeds" / name
    path = shared if shared.is_file() else copied
    if not path.is_file():
        pytest.skip(f"the seed {name} is not beside this clone")
    return path.read_text(encoding="utf-8")


def _words(text: str) -> str:
    return " ".join(text.split())


def seed_paragraphs(text: str) -> list[str]:
    """Each line of the seed that is a paragraph or a list item, not a heading: it starts
    with a bullet or a number, ends like a sentence, or runs to more than six words."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        listed = _BULLET.match(line) is not None
        if listed or line.endswith(_SENTENCE_END) or len(line.split()) > 6:
            found.append(_words(_BULLET.sub("", line)))
    return found


def _version_paragraphs(bodies: dict[str, Any]) -> set[str]:
    return {_words(_LIST.sub("", p)) for body in bodies.values() for p in paragraphs(body)}


@pytest.mark.parametrize("slug", SEEDS)
def test_every_paragraph_of_the_seed_is_in_the_demo_terms(runner: Any, slug: str) -> None:
    result = runner.invoke(args=["seslip", "demo"])
    assert result.exit_code == 0, result.output
    expected = seed_paragraphs(_seed_text(SEEDS[slug]))
    assert len(expected) >= 10
    version = services.current_version(services.terms_of(get_network(slug)))
    assert version is not None and version.number == 1
    present = _version_paragraphs(version.bodies)
    missing = [p for p in expected if p not in present]
    assert not missing
    assert version.approver is not None


def test_the_structured_fields_are_filled_in(runner: Any) -> None:
    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0
    lead = services.current_version(services.terms_of(get_network("lead-member-network")))
    kinship = services.current_version(services.terms_of(get_network("regional-kinship-network")))
    assert lead is not None and kinship is not None
    assert lead.values["chair_term_years"] == "2" and lead.values["in_person"] == "yes"
    assert kinship.values["meetings_per_year"] == "4"
    assert kinship.values["sponsor_approved_by"] == "South East DCS Group"
    assert kinship.approved_by_body == "South East DCS Group"
    assert kinship.approved_on.isoformat() == "2025-12-01"
    again = runner.invoke(args=["seslip", "demo"])
    assert "Terms of reference: 0 added." in again.output
