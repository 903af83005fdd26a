"""Issue 14: pages, emails and the demo say only what the product does today.

Each wording is rendered through the real app (pages through the client, emails through the
services that queue them), so a promise that comes back makes a test fail.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.accounts.models import OrgRole, SiteRole, User
from seslip.demo import (
    ADMIN_EMAIL,
    CHAIR_EMAIL,
    MEMBER_EMAIL,
    PROGRAMME_MANAGER_EMAIL,
    lead_member_email,
)
from seslip.extensions import db
from seslip.networks import appointments
from seslip.networks.memberships import decide_join_request, request_to_join
from seslip.networks.models import Appointment, AppointmentStatus, Membership, Network
from seslip.networks.queries import posts_of
from seslip.networks.rotation import tick
from seslip.notifications.delivery import deliver_pending
from seslip.notifications.models import OutboxMessage, OutboxStatus
from seslip.questionnaires.models import Response, ResponseStatus
from tests.integration.networks.support import build_world, outbox
from tests.integration.test_questionnaires import Person, fill_everything
from tests.support.factories import csrf_token, login, make_admin, make_organisation, make_user
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.usefixtures("shipped")


def both_parts(message: OutboxMessage) -> str:
    return message.body_text + "\n" + message.body_html


# --- questionnaires ------------------------------------------------------------------------------


def test_the_reopen_email_says_who_can_open_the_answers_today(app: Flask) -> None:
    authority = make_organisation("Kent County Council")
    lead = Person(app, make_user("lead@example.org", name="Lena Lead", organisation=authority,
                                 org_role=OrgRole.LEAD_MEMBER))
    response_id = lead.start()
    fill_everything(lead, response_id)
    lead.client.post(f"/questionnaires/responses/{response_id}/finalise",
                     data={"csrf_token": lead.token})
    manager = Person(app, make_admin(name="Ada Admin"))
    result = manager.client.post(f"/questionnaires/responses/{response_id}/reopen",
                                 data={"csrf_token": manager.token, "reason": "Add R4."})
    assert result.status_code == 302

    (message,) = outbox("response_reopened")
    words = both_parts(message)
    assert "triad" not in words and "shared" not in words
    assert words.count("Only you, the SESLIP admins and the programme manager can open your "
                       "answers.") == 2
    # ...and that is what the app does: a colleague from the same authority cannot open them.
    colleague = Person(app, make_user("colleague@example.org", organisation=authority))
    assert colleague.get(f"/questionnaires/responses/{response_id}").status_code == 403


# --- what the intranet holds ---------------------------------------------------------------------


def test_the_admin_dashboard_describes_networks_as_they_are(client: FlaskClient) -> None:
    login(client, make_admin())
    page = client.get("/admin/").get_data(as_text=True)
    assert "meetings" not in page and "papers" not in page
    assert ("Networks and groups: their members, their posts and who holds them, nominations."
            in page)


def test_the_invitation_describes_what_the_intranet_holds(client: FlaskClient) -> None:
    org = make_organisation("Medway Council")
    login(client, make_admin(name="Ada Admin"))
    result = client.post("/admin/people/invite", data={
        "csrf_token": csrf_token(client, "/admin/people/invite"), "name": "Nia Newcomer",
        "email": "nia@example.org", "job_title": "", "organisation_id": str(org.id),
        "org_role": "officer"})
    assert result.status_code == 302

    (message,) = outbox("invitation")
    words = both_parts(message)
    assert "meetings" not in words and "papers" not in words and "peer challenge" not in words
    assert words.count("a directory of the authorities and partners, the programme's networks "
                       "and groups with their members and posts, and questionnaires such as the "
                       "Lead Member self-assessment.") == 2
    # The invitee has no account yet: the footer says why the email came instead.
    assert "because you have an account" not in message.body_html
    assert "You receive this email because Ada Admin invited you to the SESLIP Intranet." in (
        message.body_html)


def test_an_accepted_join_request_promises_no_meetings_or_papers(app: Flask) -> None:
    world = build_world()
    request = request_to_join(world.outsider, world.network, "Please")
    decide_join_request(world.pm, request, accept=True)

    (message,) = outbox("join_request_decided")
    words = both_parts(message)
    assert "meetings" not in words and "papers" not in words
    assert words.count("You are now a member: you are listed among its members and can take "
                       "part in its nominations.") == 2


# --- networks emails -----------------------------------------------------------------------------


def test_the_holdover_email_to_the_holder_speaks_of_your_term(app: Flask) -> None:
    world = build_world()
    appointments.appoint(world.pm, world.chair, world.alice, starts_on=date(2024, 3, 2),
                         today=date(2024, 3, 2))
    tick(date(2026, 3, 2))

    (message,) = [m for m in outbox("holdover_reminder") if m.audience == "holder"]
    assert message.subject == (
        "Your term as Chair of Kinship Network has ended: you continue in holdover")
    assert message.body_text.startswith(
        "Dear Alice Officer,\n\nYour term as Chair of Kinship Network ended on 2 March 2026")
    assert "<p>Your term as Chair of Kinship Network ended on" in message.body_html
    assert "The term of" not in both_parts(message)
    assert "Alice Officer" not in both_parts(message).replace("Dear Alice Officer,", "")


@pytest.mark.parametrize(("starts_on", "promise"), [
    (date(2026, 3, 2), "You will be reminded 90, 60 and 30 days before your term ends."),
    (date(2024, 4, 16), "You will be reminded before your term ends."),  # ends in 45 days
    (date(2024, 2, 10), "The end date has already passed, so you continue in holdover until "
                        "a successor takes over."),
], ids=["years-left", "45-days-left", "already-ended"])
def test_the_appointment_email_promises_only_reminders_still_to_come(
    app: Flask, starts_on: date, promise: str
) -> None:
    world = build_world()
    appointments.appoint(world.pm, world.chair, world.alice, starts_on=starts_on,
                         today=date(2026, 3, 2))

    (message,) = [m for m in outbox("appointment_made") if m.recipient == world.alice.email]
    words = both_parts(message)
    assert words.count(promise) == 2
    if "90, 60 and 30" not in promise:
        assert "90, 60 and 30" not in words
    # Replies go to the no-reply sender, so the email does not ask for one.
    assert "reply" not in words and words.count("contact the programme manager") == 2


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_leaves_no_stale_email_in_the_outbox(runner: Any) -> None:
    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0

    messages = list(db.session.scalars(select(OutboxMessage)))
    assert messages and all(m.status == OutboxStatus.PENDING for m in messages)
    # The demo approves the Kinship Network's Sponsor itself: nobody is asked to approve.
    assert not [m for m in messages if m.event == "approval_requested"]
    assert not [m for m in messages if m.subject.startswith("Approval needed")]
    sponsor = db.session.scalar(select(Appointment).join(Appointment.position).where(
        Appointment.user.has(User.email == "samuel.adeyemi@milton-keynes.example")))
    assert sponsor.status == AppointmentStatus.ACTIVE
    assert {(m.event, m.audience) for m in messages if "Sponsor" in m.subject} == {
        ("appointment_approved", "appointee"), ("appointment_approved", "proposer")}
    # Appointment emails promise only the reminders still to come: the Kinship Network's Chair
    # is in holdover, the Lead Member Network's Chair has 45 days left.
    appointments = [m for m in messages if m.event.startswith("appointment")]
    (grace,) = [m for m in appointments if m.recipient == "grace.holbrook@milton-keynes.example"]
    assert "The end date has already passed, so you continue in holdover" in grace.body_text
    (sandra,) = [m for m in appointments if m.recipient == CHAIR_EMAIL]
    assert "You will be reminded before your term ends." in sandra.body_text
    for message in (grace, sandra):
        assert "90, 60 and 30" not in both_parts(message)
    assert runner.invoke(args=["seslip", "demo"]).exit_code == 0
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == len(messages)


def test_the_demo_lists_one_account_of_each_kind_and_each_is_what_it_says(
    app: Flask, runner: Any
) -> None:
    result = runner.invoke(args=["seslip", "demo"])
    assert result.exit_code == 0, result.output
    lines = {line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip()
             for line in result.output.splitlines() if line.startswith("  ")}
    assert list(lines) == ["admin", "programme manager", "lead member", "network chair",
                           "ordinary member", "password for all"]

    def person(kind: str) -> User:
        email = lines[kind].split(" ", 1)[0]
        found = db.session.scalar(select(User).where(User.email == email))
        assert found is not None and found.password_hash, kind
        return found

    assert person("admin").email == ADMIN_EMAIL and person("admin").site_role == SiteRole.ADMIN
    manager = person("programme manager")
    assert manager.email == PROGRAMME_MANAGER_EMAIL
    assert manager.site_role == SiteRole.PROGRAMME_MANAGER
    lead = person("lead member")
    assert lead.email == lead_member_email("east-sussex") and lead.org_role == OrgRole.LEAD_MEMBER
    assert "East Sussex, self-assessment half done" in lines["lead member"]
    draft = db.session.scalar(select(Response).where(Response.owner_id == lead.id))
    assert draft is not None and draft.status == ResponseStatus.DRAFT

    chair = person("network chair")
    assert chair.email == CHAIR_EMAIL and not chair.is_staff
    network = db.session.scalar(select(Network).where(Network.slug == "lead-member-network"))
    assert "(Chair of the South East Lead Member Network)" in lines["network chair"]
    assert network.name == "South East Lead Member Network"
    assert chair.id in {u.id for u in posts_of(network).chairs()}

    member = person("ordinary member")
    assert member.email == MEMBER_EMAIL and not member.is_staff
    assert member.site_role == SiteRole.MEMBER
    memberships = db.session.scalars(select(Membership).where(
        Membership.user_id == member.id, Membership.ended_on.is_(None))).all()
    assert len(memberships) == 2 and "member of two networks" in lines["ordinary member"]
    assert not db.session.scalars(select(Appointment).where(
        Appointment.user_id == member.id)).all()
    assert "holds no post" in lines["ordinary member"]

    # Each signs in with the published password and lands on the home page.
    for kind in ("network chair", "ordinary member"):
        client = app.test_client()
        login(client, person(kind), "seslip-demo-password")
        assert client.get("/").status_code == 200


# --- the outbox ----------------------------------------------------------------------------------


def test_the_outbox_shows_no_none_for_a_message_without_error(client: FlaskClient) -> None:
    message = OutboxMessage(event="invitation", audience="invitee", recipient="a@example.org",
                            subject="Welcome", body_text="Hello")
    db.session.add(message)
    db.session.commit()
    login(client, make_admin())

    table = client.get("/admin/outbox/").get_data(as_text=True)
    assert "None" not in table and '<span class="muted">No error</span>' in table
    assert re.search(r'<span class="nowrap">Written \d+ \w+ \d{4} at \d\d:\d\d</span>', table)
    assert re.search(r'<span class="nowrap">Next try \d+ \w+ \d{4} at \d\d:\d\d</span>', table)
    page = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "None" not in page and "Last error" not in page

    message.last_error = "The mail server answered 451 try later."
    db.session.commit()
    page = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "<dt>Last error</dt><dd>The mail server answered 451 try later.</dd>" in page
    assert "The mail server answered 451 try later." in client.get("/admin/outbox/").get_data(
        as_text=True)


def test_message_ids_end_in_the_host_of_the_base_url(app: Flask, mail_to: SmtpServer) -> None:
    app.config["SESLIP_BASE_URL"] = "https://intranet.seslip.example:8443/sub"
    for n in range(2):
        db.session.add(OutboxMessage(event="x", audience="y", recipient=f"p{n}@example.org",
                                     subject="Hello", body_text="Hello"))
    db.session.commit()

    assert deliver_pending().sent == 2
    ids = [str(mail_to.wait_for(f"p{n}@example.org")[0].message["Message-ID"]) for n in range(2)]
    for message_id in ids:
        assert re.fullmatch(r"<[^@<>\s]+@intranet\.seslip\.example>", message_id), message_id
    assert ids[0] != ids[1]
