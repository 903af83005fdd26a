"""The audit trail pages: who did what to which record, when; filters; members refused."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient

from seslip.audit.models import AuditEvent
from seslip.audit.services import PER_PAGE, record
from seslip.extensions import db
from tests.support.factories import (
    login,
    make_admin,
    make_organisation,
    make_programme_manager,
    make_user,
)


def add_event(
    actor: object, action: str, entity: object, summary: str = "", **kwargs: object
) -> int:
    event = record(actor, action, entity, summary, **kwargs)  # type: ignore[arg-type]
    db.session.commit()
    return event.id


def text(client: FlaskClient, path: str, **kwargs: object) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_lists_who_what_which_record_and_when_in_uk_time(app: Flask, client: FlaskClient) -> None:
    admin = make_admin(name="Ada Admin")
    org = make_organisation("Kent County Council")
    event_id = add_event(admin, "update", org, "Updated Kent County Council")
    event = db.session.get(AuditEvent, event_id)
    assert event is not None
    event.at = datetime(2026, 7, 1, 9, 30)  # 10:30 in London (BST)
    add_event(None, "import", org, "Loaded from the programme's list")
    db.session.commit()
    login(client, admin)

    html = text(client, "/admin/audit/")

    assert "Ada Admin" in html and "Updated Kent County Council" in html
    assert f"Organisation {org.id}" in html
    assert "1 July 2026 at 10:30" in html
    assert "System" in html and "Loaded from the programme&#39;s list" in html
    # Newest first: the system import was recorded after the (back-dated) update.
    assert html.index("Loaded from the programme") < html.index("Updated Kent County Council")


def test_filters_by_record_type_person_and_record(app: Flask, client: FlaskClient) -> None:
    admin = make_admin(name="Ada Admin")
    manager = make_programme_manager(name="Pat Manager")
    first, second = make_organisation("Surrey"), make_organisation("Medway")
    add_event(admin, "update", first, "Ada changed Surrey")
    add_event(manager, "update", second, "Pat changed Medway")
    add_event(manager, "deactivate", admin, "Pat changed a person")
    login(client, admin)

    by_type = text(client, "/admin/audit/?record_type=Organisation")
    by_person = text(client, f"/admin/audit/?person={manager.id}")
    by_record = text(client, f"/admin/audit/?record_type=Organisation&record_id={second.id}")
    system = text(client, "/admin/audit/?person=system")

    assert "Ada changed Surrey" in by_type and "Pat changed a person" not in by_type
    assert "Pat changed Medway" in by_person and "Ada changed Surrey" not in by_person
    assert "Pat changed Medway" in by_record and "Ada changed Surrey" not in by_record
    assert "Pat changed" not in system and "Ada changed" not in system
    assert "No events match these filters." in text(client, "/admin/audit/?record_id=424242")
    # The filter choices come from the trail and keep what was chosen.
    assert '<option selected value="Organisation">Organisation</option>' in by_type
    assert '<option value="User">Person</option>' in by_type
    assert f'<option selected value="{manager.id}">Pat Manager</option>' in by_person


def test_htmx_filter_returns_only_the_table(app: Flask, client: FlaskClient) -> None:
    admin = make_admin()
    add_event(admin, "update", make_organisation(), "Changed it")
    login(client, admin)

    response = client.get("/admin/audit/?record_type=Organisation", headers={"HX-Request": "true"})

    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Changed it" in body
    assert "<html" not in body and "<form" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_unknown_filter_values_are_ignored(app: Flask, client: FlaskClient) -> None:
    admin = make_admin()
    add_event(admin, "update", make_organisation(), "Changed it")
    login(client, admin)

    html = text(client, "/admin/audit/?record_type=Nonsense&person=abc&page=-3")

    assert "Changed it" in html


def test_pages(app: Flask, client: FlaskClient) -> None:
    admin = make_admin()
    org = make_organisation()
    for n in range(PER_PAGE + 1):
        record(admin, "update", org, f"Change number {n}")
    db.session.commit()
    login(client, admin)

    first = text(client, "/admin/audit/?record_type=Organisation")
    second = text(client, "/admin/audit/?record_type=Organisation&page=2")

    assert "Page 1 of 2" in first
    assert 'href="/admin/audit/?page=2&amp;record_type=Organisation"' in first
    assert "Change number 0" in second and "Change number 0" not in first


def test_detail_shows_changes_readably(app: Flask, client: FlaskClient) -> None:
    admin = make_admin(name="Ada Admin")
    org = make_organisation("Brighton and Hove")
    event_id = add_event(
        admin,
        "update",
        org,
        "Updated Brighton and Hove",
        changes={"website": ["", "https://brighton-hove.gov.uk"], "archived": [False, True]},
    )
    create_id = add_event(admin, "create", org, "Added it", changes={"name": "Brighton and Hove"})
    login(client, admin)

    html = text(client, f"/admin/audit/{event_id}")
    created = text(client, f"/admin/audit/{create_id}")

    assert "Update: Organisation" in html and "Ada Admin" in html
    assert "<th scope=\"row\">Website</th>" in html
    assert "(empty)" in html and "https://brighton-hove.gov.uk" in html
    assert "<th scope=\"col\">Before</th>" in html and ">No<" in html and ">Yes<" in html
    assert "<th scope=\"col\">Value</th>" in created and "Brighton and Hove" in created
    assert client.get("/admin/audit/999999").status_code == 404


def test_members_get_403(app: Flask, client: FlaskClient) -> None:
    member = make_user()
    event_id = add_event(member, "update", member, "x")
    login(client, member)

    assert client.get("/admin/audit/").status_code == 403
    assert client.get(f"/admin/audit/{event_id}").status_code == 403
    assert client.get("/admin/audit/999999").status_code == 403


def test_list_query_count_does_not_grow_with_events(
    app: Flask, client: FlaskClient, query_counter: object
) -> None:
    admin = make_admin()
    org = make_organisation()
    record(admin, "update", org, "one")
    db.session.commit()
    login(client, admin)
    with query_counter.count() as few:  # type: ignore[attr-defined]
        client.get("/admin/audit/")
    for n in range(10):
        record(make_user(), "update", make_organisation(), f"change {n}")
    db.session.commit()
    with query_counter.count() as many:  # type: ignore[attr-defined]
        client.get("/admin/audit/")
    assert many.total == few.total
