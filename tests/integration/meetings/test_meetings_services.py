"""Meetings through the services and pages, on SQLite and PostgreSQL: papers checked by their
content and served only to those who may see them, reminders exactly once, the agenda sent as
a link, records approved at the next meeting."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.audit.models import AuditEvent
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.meetings import services
from seslip.meetings.models import PaperReminderSent, RecordStatus
from seslip.meetings.reminders import tick
from seslip.networks.memberships import add_membership
from tests.integration.meetings.support import (
    MEETING_DAY,
    PDF,
    MeetingWorld,
    build_meeting_world,
    docx,
)
from tests.integration.networks.support import TODAY, make_network, outbox
from tests.support.factories import csrf_token, login, make_user


@pytest.fixture
def mw(app: Flask) -> MeetingWorld:
    return build_meeting_world()


def test_meeting_times_are_stored_as_utc_and_the_deadline_defaults(mw: MeetingWorld) -> None:
    # 20 March 2026 is before the clocks change: London is UTC.
    assert mw.meeting.starts_at == datetime(2026, 3, 20, 10, 0)
    assert mw.meeting.papers_due_on == date(2026, 3, 13)
    summer = services.create_meeting(mw.chair, mw.network, services.MeetingDetails(
        title="June", day=date(2026, 6, 5), starts=time(10), ends=time(12),
        online_link="https://teams.example/x"))
    assert summer.starts_at == datetime(2026, 6, 5, 9, 0)  # BST
    assert summer.how == "Online"


@pytest.mark.parametrize(("change", "field"), [
    ({"ends": time(9)}, "ends"),
    ({"place": ""}, "place"),
    ({"place": "", "online_link": "javascript:alert(1)"}, "online_link"),
    ({"papers_due_on": MEETING_DAY}, "papers_due_on"),
])
def test_meeting_rules_say_which_field(mw: MeetingWorld, change: dict, field: str) -> None:
    values = {"title": "X", "day": MEETING_DAY, "starts": time(10), "ends": time(12),
              "place": "Here", **change}
    with pytest.raises(ServiceError) as refused:
        services.create_meeting(mw.chair, mw.network, services.MeetingDetails(**values))
    assert refused.value.field == field


def test_a_member_may_not_create_a_meeting(mw: MeetingWorld) -> None:
    with pytest.raises(PermissionDenied):
        services.create_meeting(mw.member, mw.network, services.MeetingDetails(
            title="X", day=MEETING_DAY, starts=time(10), ends=time(12), place="Here"))


def test_the_vice_chair_runs_meetings(mw: MeetingWorld) -> None:
    from seslip.networks.appointments import appoint

    appoint(mw.w.pm, mw.w.vice, mw.member, starts_on=TODAY, today=TODAY)
    assert services.can_run(mw.member, mw.network)
    assert not services.can_run(mw.owner, mw.network)


# --- uploads ---------------------------------------------------------------------------------


def test_an_executable_named_pdf_is_refused_and_nothing_is_stored(mw: MeetingWorld,
                                                                  app: Flask) -> None:
    with pytest.raises(ServiceError, match="must be a PDF, Word") as refused:
        services.upload_paper(mw.owner, mw.meeting, mw.item, "", "paper.pdf",
                              b"MZ\x90\x00" + b"\x00" * 100)
    assert refused.value.field == "file"
    db.session.rollback()
    assert mw.item.papers == []


def test_an_oversize_file_is_refused(mw: MeetingWorld, app: Flask) -> None:
    app.config["SESLIP_MAX_UPLOAD_BYTES"] = 1000
    with pytest.raises(ServiceError, match="larger than"):
        services.upload_paper(mw.owner, mw.meeting, mw.item, "", "p.pdf", PDF + b" " * 1000)


def test_an_oversize_request_is_refused_before_it_is_read(mw: MeetingWorld, app: Flask) -> None:
    app.config.update(SESLIP_MAX_UPLOAD_BYTES=1000, MAX_CONTENT_LENGTH=4000)
    client, token = _signed_in(app, mw.owner)
    response = client.post(
        f"/meetings/{mw.meeting.id}/papers/new", content_type="multipart/form-data",
        data={"csrf_token": token, "item": str(mw.item.id),
              "file": (io.BytesIO(PDF + b" " * 9000), "p.pdf")})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    response = client.post(
        f"/meetings/{mw.meeting.id}/papers/new", content_type="multipart/form-data",
        data={"csrf_token": token, "item": str(mw.item.id),
              "file": (io.BytesIO(PDF + b" " * 1000), "p.pdf")})
    assert response.status_code == 422  # under the request limit: the service's message
    assert "larger than" in response.get_data(as_text=True)
    assert mw.item.papers == []


def test_only_the_owner_or_chair_uploads_for_an_item(mw: MeetingWorld) -> None:
    with pytest.raises(PermissionDenied):
        services.upload_paper(mw.member, mw.meeting, mw.item, "", "p.pdf", PDF)
    with pytest.raises(PermissionDenied):
        services.upload_paper(mw.owner, mw.meeting, mw.plain, "", "p.pdf", PDF)


def test_a_new_version_keeps_the_earlier_ones(mw: MeetingWorld, app: Flask) -> None:
    first = services.upload_paper(mw.owner, mw.meeting, mw.item, "", "p.pdf", PDF)
    second = services.upload_paper(mw.owner, mw.meeting, mw.item, "", "p.docx", docx())
    assert first.paper is second.paper and [v.number for v in first.paper.versions] == [1, 2]
    assert services.download(mw.member, first).data == PDF
    assert services.download(mw.member, second).name == "Data report.docx"
    stored = list((__import__("pathlib").Path(app.config["SESLIP_INSTANCE_PATH"])
                   / "uploads").rglob("*"))
    names = {p.name for p in stored if p.is_file()}
    assert len(names) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", n) for n in names)
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "upload"))


def _signed_in(app: Flask, user) -> tuple[FlaskClient, str]:  # type: ignore[no-untyped-def]
    """A client of its own for `user`, and its CSRF token."""
    client = app.test_client()
    login(client, user)
    return client, csrf_token(client, "/account")


def test_upload_through_the_page_with_path_tricks_in_the_name(mw: MeetingWorld,
                                                              app: Flask) -> None:
    client, token = _signed_in(app, mw.chair)
    response = client.post(
        f"/meetings/{mw.meeting.id}/papers/new", content_type="multipart/form-data",
        data={"csrf_token": token, "item": "0", "title": "../../etc/passwd",
              "file": (io.BytesIO(PDF), "..\\..\\boot.ini")})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    paper = mw.meeting.papers[0]
    version = paper.latest
    assert version.download_name == "passwd.pdf"
    got = client.get(f"/meetings/{mw.meeting.id}/papers/{paper.id}/versions/{version.id}")
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "passwd.pdf" in got.headers["Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.mimetype == "application/pdf"


def test_an_executable_through_the_page_keeps_the_form_and_says_why(
        mw: MeetingWorld, app: Flask) -> None:
    client, token = _signed_in(app, mw.owner)
    response = client.post(
        f"/meetings/{mw.meeting.id}/papers/new", content_type="multipart/form-data",
        data={"csrf_token": token, "item": str(mw.item.id),
              "file": (io.BytesIO(b"MZ\x90\x00rest"), "report.pdf")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "whatever its name says" in page and 'href="#file"' in page


def test_a_non_member_cannot_download(mw: MeetingWorld, app: Flask) -> None:
    version = services.upload_paper(mw.owner, mw.meeting, mw.item, "", "p.pdf", PDF)
    with pytest.raises(PermissionDenied):
        services.download(mw.w.outsider, version)
    client, _ = _signed_in(app, mw.w.outsider)
    url = f"/meetings/{mw.meeting.id}/papers/{version.paper_id}/versions/{version.id}"
    assert client.get(url).status_code == 403
    # A version id typed under another meeting is no such page.
    other = services.create_meeting(mw.chair, mw.network, services.MeetingDetails(
        title="Other", day=date(2026, 5, 1), starts=time(10), ends=time(11), place="X"))
    client, _ = _signed_in(app, mw.member)
    assert client.get(url.replace(f"/meetings/{mw.meeting.id}/",
                                  f"/meetings/{other.id}/")).status_code == 404
    assert client.get(url).status_code == 200


def test_a_file_elsewhere_is_still_refused(mw: MeetingWorld, app: Flask) -> None:
    client, token = _signed_in(app, mw.chair)
    response = client.post(
        f"/meetings/{mw.meeting.id}/papers/new", content_type="multipart/form-data",
        data={"csrf_token": token, "item": "0", "title": (io.BytesIO(b"x"), "t.txt"),
              "file": (io.BytesIO(PDF), "p.pdf")})
    assert response.status_code == 400 and "“title” was sent a file" in response.get_data(
        as_text=True)
    response = client.post(f"/meetings/{mw.meeting.id}/record",
                           content_type="multipart/form-data",
                           data={"csrf_token": token, "file": (io.BytesIO(PDF), "p.pdf")})
    assert response.status_code == 400


# --- reminders -------------------------------------------------------------------------------


def test_reminders_exactly_once_before_and_on_the_deadline(mw: MeetingWorld) -> None:
    # Papers due Friday 13 March 2026; first reminder from Wednesday 11 March.
    assert tick(date(2026, 3, 10)) == []
    sent = tick(date(2026, 3, 11))
    assert len(sent) == 1 and "Data report" in sent[0]
    assert tick(date(2026, 3, 11)) == [] and tick(date(2026, 3, 12)) == []
    assert len(tick(date(2026, 3, 13))) == 1
    assert tick(date(2026, 3, 13)) == []
    mails = outbox("paper_reminder")
    assert [m.recipient for m in mails] == [mw.owner.email] * 2
    assert "Due today" in mails[1].subject
    assert f"/meetings/{mw.meeting.id}/papers/new?item={mw.item.id}" in mails[0].body_text
    kinds = set(db.session.scalars(select(PaperReminderSent.kind)))
    assert kinds == {"before-2", "deadline"}


def test_no_reminder_once_the_paper_is_in_or_when_another_worker_sent_it(
        mw: MeetingWorld) -> None:
    db.session.add(PaperReminderSent(item_id=mw.item.id, kind="before-2"))
    db.session.commit()
    assert tick(date(2026, 3, 11)) == []
    services.upload_paper(mw.owner, mw.meeting, mw.item, "", "p.pdf", PDF)
    assert tick(date(2026, 3, 13)) == []
    assert outbox("paper_reminder") == []


def test_the_tick_command_sends_paper_reminders(mw: MeetingWorld, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["seslip", "tick", "--today", "2026-03-11"])
    assert result.exit_code == 0, result.output
    assert "Paper reminder (before-2): Bob Officer for “Data report”" in result.output
    again = runner.invoke(args=["seslip", "tick", "--today", "2026-03-11"])
    assert "Paper reminder" not in again.output


def test_the_chase_list_names_missing_papers(mw: MeetingWorld) -> None:
    assert [r.item.title for r in services.chase_list(mw.meeting)] == ["Data report"]
    services.upload_paper(mw.owner, mw.meeting, mw.item, "", "p.pdf", PDF)
    assert services.chase_list(mw.meeting) == []


# --- sending, records, actions -----------------------------------------------------------------


def test_send_agenda_emails_both_networks_a_link_and_no_attachment(mw: MeetingWorld) -> None:
    other = make_network("DCS Joint")
    dana = make_user(name="Dana Joint")
    add_membership(mw.w.pm, other, dana, started_on=date(2020, 1, 1), today=TODAY)
    add_membership(mw.w.pm, other, mw.member, started_on=date(2020, 1, 1), today=TODAY)
    services.update_meeting(mw.chair, mw.meeting, services.MeetingDetails(
        title=mw.meeting.title, day=MEETING_DAY, starts=time(10), ends=time(12),
        place="County Hall, Lewes", joint_network=other))
    count = services.send_agenda(mw.chair, mw.meeting, today=TODAY)
    mails = outbox("agenda_sent")
    assert count == 4 == len(mails)  # alice, bob, carol (once) and dana
    assert {m.recipient for m in mails} == {mw.chair.email, mw.owner.email, mw.member.email,
                                            dana.email}
    assert f"http://localhost/meetings/{mw.meeting.id}" in mails[0].body_text
    assert "Data report" in mails[0].body_text
    assert [a["filename"] for a in mails[0].attachments or []] == ["meeting.ics"]  # no papers
    assert services.can_see(dana, mw.meeting)


def test_cancelling_tells_the_members_and_stops_changes(mw: MeetingWorld) -> None:
    with pytest.raises(ServiceError) as refused:
        services.cancel_meeting(mw.chair, mw.meeting, " ")
    assert refused.value.field == "reason"
    services.cancel_meeting(mw.chair, mw.meeting, "The venue is closed.")
    mails = outbox("meeting_cancelled")
    assert {m.recipient for m in mails} == {mw.chair.email, mw.owner.email, mw.member.email}
    assert "The venue is closed." in mails[0].body_text
    with pytest.raises(ServiceError, match="cancelled"):
        services.add_item(mw.chair, mw.meeting, "Late item", None)
    assert services.upcoming(mw.network, datetime(2026, 3, 1)) == []


def test_record_drafted_then_approved_only_at_the_next_meeting(mw: MeetingWorld) -> None:
    found = services.save_record(mw.chair, mw.meeting, "Alice\nBob", "Carol", "Agreed X.")
    assert found.status == RecordStatus.DRAFT
    with pytest.raises(ServiceError, match="none is planned"):
        services.approve_record(mw.chair, found, today=date(2026, 3, 21))
    following = services.create_meeting(mw.chair, mw.network, services.MeetingDetails(
        title="June", day=date(2026, 6, 5), starts=time(10), ends=time(12), place="X"))
    with pytest.raises(ServiceError, match="5 June 2026"):
        services.approve_record(mw.chair, found, today=date(2026, 6, 4))
    services.approve_record(mw.chair, found, today=date(2026, 6, 5))
    assert found.approved_at_meeting_id == following.id
    with pytest.raises(ServiceError, match="approved"):
        services.save_record(mw.chair, mw.meeting, "changed", "", "")


def test_actions_list_and_done(mw: MeetingWorld) -> None:
    action = services.add_action(mw.chair, mw.meeting, "Write to the DfE", mw.owner,
                                 date(2026, 4, 1))
    assert services.actions_of(mw.network, open_only=True) == [action]
    with pytest.raises(PermissionDenied):
        services.complete_action(mw.member, action)
    services.complete_action(mw.owner, action, today=date(2026, 3, 30))
    assert services.actions_of(mw.network, open_only=True) == []
    panel = services.network_panel(mw.member, mw.network, TODAY)
    assert panel.next_meeting is None or panel.can_see


def test_the_network_page_shows_the_next_meeting_to_members_only(
        mw: MeetingWorld, app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    services.upload_paper(mw.owner, mw.meeting, mw.item, "", "p.pdf", PDF)
    services.add_action(mw.chair, mw.meeting, "Write to the DfE", mw.owner, None)
    client, _ = _signed_in(app, mw.member)
    page = client.get(f"/networks/{mw.network.slug}").get_data(as_text=True)
    # The meeting is in March 2026: on today's date it may be past, so check the list too.
    assert "Write to the DfE" in page and "All meetings of" in page
    listing = client.get(f"/networks/{mw.network.slug}/meetings").get_data(as_text=True)
    assert "Kinship Network, March" in listing
    client, _ = _signed_in(app, mw.w.outsider)
    page = client.get(f"/networks/{mw.network.slug}").get_data(as_text=True)
    assert "are for members of" in page and "Write to the DfE" not in page
