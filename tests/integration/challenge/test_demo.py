"""The peer-challenge demo: triads of the demo cycle, one day done with its outcomes, a
regional picture to show; idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from seslip.accounts.models import OrgRole, User
from seslip.challenge import regional
from seslip.challenge.demo import LEAD
from seslip.challenge.models import Outcome, PeerComment, Triad, TriadMember
from seslip.cycles import services as cycles
from seslip.cycles.models import Cycle
from seslip.demo import PROGRAMME_MANAGER_EMAIL
from seslip.extensions import db
from seslip.questionnaires.models import FormVersion
from seslip.timeutil import local_today


def _open_demo_cycle() -> None:
    """As seslip/cycles/demo.py does (when it is there): this year's cycle, open."""
    if db.session.scalar(select(func.count()).select_from(Cycle)):
        return
    pm = db.session.scalar(select(User).where(User.email == PROGRAMME_MANAGER_EMAIL))
    version = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == LEAD)).first()
    today = local_today()
    cycles.open_cycle(pm, cycles.CycleInput(
        name="Lead Member self-assessment (demo)", form_version_id=version.id,
        respondent_role=OrgRole.LEAD_MEMBER, opens_on=today - timedelta(days=60),
        finalise_by=today - timedelta(days=20), challenge_from=today - timedelta(days=14),
        challenge_to=today + timedelta(days=30)), today=today)


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_demo_forms_triads_and_records_one_day(app: Flask, runner: Any) -> None:
    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0
    _open_demo_cycle()
    first = runner.invoke(args=["seslip", "demo"])
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
