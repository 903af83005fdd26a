"""Demo meetings from the seeds: the Lead Member Network's next two London Friday mornings
(10:00 to 12:00, before the joint meeting with the region's DCSs) and the Kinship Network's
quarterly meetings (planned from its pattern), with agendas and one small paper. Idempotent."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from seslip.accounts.models import OrgRole, User
from seslip.demo import PROGRAMME_MANAGER_EMAIL, DemoContext, demo_step
from seslip.extensions import db
from seslip.meetings import patterns, rules, services
from seslip.meetings.models import Meeting
from seslip.networks import demo as networks_demo  # noqa: F401 - registers its step first
from seslip.networks.models import Network
from seslip.networks.queries import chairs_of
from seslip.timeutil import local_today, utcnow

LONDON_VENUE = "Local Government House, Smith Square, London SW1P 3HZ"
TEAMS = "https://teams.microsoft.com/l/meetup-join/seslip-demo-kinship"


def demo_pdf(title: str) -> bytes:
    """A one-page PDF saying `title`, built by hand (offsets computed, so readers open it)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _friday_on_or_after(day: date) -> date:
    friday = day + timedelta(days=(4 - day.weekday()) % 7)
    while friday in rules.BANK_HOLIDAYS:  # not Christmas Day or Good Friday
        friday += timedelta(days=7)
    return friday


def _network(slug: str) -> Network | None:
    return db.session.scalar(select(Network).where(Network.slug == slug))


def _exists(network: Network, day: date, starts: time) -> bool:
    return db.session.scalar(select(Meeting.id).where(
        Meeting.network_id == network.id,
        Meeting.starts_at == rules.london_to_utc(day, starts))) is not None


def _meeting(network: Network, title: str, day: date, starts: time, ends: time,
             items: list[tuple[str, User | None, int, bool]], *, place: str = "",
             link: str = "", joint: Network | None = None) -> Meeting | None:
    if _exists(network, day, starts):
        return None
    meeting = services.create_meeting(None, network, services.MeetingDetails(
        title=title, day=day, starts=starts, ends=ends, place=place, online_link=link,
        joint_network=joint))
    for item_title, owner, minutes, paper in items:
        services.add_item(None, meeting, item_title, owner, minutes, paper)
    return meeting


@demo_step
def meetings(ctx: DemoContext) -> int:
    today = local_today()
    lead, dcs, kinship = (_network("lead-member-network"), _network("se-dcs-group"),
                          _network("regional-kinship-network"))
    pm = ctx.user(PROGRAMME_MANAGER_EMAIL)
    if lead is None or dcs is None or kinship is None or pm is None:
        raise LookupError("The meetings demo needs the networks demo.")
    created = 0
    chair = next(iter(chairs_of(lead)), pm)
    lga = db.session.scalar(select(User).where(User.org_role == OrgRole.PARTNER,
                                               User.email.like("%@lga.example")))
    # Two London Fridays: about three weeks ahead, and the spring one five months later.
    for n, friday in enumerate((_friday_on_or_after(today + timedelta(days=21)),
                                _friday_on_or_after(today + timedelta(days=150)))):
        made = _meeting(
            lead, f"Lead Member Network, {friday:%B %Y}", friday, time(10), time(12), [
                ("Welcome, apologies and the record of the last meeting", chair, 10, False),
                ("Expert workshop: the children's social care reforms", lga, 45, True),
                ("Sharing practice: SEND sufficiency across the region", pm, 40, n == 0),
                ("Forward programme and any other business", chair, 15, False),
            ], place=LONDON_VENUE)
        if made is not None:
            created += 1
            if n == 0:
                services.upload_paper(pm, made, made.current_items[1], "",
                                      "reforms-briefing.pdf",
                                      demo_pdf("Briefing: the children's social care reforms"))
                created += 1
        joint = _meeting(
            dcs, f"Joint meeting of DCSs and Lead Members, {friday:%B %Y}", friday,
            time(12, 30), time(15), [
                ("Regional Improvement Plan: progress", pm, 60, False),
                ("Joint priorities for the year", chair, 60, False),
            ], place=LONDON_VENUE, joint=lead)
        created += joint is not None
    created += _kinship_quarterly(kinship, next(iter(chairs_of(kinship)), pm), today)
    ctx.echo(f"Meetings: {created} records added.")
    return created


# The Kinship Network meets quarterly (seed 002): its pattern plans the next twelve months, and
# the first meeting has its agenda and is confirmed; the later ones wait for the chair.
KINSHIP_PATTERN = patterns.PatternValues(
    per_year=4, first_month=3, weekday=2, week=2, starts=time(10), ends=time(12),
    online_link=TEAMS)


def _kinship_quarterly(kinship: Network, chair: User, today: date) -> int:
    had = patterns.pattern_of(kinship) is not None
    _, made = patterns.save_pattern(None, kinship, KINSHIP_PATTERN, today=today)
    created = len(made) + (not had)
    if made:
        first = made[0]
        for title, owner, minutes, paper in (
                ("Welcome and the record of the last meeting", chair, 10, False),
                ("Work programme: progress on each item", chair, 40, True),
                ("Kinship data: what the task and finish group has found", None, 40, False),
                ("Report to the South East DCS Group", chair, 20, False)):
            services.add_item(None, first, title, owner, minutes, paper)
        first.confirmed_at = utcnow()
        db.session.commit()
    return created
