"""The event's pages: Markdown sanitised, slides checked by their content and served as
downloads, speakers parsed, and the queries each page costs (pinned)."""

from __future__ import annotations

from datetime import time

import pytest
from flask import Flask

from seslip.errors import ServiceError
from seslip.events import services
from seslip.extensions import db
from seslip.meetings.demo import demo_pdf
from tests.integration.events.support import EventWorld, build_event_world
from tests.integration.networks.support import TODAY
from tests.support.factories import login


@pytest.fixture
def ew(app: Flask) -> EventWorld:
    return build_event_world()


def test_speakers_one_a_line_with_their_organisation_or_role() -> None:
    assert services.parse_speakers("Jo Smith – London LA lawyer\n\nAl Chair, LSCB Chair\n"
                                   "A panel") == [("Jo Smith", "London LA lawyer"),
                                                  ("Al Chair", "LSCB Chair"), ("A panel", "")]


def test_description_is_sanitised_markdown(app: Flask, ew: EventWorld) -> None:
    ew.event.description = "**Welcome** <script>alert(1)</script>"
    db.session.commit()
    client = app.test_client()
    login(client, ew.lead)
    page = client.get(f"/events/{ew.event.id}").get_data(as_text=True)
    assert "<strong>Welcome</strong>" in page and "<script>alert(1)" not in page


def test_slides_are_checked_by_content_and_downloaded_as_attachments(
        app: Flask, ew: EventWorld) -> None:
    with pytest.raises(ServiceError, match="whatever its name says"):
        services.upload_paper(ew.w.pm, ew.event, "Slides", "slides.pdf", b"MZ\x90\x00 exe")
    db.session.rollback()
    paper = services.upload_paper(ew.w.pm, ew.event, "../../Slides: the landscape", "x.pdf",
                                  demo_pdf("Slides"))
    client = app.test_client()
    login(client, ew.w.outsider)  # slides are for anyone signed in
    response = client.get(f"/events/{ew.event.id}/papers/{paper.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "Slides the landscape.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_queries_per_page_are_pinned(app: Flask, ew: EventWorld, query_counter: object) -> None:
    for n in range(3):
        services.save_session(ew.w.pm, ew.event, None, time(10 + n), None, f"Session {n}", "",
                              "Jo – LGA\nAl – LSCB Chair")
    services.register(ew.lead, ew.event, TODAY)
    services.register(ew.dora, ew.event, TODAY)
    event_id = ew.event.id
    client = app.test_client()
    login(client, ew.w.pm)
    counts = {}
    for path in (f"/events/{event_id}", "/events", f"/events/{event_id}/attendance"):
        client.get(path)  # warm: the first request of a client loads more
        db.session.close()  # nothing cached from the request before
        with query_counter.count() as counter:  # type: ignore[attr-defined]
            assert client.get(path).status_code == 200
        counts[path.split("/")[-1]] = counter.total
    assert counts == {str(event_id): 10, "events": 5, "attendance": 7}  # as an organiser


def test_the_network_page_shows_its_workshops_and_their_slides(app: Flask,
                                                               ew: EventWorld) -> None:
    from datetime import timedelta

    from seslip.events.models import EventKind
    from seslip.timeutil import local_today

    client = app.test_client()
    login(client, ew.w.bob)
    page = client.get(f"/networks/{ew.network.slug}").get_data(as_text=True)
    assert "Events and workshops" not in page  # nothing to show a member yet
    details = services.EventDetails(
        EventKind.EXPERT_WORKSHOP, "Kinship expert workshop", local_today() - timedelta(days=7),
        time(10), time(12), place="Online and Lewes", network=ew.network)
    past = services.create_event(ew.chair, details)
    services.upload_paper(ew.chair, past, "Workshop slides", "s.pdf", demo_pdf("Slides"))
    page = client.get(f"/networks/{ew.network.slug}").get_data(as_text=True)
    assert "Past workshops and their slides" in page and "Workshop slides" in page
    assert f"/events/{past.id}/papers/" in page


def test_a_withdrawn_session_leaves_the_agenda_and_can_come_back(app: Flask,
                                                                 ew: EventWorld) -> None:
    part = services.save_session(ew.w.pm, ew.event, None, time(12), None, "Lunch")
    services.save_session(ew.w.pm, ew.event, part, time(12), None, "Lunch", withdrawn=True)
    assert services.agenda(ew.event) == [] and part.withdrawn_at is not None
    client = app.test_client()
    login(client, ew.w.pm)
    page = client.get(f"/events/{ew.event.id}").get_data(as_text=True)
    assert "Taken off the agenda" in page
    services.save_session(ew.w.pm, ew.event, part, time(12), None, "Lunch")
    assert services.agenda(ew.event) == [part]


def test_organisers_download_the_registrations(app: Flask, ew: EventWorld) -> None:
    ew.dora.name = "=HYPERLINK(1)"
    db.session.commit()
    services.register(ew.lead, ew.event, TODAY)
    services.register(ew.dora, ew.event, TODAY)
    services.register(ew.w.bob, ew.event, TODAY)
    client = app.test_client()
    login(client, ew.w.pm)
    response = client.get(f"/events/{ew.event.id}/registrations.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "name,organisation,email,status,since,attended"
    assert lines[1].startswith("Cllr Lena Lead,Kent,") and ",Registered," in lines[1]
    assert lines[2].startswith("'=HYPERLINK(1)")  # a formula is shown, never run
    assert "On the waiting list" in lines[3] and len(lines) == 4
