"""Demo programmes from the seeds: Lead Member Network suggestions in every state (seed 000: a
forward programme built from members' suggestions, expert workshops), and the Kinship
Network's annual work programme with its task-and-finish group and reports to the network and
the DCS group (seed 002). Idempotent: each record is looked for by its title first."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from seslip.accounts.models import OrgRole, User
from seslip.audit.services import record
from seslip.demo import PROGRAMME_MANAGER_EMAIL, DemoContext, demo_step
from seslip.documents.models import Document
from seslip.extensions import db
from seslip.meetings import demo as meetings_demo  # noqa: F401 - its meetings come first
from seslip.meetings.demo import demo_pdf
from seslip.meetings.services import upcoming
from seslip.networks.models import Network
from seslip.networks.queries import chairs_of, current_members
from seslip.programmes import services, work
from seslip.programmes.models import Audience, ItemStatus, Outcome, Suggestion, WorkItem
from seslip.programmes.services import Triage
from seslip.timeutil import local_today

# (topic, why, what the chair made of it, note)
LEAD_SUGGESTIONS = (
    ("Children's mental health support in schools",
     "Waiting lists for CAMHS are long across the region; what are councils doing with "
     "schools in the meantime?", Outcome.AWAITING, ""),
    ("Home to school transport for children with SEND",
     "Costs have risen sharply in every authority; sharing what has worked.",
     Outcome.AGENDA, ""),
    ("Recruiting and keeping foster carers",
     "An expert workshop with a guest speaker from a regional fostering hub.",
     Outcome.WORKSHOP, "We will find a speaker for the spring."),
    ("Youth justice and the new custody model",
     "How the changes affect our children in custody.", Outcome.LATER,
     "For the summer meeting, once the national guidance is out."),
    ("A regional children's services awards ceremony",
     "Celebrating the work of our staff.", Outcome.DECLINED,
     "Outside the network's terms of reference: the LGA already runs national awards, and we "
     "will share the nominations."),
)


def _kinship_suggestion(kinship: Network, today: date) -> int:
    """One Kinship Network suggestion, on the agenda of its next meeting."""
    title = "Kinship allowances: a regional comparison"
    if db.session.scalar(select(Suggestion.id).where(Suggestion.network_id == kinship.id,
                                                     Suggestion.title == title)):
        return 0
    members = [m.user for m in current_members(kinship, today)]
    chair = next(iter(chairs_of(kinship)), None)
    meeting = next(iter(upcoming(kinship)), None)
    person = next((u for u in members if chair is None or u.id != chair.id), None)
    if person is None or chair is None or meeting is None:
        return 0
    made = services.suggest(person, kinship, title, "What each authority pays kinship carers, "
                            "and what a fair regional approach could be.")
    services.triage(chair, made, Triage(Outcome.AGENDA, meeting, owner=person, minutes=30))
    return 1


def _network(slug: str) -> Network:
    found = db.session.scalar(select(Network).where(Network.slug == slug))
    if found is None:
        raise LookupError("The programmes demo needs the networks demo.")
    return found


def _suggestions(lead: Network, pm: User, today: date) -> int:
    members = [m.user for m in current_members(lead, today)]
    chair = next(iter(chairs_of(lead)), pm)
    suggesters = [u for u in members if u.id != chair.id and u.org_role == OrgRole.LEAD_MEMBER]
    meeting = next(iter(upcoming(lead)), None)
    created = 0
    for n, (title, why, outcome, note) in enumerate(LEAD_SUGGESTIONS):
        exists = db.session.scalar(select(Suggestion.id).where(
            Suggestion.network_id == lead.id, Suggestion.title == title))
        if exists is not None or not suggesters:
            continue
        person = suggesters[n % len(suggesters)]
        made = services.suggest(person, lead, title, why)
        created += 1
        if outcome == Outcome.AWAITING:
            continue
        on = meeting if outcome == Outcome.AGENDA else None
        if outcome == Outcome.AGENDA and on is None:
            continue  # no meeting planned: it waits for the chair
        services.triage(chair, made, Triage(outcome, on, owner=person, minutes=30, note=note))
    return created


KINSHIP_ITEMS = (
    ("Regional response to the national kinship strategy",
     "Agree the region's response to the national consultation and make representations on "
     "connected carers and special guardianship.", ItemStatus.IN_PROGRESS, 90, False),
    ("Kinship data: key lines of enquiry for the region",
     "Analyse the region's kinship data to understand strengths and opportunities for "
     "improvement, and identify lines of enquiry.", ItemStatus.IN_PROGRESS, 150, True),
    ("Special guardianship support: sharing good practice",
     "Bring together good practice in supporting special guardians across the 19 "
     "authorities.", ItemStatus.NOT_STARTED, 240, False),
    ("Cascade national messages across the region",
     "After each national event, a short summary for every authority.", ItemStatus.DONE, 30,
     False),
)


def _work_programme(kinship: Network, group: Network, pm: User, today: date) -> int:
    year = work.programme_year(today)
    chair = next(iter(chairs_of(kinship)), pm)
    created = 0
    for title, description, status, days, with_group in KINSHIP_ITEMS:
        item = db.session.scalar(select(WorkItem).where(WorkItem.network_id == kinship.id,
                                                        WorkItem.title == title))
        if item is None:
            item = work.add_item(None, kinship, work.ItemValues(
                title, year, description, chair, status, today + timedelta(days=days)))
            created += 1
        if with_group and item.group_id is None:
            # The networks demo set the group up; the work programme item is what it does.
            item.group_id = group.id
            record(None, "update", item, f"{group.name} does “{item.title}”",
                   {"group": group.name})
            db.session.commit()
            created += 1
    return created


def _reports(kinship: Network, group: Network) -> int:
    created = 0
    for title, audience, from_group in (
            ("Kinship Data Task and Finish Group: first findings", Audience.NETWORK, group),
            ("South East Regional Kinship Network: report to the South East DCS Group",
             Audience.DCS_GROUP, None)):
        if db.session.scalar(select(Document.id).where(Document.title == title)) is not None:
            continue
        work.publish_report(None, kinship, title, audience, demo_pdf(title), group=from_group)
        created += 1
    return created


@demo_step
def programmes(ctx: DemoContext) -> int:
    today = local_today()
    pm = ctx.user(PROGRAMME_MANAGER_EMAIL)
    if pm is None:
        raise LookupError("The programmes demo needs the programme manager.")
    kinship = _network("regional-kinship-network")
    group = _network("kinship-data-task-and-finish-group")
    created = (_suggestions(_network("lead-member-network"), pm, today)
               + _kinship_suggestion(kinship, today)
               + _work_programme(kinship, group, pm, today) + _reports(kinship, group))
    ctx.echo(f"Programmes: {created} records added.")
    return created
