"""Terms of reference through the services: drafts, the conflict, approval, publishing,
reviews and the checks against the network's data."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from seslip.audit.models import AuditEvent
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.terms import services
from seslip.terms.models import DraftState
from tests.integration.networks.support import outbox
from tests.integration.terms.support import build_terms_world, draft_with


def test_a_chair_drafts_submits_and_the_approving_chair_approves(app: Flask) -> None:
    world = build_terms_world()
    draft = draft_with(world)
    services.submit(world.chair, draft, "Named our Sponsor")
    assert draft.state == DraftState.SUBMITTED
    (mail,) = outbox("tor_submitted")
    assert mail.recipient == world.approver.email
    assert "/networks/kinship-network/terms/approve" in mail.body_text
    with pytest.raises(PermissionDenied):
        services.approve(world.member, draft, "")
    version = services.approve(world.approver, draft, "Agreed", today=date(2026, 3, 5))
    assert version.number == 1 and version.approver_id == world.approver.id
    assert version.author_id == world.chair.id and version.approved_by_body == "DCS Group"
    assert version.bodies["sponsor"] == "The Sponsor is Dr Mac Heath."
    assert version.values["sponsor_name"] == "Dr Mac Heath"
    assert draft.state == DraftState.PUBLISHED
    assert services.current_version(services.terms_of(world.network)) == version
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"start_draft", "save_section", "submit", "approve"} <= actions


def test_the_approver_returns_with_comments_and_the_chairs_can_edit_again(app: Flask) -> None:
    world = build_terms_world()
    draft = draft_with(world)
    services.submit(world.chair, draft, "")
    with pytest.raises(ServiceError):
        services.save_section(world.chair, draft, "purpose", "x", {}, 1)
    with pytest.raises(ServiceError):
        services.return_draft(world.approver, draft, "  ")
    services.return_draft(world.approver, draft, "Name the Sponsor's authority")
    assert draft.state == DraftState.RETURNED and draft.editable
    recipients = {m.recipient for m in outbox("tor_returned")}
    assert {world.chair.email, world.vice.email} <= recipients
    row = services.section_row(draft, "purpose")
    assert services.save_section(world.vice, draft, "purpose", "Why", {}, row.revision
                                 ).outcome == "saved"


def test_two_editors_on_one_section_meet_a_conflict_and_nothing_is_overwritten(app: Flask
                                                                             ) -> None:
    world = build_terms_world()
    draft = services.start_draft(world.chair, world.network)
    seen = services.section_row(draft, "meetings").revision
    first = services.save_section(world.chair, draft, "meetings", "We meet quarterly.", {},
                                  seen)
    assert first.outcome == "saved"
    second = services.save_section(world.vice, draft, "meetings", "We meet monthly.", {}, seen)
    assert second.outcome == "conflict" and second.theirs_by == world.chair.name
    assert second.mine_body == "We meet monthly."
    assert services.section_row(draft, "meetings").body == "We meet quarterly."
    kept = services.save_section(world.vice, draft, "meetings", "We meet monthly.", {},
                                 second.row.revision)
    assert kept.outcome == "saved" and kept.row.body == "We meet monthly."


def test_a_network_without_another_body_is_published_by_a_chair(app: Flask) -> None:
    world = build_terms_world()
    draft = services.start_draft(world.plain_chair, world.plain)
    with pytest.raises(ServiceError):
        services.submit(world.plain_chair, draft, "")
    version = services.publish(world.plain_chair, draft, "First version")
    assert version.approver_id == world.plain_chair.id and version.approved_by_body == ""
    kinship = draft_with(world)
    with pytest.raises(ServiceError):
        services.publish(world.chair, kinship, "")


def test_only_chairs_vice_chairs_and_staff_edit(app: Flask) -> None:
    world = build_terms_world()
    for person in (world.member, world.w.outsider, world.approver):
        with pytest.raises(PermissionDenied):
            services.start_draft(person, world.network)
    draft = services.start_draft(world.vice, world.network)
    for person in (world.w.pm, world.admin, world.chair):
        row = services.section_row(draft, "purpose")
        assert services.save_section(person, draft, "purpose", f"By {person.name}", {},
                                     row.revision).outcome == "saved"
    with pytest.raises(PermissionDenied):
        services.save_section(world.member, draft, "purpose", "No", {}, 99)


def test_reviewed_no_change_moves_the_due_date_without_a_new_version(app: Flask) -> None:
    world = build_terms_world()
    draft = services.start_draft(world.plain_chair, world.plain)
    services.publish(world.plain_chair, draft, "", today=date(2026, 1, 10))
    terms = services.terms_of(world.plain)
    assert services.due_on(terms) == date(2027, 1, 10)
    services.record_review(world.plain_chair, world.plain, "Still right", today=date(2027, 1, 5))
    assert services.due_on(terms) == date(2028, 1, 5)
    assert len(services.versions(terms)) == 1


def test_mismatches_with_the_network_data(app: Flask) -> None:
    world = build_terms_world()
    draft = services.start_draft(world.chair, world.network)
    row = services.section_row(draft, "chair")
    services.save_section(world.chair, draft, "chair", "", {"chair_term_years": "3",
                                                             "vice_chairs": "2"}, row.revision)
    row = services.section_row(draft, "sponsor")
    services.save_section(world.chair, draft, "sponsor", "", {"sponsor_name": "Dr Mac Heath"},
                          row.revision)
    services.submit(world.chair, draft, "")
    version = services.approve(world.approver, draft, "")
    found = services.mismatches(world.network, version)
    assert any("Chair serves 3 years, but the Chair post is set to 2 years" in m for m in found)
    assert any("name Dr Mac Heath as Sponsor, but the post is held by nobody" in m
               for m in found)


def test_a_wrong_field_is_saved_as_typed_but_blocks_publishing(app: Flask) -> None:
    world = build_terms_world()
    draft = services.start_draft(world.plain_chair, world.plain)
    row = services.section_row(draft, "chair")
    saved = services.save_section(world.plain_chair, draft, "chair", "",
                                  {"chair_term_years": "two", "vice_chairs": ""}, row.revision)
    assert saved.outcome == "saved" and saved.row.values["chair_term_years"] == "two"
    with pytest.raises(ServiceError, match="In “Chair and Vice Chair”, The Chair's term, in "
                                           "years:"):
        services.publish(world.plain_chair, draft, "")


def test_text_under_a_section_a_newer_template_dropped_is_kept(app: Flask) -> None:
    from seslip.library import services as library
    from seslip.terms.models import TermsVersion

    world = build_terms_world()
    draft = services.start_draft(world.plain_chair, world.plain)
    row = services.section_row(draft, "task_and_finish")
    services.save_section(world.plain_chair, draft, "task_and_finish", "Groups as needed.", {},
                          row.revision)
    first = services.publish(world.plain_chair, draft, "")
    text = services.template_version().source
    start = text.index("  - id: task_and_finish")
    end = text.index("  - id: reporting")
    newer = text[:start] + text[end:]
    newer = newer.replace("version: 1\n", "version: 2\n", 1)
    questionnaire = library.get(world.admin, "terms-of-reference")
    library.start_draft(world.admin, questionnaire)
    library.save_draft(world.admin, questionnaire, newer, questionnaire.draft_revision)
    library.publish(world.admin, questionnaire, questionnaire.draft_revision)
    second = services.start_draft(world.plain_chair, world.plain)
    assert second.template_version.version == 2
    shown = services.shown_draft(second)
    assert shown.earlier() == [("task_and_finish", "Groups as needed.")]
    version: TermsVersion = services.publish(world.plain_chair, second, "")
    assert version.bodies["task_and_finish"] == "Groups as needed."
    assert first.bodies["task_and_finish"] == "Groups as needed."
