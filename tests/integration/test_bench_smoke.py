"""Keeps bench/ from rotting silently: its app builds, its bare route is public, and the driver
still finds what it reads on the questionnaire pages. Nothing here is timed."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from bench import bench_forms
from bench.bench_app import BARE_PATH, SIGNED_IN_PATH, build_app
from seslip.accounts.models import OrgRole
from tests.conftest import make_test_config
from tests.support.factories import login, make_organisation, make_user


def test_bare_route_answers_without_signing_in(tmp_path: Path) -> None:
    app = build_app(make_test_config(f"sqlite:///{tmp_path / 'bench.db'}", tmp_path))
    client = app.test_client()

    response = client.get(BARE_PATH)

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert (bench_forms.BARE_PATH, bench_forms.SIGNED_IN_PATH) == (BARE_PATH, SIGNED_IN_PATH)
    # Only the bare route is public: the login check still runs in the bench's app.
    assert client.get(SIGNED_IN_PATH).status_code == 302
    assert client.get("/questionnaires/").status_code == 302


def test_driver_finds_token_response_and_revisions_on_the_pages(client: FlaskClient) -> None:
    lead = make_user(organisation=make_organisation(), org_role=OrgRole.LEAD_MEMBER)
    login(client, lead)

    index = client.get("/questionnaires/").get_data(as_text=True)
    token = bench_forms.CSRF_RE.search(index)
    assert token is not None
    csrf = token.group(1) or token.group(2)
    started = client.post(f"/questionnaires/{bench_forms.DEFINITION_ID}/start",
                          data={"csrf_token": csrf})
    assert started.status_code == 302
    found = bench_forms.RESPONSE_RE.search(started.headers["Location"])
    assert found is not None
    base = f"/questionnaires/responses/{found.group(1)}"

    page = client.get(f"{base}/sections/{bench_forms.SECTION_ID}")
    assert page.status_code == 200
    revision = bench_forms.REVISION_RE.search(page.get_data(as_text=True))
    assert revision is not None and revision.group(1) == "0"

    question = bench_forms.QUESTION_ID
    saved = client.post(
        f"{base}/answers/{question}",
        data={"csrf_token": csrf, question: "Every child safe and learning well.",
              f"rev.{question}": "0"},
        headers={"X-CSRFToken": csrf, "HX-Request": "true"},
    )
    assert saved.status_code == 200
    after = bench_forms.REVISION_RE.search(saved.get_data(as_text=True))
    assert after is not None and after.group(1) == "1"
