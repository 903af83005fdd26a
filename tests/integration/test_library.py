"""The questionnaire library: services, the `definitions` commands and the admin pages, on
SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from seslip.accounts.models import OrgRole
from seslip.audit.models import AuditEvent
from seslip.errors import NotFound, PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.formengine import read_form
from seslip.library import services
from seslip.library.models import Questionnaire, QuestionnaireStatus
from seslip.questionnaires import services as questionnaires
from seslip.questionnaires.models import Answer, AnswerRevision, FormVersion, Response
from tests.support.factories import (
    csrf_token,
    login,
    make_admin,
    make_organisation,
    make_programme_manager,
    make_user,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "form_definitions"


def small(version: int = 1, label: str = "How was it?", definition_id: str = "small-form",
          audience: str = "[lead_member]") -> str:
    return (f"id: {definition_id}\nversion: {version}\ntitle: Small form\naudience: {audience}\n"
            "sections:\n  - id: one\n    title: One\n    items:\n      - id: how\n"
            f"        type: long_text\n        label: {label}\n        max_words: 20\n")


@pytest.fixture
def admin(app: Flask) -> Any:
    return make_admin()


@pytest.fixture
def lead(app: Flask) -> Any:
    return make_user(organisation=make_organisation(), org_role=OrgRole.LEAD_MEMBER)


def signed_in(app: Flask, user: Any) -> tuple[FlaskClient, str]:
    client = app.test_client()
    login(client, user)
    return client, csrf_token(client, "/questionnaires/")


# --- services ---------------------------------------------------------------------------------


def test_draft_publish_archive_and_respondents_see_only_published(app: Flask, admin: Any,
                                                                  lead: Any) -> None:
    questionnaire = services.create(admin, small())
    assert questionnaire.status == QuestionnaireStatus.DRAFT
    assert "small-form" not in [d.id for d in questionnaires.available_questionnaires(lead)]
    with pytest.raises(NotFound):
        questionnaires.start_or_continue(lead, "small-form")
    version = services.publish(admin, questionnaire, questionnaire.draft_revision)
    assert (version.version, version.published_by_id, version.origin) == (1, admin.id, "browser")
    assert questionnaire.status == QuestionnaireStatus.PUBLISHED and not questionnaire.has_draft
    assert "small-form" in [d.id for d in questionnaires.available_questionnaires(lead)]
    response = questionnaires.start_or_continue(lead, "small-form")
    assert response.form_version_id == version.id

    services.archive(admin, questionnaire)
    client, _ = signed_in(app, make_admin())
    staff_page = client.get("/questionnaires/").get_data(as_text=True)
    assert "Small form" in staff_page.split("Everyone’s answers", 1)[1]  # still listed for staff
    assert "small-form" not in [d.id for d in questionnaires.available_questionnaires(lead)]
    other = make_user(organisation=lead.organisation, org_role=OrgRole.LEAD_MEMBER)
    with pytest.raises(ServiceError, match="archived"):
        questionnaires.start_or_continue(other, "small-form")
    # The lead member's response stays theirs and readable.
    assert [r.id for _, r in questionnaires.questionnaires_for(lead) if r] == [response.id]
    assert questionnaires.load(questionnaires.load_response(lead, response.id)).definition
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "Questionnaire").order_by(AuditEvent.id)).all()
    assert actions == ["create", "publish", "archive"]


def test_a_new_version_needs_a_higher_number_and_new_responses_start_on_it(
        app: Flask, admin: Any, lead: Any) -> None:
    questionnaire = services.create(admin, small())
    first = services.publish(admin, questionnaire, questionnaire.draft_revision)
    old = questionnaires.start_or_continue(lead, "small-form")
    services.start_draft(admin, questionnaire)
    services.save_draft(admin, questionnaire, small(1, "Changed?"), questionnaire.draft_revision)
    with pytest.raises(ServiceError, match="raise 'version' to 2"):
        services.publish(admin, questionnaire, questionnaire.draft_revision)
    db.session.rollback()
    services.save_draft(admin, questionnaire, small(2, "Changed?"), questionnaire.draft_revision)
    second = services.publish(admin, questionnaire, questionnaire.draft_revision)
    assert questionnaire.current_version_id == second.id != first.id
    newcomer = make_user(organisation=lead.organisation, org_role=OrgRole.LEAD_MEMBER)
    assert questionnaires.start_or_continue(newcomer, "small-form").form_version_id == second.id
    assert db.session.get(Response, old.id).form_version_id == first.id
    # Every published version is kept, with its text.
    assert [v.source for v in services.versions(admin, questionnaire)] == [
        small(2, "Changed?"), small()]


def test_two_admins_on_one_draft_meet_a_conflict(app: Flask, admin: Any) -> None:
    other = make_programme_manager()
    questionnaire = services.create(admin, small())
    seen = questionnaire.draft_revision
    assert services.save_draft(other, questionnaire, small(label="Theirs"), seen)
    with pytest.raises(services.DraftConflict) as conflict:
        services.save_draft(admin, questionnaire, small(label="Mine"), seen)
    assert conflict.value.theirs == small(label="Theirs")
    assert db.session.get(Questionnaire, questionnaire.id).draft_source == small(label="Theirs")
    # Publishing a draft you have not seen is a conflict too.
    with pytest.raises(services.DraftConflict):
        services.publish(admin, questionnaire, seen)


def test_limits_refuse_the_text_and_change_nothing(app: Flask, admin: Any) -> None:
    questionnaire = services.create(admin, small())
    before = (questionnaire.draft_source, questionnaire.draft_revision)
    huge = small() + "# " + "x" * services.MAX_BYTES + "\n"
    aliases = small().replace("title: Small form", "title: &t Small form\nintro: *t")
    tagged = small().replace("title: Small form", "title: !!python/object:os.system x")
    deep = small() + "guidance: " + "[" * 30 + "]" * 30 + "\n"
    for text, message in [(huge, "too large"), (aliases, "anchors"), (tagged, "tag"),
                          (deep, "nested too deeply")]:
        with pytest.raises(services.TextRefused, match=message):
            services.save_draft(admin, questionnaire, text, questionnaire.draft_revision)
        with pytest.raises(services.TextRefused, match=message):
            services.create(admin, text.replace("small-form", "other-form"))
    db.session.refresh(questionnaire)
    assert (questionnaire.draft_source, questionnaire.draft_revision) == before
    assert db.session.scalar(select(Questionnaire.id).where(
        Questionnaire.definition_id == "other-form")) is None


def test_a_draft_with_mistakes_is_kept_but_not_published(app: Flask, admin: Any) -> None:
    broken = small().replace("type: long_text", "type: long_txt")
    questionnaire = services.create(admin, broken)
    assert questionnaire.draft_source == broken  # nothing typed is lost
    with pytest.raises(services.PublishBlocked) as blocked:
        services.publish(admin, questionnaire, questionnaire.draft_revision)
    assert any("long_txt" in p.message and p.line == 10 for p in blocked.value.problems)


def test_members_cannot_use_the_library_services(app: Flask, lead: Any, admin: Any) -> None:
    questionnaire = services.create(admin, small())
    for call in (lambda: services.create(lead, small(definition_id="x-form")),
                 lambda: services.library(lead),
                 lambda: services.save_draft(lead, questionnaire, "id: x", 1),
                 lambda: services.publish(lead, questionnaire, 1),
                 lambda: services.sync(lead)):
        with pytest.raises(PermissionDenied):
            call()


def test_a_published_version_is_seen_by_another_process_at_once(app: Flask, admin: Any,
                                                                 lead: Any) -> None:
    """Two apps on one database stand for two workers: no file, no restart."""
    from seslip.factory import create_app

    other = create_app({**app.config})
    questionnaire = services.create(admin, small())
    services.publish(admin, questionnaire, questionnaire.draft_revision)
    with other.app_context():
        assert "small-form" in [d.id for d in questionnaires.all_questionnaires()]
        db.session.remove()
        db.engine.dispose()


# --- sync and the commands ------------------------------------------------------------------


def test_sync_imports_new_and_changed_files_and_keeps_newer_browser_versions(
        app: Flask, admin: Any, tmp_path: Path, runner: Any) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "small-form.yaml").write_text(small())
    app.config["SESLIP_FORM_DEFINITIONS"] = str(folder)
    result = runner.invoke(args=["seslip", "definitions", "sync"])
    assert result.exit_code == 0, result.output
    assert "small-form.yaml: imported as a new questionnaire, version 1" in result.output
    again = runner.invoke(args=["seslip", "definitions", "sync"])
    assert "unchanged (already published as version 1)" in again.output
    (folder / "small-form.yaml").write_text(small(2, "Better?"))
    assert "published version 2 (was version 1)" in runner.invoke(
        args=["seslip", "definitions", "sync"]).output
    # The admin publishes version 3 in the browser; the file's version 2 (or a changed 2)
    # never replaces it.
    questionnaire = services.get(admin, "small-form")
    services.start_draft(admin, questionnaire)
    services.save_draft(admin, questionnaire, small(3, "From the browser"),
                        questionnaire.draft_revision)
    services.publish(admin, questionnaire, questionnaire.draft_revision)
    (folder / "small-form.yaml").write_text(small(2, "Edited file"))
    kept = runner.invoke(args=["seslip", "definitions", "sync"])
    assert "kept version 3 published in the browser" in kept.output, kept.output
    db.session.expire_all()
    assert services.get(admin, "small-form").current_version.version == 3
    # A broken file is reported with its problems and nothing else happens.
    (folder / "broken-form.yaml").write_text(small(definition_id="broken-form").replace(
        "long_text", "long_txt"))
    broken = runner.invoke(args=["seslip", "definitions", "sync"])
    assert broken.exit_code == 1
    assert "broken-form.yaml: not imported: 1 problem" in broken.output
    assert re.search(r"broken-form\.yaml:10:\d+: .*long_txt", broken.output)


def test_import_list_and_export(app: Flask, tmp_path: Path, runner: Any) -> None:
    path = tmp_path / "small-form.yaml"
    path.write_text(small())
    drafted = runner.invoke(args=["seslip", "definitions", "import", str(path)])
    assert "saved as the draft of small-form" in drafted.output, drafted.output
    listed = runner.invoke(args=["seslip", "definitions", "list"])
    assert re.search(r"small-form\tdraft\tunpublished, draft being written", listed.output)
    path.write_text(small(2))
    published = runner.invoke(args=["seslip", "definitions", "import", "--publish", str(path)])
    assert "published as version 2 of small-form" in published.output, published.output
    exported = runner.invoke(args=["seslip", "definitions", "export", "small-form"])
    assert exported.output == small(2)
    assert runner.invoke(args=["seslip", "definitions", "export", "small-form",
                               "--version", "2"]).output == small(2)
    missing = runner.invoke(args=["seslip", "definitions", "export", "small-form",
                                  "--version", "7"])
    assert missing.exit_code == 1 and "has no version 7" in missing.output


def test_the_shipped_files_sync_cleanly(app: Flask) -> None:
    outcomes = services.sync(None, SHIPPED)
    assert {Path(o.path).name: o.done for o in outcomes} == {
        path.name: "imported" for path in SHIPPED.glob("*.yaml")}


# --- pages ----------------------------------------------------------------------------------


ROLES = ["member", "lead", "programme_manager", "admin", "anonymous"]
PAGES = [
    ("GET", "/admin/questionnaires/"),
    ("GET", "/admin/questionnaires/new"),
    ("POST", "/admin/questionnaires/new"),
    ("POST", "/admin/questionnaires/upload"),
    ("POST", "/admin/questionnaires/check"),
    ("GET", "/admin/questionnaires/<definition_id>"),
    ("GET", "/admin/questionnaires/<definition_id>/edit"),
    ("POST", "/admin/questionnaires/<definition_id>/edit"),
    ("POST", "/admin/questionnaires/<definition_id>/draft"),
    ("GET", "/admin/questionnaires/<definition_id>/publish"),
    ("POST", "/admin/questionnaires/<definition_id>/publish"),
    ("POST", "/admin/questionnaires/<definition_id>/archive"),
    ("POST", "/admin/questionnaires/<definition_id>/restore"),
    ("GET", "/admin/questionnaires/<definition_id>/preview"),
    ("POST", "/admin/questionnaires/<definition_id>/preview"),
    ("GET", "/admin/questionnaires/<definition_id>/versions/<int:version_id>.yaml"),
    ("GET", "/admin/questionnaires/<definition_id>/diff"),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_library_page_by_role(app: Flask, admin: Any, lead: Any, role: str) -> None:
    questionnaire = services.create(admin, small())
    version = services.publish(admin, questionnaire, questionnaire.draft_revision)
    user = {"member": make_user, "lead": lambda: lead, "programme_manager":
            make_programme_manager, "admin": make_admin, "anonymous": lambda: None}[role]()
    client = app.test_client()
    if user is not None:
        login(client, user)
    token = csrf_token(client, "/login" if user is None else "/questionnaires/")
    staff = role in ("programme_manager", "admin")
    for method, rule in PAGES:
        path = rule.replace("<definition_id>", "small-form").replace(
            "<int:version_id>", str(version.id))
        data = {"csrf_token": token, "source": small(definition_id="new-one"), "revision": "0"}
        result = client.open(path, method=method, data=data)
        if user is None:
            assert result.status_code == 302 and "/login" in result.location, path
        elif not staff:
            assert result.status_code == 403, (method, path, role)
        else:
            assert result.status_code in (200, 302, 409, 422), (method, path, result.status_code)
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("library.")}
    assert rules == {rule for _, rule in PAGES}


def test_library_page_lists_status_version_and_response_counts(app: Flask, admin: Any,
                                                                lead: Any) -> None:
    questionnaire = services.create(admin, small())
    services.publish(admin, questionnaire, questionnaire.draft_revision)
    questionnaires.start_or_continue(lead, "small-form")
    services.create(admin, small(definition_id="second-form").replace("Small form", "Second"))
    client, _ = signed_in(app, admin)
    html = client.get("/admin/questionnaires/").get_data(as_text=True)
    row = html.split("Small form", 1)[1].split("</tr>", 1)[0]
    assert "Published" in row and "Version 1" in row
    assert re.search(r"<td>1</td>\s*<td>0</td>", row)
    assert "Not published yet" in html.split("Second", 1)[1].split("</tr>", 1)[0]


def test_the_check_lists_every_problem_with_line_and_column_like_check_definitions(
        app: Flask, admin: Any, tmp_path: Path, runner: Any) -> None:
    text = small().replace("type: long_text", "type: long_txt").replace("version: 1",
                                                                        "version: one")
    client, token = signed_in(app, admin)
    html = client.post("/admin/questionnaires/check", data={"csrf_token": token, "source": text},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    path = tmp_path / "small-form.yaml"
    path.write_text(text)
    printed = runner.invoke(args=["seslip", "check-definitions", str(path)]).output
    expected = re.findall(r"small-form\.yaml:(\d+):(\d+): (.+)", printed)
    assert len(expected) == 2
    from markupsafe import escape
    for line, column, message in expected:
        assert (f'data-line="{line}" data-column="{column}">Line {line}, column {column}: '
                f"{escape(message)}</a>") in html


def test_without_javascript_check_is_a_submit_that_shows_the_problems(app: Flask,
                                                                      admin: Any) -> None:
    client, token = signed_in(app, admin)
    text = small().replace("long_text", "long_txt")
    page = client.post("/admin/questionnaires/new", data={
        "csrf_token": token, "source": text.replace("\n", "\r\n"), "action": "check"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Line 10, column 15: unknown type" in html
    assert "long_txt" in html.split('id="source"', 1)[1]  # the text stays in the editor
    assert db.session.scalar(select(Questionnaire.id)) is None


def test_create_in_the_browser_autosave_conflict_and_publish(app: Flask, admin: Any) -> None:
    client, token = signed_in(app, admin)
    created = client.post("/admin/questionnaires/new", data={"csrf_token": token,
                                                             "source": small()})
    assert created.status_code == 302
    questionnaire = services.get(admin, "small-form")
    edit = "/admin/questionnaires/small-form/edit"
    saved = client.post(edit, data={"csrf_token": token, "source": small(label="Typed"),
                                    "revision": "1"}, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and 'value="2"' in saved.get_data(as_text=True)
    stale = client.post(edit, data={"csrf_token": token, "source": small(label="Stale"),
                                    "revision": "1"}, headers={"HX-Request": "true"})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "How was it?" not in body and "Typed" in body
    db.session.expire_all()
    assert services.get(admin, "small-form").draft_source == small(label="Typed")
    # Without JavaScript: the same conflict, and the typed text stays in the editor.
    page = client.post(edit, data={"csrf_token": token, "source": small(label="Stale"),
                                   "revision": "1", "action": "save"})
    assert page.status_code == 409 and "Stale" in page.get_data(as_text=True)
    published = client.post("/admin/questionnaires/small-form/publish",
                            data={"csrf_token": token, "revision": "2"})
    assert published.status_code == 302
    db.session.expire_all()
    assert services.get(admin, "small-form").current_version.source == small(label="Typed")
    assert questionnaire.id == services.get(admin, "small-form").id


def test_an_upload_over_the_limit_or_refused_changes_nothing(app: Flask, admin: Any) -> None:
    import io

    client, token = signed_in(app, admin)
    big = (small() + "#" * (services.MAX_BYTES + 10)).encode()
    result = client.post("/admin/questionnaires/upload", data={
        "csrf_token": token, "definition": (io.BytesIO(big), "small-form.yaml")})
    assert result.status_code == 302
    assert "too large" in client.get(result.location).get_data(as_text=True)
    aliased = small().replace("title: Small form", "title: &t Small\nintro: *t").encode()
    refused = client.post("/admin/questionnaires/upload", data={
        "csrf_token": token, "definition": (io.BytesIO(aliased), "small-form.yaml")})
    assert refused.status_code == 422 and "anchors" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Questionnaire.id)) is None
    ok = client.post("/admin/questionnaires/upload", data={
        "csrf_token": token, "definition": (io.BytesIO(small().encode()), "small-form.yaml")})
    assert ok.status_code == 302 and services.get(admin, "small-form").draft_source == small()


def test_preview_shows_every_section_applies_conditions_and_stores_nothing(
        app: Flask, admin: Any) -> None:
    text = (SHIPPED / "example-all-question-types.yaml").read_text("utf-8").replace(
        "id: example-all-question-types", "id: preview-form")
    services.create(admin, text)
    client, token = signed_in(app, admin)
    page = client.get("/admin/questionnaires/preview-form/preview").get_data(as_text=True)
    assert page.count('class="preview-section"') >= 2
    assert "hx-post=\"/questionnaires/responses" not in page  # nothing autosaves
    posted = client.post("/admin/questionnaires/preview-form/preview",
                         data={"csrf_token": token, "confident": "no"})
    assert posted.status_code == 200
    assert db.session.scalar(select(Response.id)) is None
    assert db.session.scalar(select(FormVersion.id)) is None


def test_preview_swaps_only_what_changed_and_stores_nothing(app: Flask, admin: Any) -> None:
    services.create(admin, (SHIPPED / "induction-day-feedback.yaml").read_text("utf-8"))
    client, token = signed_in(app, admin)
    url = "/admin/questionnaires/induction-day-feedback/preview"
    page = client.get(url).get_data(as_text=True)
    assert "The sessions" in page and "The day as a whole" in page  # every section
    shown = re.search(r'name="shown" id="preview-shown" value="([^"]*)"', page).group(1)
    assert "preview-overall" in shown.split() and 'id="missing_topics_detail"' not in page
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    typed = {"csrf_token": token, "shown": shown, "missing_topics": "yes",
             "most_useful": "The panel and lunch"}
    update = client.post(url, data=typed, headers={"HX-Request": "true"}).get_data(as_text=True)
    # Only the follow-up's slot, filled: the field typed in is not sent back over itself.
    assert update.count('hx-swap-oob="true"') == 2  # the follow-up's slot and the list
    assert 'id="missing_topics_detail"' in update and 'id="most_useful"' not in update
    assert "now showing “Which topics should the next induction day cover?”" in update
    again = re.search(r'id="preview-shown" value="([^"]*)"', update).group(1)
    assert set(again.split()) - set(shown.split()) == {"item-overall-2"}
    unchanged = client.post(url, data={**typed, "shown": again},
                            headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'class="item-slot"' not in unchanged  # nothing changed, nothing swapped
    # Without JavaScript: the whole page, with what was typed and its word count.
    full = client.post(url, data=typed).get_data(as_text=True)
    assert 'id="missing_topics_detail"' in full and "The panel and lunch</textarea>" in full
    assert "You have 146 words remaining" in full
    for model in (Response, Answer, AnswerRevision):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_download_and_diff_of_two_versions(app: Flask, admin: Any) -> None:
    questionnaire = services.create(admin, small())
    first = services.publish(admin, questionnaire, questionnaire.draft_revision)
    services.start_draft(admin, questionnaire)
    services.save_draft(admin, questionnaire, small(2, "Better?"), questionnaire.draft_revision)
    second = services.publish(admin, questionnaire, questionnaire.draft_revision)
    client, _ = signed_in(app, admin)
    download = client.get(f"/admin/questionnaires/small-form/versions/{first.id}.yaml")
    assert download.get_data(as_text=True) == small()
    assert "attachment" in download.headers["Content-Disposition"]
    html = client.get(f"/admin/questionnaires/small-form/diff?from={first.id}&to={second.id}"
                      ).get_data(as_text=True)
    assert "2 lines added, 2 lines removed" in html
    assert re.search(r"− removed</td>\s*<td><code>version: 1</code>", html)
    assert re.search(r"\+ added</td>\s*<td><code>version: 2</code>", html)
    history = client.get("/admin/questionnaires/small-form").get_data(as_text=True)
    assert "Published version 1 of small-form" in history
    assert "Published version 2 of small-form" in history


def test_the_check_is_quick_on_the_self_assessment(app: Flask) -> None:
    """Measured for the report, not asserted tightly: the machine is shared."""
    text = (SHIPPED / "lead-member-self-assessment-2022-23.yaml").read_text("utf-8")
    services.check(text)
    started = time.perf_counter()
    for _ in range(5):
        assert services.check(text).problems == []
    per_check = (time.perf_counter() - started) / 5
    print(f"check of the self-assessment: {per_check * 1000:.1f} ms")
    assert per_check < 2.0


# --- publishing: the effect on the page before the button ------------------------------------


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_publish_page_shows_the_effect_on_the_drafts_then_publishes(
        app: Flask, admin: Any, lead: Any) -> None:
    questionnaire = services.create(admin, small())
    services.publish(admin, questionnaire, questionnaire.draft_revision)
    response = questionnaires.start_or_continue(lead, "small-form")
    questionnaires.save_answer(lead, response, "how", read_form(
        {"how": "one two three four five six"}).answer("how"), 0)
    client, token = signed_in(app, admin)
    services.start_draft(admin, questionnaire)
    version_2 = small(version=2, label="How did it go?").replace(
        "      - id: how\n", "      - id: how_it_went\n        renamed_from: how\n").replace(
        "max_words: 20", "max_words: 5") + (
        "      - id: anything_else\n        type: short_text\n        label: Anything else?\n"
        "        required: true\n")
    services.save_draft(admin, questionnaire, version_2, questionnaire.draft_revision)
    # The editor's Publish button saves, then asks first.
    asked = client.post("/admin/questionnaires/small-form/edit", data={
        "csrf_token": token, "source": version_2, "revision": str(questionnaire.draft_revision),
        "action": "publish"})
    assert asked.status_code == 302 and asked.location.endswith("/small-form/publish")
    page = client.get("/admin/questionnaires/small-form/publish")
    text = _text(page.get_data(as_text=True))
    assert page.status_code == 200
    assert "1 response in progress" in text
    assert "“How did it go?” (how_it_went, renamed from how): 1 answer follow" in text
    assert "“Anything else?” (anything_else) Required" in text
    assert "Word limits tightened" in text and "1 answer now over the limit" in text
    assert "Publish version 2" in text
    db.session.expire_all()
    assert services.get(admin, "small-form").current_version.version == 1  # nothing yet
    revision = services.get(admin, "small-form").draft_revision
    done = client.post("/admin/questionnaires/small-form/publish",
                       data={"csrf_token": token, "revision": str(revision)},
                       follow_redirects=True)
    text = _text(done.get_data(as_text=True))
    assert "Version 2 of “Small form” is published" in text
    assert "1 draft moves to it when next opened" in text
    assert "Move 1 draft to version 2 now" in text
    moved = client.post("/admin/questionnaires/small-form/move-drafts",
                        data={"csrf_token": token, "back": "library"})
    assert moved.location.endswith("/admin/questionnaires/small-form")
    assert "Moved 1 draft" in _text(client.get(moved.location).get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Response, response.id).form_version.version == 2


def test_the_publish_page_says_why_a_draft_cannot_be_published(app: Flask, admin: Any) -> None:
    questionnaire = services.create(admin, small().replace("long_text", "long_txt"))
    client, _ = signed_in(app, admin)
    html = client.get("/admin/questionnaires/small-form/publish").get_data(as_text=True)
    text = _text(html)
    assert "This draft cannot be published yet" in text
    assert "small-form.yaml:" in text and "long_txt" in text
    assert 'type="submit"' not in html.split("<main")[1]  # no Publish button
    services.save_draft(admin, questionnaire, small(), questionnaire.draft_revision)
    services.publish(admin, questionnaire, questionnaire.draft_revision)
    services.start_draft(admin, questionnaire)  # the same text again: version not raised
    text = _text(client.get("/admin/questionnaires/small-form/publish").get_data(as_text=True))
    assert "This text is already published as version 1." in text
    assert 'type="submit"' not in client.get(
        "/admin/questionnaires/small-form/publish").get_data(as_text=True).split("<main")[1]


def test_the_publish_page_costs_the_same_queries_however_many_drafts(
        app: Flask, admin: Any, query_counter: Any) -> None:
    questionnaire = services.create(admin, small())
    services.publish(admin, questionnaire, questionnaire.draft_revision)
    services.start_draft(admin, questionnaire)
    services.save_draft(admin, questionnaire, small(version=2), questionnaire.draft_revision)
    client, _ = signed_in(app, admin)

    def counted() -> int:
        client.get("/admin/questionnaires/small-form/publish")  # warm the definition cache
        with query_counter.count() as counter:
            assert client.get("/admin/questionnaires/small-form/publish").status_code == 200
        return counter.total

    one = counted()
    for n in range(3):
        lead = make_user(f"lead{n}@example.org", organisation=make_organisation(f"Council {n}"),
                         org_role=OrgRole.LEAD_MEMBER)
        questionnaires.start_or_continue(lead, "small-form")
    # The signed-in person, the questionnaire (with its current version), whether this text
    # is published already, then the effect's three: the drafts, their answers, the version
    # before.
    assert counted() == one == 6
