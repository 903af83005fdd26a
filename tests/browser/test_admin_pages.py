"""An admin checks the email outbox, sends a failed email again, and reads the audit trail."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from seslip.extensions import db
from seslip.notifications.models import OutboxMessage, OutboxStatus
from tests.browser.conftest import LiveServer
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD, make_admin


def given_an_admin_and_some_emails(live_server: LiveServer) -> str:
    with live_server.app.app_context():
        admin = make_admin(name="Ada Admin")
        for recipient, subject, status, error in (
            ("sent@example.org", "Papers for the Lead Member Network", OutboxStatus.PENDING, ""),
            (
                "gone@example.org",
                "Your invitation to the intranet",
                OutboxStatus.FAILED,
                "The mail server refused the recipient (550 5.1.1 Mailbox unavailable).",
            ),
        ):
            db.session.add(
                OutboxMessage(
                    event="invitation",
                    audience="invitee",
                    recipient=recipient,
                    subject=subject,
                    body_text=f"Hello,\n\n{subject}.",
                    body_html=f"<p>{subject}</p>",
                    status=status,
                    attempts=8 if error else 0,
                    last_error=error,
                )
            )
        db.session.commit()
        email = admin.email
    live_server.deliver_mail()
    return email


def when_i_sign_in(page: Page, live_server: LiveServer, email: str, path: str) -> None:
    page.goto(live_server(path))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_admin_filters_the_outbox_sends_again_and_reads_the_audit_trail(
    page: Page, live_server: LiveServer
) -> None:
    email = given_an_admin_and_some_emails(live_server)
    when_i_sign_in(page, live_server, email, "/admin/outbox/")

    expect(page.get_by_role("heading", name="Email outbox", level=1)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table).to_contain_text("Sent")
    expect(table).to_contain_text("550 5.1.1 Mailbox unavailable")
    assert_accessible(page, "outbox")

    # Choosing a status swaps only the table (htmx) and keeps the filter in the address.
    page.get_by_label("Status").select_option("Failed")
    expect(page).to_have_url(re.compile(r"status=failed"))
    expect(table.get_by_role("row")).to_have_count(2)
    expect(page.locator("#outbox-status")).to_have_text("1 email with the status “Failed”.")
    assert_accessible(page, "outbox filtered")

    page.get_by_role("link", name="Your invitation to the intranet").click()
    expect(page.get_by_role("heading", name="Your invitation to the intranet")).to_be_visible()
    expect(page.locator(".message-body")).to_contain_text("Hello,")
    assert_accessible(page, "outbox message")

    page.get_by_role("button", name="Send again").click()
    expect(page.locator("#flash-messages")).to_contain_text("queued again")
    expect(page.get_by_text("Waiting to send", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Send again")).to_have_count(0)
    assert_accessible(page, "outbox message queued again")

    page.goto(live_server("/admin/audit/"))
    expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()
    first_row = page.get_by_role("table").get_by_role("row").nth(1)
    expect(first_row).to_contain_text("Ada Admin")
    expect(first_row).to_contain_text("Send again")
    assert_accessible(page, "audit trail")

    page.get_by_label("Record type").select_option("Email")
    expect(page).to_have_url(re.compile(r"record_type=OutboxMessage"))
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    assert_accessible(page, "audit trail filtered")

    first_row.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile("^Send again: Email"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Status"))).to_contain_text("failed")
    assert_accessible(page, "audit event")


def test_audit_filters_work_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    email = given_an_admin_and_some_emails(live_server)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        when_i_sign_in(page, live_server, email, "/admin/audit/")
        expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()

        page.get_by_label("Who").select_option("System")
        page.get_by_role("button", name="Show events").click()

        expect(page).to_have_url(re.compile(r"person=system"))
        expect(page.get_by_role("cell", name="System", exact=True).first).to_be_visible()
        expect(page.get_by_role("cell", name="Ada Admin", exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name="Show every event")).to_be_visible()
    finally:
        context.close()


def test_an_invitation_whose_link_was_replaced_points_the_admin_to_a_new_one(
    page: Page, live_server: LiveServer
) -> None:
    from seslip.accounts.models import OrgRole
    from seslip.accounts.people import invite, resend_invitation
    from tests.support.factories import make_organisation

    with live_server.app.app_context():
        admin = make_admin(name="Ada Admin")
        org = make_organisation("Kent County Council")
        person = invite(admin, email="nia@example.org", name="Nia Newcomer",
                        organisation_id=org.id, org_role=OrgRole.OFFICER)
        resend_invitation(admin, person)  # the first email's link stops working unsent
        email = admin.email
    live_server.deliver_mail()
    live_server.smtp.messages.clear()

    when_i_sign_in(page, live_server, email, "/admin/outbox/?status=failed")
    page.get_by_role("link", name="You are invited to the SESLIP Intranet").click()
    expect(page.locator(".message-body")).to_contain_text("[link hidden")
    expect(page.locator(".message-body")).not_to_contain_text("/invitation/")
    expect(page.get_by_text("sending it again would not help")).to_be_visible()
    expect(page.get_by_role("button", name="Send again")).to_have_count(0)
    assert_accessible(page, "outbox message with a dead link")

    page.get_by_role("link", name="Send a new invitation from the person's page").click()
    expect(page.get_by_role("heading", name="Nia Newcomer", level=1)).to_be_visible()
    page.get_by_role("button", name="Send a new invitation").click()
    expect(page.locator("#flash-messages")).to_contain_text("a new invitation")
    live_server.deliver_mail()
    (delivered,) = live_server.smtp.wait_for("nia@example.org")
    assert any("/invitation/" in link for link in delivered.links())
