"""Exclusive options of a multiple_choice question ("None of these", "I cannot attend any").

An exclusive option cannot be ticked together with any other option: the page clears the
others when it is ticked (static/js/exclusive.js), and the server refuses both together.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .model import Option


def exclusive_setting_problems(raw: dict[str, Any], owner: str) -> Iterator[tuple[int, str]]:
    """(option index, message) for `exclusive` where it means nothing: only tick boxes have it,
    and a question whose every option is exclusive is really a single choice."""
    options = raw.get("options", ())
    marked = [i for i, option in enumerate(options)
              if isinstance(option, dict) and "exclusive" in option]
    if raw.get("type") != "multiple_choice":
        for index in marked:
            yield index, (f"'exclusive' only works on multiple_choice options, and {owner} is a "
                          f"{raw.get('type')} question (it allows one answer anyway)")
        return
    ticked = [i for i in marked if options[i]["exclusive"] is True]
    if ticked and len(ticked) == len(options):
        yield ticked[-1], (f"every option of {owner} is exclusive: make it a single_choice "
                           "question instead")


def exclusive_conflicts(options: Sequence[Option], chosen: Sequence[str]) -> list[str]:
    """A message for each exclusive option ticked together with another option."""
    if len(chosen) < 2:
        return []
    return [
        f"“{option.label}” cannot be chosen together with other answers: untick it, or untick "
        "the others."
        for option in options
        if option.exclusive and option.value in chosen
    ]
