"""The peer-challenge demo: triads of the demo cycle, one day done with its outcomes, a
regional picture to show; idempotent."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from seslip.challenge import regional
from seslip.challenge.models import Outcome, PeerComment, Triad, TriadMember
from seslip.cycles.models import Cycle
from seslip.extensions import db


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_demo_forms_triads_and_records_one_day(app: Flask, runner: Any) -> None:
    first = runner.invoke(args=["seslip", "demo"])  # the cycles demo opens this year's cycle
    assert first.exit_code == 0, first.output
    assert "Peer challenge triads: 6 formed." in first.output
    assert _count(Triad) == 6 and _count(TriadMember) == 19
    assert _count(Outcome) == 3 and _count(PeerComment) == 6
    counts = {_count(m) for m in (Triad, Outcome, PeerComment)}
    again = runner.invoke(args=["seslip", "demo"])
    assert again.exit_code == 0 and "Peer challenge triads: 0 formed." in again.output
    assert {_count(m) for m in (Triad, Outcome, PeerComment)} == counts
    cycle = db.session.scalars(select(Cycle)).one()
    region = regional.picture(cycle)
    assert [(t.theme, t.count) for t in region.themes[:3]] == [
        ("Voice of the child", 3), ("Scrutiny", 2), ("Corporate parenting", 1)]
    assert region.finalised >= 3 and region.themes[0].priorities
