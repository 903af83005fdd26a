"""The terms-of-reference template lives in the questionnaire library as a document: shown
with its kind, previewed with its guidance, never offered to respondents."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from seslip.library import services as library
from tests.integration.terms.support import build_terms_world
from tests.support.factories import csrf_token, login


def test_the_library_shows_the_template_as_a_document(app: Flask, client: FlaskClient) -> None:
    world = build_terms_world()
    assert "terms-of-reference" not in {d.id for d in library.published()}
    login(client, world.admin)
    index = client.get("/admin/questionnaires/").get_data(as_text=True)
    assert "Document template" in index and "Terms of reference" in index
    preview = client.get("/admin/questionnaires/terms-of-reference/preview")
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "This is a document template" in text
    assert "Guidance for whoever writes “Sponsor”" in text
    assert client.get("/admin/questionnaires/terms-of-reference").status_code == 200


def test_respondents_cannot_start_a_document(app: Flask, client: FlaskClient) -> None:
    world = build_terms_world()
    login(client, world.admin)  # staff see every questionnaire there is to fill in
    listing = client.get("/questionnaires/")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "Example: every question type" in page and "Terms of reference" not in page
    token = csrf_token(client, "/questionnaires/")
    started = client.post("/questionnaires/terms-of-reference/start",
                          data={"csrf_token": token})
    assert started.status_code == 404
