"""A small line chart of completion over time, as plain numbers for an SVG template.

Pure: no Flask, no database. `completion_series` turns finalising dates into a cumulative
count per day; `line_chart` lays the points out in a fixed viewBox, so the template only
writes the shapes (templates/challenge/_chart.html), with a table of the same figures beside
it for screen readers and for anyone who wants the numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40  # room for the axis labels


@dataclass(frozen=True)
class Point:
    day: date
    value: int
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    title: str
    points: tuple[Point, ...]
    maximum: int
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: float = HEIGHT - BOTTOM
    right_x: float = WIDTH - RIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def summary(self) -> str:
        """One sentence a screen reader hears for the picture (the table has every figure)."""
        if not self.points:
            return f"{self.title}: nothing to show yet."
        first, last = self.points[0], self.points[-1]
        return (f"{self.title}: {first.value} of {self.maximum} on {first.day:%-d %B %Y}, "
                f"{last.value} of {self.maximum} on {last.day:%-d %B %Y}.")


def completion_series(done_on: Iterable[date | None], start: date, end: date,
                      ) -> list[tuple[date, int]]:
    """How many were done by the end of each day from `start` to `end` (both included).

    Days before `start` count on `start`; days after `end` and None (not done) do not count.
    """
    if end < start:
        return []
    per_day: dict[date, int] = {}
    for day in done_on:
        if day is None or day > end:
            continue
        key = max(day, start)
        per_day[key] = per_day.get(key, 0) + 1
    series, total, day = [], 0, start
    while day <= end:
        total += per_day.get(day, 0)
        series.append((day, total))
        day += timedelta(days=1)
    return series


def thin(series: list[tuple[date, int]], most: int = 12) -> list[tuple[date, int]]:
    """At most `most` rows for the table: the first, the last and evenly spaced ones between,
    plus every day on which the count changed if that still fits."""
    if len(series) <= most:
        return series
    changed = [series[0], *(b for a, b in itertools.pairwise(series)
                            if b[1] != a[1])]
    if series[-1] not in changed:
        changed.append(series[-1])
    if len(changed) <= most:
        return changed
    step = (len(series) - 1) / (most - 1)
    return [series[round(i * step)] for i in range(most)]


def _y_step(maximum: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100):
        if maximum / step <= 5:
            return step
    return max(1, maximum // 5)


def line_chart(title: str, series: list[tuple[date, int]], maximum: int) -> LineChart:
    """Lay `series` out; the y axis runs from 0 to `maximum` (at least the highest value)."""
    top = max([maximum, 1, *(v for _, v in series)])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(len(series) - 1, 1)

    def x_at(i: int) -> float:
        return LEFT + plot_w * i / span

    def y_at(value: int) -> float:
        return TOP + plot_h * (1 - value / top)

    points = tuple(Point(d, v, x_at(i), y_at(v)) for i, (d, v) in enumerate(series))
    step = _y_step(top)
    y_ticks = tuple(Tick(str(v), LEFT - 8, y_at(v)) for v in range(0, top + 1, step))
    if series:
        labelled = {0, len(series) - 1, *(round(span * k / 4) for k in (1, 2, 3))}
        x_ticks = tuple(Tick(f"{series[i][0]:%-d %b}", x_at(i), HEIGHT - BOTTOM + 20)
                        for i in sorted(labelled) if i < len(series))
    else:
        x_ticks = ()
    return LineChart(title, points, top, y_ticks, x_ticks)
