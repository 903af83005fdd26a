"""News and key documents on SQLite and PostgreSQL: every route by role, Markdown sanitised,
every version kept and audited, uploads checked by the meetings' file checks, downloads only
to signed-in people as attachments."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.accounts.models import User
from seslip.audit.models import AuditEvent
from seslip.documents import services as documents
from seslip.documents.models import DocumentCategory
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.meetings.demo import demo_pdf
from seslip.news import services as news
from tests.support.factories import csrf_token, login, make_admin, make_programme_manager, make_user

PDF = demo_pdf("Memorandum")
ROLES = ("anonymous", "member", "programme_manager", "admin")
EVERYONE = {"member", "programme_manager", "admin"}
STAFF = {"programme_manager", "admin"}


@dataclass
class World:
    people: dict[str, User]
    item_id: int
    document_id: int
    version_id: int


def _world() -> World:
    pm = make_programme_manager()
    item = news.post_news(pm, "Triad 5", "Teams from **West Berkshire**.")
    document = documents.add_document(pm, "MoU", DocumentCategory.AGREEMENT, PDF)
    return World({"member": make_user(), "programme_manager": pm, "admin": make_admin()},
                 item.id, document.id, document.versions[0].id)


@dataclass
class Route:
    endpoint: str
    method: str
    url: Callable[[World], str]
    allowed: set[str]
    data: dict[str, object] | None = None


def _file() -> dict[str, object]:
    return {"file": (io.BytesIO(PDF), "plan.pdf")}


ROUTES = [
    Route("news.index", "GET", lambda w: "/news", EVERYONE),
    Route("news.show", "GET", lambda w: f"/news/{w.item_id}", EVERYONE),
    Route("news.new", "GET", lambda w: "/news/new", STAFF),
    Route("news.new", "POST", lambda w: "/news/new", STAFF,
          {"title": "New", "body": "Text"}),
    Route("news.edit", "GET", lambda w: f"/news/{w.item_id}/edit", STAFF),
    Route("news.edit", "POST", lambda w: f"/news/{w.item_id}/edit", STAFF,
          {"title": "Triad 5", "body": "Changed"}),
    Route("news.history", "GET", lambda w: f"/news/{w.item_id}/history", STAFF),
    Route("documents.index", "GET", lambda w: "/documents", EVERYONE),
    Route("documents.show", "GET", lambda w: f"/documents/{w.document_id}", EVERYONE),
    Route("documents.download", "GET",
          lambda w: f"/documents/{w.document_id}/versions/{w.version_id}", EVERYONE),
    Route("documents.new", "GET", lambda w: "/documents/new", STAFF),
    Route("documents.new", "POST", lambda w: "/documents/new", STAFF,
          {"title": "Plan", "category": "plan"}),
    Route("documents.add_version", "GET",
          lambda w: f"/documents/{w.document_id}/versions/new", STAFF),
    Route("documents.add_version", "POST",
          lambda w: f"/documents/{w.document_id}/versions/new", STAFF, {}),
]


def test_every_news_and_documents_route_is_in_the_table(app: Flask) -> None:
    rules = {(r.endpoint, m) for r in app.url_map.iter_rules()
             if r.endpoint.split(".")[0] in ("news", "documents")
             for m in (r.methods or set()) - {"HEAD", "OPTIONS"}}
    assert rules == {(r.endpoint, r.method) for r in ROUTES}


@pytest.mark.parametrize("role", ROLES)
def test_routes_by_role(app: Flask, role: str) -> None:
    w = _world()
    problems = []
    for route in ROUTES:
        client: FlaskClient = app.test_client()
        if role == "anonymous":
            token = csrf_token(client, "/login")
        else:
            login(client, w.people[role])
            token = csrf_token(client, "/account")
        url = route.url(w)
        if route.method == "GET":
            response = client.get(url)
        else:
            data = {"csrf_token": token, **(route.data or {})}
            kwargs = {}
            if route.endpoint.startswith("documents."):
                data.update(_file())
                kwargs["content_type"] = "multipart/form-data"
            response = client.post(url, data=data, **kwargs)
        status = response.status_code
        if role == "anonymous":
            ok = status == 302 and "/login" in response.headers["Location"]
        elif role in route.allowed:
            ok = status in (200, 302)
        else:
            ok = status == 403
        if not ok:
            problems.append(f"{route.method} {route.endpoint} as {role}: {status}")
    assert not problems, "\n".join(problems)


# --- news ------------------------------------------------------------------------------------


HOSTILE = ("Hello <script>alert('x')</script> and <img src=x onerror=alert(1)>\n\n"
           "[click](javascript:alert(2)) and [fine](https://example.org) "
           "![pic](https://example.org/x.png)")


def test_markdown_is_sanitised_on_the_page_and_in_the_history(client: FlaskClient) -> None:
    pm = make_programme_manager()
    item = news.post_news(pm, "Hostile", HOSTILE)
    login(client, make_user())
    html = client.get(f"/news/{item.id}").get_data(as_text=True)
    body = html.split('class="news-body">')[1].split("</div>")[0]
    # Raw HTML is shown as the text it is; no tag, handler or javascript: link gets through.
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert 'href="javascript' not in body
    assert '<a href="https://example.org" rel="noopener noreferrer">fine</a>' in body
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, pm)
    history = client.get(f"/news/{item.id}/history").get_data(as_text=True)
    assert "<script>alert" not in history and "<img" not in history


def test_editing_keeps_every_version_and_audits_each_change(client: FlaskClient) -> None:
    pm = make_programme_manager()
    item = news.post_news(pm, "Triad 4", "First text", date(2024, 3, 4))
    news.edit_news(pm, item, "Triad 4", "Second text", None)
    news.edit_news(pm, item, "Triad 4: Medway", "Second text", None)
    news.edit_news(pm, item, "Triad 4: Medway", "Second text", None)  # no change: no version
    assert [(r.number, r.title, r.body) for r in item.revisions] == [
        (1, "Triad 4", "First text"), (2, "Triad 4", "Second text"),
        (3, "Triad 4: Medway", "Second text")]
    assert item.published_on == date(2024, 3, 4)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "NewsItem", AuditEvent.entity_id == str(item.id))
        .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["create", "update", "update"]
    assert events[2].changes == {"title": ["Triad 4", "Triad 4: Medway"]}
    login(client, pm)
    history = client.get(f"/news/{item.id}/history").get_data(as_text=True)
    assert "First text" in history and "Version 3 (now shown)" in history


def test_a_member_may_not_post_or_edit(app: Flask) -> None:
    member, pm = make_user(), make_programme_manager()
    with pytest.raises(PermissionDenied):
        news.post_news(member, "Mine", "Text")
    item = news.post_news(pm, "Theirs", "Text")
    with pytest.raises(PermissionDenied):
        news.edit_news(member, item, "Changed", "Text", None)


def test_a_blank_body_says_which_field_and_keeps_the_title(client: FlaskClient) -> None:
    login(client, make_programme_manager())
    response = client.post("/news/new", data={
        "csrf_token": csrf_token(client, "/news/new"), "title": "Kept title", "body": "  "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#body">Enter the text of the news item.' in html
    assert 'value="Kept title"' in html


def test_the_home_page_shows_the_latest_three_and_links_to_the_archive(
        client: FlaskClient) -> None:
    pm = make_programme_manager()
    for n in range(4):
        news.post_news(pm, f"Update number {n}", "Text", date(2024, 1, 1 + n))
    login(client, make_user())
    html = client.get("/").get_data(as_text=True)
    panel = html.split('id="home-news"')[1].split("</section>")[0]
    assert "Update number 3" in panel and "Update number 1" in panel
    assert "Update number 0" not in panel
    assert panel.index("Update number 3") < panel.index("Update number 2")
    assert 'href="/news"' in panel and 'href="/documents"' in panel
    assert "Update number 0" in client.get("/news").get_data(as_text=True)


# --- documents ---------------------------------------------------------------------------


def test_a_new_version_keeps_the_earlier_one_downloadable(client: FlaskClient) -> None:
    pm = make_programme_manager()
    document = documents.add_document(pm, "Regional Improvement Plan", DocumentCategory.PLAN,
                                      PDF)
    second = demo_pdf("Plan, second version")
    documents.add_version(pm, document, second)
    assert [v.number for v in document.versions] == [1, 2]
    login(client, make_user())
    first_url = f"/documents/{document.id}/versions/{document.versions[0].id}"
    got = client.get(first_url)
    assert got.data == PDF
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert "Regional Improvement Plan.pdf" in got.headers["Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.mimetype == "application/pdf"
    assert client.get(f"/documents/{document.id}/versions/{document.versions[1].id}"
                      ).data == second
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Version 1" in page and "Version 2" in page
    uploads = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "DocumentVersion")).all()
    assert uploads == ["upload", "upload"]


def test_a_version_of_another_document_is_not_found(client: FlaskClient) -> None:
    pm = make_programme_manager()
    one = documents.add_document(pm, "One", DocumentCategory.OTHER, PDF)
    two = documents.add_document(pm, "Two", DocumentCategory.OTHER, PDF)
    login(client, make_user())
    assert client.get(f"/documents/{one.id}/versions/{two.versions[0].id}").status_code == 404


def test_uploads_get_the_meetings_checks(app: Flask) -> None:
    pm = make_programme_manager()
    with pytest.raises(ServiceError, match="must be a PDF, Word") as refused:
        documents.add_document(pm, "MoU", DocumentCategory.AGREEMENT,
                               b"MZ\x90\x00" + b"\x00" * 100)
    assert refused.value.field == "file"
    db.session.rollback()
    with pytest.raises(ServiceError, match="empty"):
        documents.add_document(pm, "MoU", DocumentCategory.AGREEMENT, b"")
    db.session.rollback()
    app.config["SESLIP_MAX_UPLOAD_BYTES"] = 1000
    document = documents.add_document(pm, "MoU", DocumentCategory.AGREEMENT, PDF)
    with pytest.raises(ServiceError, match="larger than"):
        documents.add_version(pm, document, PDF + b" " * 1000)
    db.session.rollback()
    assert len(document.versions) == 1


def test_a_path_in_the_title_gives_a_safe_download_name(client: FlaskClient) -> None:
    pm = make_programme_manager()
    login(client, pm)
    response = client.post("/documents/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/documents/new"), "title": "../../etc/passwd.exe",
        "category": "other", "file": (io.BytesIO(PDF), "x.exe")})
    assert response.status_code == 302
    document_id = int(response.headers["Location"].rsplit("/", 1)[1])
    version = documents.load(document_id).versions[0]
    assert version.download_name == "passwd.pdf"


def test_a_refused_upload_page_says_what_and_keeps_the_title(client: FlaskClient) -> None:
    login(client, make_programme_manager())
    response = client.post("/documents/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/documents/new"), "title": "Steering group papers",
        "category": "steering_group", "file": (io.BytesIO(b"MZ" + b"\0" * 50), "papers.pdf")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#file">The file must be a PDF, Word' in html
    assert 'value="Steering group papers"' in html
