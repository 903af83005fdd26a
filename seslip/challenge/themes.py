"""Counting and grouping the challenge days' outcomes: plain functions over plain values,
so the regional page, its exports and the tests share one reading of the numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NO_THEME = "No theme given"
NO_SECTION = "Not tied to one responsibility"


@dataclass(frozen=True)
class PointItem:
    """A strength or an area for development as the region sees it."""

    authority: str
    kind: str  # "strength" or "area"
    text: str
    theme: str | None
    section: str | None


def count_themes(tagged: Iterable[tuple[str, Iterable[str]]], known: Iterable[str] = (),
                 ) -> list[tuple[str, int, list[str]]]:
    """(theme, number of authorities, their names) for each theme, most frequent first.

    `tagged` is (authority, themes of its outcome); an authority counts once per theme even
    if named twice. Themes in `known` (the programme manager's list) appear with 0 too, so
    the page shows what nobody raised as well as what many did.
    """
    seen: dict[str, set[str]] = {name: set() for name in known}
    for authority, themes in tagged:
        for theme in themes:
            seen.setdefault(theme, set()).add(authority)
    rows = [(theme, len(names), sorted(names)) for theme, names in seen.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0].casefold()))


def group_points(points: Iterable[PointItem], by: str, order: Iterable[str] = (),
                 ) -> list[tuple[str, list[PointItem], list[PointItem]]]:
    """(group, strengths, areas) with `by` "theme" or "section"; groups in `order` first (in
    that order, only when they have points), then any others by name, the ungrouped last."""
    empty = NO_THEME if by == "theme" else NO_SECTION
    groups: dict[str, tuple[list[PointItem], list[PointItem]]] = {}
    for point in points:
        key = (point.theme if by == "theme" else point.section) or empty
        strengths, areas = groups.setdefault(key, ([], []))
        (strengths if point.kind == "strength" else areas).append(point)
    ordered = [name for name in order if name in groups]
    rest = sorted((name for name in groups if name not in ordered and name != empty),
                  key=str.casefold)
    keys = ordered + rest + ([empty] if empty in groups else [])
    return [(key, *groups[key]) for key in keys]
