"""Self-assessment cycles through the services and the web layer, on SQLite and PostgreSQL:
opening (one response per authority, emails), contributors, pre-fill across versions,
sign-off, reminders by `tick`, the dashboard (query count pinned) and `cycle-status`."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from seslip.accounts.models import OrgRole, User
from seslip.audit.models import AuditEvent
from seslip.cycles import services as cycles
from seslip.cycles.models import Cycle, CycleReminderSent, SignOff
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.formengine import read_form
from seslip.notifications.models import OutboxMessage
from seslip.organisations.models import Organisation
from seslip.questionnaires import services as questionnaires
from seslip.questionnaires.models import AccessLevel, Answer, FormVersion, Response
from seslip.tick import run_tick
from tests.integration.test_questionnaires import Person, use_definitions
from tests.support.factories import (
    csrf_token,
    login,
    make_admin,
    make_organisation,
    make_programme_manager,
    make_user,
)

LEAD = "lead-member-self-assessment-2022-23"
REQUIRED = ("ambition", "responsibility_1", "responsibility_2", "responsibility_3",
            "responsibility_4", "responsibility_5")
DATA = Path(__file__).resolve().parents[1] / "data" / "carry"
OPEN = date(2026, 9, 1)
DUE = date(2026, 10, 30)


@dataclass
class World:
    pm: User
    admin: User
    orgs: list[Organisation]
    leads: list[User]
    dcs: list[User]
    officer: User  # of orgs[0]
    extra: dict[str, Any] = field(default_factory=dict)


def make_world(count: int = 3) -> World:
    orgs = [make_organisation(f"Authority {chr(65 + i)}") for i in range(count)]
    leads = [make_user(name=f"Cllr Lead {o.name[-1]}", organisation=o,
                       org_role=OrgRole.LEAD_MEMBER) for o in orgs]
    dcs = [make_user(name=f"DCS {o.name[-1]}", organisation=o, org_role=OrgRole.DCS)
           for o in orgs]
    officer = make_user(name="Officer A", organisation=orgs[0], org_role=OrgRole.OFFICER)
    return World(make_programme_manager(name="Harriet PM"), make_admin(), orgs, leads, dcs,
                 officer)


def version_of(definition_id: str = LEAD) -> FormVersion:
    found = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == definition_id).order_by(
        FormVersion.version.desc())).first()
    assert found is not None
    return found


def open_cycle(world: World, name: str = "Lead Member self-assessment 2026-27",
               today: date = OPEN, **extra: Any) -> Cycle:
    data = cycles.CycleInput(name=name, form_version_id=extra.pop("version", version_of()).id,
                             respondent_role=extra.pop("role", OrgRole.LEAD_MEMBER),
                             opens_on=extra.pop("opens_on", OPEN),
                             finalise_by=extra.pop("finalise_by", DUE), **extra)
    return cycles.open_cycle(world.pm, data, today)


def response_of(cycle: Cycle, org: Organisation) -> Response:
    found = db.session.scalar(select(Response).where(Response.cycle_id == cycle.id,
                                                     Response.organisation_id == org.id))
    assert found is not None
    return found


def answer(user: User, response: Response, question_id: str, text: str) -> None:
    base = db.session.scalar(select(Answer.revision).where(
        Answer.response_id == response.id, Answer.question_id == question_id)) or 0
    result = questionnaires.save_answer(user, response, question_id,
                                        read_form({question_id: text}).answer(question_id), base)
    assert result.outcome == "saved", result


def complete(user: User, response: Response) -> None:
    for question_id in REQUIRED:
        answer(user, response, question_id, f"Our answer to {question_id}.")


def outbox(event: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.event == event).order_by(OutboxMessage.id)))


def text_of(page: Any) -> str:
    return html.unescape(page.get_data(as_text=True))


@pytest.fixture
def world(app: Flask, shipped: None) -> World:
    return make_world()


# --- opening -----------------------------------------------------------------------------------


def test_the_programme_manager_opens_a_cycle_through_the_page(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, world.pm)
    page = client.get("/cycles/new")
    assert page.status_code == 200
    assert f'<option value="{version_of().id}">' in page.text
    today = date.today()
    sent = client.post("/cycles/new", data={
        "csrf_token": csrf_token(client, "/cycles/new"),
        "name": "Lead Member self-assessment 2026-27", "form_version_id": version_of().id,
        "respondent_role": "lead_member", "opens_on": today.isoformat(),
        "finalise_by": (today + timedelta(days=40)).isoformat(),
        "challenge_from": (today + timedelta(days=50)).isoformat(),
        "challenge_to": (today + timedelta(days=80)).isoformat(), "sign_off_required": "y"})
    assert sent.status_code == 302, sent.text
    cycle = db.session.scalars(select(Cycle)).one()
    assert sent.headers["Location"].endswith(f"/cycles/{cycle.id}")
    assert cycle.sign_off_required and not cycle.prefill
    responses = db.session.scalars(select(Response).where(Response.cycle_id == cycle.id)).all()
    assert sorted((r.organisation_id, r.owner_id) for r in responses) == sorted(
        (lead.organisation_id, lead.id) for lead in world.leads)
    emails = outbox("cycle_opened")
    assert sorted(m.recipient for m in emails) == sorted(lead.email for lead in world.leads)
    first = next(m for m in emails if m.recipient == world.leads[0].email)
    assert f"/questionnaires/responses/{response_of(cycle, world.orgs[0]).id}" in first.body_text
    assert "Lead Member self-assessment 2026-27" in first.subject
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "open")).one()
    assert event.actor_id == world.pm.id and event.entity_type == "Cycle"
    board = client.get(f"/cycles/{cycle.id}")
    assert "0 of 3" in text_of(board) and "Authority B" in board.text


def test_opening_keeps_what_was_typed_and_names_the_problem(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, world.pm)
    sent = client.post("/cycles/new", data={
        "csrf_token": csrf_token(client, "/cycles/new"), "name": "Autumn round",
        "form_version_id": version_of().id, "respondent_role": "dcs",
        "opens_on": "2026-10-01", "finalise_by": "2026-09-01"})
    assert sent.status_code == 422
    assert "The finalise-by date must be on or after the open date." in sent.text
    assert 'value="Autumn round"' in sent.text
    assert db.session.scalar(select(func.count(Cycle.id))) == 0


def test_an_authority_without_a_respondent_is_named_and_nothing_opens(world: World) -> None:
    world.dcs[1].is_active_account = False
    db.session.commit()
    with pytest.raises(ServiceError, match="Authority B") as refused:
        open_cycle(world, role=OrgRole.DCS)
    assert refused.value.field == "respondent_role"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Cycle.id))) == 0
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_a_future_open_date_emails_on_that_day_once(world: World) -> None:
    cycle = open_cycle(world, today=OPEN - timedelta(days=3))
    assert outbox("cycle_opened") == []
    assert run_tick(OPEN - timedelta(days=1)) == ["Nothing was due."]
    lines = run_tick(OPEN)
    assert len([line for line in lines if "opened" in line]) == 3
    run_tick(OPEN)
    assert len(outbox("cycle_opened")) == 3
    assert cycle.opens_on == OPEN


def test_the_first_cycle_takes_in_responses_started_before_cycles(app: Flask,
                                                                   world: World) -> None:
    lead = Person(app, world.leads[0])
    before = lead.start()
    answer(world.leads[0], db.session.get(Response, before), "ambition", "Written before.")
    other = Person(app, world.leads[1])
    cycle = open_cycle(world)
    mine = response_of(cycle, world.orgs[0])
    assert mine.id == before and mine.cycle_id == cycle.id  # nothing left outside it
    assert db.session.scalar(select(func.count(Answer.id)).where(
        Answer.response_id == before)) == 1
    assert response_of(cycle, world.orgs[1]).owner_id == world.leads[1].id
    # Outside cycles a person still starts their own response, beside the cycle's.
    assert lead.start() not in (before, None)
    assert other.get(f"/questionnaires/responses/{mine.id}").status_code == 403
    second = open_cycle(world, "Lead Member self-assessment 2027-28")
    assert response_of(second, world.orgs[0]).id not in (before, mine.id)


# --- contributors ------------------------------------------------------------------------------


def test_a_dcs_with_edit_access_answers_and_the_page_says_who(app: Flask, world: World) -> None:
    cycle = open_cycle(world)
    response = response_of(cycle, world.orgs[0])
    lead = Person(app, world.leads[0])
    page = lead.get(f"/cycles/responses/{response.id}/access")
    assert page.status_code == 200 and "DCS A" in page.text and "DCS B" not in page.text
    given = lead.client.post(f"/cycles/responses/{response.id}/access", data={
        "csrf_token": lead.token, "person_id": world.dcs[0].id, "level": "edit"})
    assert given.status_code == 302, given.text
    assert outbox("cycle_access")[0].recipient == world.dcs[0].email
    dcs = Person(app, world.dcs[0])
    saved = dcs.autosave(response.id, "ambition", {"ambition": "Every child thrives."})
    assert saved.status_code == 200, saved.text
    stored = db.session.scalars(select(Answer).where(Answer.response_id == response.id)).one()
    assert stored.updated_by_id == world.dcs[0].id
    check = text_of(lead.get(f"/questionnaires/responses/{response.id}/check"))
    assert "Last changed by DCS A on" in check
    sections = text_of(lead.get(f"/questionnaires/responses/{response.id}"))
    assert sections.count("Last changed by DCS A on") == 1  # the one section she changed
    history = text_of(lead.get(
        f"/questionnaires/responses/{response.id}/answers/ambition/history"))
    assert "DCS A" in history and "Every child thrives." in history
    # The contributor cannot finalise, nor say who else may see.
    assert dcs.client.post(f"/questionnaires/responses/{response.id}/finalise",
                           data={"csrf_token": dcs.token}).status_code == 403
    assert dcs.get(f"/cycles/responses/{response.id}/access").status_code == 403
    grant = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "grant_access")).one()
    assert grant.actor_id == world.leads[0].id and "DCS A" in grant.summary


def test_read_access_reads_and_cannot_save_and_revoking_ends_it(app: Flask,
                                                                world: World) -> None:
    cycle = open_cycle(world)
    response = response_of(cycle, world.orgs[0])
    access = cycles.grant_access(world.leads[0], response, world.officer.id, AccessLevel.READ)
    officer = Person(app, world.officer)
    assert officer.get(f"/questionnaires/responses/{response.id}").status_code == 200
    refused = officer.autosave(response.id, "ambition", {"ambition": "Mine"})
    assert refused.status_code == 403
    assert officer.get(
        f"/questionnaires/responses/{response.id}/sections/role_as_lead_member"
    ).status_code == 403
    cycles.revoke_access(world.leads[0], response, access.id)
    db.session.expire_all()
    assert officer.get(f"/questionnaires/responses/{response.id}").status_code == 403


def test_access_is_only_for_people_of_the_authority(world: World) -> None:
    cycle = open_cycle(world)
    response = response_of(cycle, world.orgs[0])
    with pytest.raises(ServiceError, match="is not of Authority A"):
        cycles.grant_access(world.leads[0], response, world.dcs[1].id, AccessLevel.EDIT)
    with pytest.raises(PermissionDenied):
        cycles.grant_access(world.leads[1], response, world.dcs[0].id, AccessLevel.EDIT)


# --- pre-fill ----------------------------------------------------------------------------------


def test_prefill_follows_renamed_from_across_versions_and_is_marked(
        app: Flask, world: World, tmp_path: Path) -> None:
    folder = use_definitions(app, tmp_path, {"carry-test.yaml": (DATA / "v1.yaml").read_text()})
    first = open_cycle(world, "Carry 2025-26", version=version_of("carry-test"))
    last_year = response_of(first, world.orgs[0])
    for question_id, text in {"name": "Jo", "ambition": "Thrive", "hobby": "Walking"}.items():
        answer(world.leads[0], last_year, question_id, text)
    (folder / "carry-test.yaml").write_text((DATA / "v2.yaml").read_text())
    from seslip.library.services import sync

    sync(None, folder)
    second = open_cycle(world, "Carry 2026-27", version=version_of("carry-test"), prefill=True)
    assert second.previous_id == first.id and second.form_version.version == 2
    now = response_of(second, world.orgs[0])
    found = {a.question_id: a for a in db.session.scalars(
        select(Answer).where(Answer.response_id == now.id))}
    assert {qid: a.value for qid, a in found.items()} == {"full_name": "Jo", "ambition": "Thrive"}
    assert all(a.from_last_year and a.updated_by_id == world.leads[0].id
               for a in found.values())
    assert found["full_name"].prefilled_from_id is not None
    lead = Person(app, world.leads[0])
    page = text_of(lead.get(f"/questionnaires/responses/{now.id}"))
    assert "Answers from last year" in page and "2 answers were copied" in page
    # Changing one ends its mark; keeping the other ends it too; last year's stay as they were.
    answer(world.leads[0], now, "ambition", "Thrive, and more")
    kept = lead.client.post(f"/cycles/responses/{now.id}/confirm",
                            data={"csrf_token": lead.token, "question_id": "full_name"})
    assert kept.status_code == 302
    db.session.expire_all()
    assert not any(a.from_last_year for a in db.session.scalars(
        select(Answer).where(Answer.response_id == now.id)))
    assert {a.value for a in db.session.scalars(
        select(Answer).where(Answer.response_id == last_year.id))} == {"Jo", "Thrive", "Walking"}
    assert "Answers from last year" not in text_of(lead.get(f"/questionnaires/responses/{now.id}"))


# --- sign-off and finalising ------------------------------------------------------------------


def test_sign_off_by_lead_member_and_dcs_before_finalising(app: Flask, world: World) -> None:
    cycle = open_cycle(world, sign_off_required=True)
    response = response_of(cycle, world.orgs[0])
    complete(world.leads[0], response)
    with pytest.raises(ServiceError, match="lead member for children's services and director"):
        cycles.finalise(world.leads[0], response)
    db.session.rollback()
    cycles.sign_off(world.leads[0], response)
    dcs = Person(app, world.dcs[0])  # no access given: she may still read what she signs
    page = dcs.get(f"/cycles/responses/{response.id}/finalise")
    assert page.status_code == 200 and "I sign off these answers" in page.text
    signed = dcs.client.post(f"/cycles/responses/{response.id}/sign-off",
                             data={"csrf_token": dcs.token})
    assert signed.status_code == 302
    # A change after both signed asks for both again.
    answer(world.leads[0], response, "ambition", "A changed ambition.")
    with pytest.raises(ServiceError, match="sign off the answers as they are now"):
        cycles.finalise(world.leads[0], response)
    db.session.rollback()
    cycles.sign_off(world.leads[0], response)
    cycles.sign_off(world.dcs[0], response)
    lead = Person(app, world.leads[0])
    assert lead.client.post(f"/questionnaires/responses/{response.id}/finalise",
                            data={"csrf_token": lead.token}).status_code == 302  # to cycles
    done = lead.client.post(f"/cycles/responses/{response.id}/finalise",
                            data={"csrf_token": lead.token})
    assert done.status_code == 302, done.text
    db.session.expire_all()
    assert not response_of(cycle, world.orgs[0]).is_draft
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "Response").order_by(AuditEvent.id))]
    assert actions.count("sign_off") == 4 and actions[-2:] == ["signed_off", "finalise"]
    assert db.session.scalar(select(func.count(SignOff.id)).where(
        SignOff.withdrawn_at.is_(None))) == 2
    with pytest.raises(PermissionDenied):
        cycles.sign_off(world.dcs[1], response)
    # Reopened by staff, it needs both sign-offs again before it is finalised again.
    questionnaires.reopen(world.pm, response, "The DCS asked to add the latest Ofsted visit.")
    assert [line.current for line in cycles.sign_off_lines(response)] == [False, False]


def test_without_sign_off_the_respondent_finalises_from_the_cycle_page(app: Flask,
                                                                       world: World) -> None:
    cycle = open_cycle(world)
    response = response_of(cycle, world.orgs[0])
    complete(world.leads[0], response)
    lead = Person(app, world.leads[0])
    assert "Finalise the answers" in lead.get(f"/cycles/responses/{response.id}/finalise").text
    with pytest.raises(ServiceError, match="part of a cycle"):
        questionnaires.finalise(world.leads[0], response)
    db.session.rollback()
    assert lead.client.post(f"/cycles/responses/{response.id}/finalise",
                            data={"csrf_token": lead.token}).status_code == 302
    db.session.expire_all()
    assert not response_of(cycle, world.orgs[0]).is_draft


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_go_once_each_to_those_not_finalised(world: World) -> None:
    cycle = open_cycle(world)
    done = response_of(cycle, world.orgs[2])
    complete(world.leads[2], done)
    cycles.finalise(world.leads[2], done)
    for day, kind in ((DUE - timedelta(days=14), "before-14"), (DUE - timedelta(days=7),
                      "before-7"), (DUE - timedelta(days=1), "before-1"),
                      (DUE + timedelta(days=1), "overdue")):
        first, again = run_tick(day), run_tick(day)
        assert len([line for line in first if kind in line]) == 2, (day, first)
        assert again == ["Nothing was due."]
    assert run_tick(DUE + timedelta(days=9)) == ["Nothing was due."]
    reminders = outbox("cycle_reminder")
    assert len(reminders) == 8
    assert world.leads[2].email not in {m.recipient for m in reminders}
    assert reminders[0].subject.startswith("Reminder:") and "14 days" in reminders[0].body_text
    assert reminders[-1].subject.startswith("Overdue:")
    assert db.session.scalar(select(func.count(CycleReminderSent.id))) == 3 + 8


def test_the_dashboard_button_sends_one_reminder_a_day(app: Flask, world: World) -> None:
    cycle = open_cycle(world)
    response = response_of(cycle, world.orgs[1])
    client = app.test_client()
    login(client, world.pm)
    token = csrf_token(client, f"/cycles/{cycle.id}")
    url = f"/cycles/{cycle.id}/responses/{response.id}/remind"
    assert client.post(url, data={}).status_code == 400  # no CSRF token
    first = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "A reminder was sent to Cllr Lead B." in first.text
    second = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "was sent a reminder today already" in second.text
    assert [m.recipient for m in outbox("cycle_reminder")] == [world.leads[1].email]
    assert "Last sent" in client.get(f"/cycles/{cycle.id}").text


# --- the dashboard and cycle-status ------------------------------------------------------------


def test_the_dashboard_shows_each_status_and_the_figure(app: Flask, world: World) -> None:
    cycle = open_cycle(world)
    answer(world.leads[0], response_of(cycle, world.orgs[0]), "ambition", "Thrive.")
    finalised = response_of(cycle, world.orgs[2])
    complete(world.leads[2], finalised)
    cycles.finalise(world.leads[2], finalised)
    board = cycles.dashboard(world.pm, cycle)
    assert [(r.organisation.name, r.status.value, r.sections_done) for r in board.rows] == [
        ("Authority A", "in_progress", 1), ("Authority B", "not_started", 0),
        ("Authority C", "finalised", 6)]
    assert board.percent_finalised == 33 and board.rows[0].sections_total == 6
    with pytest.raises(PermissionDenied):
        cycles.dashboard(world.leads[0], cycle)


def _dashboard_queries(app: Flask, world: World, cycle: Cycle, query_counter: Any) -> int:
    client = app.test_client()
    login(client, world.pm)
    client.get(f"/cycles/{cycle.id}")  # warm the definition cache
    db.session.expunge_all()  # as a new request's session: nothing loaded yet
    with query_counter.count() as counted:
        page = client.get(f"/cycles/{cycle.id}")
    assert page.status_code == 200
    return int(counted.total)


def test_the_dashboard_query_count_does_not_grow(app: Flask, query_counter: Any,
                                                 shipped: None) -> None:
    small = make_world(2)
    cycle = open_cycle(small)
    few = _dashboard_queries(app, small, cycle, query_counter)
    for i in range(4):
        org = make_organisation(f"Later {i}")
        make_user(organisation=org, org_role=OrgRole.LEAD_MEMBER)
    big = open_cycle(small, "A later cycle")
    for response in db.session.scalars(select(Response).where(Response.cycle_id == big.id)):
        complete(response.owner, response)
        cycles.remind_now(small.pm, big, response.id)
    many = _dashboard_queries(app, small, big, query_counter)
    # The signed-in person, the cycle, its responses, their answers, the latest reminders.
    assert few == many == 5


def test_the_dashboard_leads_to_the_cycles_triads_and_regional_picture(
        app: Flask, world: World) -> None:
    cycle = open_cycle(world)
    client = app.test_client()
    login(client, world.pm)
    page = client.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert f'href="/challenge/cycles/{cycle.id}/triads"' in page
    assert f'href="/challenge/cycles/{cycle.id}/regional"' in page


def test_cycle_status_prints_one_line_per_authority(runner: Any, world: World) -> None:
    cycle = open_cycle(world)
    answer(world.leads[1], response_of(cycle, world.orgs[1]), "ambition", "Thrive.")
    done = runner.invoke(args=["seslip", "cycle-status"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0].startswith("Lead Member self-assessment 2026-27 (finalise by")
    assert lines[1].startswith("Authority A: not started, 0 of 6 sections, last activity none")
    assert lines[2].startswith("Authority B: in progress, 1 of 6 sections, last activity 20")
    assert lines[4] == "0 of 3 authorities finalised (0%); 5% of sections done."
    by_name = runner.invoke(args=["seslip", "cycle-status", cycle.name])
    assert by_name.output == done.output
    missing = runner.invoke(args=["seslip", "cycle-status", "No such"])
    assert missing.exit_code == 1 and "There is no cycle 'No such'." in missing.output


# --- closing a cycle ---------------------------------------------------------------------------


def test_closing_a_cycle_keeps_every_response_and_stops_changes_and_reminders(
        app: Flask, world: World) -> None:
    cycle = open_cycle(world)
    draft = response_of(cycle, world.orgs[0])
    answer(world.leads[0], draft, "ambition", "Thrive.")
    with pytest.raises(PermissionDenied):
        cycles.close_cycle(world.leads[0], cycle)
    cycles.close_cycle(world.pm, cycle)
    assert cycle.is_closed and cycle.closed_by_id == world.pm.id
    with pytest.raises(ServiceError, match="is closed"):
        cycles.close_cycle(world.pm, cycle)
    # The answer is kept and readable; nobody can change it, sign off or finalise.
    db.session.expire_all()
    draft = response_of(cycle, world.orgs[0])
    assert draft.is_draft and questionnaires.can_view(world.leads[0], draft)
    assert not questionnaires.can_edit(world.leads[0], draft)
    with pytest.raises(questionnaires.ResponseLocked, match="is closed"):
        answer(world.leads[0], draft, "ambition", "Thrive, changed.")
    assert db.session.scalar(select(Answer.value).where(
        Answer.response_id == draft.id, Answer.question_id == "ambition")) == "Thrive."
    with pytest.raises(ServiceError, match="is closed"):
        cycles.finalise(world.leads[0], draft)
    with pytest.raises(ServiceError, match="is closed"):
        cycles.remind_now(world.pm, cycle, draft.id)
    # Far past the finalise-by date, tick sends no overdue notice for a closed cycle.
    before = len(outbox("cycle_reminder"))
    run_tick(cycle.finalise_by + timedelta(days=3))
    assert len(outbox("cycle_reminder")) == before
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "close")) == 1
    # The dashboard says so, and offers no reminder buttons.
    client = app.test_client()
    login(client, world.pm)
    page = client.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert "Closed on" in page and "Send a reminder" not in page
