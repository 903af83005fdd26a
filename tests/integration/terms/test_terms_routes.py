"""The terms-of-reference pages, route by route and role by role, and the editor's forms
(with and without htmx), the conflict, approval from the emailed link, and exports."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient

from seslip.accounts.models import User
from seslip.terms import services
from tests.integration.networks.support import outbox
from tests.integration.terms.support import TermsWorld, build_terms_world, draft_with
from tests.support.factories import csrf_token, login

BASE = "/networks/kinship-network/terms"


@pytest.fixture
def world(app: Flask) -> TermsWorld:
    return build_terms_world()


def _as(client: FlaskClient, person: User) -> FlaskClient:
    login(client, person)
    return client


def _published(world: TermsWorld) -> None:
    draft = draft_with(world)
    services.submit(world.chair, draft, "")
    services.approve(world.approver, draft, "")


def _signed_out(client: FlaskClient) -> FlaskClient:
    """A new browser (a new cookie jar), as another person would use."""
    from flask import current_app, g

    g.pop("csrf_token", None)
    return current_app.test_client()


def _token(client: FlaskClient, path: str = BASE) -> str:
    return csrf_token(client, path)


@pytest.mark.parametrize("who, draft_status, edit_status", [
    ("chair", 200, 200), ("vice", 200, 200), ("admin", 200, 200), ("pm", 200, 200),
    ("member", 403, 403), ("outsider", 403, 403), ("approver", 403, 403),
])
def test_who_reads_the_draft_and_edits(world: TermsWorld, client: FlaskClient, who: str,
                                       draft_status: int, edit_status: int) -> None:
    _published(world)
    services.start_draft(world.chair, world.network)
    person = {"chair": world.chair, "vice": world.vice, "admin": world.admin, "pm": world.w.pm,
              "member": world.member, "outsider": world.w.outsider,
              "approver": world.approver}[who]
    _as(client, person)
    assert client.get(BASE).status_code == 200  # everyone signed in reads the published copy
    assert client.get(f"{BASE}/versions/1").status_code == 200
    assert client.get(f"{BASE}/draft").status_code == draft_status
    assert client.get(f"{BASE}/draft/sponsor").status_code == edit_status
    token = _token(client)
    response = client.post(f"{BASE}/draft/sponsor", data={
        "csrf_token": token, "body": "Changed", "revision": "1"})
    assert response.status_code in ((302,) if edit_status == 200 else (403,))


def test_signed_out_people_are_sent_to_sign_in(world: TermsWorld, client: FlaskClient) -> None:
    _published(world)
    assert client.get(BASE).status_code == 302


def test_no_one_reads_another_networks_draft(world: TermsWorld, client: FlaskClient) -> None:
    services.start_draft(world.plain_chair, world.plain)
    _as(client, world.chair)
    assert client.get("/networks/lead-member-network/terms/draft").status_code == 403


def test_edit_in_place_with_htmx_autosave_and_conflict(world: TermsWorld,
                                                       client: FlaskClient) -> None:
    services.start_draft(world.chair, world.network)
    _as(client, world.chair)
    htmx = {"HX-Request": "true"}
    editor = client.get(f"{BASE}/draft/sponsor", headers=htmx).get_data(as_text=True)
    assert editor.lstrip().startswith('<section class="tor-section tor-editing"')
    assert "Guidance for this section" in editor
    revision = re.search(r'name="revision" value="(\d+)"', editor)
    assert revision
    token = _token(client, f"{BASE}/draft")
    saved = client.post(f"{BASE}/draft/sponsor?autosave=1", headers=htmx, data={
        "csrf_token": token, "body": "Mine", "sponsor_name": "Dr Mac Heath",
        "revision": revision.group(1)}).get_data(as_text=True)
    assert "Saved" in saved and f'value="{int(revision.group(1)) + 1}"' in saved
    # Someone else saves on the revision they opened: a conflict showing both texts.
    clash = client.post(f"{BASE}/draft/sponsor?autosave=1", headers=htmx, data={
        "csrf_token": token, "body": "Theirs", "revision": revision.group(1)})
    text = clash.get_data(as_text=True)
    assert "changed this section while you were writing" in text
    assert "Mine" in text and "Theirs" in text
    assert services.section_row(services.open_draft(services.terms_of(world.network)),
                                "sponsor").body == "Mine"
    closed = client.post(f"{BASE}/draft/sponsor", headers=htmx, data={
        "csrf_token": token, "body": "Theirs", "keep_mine": str(int(revision.group(1)) + 1),
        "done": "1"}).get_data(as_text=True)
    assert closed.lstrip().startswith('<section class="tor-section tor-draft-section"')
    assert "Theirs" in closed


def test_without_javascript_save_preview_and_conflict(world: TermsWorld,
                                                      client: FlaskClient) -> None:
    services.start_draft(world.chair, world.network)
    _as(client, world.chair)
    token = _token(client, f"{BASE}/draft")
    preview = client.post(f"{BASE}/draft/purpose", data={
        "csrf_token": token, "body": "**Bold** <script>x</script>", "revision": "1",
        "preview": "1"}).get_data(as_text=True)
    assert "<strong>Bold</strong>" in preview and "<script>x" not in preview
    saved = client.post(f"{BASE}/draft/purpose", data={
        "csrf_token": token, "body": "Why we exist", "revision": "1", "done": "1"})
    assert saved.status_code == 302
    stale = client.post(f"{BASE}/draft/purpose", data={
        "csrf_token": token, "body": "Something else", "revision": "1", "done": "1"})
    assert stale.status_code == 409
    assert "Something else" in stale.get_data(as_text=True)


def test_approval_through_the_emailed_link(world: TermsWorld, client: FlaskClient) -> None:
    draft = draft_with(world, "The Sponsor is Dr Ada Smith.")
    services.submit(world.chair, draft, "New Sponsor")
    (mail,) = outbox("tor_submitted")
    link = re.search(r"http://\S+/terms/approve", mail.body_text)
    assert link
    path = link.group(0).split("localhost", 1)[-1]
    path = "/" + path.split("/", 3)[-1] if not path.startswith("/") else path
    _as(client, world.approver)
    page = client.get(path)
    assert page.status_code == 200
    assert "Dr Ada Smith" in page.get_data(as_text=True)
    token = _token(client, path)
    done = client.post(path, data={"csrf_token": token, "decision": "approve",
                                   "comment": "Agreed"})
    assert done.status_code == 302
    client = _signed_out(client)
    _as(client, world.member)
    shown = client.get(BASE).get_data(as_text=True)
    assert "Dr Ada Smith" in shown and "Version 1, approved" in shown
    assert world.approver.name in shown


def test_diff_page_and_exports(world: TermsWorld, client: FlaskClient) -> None:
    _published(world)
    draft = services.start_draft(world.chair, world.network)
    row = services.section_row(draft, "sponsor")
    services.save_section(world.chair, draft, "sponsor", "The Sponsor is Dr Ada Smith.",
                          {"sponsor_name": "Dr Ada Smith"}, row.revision)
    services.submit(world.chair, draft, "")
    services.approve(world.approver, draft, "")
    _as(client, world.member)
    diff = client.get(f"{BASE}/diff?from=1&to=2").get_data(as_text=True)
    assert "1 section changed: Sponsor." in diff
    assert ("The Sponsor is Dr<del><span class=\"visually-hidden\">deleted: </span> Mac "
            "Heath.</del><ins><span class=\"visually-hidden\">inserted: </span> Ada Smith.</ins>"
            in diff)
    assert ("<del><span class=\"visually-hidden\">deleted: </span>Dr Mac Heath</del> → <ins>"
            "<span class=\"visually-hidden\">inserted: </span>Dr Ada Smith</ins>") in diff
    word = client.get(f"{BASE}/export.docx")
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The Sponsor is Dr Ada Smith." in text
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Version 2, approved") and world.approver.name in footer
    old = docx.Document(io.BytesIO(client.get(f"{BASE}/export.docx?version=1").data))
    assert "The Sponsor is Dr Mac Heath." in "\n".join(p.text for p in old.paragraphs)
    pdf = client.get(f"{BASE}/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    pages = pypdf.PdfReader(io.BytesIO(pdf.data)).pages
    pdf_text = "\n".join(page.extract_text() for page in pages)
    assert "The Sponsor is Dr Ada Smith." in pdf_text
    assert "Version 2, approved" in pdf_text and world.approver.name in pdf_text
    assert client.get(f"{BASE}/export.odt").status_code == 404
    printed = client.get(f"{BASE}/print?version=1").get_data(as_text=True)
    assert "The Sponsor is Dr Mac Heath." in printed and "Version 1, approved" in printed


def test_the_network_page_links_to_the_terms(world: TermsWorld, client: FlaskClient) -> None:
    _published(world)
    _as(client, world.member)
    page = client.get("/networks/kinship-network").get_data(as_text=True)
    assert re.search(r'<a href="/networks/kinship-network/terms">Terms of reference', page)
    client = _signed_out(client)
    _as(client, world.chair)
    page = client.get("/networks/kinship-network").get_data(as_text=True)
    assert "disagree" in page and "post is held by nobody" in page


def test_the_overview_is_for_staff(world: TermsWorld, client: FlaskClient) -> None:
    _published(world)
    _as(client, world.chair)
    assert client.get("/terms").status_code == 403
    client = _signed_out(client)
    _as(client, world.w.pm)
    page = client.get("/terms").get_data(as_text=True)
    assert "Kinship Network" in page and "Version 1" in page


def test_the_approver_follows_the_link_from_a_real_mail_server(world: TermsWorld,
                                                               client: FlaskClient,
                                                               mail_to: Any) -> None:
    from seslip.notifications.delivery import deliver_pending

    deliver_pending()  # what building the world sent
    mail_to.messages.clear()
    draft = draft_with(world, "The Sponsor is Dr Ada Smith.")
    services.submit(world.chair, draft, "A new Sponsor")
    assert deliver_pending().sent == 1
    (message,) = mail_to.wait_for(world.approver.email)
    assert "Terms of reference of Kinship Network to approve" in message.subject
    assert "A new Sponsor" in message.text
    (link,) = [u for u in message.links() if "/terms/approve" in u]
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    _as(client, world.approver)
    token = _token(client, path)
    returned = client.post(path, data={"csrf_token": token, "decision": "return",
                                       "comment": "Say which authority"})
    assert returned.status_code == 302
    assert services.open_draft(services.terms_of(world.network)).returned_comment == (
        "Say which authority")
    assert client.get(path).status_code == 403  # returned: nothing to approve now


def test_export_document_command(world: TermsWorld, runner: Any, tmp_path: Any) -> None:
    _published(world)
    out = tmp_path / "tor.docx"
    result = runner.invoke(args=["seslip", "export-document", "kinship-network", "--format",
                                 "docx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "The Sponsor is Dr Mac Heath." in text
    pdf = tmp_path / "tor.pdf"
    result = runner.invoke(args=["seslip", "export-document", "kinship-network", "--format",
                                 "pdf", "--output", str(pdf)])
    assert result.exit_code == 0, result.output
    assert "Dr Mac Heath" in "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    missing = runner.invoke(args=["seslip", "export-document", "lead-member-network",
                                  "--format", "docx", "--output", str(out)])
    assert missing.exit_code != 0 and "no published terms of reference" in missing.output


def test_query_counts_are_pinned_and_do_not_grow_with_versions(
        world: TermsWorld, client: FlaskClient, query_counter: Any) -> None:
    _published(world)
    _as(client, world.member)
    client.get(BASE)
    with query_counter.count() as one:
        assert client.get(BASE).status_code == 200
    for _ in range(3):
        _published(world)
    with query_counter.count() as four:
        assert client.get(BASE).status_code == 200
    assert four.total == one.total == PINNED["show"]
    client = _signed_out(client)
    _as(client, world.chair)
    services.start_draft(world.chair, world.network)
    client.get(f"{BASE}/draft")
    with query_counter.count() as draft:
        assert client.get(f"{BASE}/draft").status_code == 200
    assert draft.total == PINNED["draft"]


PINNED = {"show": 12, "draft": 13}


def test_the_approving_bodys_page_lists_what_waits_for_its_chair(world: TermsWorld,
                                                                 client: FlaskClient) -> None:
    draft = draft_with(world)
    services.submit(world.chair, draft, "")
    _as(client, world.approver)
    page = client.get("/networks/dcs-group").get_data(as_text=True)
    assert "Approve or return the terms of reference of Kinship Network" in page
    client = _signed_out(client)
    _as(client, world.w.kent_dcs)  # a member of the DCS Group, not its chair
    page = client.get("/networks/dcs-group").get_data(as_text=True)
    assert "Approve or return the terms of reference" not in page
