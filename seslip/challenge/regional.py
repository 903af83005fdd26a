"""The regional picture of a cycle for the programme manager and the steering group: themes
counted across every authority's outcomes, strengths and areas grouped by theme and by
responsibility, completion over time, the plan priorities each theme feeds; its Word and CSV
exports; and one authority's answers and outcomes beside the previous cycle's.

A fixed number of queries whatever the number of authorities, outcomes or answers (pinned by
tests/integration/challenge/test_regional.py)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.challenge import access, chart, themes
from seslip.challenge.models import Outcome, PlanPriority, PointKind, Theme, Triad
from seslip.challenge.outcomes import sections_of
from seslip.challenge.themes import PointItem
from seslip.cycles.models import Cycle
from seslip.extensions import db
from seslip.organisations.models import Organisation
from seslip.questionnaires.exports import MIMETYPES, File, safe_cell
from seslip.questionnaires.models import Response, ResponseStatus
from seslip.records import get_or_raise
from seslip.timeutil import local_today, to_local


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    count: int
    authorities: list[str]
    priorities: list[str]


@dataclass(frozen=True)
class Regional:
    cycle: Cycle
    authorities: int
    finalised: int
    members: list[tuple[int, str]]  # (organisation id, name) of each authority answering
    themes: list[ThemeRow]
    by_theme: list[tuple[str, list[PointItem], list[PointItem]]]
    by_section: list[tuple[str, list[PointItem], list[PointItem]]]
    completion: chart.LineChart
    completion_rows: list[tuple[date, int]]
    actions: list[tuple[str, str, str, date]]  # authority, action, owner, due
    priorities: list[PlanPriority]


def outcomes_of(cycle: Cycle) -> list[Outcome]:
    stmt = (select(Outcome).join(Triad).where(Triad.cycle_id == cycle.id)
            .options(selectinload(Outcome.themes), selectinload(Outcome.points),
                     selectinload(Outcome.actions))
            .order_by(Outcome.id))
    return list(db.session.scalars(stmt).unique())


def picture(cycle: Cycle, today: date | None = None) -> Regional:
    today = today or local_today()
    titles = {s.id: s.title for s in sections_of(cycle)}
    known = list(db.session.scalars(select(Theme).where(Theme.archived.is_(False))
                                    .options(selectinload(Theme.priorities))
                                    .order_by(Theme.name)))
    outcomes = outcomes_of(cycle)
    counted = themes.count_themes(
        ((o.organisation.name, [t.name for t in o.themes]) for o in outcomes),
        known=[t.name for t in known])
    links = {t.name: [p.title for p in t.priorities if not p.archived] for t in known}
    points = [PointItem(o.organisation.name, p.kind.value, p.text,
                               p.theme.name if p.theme else None,
                               titles.get(p.section_id) if p.section_id else None)
              for o in outcomes for p in o.points if not p.withdrawn]
    rows = db.session.execute(
        select(Response.status, Response.finalised_at, Organisation.id, Organisation.name)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .where(Response.cycle_id == cycle.id).order_by(Organisation.name)).all()
    done = [to_local(at).date() for status, at, _, _ in rows  # type: ignore[union-attr]
            if status == ResponseStatus.FINALISED and at is not None]
    end = max([min(today, cycle.finalise_by), *done]) if done else min(today, cycle.finalise_by)
    series = chart.completion_series(done, cycle.opens_on, max(end, cycle.opens_on))
    actions = sorted(((o.organisation.name, a.text, a.owner.name, a.due_on)
                      for o in outcomes for a in o.actions if not a.withdrawn),
                     key=lambda row: (row[3], row[0]))
    priorities = list(db.session.scalars(select(PlanPriority).where(
        PlanPriority.archived.is_(False)).order_by(PlanPriority.position)))
    return Regional(
        cycle, len(rows), len(done), [(org_id, name) for _, _, org_id, name in rows],
        [ThemeRow(name, count, names, links.get(name, [])) for name, count, names in counted],
        themes.group_points(points, "theme", order=[t.name for t in known]),
        themes.group_points(points, "section", order=list(titles.values())),
        chart.line_chart("Self-assessments finalised", series, len(rows)),
        chart.thin(series), actions, priorities)


def open_picture(user: User, cycle_id: int) -> Regional:
    access.require_region(user)
    return picture(get_or_raise(Cycle, cycle_id, "There is no such cycle."))


# --- exports --------------------------------------------------------------------------------


def _slug(cycle: Cycle) -> str:
    return "".join(c if c.isalnum() else "-" for c in cycle.name.lower()).strip("-")


def to_csv(region: Regional) -> File:
    """A row per theme count, strength, area and action: the input to the improvement plan.
    UTF-8 with a byte-order mark; no cell can run as a spreadsheet formula (safe_cell)."""
    out = io.StringIO()
    writer = csv.writer(out)

    def row(*cells: str) -> None:
        writer.writerow([safe_cell(c) for c in cells])

    row("Record", "Authority", "Theme", "Responsibility", "Text", "Owner", "Due",
        "Plan priorities")
    for theme in region.themes:
        row("Theme count", "; ".join(theme.authorities), theme.theme, "", str(theme.count),
            "", "", "; ".join(theme.priorities))
    for _, strengths, areas in region.by_theme:
        for point in [*strengths, *areas]:
            label = "Strength" if point.kind == PointKind.STRENGTH else "Area for development"
            row(label, point.authority, point.theme or "", point.section or "", point.text,
                "", "", "")
    for authority, text, owner, due in region.actions:
        row("Agreed action", authority, "", "", text, owner, due.isoformat(), "")
    return File(f"regional-picture-{_slug(region.cycle)}.csv", MIMETYPES["csv"],
                out.getvalue().encode("utf-8-sig"))


def to_docx(region: Regional) -> File:
    import docx  # slow to import: only exports need it

    from seslip.questionnaires.exports import _xml_text as clean

    word = docx.Document()
    title = f"Regional picture: {region.cycle.name}"
    word.core_properties.title = clean(title)[:255]
    word.add_heading(clean(title), level=0)
    word.add_paragraph(f"{region.finalised} of {region.authorities} self-assessments finalised.")
    word.add_heading("Themes across the region", level=1)
    table = word.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Theme", "Authorities", "Which",
                                                "Plan priorities"], strict=True):
        cell.text = text
    for row in region.themes:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = clean(row.theme), str(row.count)
        cells[2].text = clean(", ".join(row.authorities))
        cells[3].text = clean("; ".join(row.priorities))
    for heading, groups in (("By theme", region.by_theme),
                            ("By responsibility", region.by_section)):
        word.add_heading(heading, level=1)
        for name, strengths, areas in groups:
            word.add_heading(clean(name), level=2)
            for label, items in (("Strengths", strengths), ("Areas for development", areas)):
                if items:
                    word.add_paragraph().add_run(label).bold = True
                    for point in items:
                        word.add_paragraph(clean(f"{point.authority}: {point.text}"),
                                           style="List Bullet")
    word.add_heading("Agreed actions", level=1)
    for authority, text, owner, due in region.actions:
        word.add_paragraph(clean(f"{authority}: {text} (owner {owner}, due {due:%-d %B %Y})"),
                           style="List Bullet")
    out = io.BytesIO()
    word.save(out)
    return File(f"regional-picture-{_slug(region.cycle)}.docx", MIMETYPES["docx"],
                out.getvalue())

