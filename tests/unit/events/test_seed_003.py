"""The themes questionnaire and the demo's induction day keep the wording of the development
programme (seed 003), read from the seed at test time."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from seslip.events.demo import INDUCTION

REPO = Path(__file__).resolve().parents[3]
SEED_NAME = "003_33f9625de4816c6e.txt"
SHARED_SEED = REPO.parent / "shared" / "seeds" / SEED_NAME
SEED = SHARED_SEED if SHARED_SEED.is_file() else REPO / "tests" / "data" / "seeds" / SEED_NAME
THEMES = REPO / "form_definitions" / "action-learning-set-themes.yaml"


def _seed() -> str:
    return SEED.read_text(encoding="utf-8")


def test_the_copied_seed_is_the_programmes_document() -> None:
    copy = REPO / "tests" / "data" / "seeds" / SEED_NAME
    if SHARED_SEED.is_file():
        assert copy.read_text(encoding="utf-8") == SHARED_SEED.read_text(encoding="utf-8")


def test_the_theme_options_are_the_seeds_themes_of_current_interest() -> None:
    text = _seed()
    block = text.split("those of current interest could include:")[1].split("\n4.4")[0]
    themes = [line.lstrip("· ").rstrip(";.").strip() for line in block.splitlines()
              if line.startswith("·")]
    definition = yaml.safe_load(THEMES.read_text(encoding="utf-8"))
    question = definition["sections"][0]["items"][0]
    assert question["id"] == "themes" and len(themes) == 5
    assert [o["label"] for o in question["options"]] == themes


def test_the_demo_induction_day_follows_appendix_1() -> None:
    appendix = _seed().split("Draft induction programme")[1]
    sessions = [re.split(r"\s+[–-]\s+", line.lstrip("· ").strip())[0].strip()
                for line in appendix.splitlines() if line.startswith("·")]
    titles = [title for _, _, title, _, _ in INDUCTION]
    for title in titles:
        if title != "Lunch":
            wanted = title.removesuffix(" – panel")
            assert any(s.replace("'", "’") == wanted.replace("'", "’") for s in sessions), title
    speakers = " ".join(s for *_, s in INDUCTION)
    for role in ("London Councils representative", "London LA lawyer", "LSCB Chair",
                 "London Assistant Director of Children’s Services"):
        assert role in appendix and role in speakers
