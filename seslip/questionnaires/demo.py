"""Demo: the shipped questionnaires are synced into the library, and the East Sussex lead
member is half-way through the self-assessment. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from seslip.demo import DemoContext, demo_step, lead_member_email
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.formengine import read_form
from seslip.formengine.formdata import cell_name
from seslip.library import services as library
from seslip.questionnaires.models import Response
from seslip.questionnaires.services import save_answer, start_or_continue

DEFINITION_ID = "lead-member-self-assessment-2022-23"
# Made-up answers, in the voice of a lead member; three of the six sections.
ANSWERS = {
    "ambition": (
        "Every child in East Sussex grows up safe, healthy and ready for adult life, with the "
        "right help early and close to home. Our ambition is written into the council plan and "
        "shared by every portfolio holder, not only mine."
    ),
    "ambition_evidence_links": [
        {"title": "Council plan 2022 to 2026", "url": "https://www.example.gov.uk/council-plan"},
    ],
    "responsibility_1": (
        "I chair the corporate parenting panel and meet the chair of the children's scrutiny "
        "committee every month to agree the work programme. Cabinet receives a quarterly "
        "performance report, and I visit frontline teams once a month."
    ),
    "responsibility_2": (
        "Budget setting starts from the children's services sufficiency data; we reviewed every "
        "priority after the pandemic. I use the regional benchmarking tool and the ChAT."
    ),
}


@demo_step
def definitions(ctx: DemoContext) -> int:
    """The shipped questionnaires, as `seslip definitions sync` imports them."""
    changed = [outcome for outcome in library.sync(None)
               if outcome.done in ("imported", "published")]
    for outcome in changed:
        ctx.echo(f"Questionnaires: {outcome}")
    return len(changed)


@demo_step
def self_assessment(ctx: DemoContext) -> int:
    lead = ctx.user(lead_member_email("east-sussex"))
    if lead is None:
        raise ServiceError("The questionnaire demo needs the East Sussex lead member.")
    exists = db.session.scalar(select(Response.id).where(
        Response.owner_id == lead.id, Response.definition_id == DEFINITION_ID))
    if exists is not None:
        return 0
    response = start_or_continue(lead, DEFINITION_ID)
    for question_id, value in ANSWERS.items():
        sent = read_form(_as_form(question_id, value)).answer(question_id)
        save_answer(lead, response, question_id, sent, 0)
    ctx.echo(f"Questionnaires: a half-completed self-assessment for {lead.name}.")
    return 1 + len(ANSWERS)


def _as_form(question_id: str, value: object) -> dict[str, object]:
    """The answer as the section form would post it."""
    if isinstance(value, list):
        return {cell_name(question_id, row, key): text
                for row, item in enumerate(value) for key, text in item.items()}
    return {question_id: value}
