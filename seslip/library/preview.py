"""The preview's slots: every section of a definition, and every item of each, with whether
it is shown for what was typed. After a change the page gets only the slots whose visibility
changed (out-of-band swaps), as a section page does after an autosave (questionnaires/live.py),
so focus and text typed elsewhere stay."""

from __future__ import annotations

from dataclasses import dataclass

from seslip.formengine import Item, Section
from seslip.questionnaires.live import LiveUpdate, item_name, slot_id
from seslip.questionnaires.services import Loaded


@dataclass(frozen=True)
class Slot:
    """A section of the preview (`item` None) or an item of one; an item is shown only while
    its section is."""

    id: str
    name: str  # as the status region says it: "the section “…”", or the question's label
    visible: bool
    section: Section
    item: Item | None = None
    section_visible: bool = True

    @property
    def section_slot(self) -> str:
        return section_slot_id(self.section)


def section_slot_id(section: Section) -> str:
    return f"preview-{section.id}"


def slots(loaded: Loaded) -> list[Slot]:
    state = loaded.state
    found = []
    for section in loaded.definition.sections:
        shown = state.is_visible(section)
        found.append(Slot(section_slot_id(section), f"the section “{section.title}”", shown,
                          section))
        found.extend(Slot(slot_id(section, index), item_name(item),
                          shown and state.is_visible(item), section, item, shown)
                     for index, item in enumerate(section.items))
    return found


def changed(now: list[Slot], shown_before: str) -> list[Slot]:
    """The slots to swap, given the ids the page showed (space-separated): a section shown or
    hidden whole, or an item of a section that was and still is shown."""
    before = set(shown_before.split())
    return [slot for slot in now if slot.visible != (slot.id in before) and (
        slot.item is None or (slot.section_visible and slot.section_slot in before))]


def message(swapped: list[Slot]) -> str:
    """What the status region says, e.g. "… now showing “Which topics …”."."""
    return LiveUpdate(shown=[slot.name for slot in swapped if slot.visible],
                      hidden=[slot.name for slot in swapped if not slot.visible]).message
