"""A Chair's term approaches its end: reminder by real SMTP, nominations, approval by the email
link, and the network page shows the new Chair with the old one in the history."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from seslip.accounts.models import OrgRole
from seslip.networks.appointments import appoint, approve
from seslip.networks.memberships import add_membership
from seslip.networks.models import Network, NetworkKind, Position
from seslip.networks.rotation import tick
from seslip.networks.rules import Eligibility, add_years
from seslip.timeutil import local_today
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible
from tests.support.factories import (
    PASSWORD,
    make_organisation,
    make_programme_manager,
    make_user,
)


def given_a_chair_whose_term_ends_tomorrow(live_server: LiveServer) -> dict[str, str]:
    from seslip.extensions import db

    with live_server.app.app_context():
        today = local_today()
        pm = make_programme_manager(email="pm@example.org", name="Pat Manager")
        kent = make_organisation("Kent")
        surrey = make_organisation("Surrey")
        dcs_group = Network(slug="se-dcs-group", name="South East DCS Group",
                            kind=NetworkKind.GROUP)
        network = Network(slug="kinship", name="Regional Kinship Network",
                          kind=NetworkKind.NETWORK, purpose="Kinship practice in the region.")
        db.session.add_all([dcs_group, network])
        db.session.commit()
        dcs_chair_post = Position(network_id=dcs_group.id, title="Chair", is_chair=True,
                                  eligibility=Eligibility.DCS, term_years=2)
        chair = Position(network_id=network.id, title="Chair", is_chair=True, term_years=2,
                         approval_network_id=dcs_group.id)
        db.session.add_all([dcs_chair_post, chair])
        db.session.commit()
        dana = make_user("dana@example.org", name="Dana Director", organisation=surrey,
                         org_role=OrgRole.DCS)
        alice = make_user("alice@example.org", name="Alice Officer", organisation=kent,
                          org_role=OrgRole.OFFICER)
        bob = make_user("bob@example.org", name="Bob Officer", organisation=surrey,
                        org_role=OrgRole.OFFICER)
        long_ago = today - timedelta(days=3 * 365)
        add_membership(pm, dcs_group, dana, started_on=long_ago)
        appoint(pm, dcs_chair_post, dana, starts_on=today)
        for person in (alice, bob):
            add_membership(pm, network, person, started_on=long_ago)
        held = appoint(pm, chair, alice, starts_on=add_years(today + timedelta(days=1), -2),
                       today=today)
        approve(dana, held, today=today)  # this Chair post needs the DCS group's approval
        return {"today": today.isoformat()}


def sign_in(page: Page, live_server: LiveServer, email: str, next_path: str = "/") -> None:
    page.goto(live_server(next_path))
    if "/login" in page.url:
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_chair_rotation_journey(page: Page, live_server: LiveServer) -> None:
    given_a_chair_whose_term_ends_tomorrow(live_server)

    # The daily tick sends the 30-day reminder; the outbox delivers it over real SMTP.
    with live_server.app.app_context():
        report = tick()
    assert report.reminders == ["before-30 for Alice Officer as Chair"]
    live_server.deliver_mail()
    reminder = next(m for m in live_server.smtp.wait_for("alice@example.org", count=2)
                    if "term ends" in m.subject)
    assert "ends in 30 days or less" in reminder.subject
    assert "What happens next" in reminder.text
    live_server.smtp.wait_for("pm@example.org")

    # The programme manager opens nominations from the network page.
    sign_in(page, live_server, "pm@example.org", "/networks/kinship")
    expect(page.get_by_role("heading", name="Regional Kinship Network")).to_be_visible()
    assert_accessible(page, "network page")
    page.get_by_role("link", name="Open nominations for Chair").click()
    assert_accessible(page, "open nominations")
    closes = local_today() + timedelta(days=14)
    page.get_by_label("Closing date for nominations").fill(closes.isoformat())
    page.get_by_role("button", name="Open nominations").click()
    expect(page.get_by_role("heading", name="Nominations for Chair")).to_be_visible()
    assert_accessible(page, "round page")
    sign_out(page)

    # Bob follows the link in the email and nominates himself.
    live_server.deliver_mail()
    opened = next(m for m in live_server.smtp.wait_for("bob@example.org")
              if "Nominations open" in m.subject)
    round_link = next(link for link in opened.links() if "/networks/rounds/" in link)
    sign_in(page, live_server, "bob@example.org", round_link.removeprefix(live_server.url))
    expect(page.get_by_role("heading", name="Nominations for Chair")).to_be_visible()
    page.get_by_label("Who do you nominate?").select_option(label="Bob Officer (Surrey)")
    page.get_by_label("Supporting statement (optional)").fill("I would like to stand.")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_text("Bob Officer is nominated for Chair.")).to_be_visible()
    assert_accessible(page, "round after nomination")
    sign_out(page)

    # The programme manager closes nominations and appoints Bob, subject to approval.
    sign_in(page, live_server, "pm@example.org", round_link.removeprefix(live_server.url))
    page.get_by_role("button", name="Close nominations now").click()
    expect(page.get_by_text("Nominations are closed.")).to_be_visible()
    assert_accessible(page, "closed round")
    page.get_by_label("Bob Officer").check()
    page.get_by_role("button", name="Appoint").click()
    expect(page.get_by_text("has been asked to approve")).to_be_visible()
    assert_accessible(page, "network page awaiting approval")
    sign_out(page)

    # The DCS group's chair approves by the link in the email.
    live_server.deliver_mail()
    request = next(m for m in live_server.smtp.wait_for("dana@example.org")
               if m.subject.startswith("Approval needed: Bob"))
    link = next(link for link in request.links() if "/networks/approvals/" in link)
    sign_in(page, live_server, "dana@example.org", link.removeprefix(live_server.url))
    expect(page.get_by_role("heading", name="Approve Bob Officer as Chair")).to_be_visible()
    assert_accessible(page, "approval page")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.get_by_text("Approved.")).to_be_visible()
    assert_accessible(page, "network page after approval")

    # The next day the tick starts Bob's term and ends Alice's.
    with live_server.app.app_context():
        report = tick(local_today() + timedelta(days=1))
    assert report.started == ["Bob Officer as Chair"]
    page.reload()
    holders = page.get_by_role("table", name="Holders of Chair")
    expect(holders).to_contain_text("Bob Officer")
    expect(holders).not_to_contain_text("Alice Officer")
    page.get_by_role("link", name="History of posts").click()
    history = page.get_by_role("table")
    expect(history).to_contain_text("Alice Officer")
    expect(history).to_contain_text("Succeeded by Bob Officer")
    assert_accessible(page, "history page")
