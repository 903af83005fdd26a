"""The preview's slots: after a change only what changed visibility is swapped."""

from __future__ import annotations

import textwrap
from typing import Any

from seslip.formengine import FormState, parse_definition
from seslip.library import preview
from seslip.questionnaires.models import Response
from seslip.questionnaires.services import Loaded

DEFINITION = parse_definition(textwrap.dedent("""\
    id: preview-slots
    version: 1
    title: Preview slots
    sections:
      - id: first
        title: First
        items:
          - {id: has_plan, type: yes_no, label: Is there a plan?}
          - {id: plan, type: long_text, label: The plan, visible_if: "has_plan == 'yes'"}
          - {id: extra, type: yes_no, label: Show the second section?}
      - id: second
        title: Second
        visible_if: "extra == 'yes'"
        items:
          - {id: why, type: long_text, label: Why?}
          - {id: more, type: long_text, label: More, visible_if: "has_plan == 'yes'"}
    """), path="preview-slots.yaml")


def slots_for(answers: dict[str, Any]) -> list[preview.Slot]:
    return preview.slots(Loaded(Response(id=0), DEFINITION, {}, FormState(DEFINITION, answers)))


def shown(answers: dict[str, Any]) -> str:
    return " ".join(slot.id for slot in slots_for(answers) if slot.visible)


def test_nothing_changed_swaps_nothing() -> None:
    assert preview.changed(slots_for({}), shown({})) == []


def test_an_item_shown_in_a_section_that_stays_shown_is_swapped_alone() -> None:
    swapped = preview.changed(slots_for({"has_plan": "yes"}), shown({}))
    assert [(slot.id, slot.visible) for slot in swapped] == [("item-first-1", True)]
    assert preview.message(swapped) == ("This answer changed the questions on this page: now "
                                        "showing “The plan”.")


def test_a_section_shown_or_hidden_is_swapped_whole_without_its_items() -> None:
    before = shown({"has_plan": "yes"})
    swapped = preview.changed(slots_for({"has_plan": "yes", "extra": "yes"}), before)
    assert [(slot.id, slot.visible) for slot in swapped] == [("preview-second", True)]
    after = shown({"has_plan": "yes", "extra": "yes"})
    assert {"item-second-0", "item-second-1"} <= set(after.split())
    hidden = preview.changed(slots_for({"has_plan": "no", "extra": "no"}), after)
    assert [(slot.id, slot.visible) for slot in hidden] == [
        ("item-first-1", False), ("preview-second", False)]
    assert "no longer showing “The plan” and the section “Second”" in preview.message(hidden)
