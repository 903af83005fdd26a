"""Conditions updating in place: after an autosave changes which questions apply, the answer
carries the affected parts of the section page as htmx out-of-band swaps.

Every item of a section sits in a slot (`item-<section>-<index>`), empty while it is hidden, so
a swap can fill or empty exactly the slots whose visibility changed and leave every other
field, and whatever is typed in it, alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seslip.formengine import Block, Item, Question, Section
from seslip.questionnaires.services import Loaded

BLOCK_NAMES = {"guidance": "guidance", "prompts": "the areas to consider",
               "evidence": "the example evidence sources"}


@dataclass(frozen=True)
class ResponseRef:
    """A response by id alone: what the question templates read of it. The save's commit
    expired the Response, and reading it again would cost a query per autosave."""

    id: int


def slot_id(section: Section, index: int) -> str:
    return f"item-{section.id}-{index}"


@dataclass
class Slot:
    id: str
    item: Item
    visible: bool


@dataclass
class LiveUpdate:
    slots: list[Slot] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # names of what is now shown
    hidden: list[str] = field(default_factory=list)
    sections_changed: bool = False  # only the list of sections shows that

    @property
    def message(self) -> str:
        """What the live region says, e.g. "This answer changed the questions on this page:
        now showing “Your role”."."""
        parts = []
        if self.shown:
            parts.append("now showing " + _and(self.shown))
        if self.hidden:
            parts.append("no longer showing " + _and(self.hidden))
        if not parts:
            return ""
        return "This answer changed the questions on this page: " + "; ".join(parts) + "."


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def item_name(item: Item) -> str:
    """How the live region names an item: a question by its label, a block by its title."""
    if isinstance(item, Question):
        return f"“{item.label}”"
    assert isinstance(item, Block)
    return f"“{item.title}”" if item.title else BLOCK_NAMES.get(item.type, item.type)


def live_update(loaded: Loaded, section: Section, changed: frozenset[int]) -> LiveUpdate:
    """The slots of `section` whose visibility is in `changed` (ids of items, as
    SaveResult.changed_ids gives them), filled from the answers as stored now."""
    update = LiveUpdate()
    for index, item in enumerate(section.items):
        if id(item) not in changed:
            continue
        visible = loaded.state.is_visible(item)
        update.slots.append(Slot(slot_id(section, index), item, visible))
        (update.shown if visible else update.hidden).append(item_name(item))
    update.sections_changed = any(id(part) in changed for part in loaded.definition.sections)
    return update
