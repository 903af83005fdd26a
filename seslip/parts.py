"""What an area gives to a shared page: a section of a network's page (`Panel`) or a line of
a person's "My next things" (`NextThing`). Plain values with no imports of the areas, so an
area can make them while seslip/panels.py lists the areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Panel:
    """A section of a page: its template (an `_thing.html` fragment that reads `panel.data`)
    and what that template shows."""

    template: str
    data: Any
    # Where the network page puts it: "main" (what members read, in list order), "side"
    # (short facts beside the posts and members) or "chair" (grouped with the chair's tools).
    place: str = "main"
    # When both are given, the page's "On this page" list links to the section: the id of
    # its element and the words of the link.
    anchor: str = ""
    title: str = ""


@dataclass(frozen=True)
class NextThing:
    """One line of "My next things" on the home page."""

    # The day it is due or happens, or the moment (naive UTC, as stored) it starts; None: no
    # date (sorted last).
    when: date | datetime | None
    text: str  # what to do, e.g. "Upload your paper for the Kinship Network meeting"
    url: str
    kind: str  # e.g. "questionnaire", "paper", "action", "approval", "meeting", "event"
