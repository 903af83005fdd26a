"""Demo peer challenge: the programme manager's themes and regional plan priorities, the demo
cycle's 19 authorities in five triads and a quartet (two as in the DCS triads of seed 004),
and one challenge day done with its outcomes recorded, so the regional page has a picture.
Idempotent: each part is made only when missing."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from seslip.accounts.models import OrgRole, User
from seslip.challenge import outcomes, plan, triads
from seslip.challenge.models import PointKind, Theme, Triad
from seslip.cycles import demo as cycles_demo  # noqa: F401 - its steps (the cycle) run first
from seslip.cycles import services as cycles
from seslip.cycles.models import Cycle
from seslip.demo import DemoContext, demo_step
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.formengine.formdata import read_form
from seslip.organisations.models import Organisation
from seslip.questionnaires import services as questionnaires
from seslip.questionnaires.models import Response
from seslip.timeutil import local_today

LEAD = "lead-member-self-assessment-2022-23"
THEMES = {
    "Voice of the child": "Children and young people involved in decisions, as in "
                          "Responsibility 5.",
    "Corporate parenting": "The council as a parent to children in its care.",
    "Scrutiny": "Overview and scrutiny of children's services.",
    "Budgets and priorities": "Setting local priorities and budgets for children's services.",
    "Strategic partnerships": "Local strategic partnerships and their success.",
    "Workforce": "The challenges for the children's services workforce.",
}
# The aims on the SESLIP home page (seed 004), as the plan's priorities.
PRIORITIES = {
    "Improve outcomes for children and young people across the South East":
        ["Voice of the child", "Corporate parenting"],
    "Establish a culture of honest and constructive dialogue and challenge within and "
    "between authorities": ["Scrutiny"],
    "Building leadership capacity and capability": ["Workforce", "Budgets and priorities"],
    "Using evidence to inform decisions": ["Budgets and priorities", "Scrutiny"],
    "Using peer challenge and peer review": ["Strategic partnerships"],
}
# The first group's day is done (its authorities finalised in the cycles demo); two groups are
# the DCS triads on the SESLIP home page (seed 004).
GROUPS = (
    ("Triad 1", ("kent", "surrey", "west-sussex")),
    ("Triad 2", ("medway", "milton-keynes", "bracknell-forest")),  # DCS Triad 4
    ("Triad 3", ("west-berkshire", "windsor-and-maidenhead", "brighton-and-hove")),  # Triad 5
    ("Triad 4", ("buckinghamshire", "oxfordshire", "reading")),
    ("Triad 5", ("east-sussex", "slough", "wokingham")),
    ("Quartet 1", ("hampshire", "isle-of-wight", "portsmouth", "southampton")),
)
FACILITATORS = ("claire.dunsford@lga.example", "jonathan.merriweather@adcs.example")
ANSWERS = {
    "ambition": "Every child in {name} safe, healthy and happy, achieving their potential, "
                "with their voice heard in every decision the council makes about them.",
    "responsibility_1": "I meet the DCS fortnightly and report to cabinet on performance; the "
                        "scrutiny committee challenges our improvement plan each quarter.",
    "responsibility_2": "The children's plan sets our priorities; budgets are reviewed "
                        "quarterly against it with the finance lead.",
    "responsibility_3": "Monthly one-to-ones with the DCS and visits to front-line teams.",
    "responsibility_4": "I chair the children and young people's partnership board.",
    "responsibility_5": "The children in care council meets cabinet twice a year and sets "
                        "two of our pledges.",
}
# (kind, text, theme, section, which of the group's authorities: 0, 1, 2 in its order)
OUTCOME = (
    (PointKind.STRENGTH, "A clear, shared ambition known across the council.",
     "Voice of the child", "role_as_lead_member", {0, 1, 2}),
    (PointKind.STRENGTH, "Strong, regular challenge of the DCS.", "Scrutiny",
     "challenge_and_support", {0, 1}),
    (PointKind.AREA, "Hear children in budget decisions, not only in services.",
     "Voice of the child", "voice_of_children", {0, 2}),
    (PointKind.AREA, "Agree scrutiny's work programme with the lead member.", "Scrutiny",
     "political_accountability", {1}),
    (PointKind.AREA, "Members' corporate parenting training.", "Corporate parenting",
     "political_accountability", {0}),
)


def _cycle() -> Cycle | None:
    return db.session.scalars(select(Cycle).where(Cycle.definition_id == LEAD)
                              .order_by(Cycle.opens_on.desc(), Cycle.id.desc())).first()


@demo_step
def challenge_lists(ctx: DemoContext) -> int:
    created = 0
    for name, description in THEMES.items():
        if db.session.scalar(select(Theme.id).where(Theme.name == name)) is None:
            plan.add_theme(None, name, description)
            created += 1
    known = {p.title for p in plan.priorities(include_archived=True)}
    by_name = {t.name: t for t in plan.themes(include_archived=True)}
    for title, names in PRIORITIES.items():
        if title in known:
            continue
        priority = plan.add_priority(None, title)
        created += 1
        for name in names:
            theme = by_name[name]
            plan.link_priorities(None, theme, [p.id for p in theme.priorities] + [priority.id])
    ctx.echo(f"Peer challenge themes and plan priorities: {created} added.")
    return created


def _days(cycle: Cycle, today: date) -> list[date]:
    """One day per group inside the window: the first a week ago (done), the rest to come."""
    low = cycle.challenge_from or today
    high = cycle.challenge_to or low + timedelta(days=40)
    first = min(max(low, today - timedelta(days=7)), high)
    step = max((high - first).days // len(GROUPS), 1)
    return [min(first + timedelta(days=i * step), high) for i in range(len(GROUPS))]


@demo_step
def challenge_triads(ctx: DemoContext) -> int:
    cycle = _cycle()
    if cycle is None:
        ctx.echo("Peer challenge: no cycle of the self-assessment yet, so no triads.")
        return 0
    done = {t.name for t in triads.cycle_triads(cycle)}
    slugs = {o.slug: o.id for o in db.session.scalars(select(Organisation))}
    answering = {r.organisation_id for r in db.session.scalars(
        select(Response).where(Response.cycle_id == cycle.id)).unique()}
    facilitators = [ctx.user(email) for email in FACILITATORS]
    created = 0
    for n, ((name, members), day) in enumerate(zip(GROUPS, _days(cycle, local_today()),
                                                   strict=True)):
        ids = [slugs[s] for s in members if s in slugs and slugs[s] in answering]
        person = facilitators[n % len(facilitators)]
        if name in done or len(ids) not in triads.SIZES or person is None:
            continue
        online = n % 2 == 1
        try:
            triads.form_triad(None, cycle, ids, triads.DayDetails(
                name, day, time(9, 30), time(15, 30),
                "" if online else "County Hall", "https://teams.example/seslip/"
                f"{name.lower().replace(' ', '-')}" if online else "", person.id))
            created += 1
        except ServiceError as error:
            db.session.rollback()
            ctx.echo(f"Peer challenge: {name} not formed: {error.message}")
    ctx.echo(f"Peer challenge triads: {created} formed.")
    return created


def _finalise(ctx: DemoContext, response: Response) -> None:
    """Answer what is missing and finalise, signing off first where the cycle asks for it."""
    owner = response.owner
    name = response.organisation.name if response.organisation else ""
    have = questionnaires.answers_of(response)
    for question_id, text in ANSWERS.items():
        if question_id not in have:
            sent = read_form({question_id: text.format(name=name)}).answer(question_id)
            questionnaires.save_answer(owner, response, question_id, sent, None)
    cycle = db.session.get_one(Cycle, response.cycle_id)
    if cycle.sign_off_required:
        people = db.session.scalars(select(User).where(
            User.organisation_id == response.organisation_id,
            User.org_role.in_((OrgRole.LEAD_MEMBER, OrgRole.DCS))))
        for person in people:
            if cycles.may_sign_off(person, response):
                cycles.sign_off(person, response)
    cycles.finalise(owner, response)


@demo_step
def challenge_day_done(ctx: DemoContext) -> int:
    """The first group's day has happened: its self-assessments finalised, peers' comments,
    and the facilitator's outcomes for each authority."""
    cycle = _cycle()
    if cycle is None:
        return 0
    triad = db.session.scalar(select(Triad).where(Triad.cycle_id == cycle.id,
                                                  Triad.name == GROUPS[0][0]))
    if triad is None or not outcomes.day_reached(triad) or triad.facilitator is None:
        return 0
    if outcomes.triad_outcomes(triad):
        return 0
    responses = triads.responses_of(triad)
    for response in responses.values():
        if response.is_draft:
            _finalise(ctx, response)
    _comments(responses)
    theme = {t.name: t.id for t in plan.themes()}
    made = 0
    for n, (org_id, response) in enumerate(responses.items()):
        page = outcomes.open_outcome(triad.facilitator, triad, org_id)
        for kind, text, name, section, which in OUTCOME:
            if n in which:
                outcomes.add_point(triad.facilitator, page, kind, text, theme.get(name),
                                   section)
                page = outcomes.open_outcome(triad.facilitator, triad, org_id)
                made += 1
        outcomes.add_action(triad.facilitator, page, "Invite the children in care council to "
                            "set the scrutiny committee's next review.", response.owner_id,
                            local_today() + timedelta(days=60))
        made += 1
    ctx.echo(f"Peer challenge: {triad.name}'s day done, {made} outcome points and actions.")
    return made


def _comments(responses: dict[int, Response]) -> None:
    from seslip.challenge import comments

    ordered = list(responses.values())
    for i, response in enumerate(ordered):
        peer = ordered[(i + 1) % len(ordered)].owner
        view = comments.open_shared(peer, response.id)
        if comments.threads(response):
            continue
        first = comments.add_comment(peer, view, "voice_of_children",
                                     "How do children in care hear what changed after they "
                                     "met cabinet?")
        comments.add_comment(response.owner, comments.open_shared(response.owner, response.id),
                             "", "We write back to them within a month; happy to share the "
                             "letter on the day.", parent_id=first.id)

