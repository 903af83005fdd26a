"""Demo: the 2026-27 cycle of the Lead Member self-assessment, with the 19 authorities at
different stages. East Sussex's half-done self-assessment (questionnaires demo) is taken into
the cycle; its DCS helps with it. Idempotent: nothing is added when the cycle exists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from seslip.accounts.models import OrgRole, SiteRole, User
from seslip.cycles import services
from seslip.cycles.models import Cycle
from seslip.demo import DemoContext, demo_step
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.formengine import read_form
from seslip.library.services import version_to_start
from seslip.questionnaires import services as questionnaires
from seslip.questionnaires.demo import DEFINITION_ID
from seslip.questionnaires.models import AccessLevel, Answer, Response

NAME = "Lead Member self-assessment 2026-27"
OPENS_ON, FINALISE_BY = date(2026, 9, 14), date(2026, 11, 6)
CHALLENGE_FROM, CHALLENGE_TO = date(2026, 11, 16), date(2026, 12, 18)
QUESTIONS = ("ambition", "responsibility_1", "responsibility_2", "responsibility_3",
             "responsibility_4", "responsibility_5")
# Stages by authority slug; the others have not started.
FINALISED = ("kent", "hampshire", "surrey", "brighton-and-hove", "oxfordshire", "medway",
             "west-sussex", "reading")
IN_PROGRESS = {"buckinghamshire": 4, "milton-keynes": 2, "portsmouth": 5, "southampton": 1,
               "slough": 3, "isle-of-wight": 2}  # how many questions answered
# Made-up answers in a lead member's voice; {name} is the authority.
TEXTS = {
    "ambition": "Every child in {name} grows up safe, loved and ready for adult life, with help "
                "early and close to home. The ambition is in the council plan and every "
                "portfolio holder shares it.",
    "responsibility_1": "I meet the chair of the children's scrutiny committee each month to "
                        "agree the work programme; cabinet sees a quarterly performance report "
                        "and I visit a frontline team every month.",
    "responsibility_2": "Our budget starts from the sufficiency data. We reviewed every "
                        "priority this year with the DCS and use the regional benchmarking "
                        "tool to test value for money.",
    "responsibility_3": "I challenge through the corporate parenting panel and the "
                        "improvement board; the DCS and I have a fortnightly one-to-one with an "
                        "agreed agenda and actions.",
    "responsibility_4": "The children's partnership meets every quarter; I chair it with the "
                        "health and police leads and we report progress on the joint plan to "
                        "the health and wellbeing board.",
    "responsibility_5": "Care leavers and the children in care council meet me every term; "
                        "their priorities shaped the pledge and the participation strategy.",
}


@demo_step
def self_assessment_cycle(ctx: DemoContext) -> int:
    if db.session.scalar(select(Cycle.id).where(Cycle.name == NAME)) is not None:
        return 0
    manager = db.session.scalar(select(User).where(
        User.site_role == SiteRole.PROGRAMME_MANAGER).order_by(User.id))
    if manager is None:
        raise ServiceError("The cycles demo needs the programme manager.")
    version = version_to_start(DEFINITION_ID)
    cycle = services.open_cycle(manager, services.CycleInput(
        name=NAME, form_version_id=version.id, respondent_role=OrgRole.LEAD_MEMBER,
        opens_on=OPENS_ON, finalise_by=FINALISE_BY, challenge_from=CHALLENGE_FROM,
        challenge_to=CHALLENGE_TO, sign_off_required=True))
    responses = {r.organisation.slug: r for r in db.session.scalars(
        select(Response).where(Response.cycle_id == cycle.id)).unique() if r.organisation}
    created = len(responses)
    for slug in FINALISED:
        created += _finalised(responses[slug])
    for slug, count in IN_PROGRESS.items():
        created += _answer(responses[slug].owner, responses[slug], QUESTIONS[:count])
    created += _helped(responses["east-sussex"], "responsibility_3")
    created += _helped(responses["buckinghamshire"], "responsibility_5")
    ctx.echo(f"Cycles: “{NAME}” with {len(FINALISED)} authorities finalised, "
             f"{len(IN_PROGRESS) + 1} in progress (East Sussex's DCS helping) and "
             f"{len(responses) - len(FINALISED) - len(IN_PROGRESS) - 1} not started.")
    return created


def _answer(user: User, response: Response, question_ids: tuple[str, ...]) -> int:
    name = response.organisation.name if response.organisation else "the county"
    stored = {a.question_id: a.revision for a in db.session.scalars(
        select(Answer).where(Answer.response_id == response.id))}
    for question_id in question_ids:
        sent = read_form({question_id: TEXTS[question_id].format(name=name)})
        questionnaires.save_answer(user, response, question_id, sent.answer(question_id),
                                   stored.get(question_id, 0))
    return len(question_ids)


def _finalised(response: Response) -> int:
    done = _answer(response.owner, response, QUESTIONS)
    for person in _signers(response):
        services.sign_off(person, response)
    services.finalise(response.owner, response)
    return done + 3


def _signers(response: Response) -> list[User]:
    return [line.person for line in services.sign_off_lines(response) if line.person]


def _helped(response: Response, question_id: str) -> int:
    """The authority's DCS is given edit access by the lead member and writes one answer."""
    dcs = next((p for p in _signers(response) if p.org_role == OrgRole.DCS), None)
    if dcs is None:
        return 0
    services.grant_access(response.owner, response, dcs.id, AccessLevel.EDIT)
    return 1 + _answer(dcs, response, (question_id,))
