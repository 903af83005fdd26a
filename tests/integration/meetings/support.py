"""A meeting world for the meetings tests, built through the real services."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, time

from seslip.accounts.models import User
from seslip.meetings import services
from seslip.meetings.demo import demo_pdf
from seslip.meetings.models import AgendaItem, Meeting
from seslip.networks.appointments import appoint
from seslip.networks.models import Network
from tests.integration.networks.support import TODAY, World, build_world
from tests.support.factories import make_admin

MEETING_DAY = date(2026, 3, 20)  # a Friday; papers due Friday 13 March
PDF = demo_pdf("A paper")


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@dataclass
class MeetingWorld:
    w: World
    admin: User
    chair: User  # alice: chairs the network
    owner: User  # bob: a member who owns an item with a paper expected
    member: User  # carol
    network: Network
    meeting: Meeting
    item: AgendaItem  # bob's, paper expected
    plain: AgendaItem  # the chair's, no paper


def build_meeting_world() -> MeetingWorld:
    w = build_world()
    admin = make_admin(name="Ada Admin")
    appoint(w.pm, w.chair, w.alice, starts_on=TODAY, today=TODAY)
    meeting = services.create_meeting(w.alice, w.network, services.MeetingDetails(
        title="Kinship Network, March", day=MEETING_DAY, starts=time(10), ends=time(12),
        place="County Hall, Lewes"))
    plain = services.add_item(w.alice, meeting, "Welcome", w.alice, 10, False)
    item = services.add_item(w.alice, meeting, "Data report", w.bob, 30, True)
    return MeetingWorld(w, admin, w.alice, w.bob, w.carol, w.network, meeting, item, plain)
