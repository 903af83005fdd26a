"""A peer-challenge world: a cycle of four authorities, three of them in a triad, with every
role the access rules name. Everything goes through the services:
the cycles area opens the cycle and gives access, this area forms triads and records outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from seslip.accounts.models import OrgRole, User
from seslip.challenge import outcomes, plan, triads
from seslip.challenge.models import PointKind, Triad
from seslip.cycles import services as cycles
from seslip.cycles.models import Cycle
from seslip.extensions import db
from seslip.formengine.formdata import read_form
from seslip.networks.memberships import add_membership
from seslip.networks.models import NetworkKind
from seslip.organisations.models import Organisation
from seslip.questionnaires import services as questionnaires
from seslip.questionnaires.models import AccessLevel, FormVersion, Response
from tests.integration.networks.support import make_network
from tests.support.factories import (
    make_admin,
    make_organisation,
    make_programme_manager,
    make_user,
)

LEAD = "lead-member-self-assessment-2022-23"
DAY = date(2026, 11, 20)  # the challenge day, a Friday
ANSWERS = {
    "ambition": "Every child in our county safe, healthy and achieving, heard in every decision.",
    "responsibility_1": "Cabinet and scrutiny work together.",
    "responsibility_2": "Budgets are reviewed quarterly.",
    "responsibility_3": "Monthly one-to-ones with the DCS.",
    "responsibility_4": "The partnership board meets every term.",
    "responsibility_5": "The children in care council attends cabinet.",
}


@dataclass
class World:
    pm: User
    admin: User
    orgs: list[Organisation]  # 0-2 in the triad, 3 outside
    leads: list[User]  # each authority's lead member, its respondent
    dcs: User  # the first authority's DCS, a contributor to its response
    facilitator: User
    steering: User  # a member of the steering group, of no triad authority
    cycle: Cycle
    responses: list[Response]
    triad: Triad | None = None


def version(definition_id: str = LEAD) -> FormVersion:
    return db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == definition_id).order_by(FormVersion.id.desc())).first()


def make_cycle(pm: User, name: str, opens_on: date = date(2026, 9, 1)) -> Cycle:
    """Opened by the cycles area's service: one response per authority, by its lead member."""
    form = version()
    return cycles.open_cycle(pm, cycles.CycleInput(
        name=name, form_version_id=form.id, respondent_role=OrgRole.LEAD_MEMBER,
        opens_on=opens_on, finalise_by=date(opens_on.year, 10, 31),
        challenge_from=date(opens_on.year, 11, 1), challenge_to=date(opens_on.year, 12, 18)),
        today=opens_on)


def response_of(cycle: Cycle, org: Organisation) -> Response:
    return db.session.scalars(select(Response).where(
        Response.cycle_id == cycle.id, Response.organisation_id == org.id)).one()


def fill_and_finalise(user: User, response: Response, extra: str = "") -> None:
    for question_id, text in ANSWERS.items():
        sent = read_form({question_id: text + extra}).answer(question_id)
        questionnaires.save_answer(user, response, question_id, sent, None)
    cycles.finalise(user, response)


def build() -> World:
    pm = make_programme_manager(name="Harriet Kingsley")
    admin = make_admin(name="Morgan Ashdown")
    orgs = [make_organisation(name) for name in ("Kent", "Medway", "Slough", "Reading")]
    leads = [make_user(name=f"Cllr {org.name}", organisation=org, org_role=OrgRole.LEAD_MEMBER)
             for org in orgs]
    dcs = make_user(name="Kent DCS", organisation=orgs[0], org_role=OrgRole.DCS)
    facilitator = make_user(name="Fay Facilitator")
    steering = make_user(name="Sam Steering", organisation=orgs[3], org_role=OrgRole.DCS)
    group = make_network("SESLIP Programme Steering Group", kind=NetworkKind.STEERING_GROUP)
    add_membership(pm, group, steering, started_on=date(2020, 1, 1), today=date(2026, 1, 1))
    cycle = make_cycle(pm, "Lead Member self-assessment 2026-27")
    responses = [response_of(cycle, org) for org in orgs]
    cycles.grant_access(leads[0], responses[0], dcs.id, AccessLevel.EDIT)
    return World(pm, admin, orgs, leads, dcs, facilitator, steering, cycle, responses)


def form_triad(w: World, day: date = DAY) -> Triad:
    w.triad = triads.form_triad(w.pm, w.cycle, [o.id for o in w.orgs[:3]], triads.DayDetails(
        "Triad 1", day, time(10), time(15), "County Hall, Maidstone",
        "https://teams.example/meet/1", w.facilitator.id))
    return w.triad


def record_outcomes(w: World) -> None:
    """Themes and a strength, an area and an action for each triad authority (on the day)."""
    assert w.triad is not None
    voice = plan.add_theme(w.pm, "Voice of the child")
    scrutiny = plan.add_theme(w.pm, "Scrutiny")
    plan.add_theme(w.pm, "Corporate parenting")
    priority = plan.add_priority(w.pm, "Hear children in every decision")
    plan.link_priorities(w.pm, voice, [priority.id])
    for i, org in enumerate(w.orgs[:3]):
        page = outcomes.open_outcome(w.facilitator, w.triad, org.id)
        outcomes.add_point(w.facilitator, page, PointKind.STRENGTH, f"{org.name} strength",
                           voice.id, "voice_of_children")
        page = outcomes.open_outcome(w.facilitator, w.triad, org.id)
        outcomes.add_point(w.facilitator, page, PointKind.AREA, f"{org.name} area",
                           scrutiny.id if i == 0 else None, "political_accountability")
        page = outcomes.open_outcome(w.facilitator, w.triad, org.id)
        outcomes.add_action(w.facilitator, page, f"{org.name} action", w.leads[i].id,
                            date(2027, 1, 15))


def on_the_day() -> datetime:
    return datetime.combine(DAY, time(12))
