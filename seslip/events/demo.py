"""Demo events from the seeds: the London development programme (seed 003) with its induction
day (the draft programme of its Appendix 1, session by session, with speakers), its half-day
policy forum and one action learning set of four monthly days; an expert workshop of the Lead
Member Network (seed 000) with guest speakers, full, with a waiting list. Idempotent."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from seslip.demo import DemoContext, demo_step, lead_member_email
from seslip.events import programme, services
from seslip.events.models import Cohort, Event, EventKind, LearningSetMember
from seslip.extensions import db
from seslip.formengine import read_form
from seslip.library import services as library
from seslip.meetings import demo as meetings_demo  # noqa: F401 - registers its step first
from seslip.networks.models import Network
from seslip.questionnaires import demo as questionnaires_demo  # noqa: F401 - the library first
from seslip.questionnaires import services as questionnaires
from seslip.timeutil import local_today

COHORT = "London Lead Member Development Programme"
VENUE = "London Councils, 59½ Southwark Street, London SE1 0AL"
PARTICIPANTS = ("east-sussex", "kent", "surrey", "hampshire", "medway", "reading",
                "brighton-and-hove", "oxfordshire")
# Appendix 1 of seed 003: the draft induction programme, as sessions with their speakers.
INDUCTION = (
    (time(9, 30), time(9, 45), "Introduction and purpose of the programme", "",
     "Margaret Hale – London Councils representative"),
    (time(9, 45), time(10, 45), "Overview of the statutory basis and responsibility of the "
     "Lead Member for Children’s Services", "Role of Lead Member alongside Director / Chief "
     "Executive; Every Child Matters; Legislation overview", "Andrew Kerr – London LA lawyer"),
    (time(10, 45), time(11, 30), "The changing landscape", "Post Baby P; The Protection of "
     "Children in England - Laming recommendations",
     "Ruth Adeyemi – London Assistant Director of Children’s Services"),
    (time(11, 30), time(12, 30), "Legal basis for sharing information", "Sources of law; "
     "Examples and exchange of information", "Andrew Kerr – London LA lawyer"),
    (time(12, 30), time(13, 15), "Lunch", "", ""),
    (time(13, 15), time(14, 30), "Local Safeguarding Children Board and Children’s Trust",
     "Briefing on the role and governance of LSCB; Understanding partnership governance "
     "arrangements and level of involvement in partnership organisations; The role of the "
     "Chair and local authority.", "David Moreland – LSCB Chair"),
    (time(14, 30), time(16, 0), "How to make the Lead Member role influential – panel",
     "Questions and debate (discussion regarding Children’s Trust, networking and "
     "negotiation with partners).",
     "Margaret Hale – London Councils representative\nDavid Moreland – LSCB Chair\n"
     "Ruth Adeyemi – London Assistant Director of Children’s Services"),
)
INDUCTION_TEXT = (
    "The induction programme focuses on the role of the Lead Member and how best to make it "
    "influential. It is for elected members newly appointed to the role and those designated "
    "to support the portfolio; it also suits scrutiny members, members who may have a future "
    "interest in the portfolio, and longer standing members who wish to refresh their "
    "knowledge in light of the ever changing policy framework.\n\n"
    "Presentations are supported by pre prepared factual information packs, with time built "
    "into each session for discussion and enquiry.")
FORUM_TEXT = (
    "An annual policy forum under the auspices of London Councils, with invited contributions "
    "from DCSF, Ofsted, Government Office for London, the Social Care Institute for Excellence "
    "and the NHS: briefing on key chosen themes followed by comment and discussion. Members "
    "are invited to provide inputs into the selection of policy topics.")


def _weekday_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _event(title: str, details: services.EventDetails) -> tuple[Event, bool]:
    found = db.session.scalar(select(Event).where(Event.title == title))
    if found is not None:
        return found, False
    return services.create_event(None, details), True


@demo_step
def events(ctx: DemoContext) -> int:
    today = local_today()
    people = [u for u in (ctx.user(lead_member_email(s)) for s in PARTICIPANTS) if u]
    created = 0
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == COHORT))
    if cohort is None:
        year = today.year if today.month >= 4 else today.year - 1
        cohort = programme.create_cohort(
            None, COHORT, f"{year}-{(year + 1) % 100:02d}",
            "To enable and support Lead Members for Children’s Services in executing their "
            "responsibilities: induction, an annual policy forum and action learning sets.")
        programme.add_participants(None, cohort, people)
        created += 1
    induction_day = _weekday_after(today + timedelta(days=20), 3)  # a Thursday
    induction, made = _event("Induction day for Lead Members", services.EventDetails(
        EventKind.INDUCTION_DAY, "Induction day for Lead Members", induction_day, time(9, 30),
        time(16), INDUCTION_TEXT, place=VENUE, cohort=cohort, capacity=12))
    if made:
        created += 1
        for starts, ends, title, about, speakers in INDUCTION:
            services.save_session(None, induction, None, starts, ends, title, about, speakers)
        for person in people[2:6]:  # some have registered; the demo's lead member has not
            services.register(person, induction, today)
    forum, made = _event("Annual policy forum", services.EventDetails(
        EventKind.POLICY_FORUM, "Annual policy forum", _weekday_after(
            today + timedelta(days=75), 4), time(13, 30), time(17), FORUM_TEXT, place=VENUE,
        cohort=cohort, capacity=40))
    if made:
        created += 1
        for starts, ends, title, speakers in (
                (time(13, 30), time(14, 30), "Policy developments: briefing and discussion",
                 "A senior representative – DCSF"),
                (time(14, 30), time(15, 30), "Messages from inspection and regulation",
                 "A senior representative – Ofsted"),
                (time(15, 45), time(17, 0), "Best practice: comment and discussion",
                 "A senior representative – Social Care Institute for Excellence")):
            services.save_session(None, forum, None, starts, ends, title, "", speakers)
    if not cohort.learning_sets and len(people) >= 4:
        programme.create_learning_set(None, cohort, programme.SetDetails(
            "Action learning set 1", _weekday_after(today + timedelta(days=35), 2),
            time(10), time(16), VENUE, "External facilitation, with technical support from "
            "London Councils' safeguarding network"), people[:5])
        created += 1 + _themes_chosen(cohort.learning_sets[0].members)
    created += _workshop(ctx, today)
    ctx.echo(f"Events: {created} records added.")
    return created


# What three of the set's members chose (the themes questionnaire's option values).
CHOICES = (["serious_case_reviews", "strategic_partners"],
           ["serious_case_reviews", "young_people_families", "schools_safeguarding"],
           ["impact_on_safeguarding", "serious_case_reviews"])


def _themes_chosen(members: list[LearningSetMember]) -> int:
    """Three members answer the themes questionnaire (when the library has it)."""
    if library.current_definition(programme.THEMES_DEFINITION) is None:
        return 0
    for member, values in zip(members[1:], CHOICES, strict=False):
        response = questionnaires.start_or_continue(member.user, programme.THEMES_DEFINITION)
        sent = read_form(MultiDict([("themes", v) for v in values]))
        questionnaires.save_answer(member.user, response, "themes", sent.answer("themes"), 0)
    return len(CHOICES)


def _workshop(ctx: DemoContext, today: date) -> int:
    """An expert workshop of the Lead Member Network, full, with two people waiting."""
    lead = db.session.scalar(select(Network).where(Network.slug == "lead-member-network"))
    if lead is None:
        return 0
    title = "Expert workshop: learning from serious case reviews"
    workshop, made = _event(title, services.EventDetails(
        EventKind.EXPERT_WORKSHOP, title, _weekday_after(today + timedelta(days=45), 4),
        time(10), time(12, 30), "An expert workshop for members of the Lead Member Network, "
        "with guest speakers. Slides are added here afterwards.", place=VENUE, network=lead,
        capacity=4))
    if not made:
        return 0
    services.save_session(None, workshop, None, time(10), time(11), "What serious case "
                          "reviews tell lead members", "", "Dr Helen Marsh – independent "
                          "safeguarding reviewer")
    services.save_session(None, workshop, None, time(11, 15), time(12, 30), "Questions for "
                          "scrutiny: a workshop", "", "Claire Dunsford – Local Government "
                          "Association")
    slugs = ("surrey", "hampshire", "medway", "reading", "oxfordshire", "portsmouth")
    for person in (ctx.user(lead_member_email(s)) for s in slugs):
        if person is not None and services.may_register(person, workshop, today):
            services.register(person, workshop, today)
    return 1
