"""Findings of the manual WCAG 2.2 AA audit (issue 9) that show in the HTML itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from seslip.accounts.models import OrgRole, User
from seslip.demo import (
    ADMIN_EMAIL,
    DEMO_PASSWORD,
    PROGRAMME_MANAGER_EMAIL,
    lead_member_email,
    run_demo,
)
from seslip.extensions import db
from seslip.networks.models import Network
from tests.integration.test_questionnaires import (
    LEAD,
    Person,
    answers_in_db,
    use_example_definitions,
    words,
)
from tests.support.factories import login, make_admin, make_organisation, make_user


@pytest.fixture
def demo(app: Flask) -> None:
    run_demo(lambda _line: None)


def _person(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found, "no <title>"
    return " ".join(found.group(1).split())


# --- 2. attributes arrive whole, not escaped into their own quotes ---------------------------


def test_question_inputs_have_real_autocomplete_inputmode_and_date_limits(
    app: Flask, tmp_path: Path
) -> None:
    use_example_definitions(app, tmp_path)
    person = Person(app, make_user(organisation=make_organisation("Kent County Council")))
    response_id = person.start("example-all-question-types")
    base = f"/questionnaires/responses/{response_id}/sections"
    about = person.get(f"{base}/about_you").text
    assert "&#34;" not in about and "&quot;" not in about
    email = re.search(r'<input[^>]*id="email"[^>]*>', about)
    website = re.search(r'<input[^>]*id="council_website"[^>]*>', about)
    years = re.search(r'<input[^>]*id="years_in_role"[^>]*>', about)
    assert email and 'autocomplete="email"' in email.group(0)
    assert 'spellcheck="false"' in email.group(0)
    assert website and 'autocomplete="url"' in website.group(0)
    assert years and 'inputmode="decimal"' in years.group(0)
    # The date question of the challenge day, shown once the role is set.
    person.autosave(response_id, "role", {"role": "Lead member"})
    challenge = person.get(f"{base}/challenge_day").text
    date = re.search(r'<input[^>]*id="challenge_date"[^>]*>', challenge)
    assert date and 'min="2022-11-01"' in date.group(0) and 'max="2022-12-31"' in date.group(0)


# --- 4. "Save and continue" on a section with problems saves, then says what to change -------


@pytest.mark.usefixtures("shipped")
def test_save_and_continue_with_problems_saves_and_shows_the_section_again(app: Flask) -> None:
    kent = make_organisation("Kent County Council")
    lead = Person(app, make_user(organisation=kent, org_role=OrgRole.LEAD_MEMBER))
    response_id = lead.start(LEAD)
    section = f"/questionnaires/responses/{response_id}/sections/role_as_lead_member"
    result = lead.save_section(response_id, "role_as_lead_member", {
        "rev.ambition": "0", "ambition": words(90)})
    assert result.status_code == 302 and result.headers["Location"].endswith(f"{section}?saved=1")
    assert answers_in_db(response_id)["ambition"] == words(90)  # nothing typed is refused
    page = lead.get(result.headers["Location"]).text
    assert "Your answers are saved, but some need changing" in page
    assert re.search(r'<a href="#ambition">What is your ambition[^<]*: Your answer must be 75 '
                     r"words or fewer", page)
    assert f'href="/questionnaires/responses/{response_id}">Continue anyway' in page
    assert _title(page).startswith("Error: ")
    assert "have been saved" not in page  # not the message of a section without problems
    # Without ?saved=1 (coming back later) the section shows inline messages, no summary.
    assert "Your answers are saved, but" not in lead.get(section).text


# --- 5. an error-summary link to a group of radios reaches the first radio ---------------------


def test_error_summary_links_to_the_first_radio_of_a_group(app: Flask, demo: None,
                                                          client: FlaskClient) -> None:
    login(client, _person(PROGRAMME_MANAGER_EMAIL), DEMO_PASSWORD)
    page = client.get("/networks/new").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    result = client.post("/networks/new", data={"csrf_token": token.group(1), "name": ""})
    assert 'href="#kind-0"' in result.text and 'id="kind-0"' in result.text
    assert 'href="#kind"' not in result.text


# --- 6. titles say which network, which post, which search and which page ---------------------


def test_titles_name_the_network_the_post_the_search_and_the_page(
    app: Flask, demo: None, client: FlaskClient
) -> None:
    login(client, _person(ADMIN_EMAIL), DEMO_PASSWORD)
    titles: dict[str, set[str]] = {"appoint": set(), "nominations": set()}
    for network in db.session.scalars(select(Network)).all():
        chair = next(p for p in network.current_positions if p.title == "Chair")
        for kind in titles:
            path = f"/networks/{network.slug}/posts/{chair.id}/{kind}"
            title = _title(client.get(path).text)
            assert network.name in title and "Chair" in title, title
            titles[kind].add(title)
    assert all(len(found) == 6 for found in titles.values()), titles  # one per network

    assert _title(client.get("/directory/?q=kent").text) == (
        "Directory: results for ‘kent’ – SESLIP Intranet")
    swapped = client.get("/directory/?q=kent", headers={"HX-Request": "true"}).text
    assert swapped.startswith("<title>Directory: results for ‘kent’ – SESLIP Intranet</title>")
    assert _title(client.get("/directory/").text) == "Directory – SESLIP Intranet"
    assert _title(client.get("/admin/audit/?page=2").text).startswith(
        "Audit trail (page 2 of ")


# --- 7. the network page: no placeholders, no internal codes; the example is for staff --------


def test_network_page_shows_no_placeholders_or_internal_codes(app: Flask, demo: None,
                                                              client: FlaskClient) -> None:
    login(client, _person(lead_member_email("east-sussex")), DEMO_PASSWORD)
    page = client.get("/networks/lead-member-network").text
    assert "will appear here" not in page
    assert "lead_member" not in page.split("<main", 1)[1]
    assert "Open to people in named roles: Lead member for children&#39;s services" in page
    # Members are one table by organisation, not a heading over a one-item list each; the
    # only headings among the posts are the posts' own (the meetings panel before them and
    # the facts after them have headings of their own).
    members = page.split('id="network-members-title">Members</h2>', 1)[1].split(
        'id="network-about"', 1)[0]
    assert "<table" in members and "<h3" not in members
    posts = page.split('id="network-posts-title"', 1)[1].split('id="network-members"', 1)[0]
    assert posts.count("<h3") == posts.count('<h3 id="post-') + posts.count("<h3>Nominations")


@pytest.mark.usefixtures("shipped")
def test_the_example_questionnaire_is_offered_to_staff_not_lead_members(app: Flask) -> None:
    kent = make_organisation("Kent County Council")
    lead = Person(app, make_user(organisation=kent, org_role=OrgRole.LEAD_MEMBER))
    for path in ("/", "/questionnaires/"):
        assert "Example: every question type" not in lead.get(path).text
    assert lead.start_result("example-all-question-types").status_code == 403
    admin = Person(app, make_admin())
    assert "Example: every question type" in admin.get("/questionnaires/").text
    assert admin.start_result("example-all-question-types").status_code == 302
