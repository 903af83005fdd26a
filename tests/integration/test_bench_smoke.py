"""Keeps bench/ from rotting silently: its app builds, its bare route is public, and the driver
still finds what it reads on the questionnaire pages. Nothing here is timed."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bench import bench_forms
from bench.bench_app import BARE_PATH, SIGNED_IN_PATH, build_app
from seslip.accounts.models import OrgRole
from tests.conftest import make_test_config
from tests.support.factories import login, make_organisation, make_user

pytestmark = pytest.mark.usefixtures("shipped")


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


@pytest.mark.parametrize("url", [
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://bench:secret@localhost/test",
    "postgresql://postgres@[::1]:5432/test",
])
def test_bench_accepts_a_postgresql_server_on_loopback(url: str) -> None:
    assert bench_forms.loopback_postgres_url(url) == url


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql://postgres@10.0.0.1:5432/test", "on 127.0.0.1, not '10.0.0.1'"),
    ("postgresql://postgres@db.example.org/test", "on 127.0.0.1, not 'db.example.org'"),
    ("postgresql:///test", "on 127.0.0.1, not a local socket"),
    ("sqlite:///bench.db", "must be a postgresql:// URL"),
])
def test_bench_refuses_a_database_url_off_loopback(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bench_forms.loopback_postgres_url(url)


def test_reset_timing_script_runs(tmp_path: Path) -> None:
    from bench import bench_reset_timing

    times = bench_reset_timing.measure(f"sqlite:///{tmp_path / 'reset.db'}", tmp_path, 3)

    assert {kind: len(values) for kind, values in times.items()} == {"known": 3, "unknown": 3}


def test_library_bench_measures_the_editor_and_the_check(tmp_path: Path) -> None:
    from bench import bench_library

    found = bench_library.measure(tmp_path, 1)

    weights = found["weights"]
    assert set(weights) == {"library list (baseline)", "editor, new questionnaire",
                            "editor, self-assessment draft"}
    editor = weights["editor, new questionnaire"]
    assert editor.css > 0 and editor.js > weights["library list (baseline)"].js  # library.js
    assert set(found["checks"]) == {"services.check", "POST /check"}
