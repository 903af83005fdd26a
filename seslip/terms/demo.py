"""The two terms of reference of the seeds as their networks' first published versions: the
Lead Member Network's (seed 000) and the Regional Kinship Network's of December 2025 (seed
002), every paragraph and list item in the seeds' own words. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from seslip.audit.services import record
from seslip.demo import ADMIN_EMAIL, DemoContext, demo_step
from seslip.extensions import db
from seslip.networks.models import Network
from seslip.networks.queries import chairs_of
from seslip.terms import services
from seslip.timeutil import local_today


@dataclass
class SeedTerms:
    slug: str
    sections: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    approved_by: str | None = None  # the approving network's slug, when another body approves
    approved_on: date | None = None  # None: some months ago


LEAD_MEMBER = SeedTerms(
    "lead-member-network",
    {
        "purpose": (
            "The SESLIP Programme Board agreed the development of a workstream to support the "
            "learning and development of lead members as part of the SESLIP Improvement Plan.\n\n"
            "We recognise the wealth of experience, enthusiasm and talent of our lead members, "
            "and, as with our Directors of Children’s Services, the support of colleagues, and a "
            "safe environment to share ideas and learn from each other.\n\n"
            "The Lead Member network feeds into LGA national policy developments and assists in "
            "providing feedback and lobbying."
        ),
        "chair": (
            "The meeting is chaired by a Lead Member which is currently Cllr Jacquie Russell. "
            "There is a Vice Chair role which provides deputising capacity. This is currently "
            "held by Cllr Sue Chandler.\n\n"
            "To ensure continuity in role, the position of Chair is held for a two-year period."
        ),
        "membership": (
            "This network comprises Lead Members for Children’s Services across the southeast "
            "region and those members who may hold roles such as lead for education or SEND. It "
            "provides an opportunity for in depth expert workshops, in addition to discussion "
            "around key issues in children’s services and the sharing of good practice."
        ),
        "meetings": (
            "The meetings are held several times per year. There are two sessions per year in "
            "person in London on a Friday morning, with the Lead member network meeting held "
            "from 10am- 12 noon prior to a joint meeting with the Directors of Children’s "
            "Services for the region. The meetings are in the diary through to December 2025. "
            "Attendance in person is encouraged."
        ),
        "work_programme": (
            "Agendas and papers are sent out in advance of the meeting. A forward programme for "
            "the year is held which is based upon suggestions from members of the network. A "
            "succinct record of the meeting is taken. In addition, papers and workshop slides "
            "are held on the SESLIP Lead member network page.\n\n"
            "A series of expert workshops are held on key themes and ensure an in-depth "
            "exploration of a key area of focus with guest speakers with topics chosen by the "
            "network reflecting the balance of issues across children’s services."
        ),
        "review": "It is suggested that these terms of reference are reviewed on an annual basis.",
    },
    {"chair_term_years": "2", "vice_chairs": "1", "in_person": "yes",
     "in_person_where": "London, on a Friday morning, before a joint meeting with the "
                        "Directors of Children’s Services for the region"},
)

KINSHIP = SeedTerms(
    "regional-kinship-network",
    {
        "purpose": (
            "The South East Regional Kinship Network was established in June 2023.\n\n"
            "The South East Regional Kinship Network is overseen by the South East Region "
            "Directors of Children’s Services and support is funded through the Sector Led "
            "Improvement Programme\n\n"
            "> “The overall aim is to provide sector-led leadership and support to Kinship "
            "practice in the south east, understanding and supporting practice development and "
            "bringing together issues of common concern and/or good practice to facilitate  the "
            "good outcomes for children and young people in the region”"
        ),
        "objectives": (
            "To achieve this aim, the Network will have the following specific objectives:\n\n"
            "- To identify and feed in specific areas of good practice and key concerns to the "
            "regional DCS group;\n"
            "- To agree regional responses to national consultations and make representations "
            "on key issues relating to Kinship Care (including connected carers and special "
            "guardianships)\n"
            "- Through the analysis of data and other information, to understand key strengths "
            "and opportunities for improvement in the south-east relating to kinship;\n"
            "- Through the analysis of data and discussion, to identify key lines of enquiry "
            "for the region and commission specific, in-depth pieces of work as appropriate;\n"
            "- To ensure that national messages are cascaded throughout the region as "
            "appropriate."
        ),
        "sponsor": (
            "- The network Sponsor will be a DCS in the South East region; currently this is Dr "
            "Mac Heath DCS Milton Keynes.  Any change of Sponsor will be approved by the South "
            "East DCS Group;"
        ),
        "chair": (
            "- The network will appoint from its membership one or more Chairs and Vice Chairs "
            "who will support the SESLIP appointed consultant in devising agendas, chairing the "
            "meeting as required and take part in national events/conference calls as required "
            "on behalf of the group; the vice chair is currently Lucy Peake, Chief Exec Kinship;"
        ),
        "membership": (
            "- The network wishes to be as inclusive as possible. Membership is open to all 19 "
            "local authorities/children’s trust. Members should be of sufficient seniority to "
            "represent their organisations at a strategic level as well as to understand the "
            "Kinship operations in their LA;"
        ),
        "meetings": "- The network will meet quarterly",
        "work_programme": (
            "- The network will develop an annual work programme reflecting regional priorities "
            "and issues;"
        ),
        "task_and_finish": (
            "- Depending on the work programme, specific project groups or task and finish "
            "groups may be set up to complete identified pieces of work."
        ),
        "reporting": (
            "- The Network will undertake to report to the South East DCS group, where this "
            "will be published on the SESLIP website;"
        ),
        "review": "- The network will review this Terms of Reference on an annual basis.",
    },
    {"sponsor_name": "Dr Mac Heath DCS Milton Keynes",
     "sponsor_approved_by": "South East DCS Group", "meetings_per_year": "4"},
    approved_by="se-dcs-group",
    approved_on=date(2025, 12, 1),
)

SEEDS = (LEAD_MEMBER, KINSHIP)


def _write(ctx: DemoContext, seed: SeedTerms, today: date) -> int:
    network = db.session.scalar(select(Network).where(Network.slug == seed.slug))
    if network is None or services.current_version(services.terms_of(network)) is not None:
        return 0
    admin = ctx.user(ADMIN_EMAIL)
    assert admin is not None
    chairs = chairs_of(network)
    author = chairs[0] if chairs else admin
    draft = services.start_draft(author, network)
    definition = services.definition_of(draft.template_version)
    for section in definition.sections:
        row = services.section_row(draft, section.id)
        values = {q.id: seed.values[q.id] for q in section.questions if q.id in seed.values}
        services.save_section(author, draft, section.id, seed.sections.get(section.id, ""),
                              values, row.revision)
    body_name, approver = "", author
    if seed.approved_by:
        body = db.session.scalar(select(Network).where(Network.slug == seed.approved_by))
        approvers = chairs_of(body) if body else []
        approver = approvers[0] if approvers else admin
        body_name = body.name if body else ""
    # The seeds were agreed before the intranet: their versions are written directly, with
    # no "please approve" email for what was approved long ago.
    draft.submitted_by_id = author.id
    version = services._version_from(author, draft, approver, body_name,
                                     "The terms of reference as agreed before the intranet.",
                                     seed.approved_on or today - timedelta(days=300))
    record(None, "publish", version,
           f"Demo: version 1 of the terms of reference of {network.name}")
    db.session.commit()
    return 1


@demo_step
def terms_of_reference(ctx: DemoContext) -> int:
    today = local_today()
    created = sum(_write(ctx, seed, today) for seed in SEEDS)
    ctx.echo(f"Terms of reference: {created} added.")
    return created
