"""Terms of reference: who may read and edit them, the draft written section by section (with
the same revision check as answers), submitting, approving, returning and publishing, reviews,
and the read side for the pages. Every change is audited and committed here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.errors import NotFound, PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.formengine import (
    Definition,
    Section,
    Sent,
    normalise,
    type_of,
    validate_answer,
)
from seslip.formengine.documentdiff import SectionDiff, diff_document
from seslip.library import services as library
from seslip.meetings.services import can_run
from seslip.networks.emails import send
from seslip.networks.models import Network, Position
from seslip.networks.queries import can_manage, chairs_of, posts_of
from seslip.networks.rules import add_years
from seslip.questionnaires.models import FormVersion
from seslip.terms.models import (
    OPEN_STATES,
    DraftState,
    TermsDraft,
    TermsDraftSection,
    TermsOfReference,
    TermsReview,
    TermsVersion,
)
from seslip.terms.rules import review_due_on, review_status
from seslip.timeutil import local_today, utcnow
from seslip.web import external_url

TEMPLATE_ID = "terms-of-reference"
MAX_BODY_CHARS = 50_000

# --- who may do what ------------------------------------------------------------------------


def can_edit(user: User | None, network: Network) -> bool:
    """The network's Chairs and Vice Chairs, admins and the programme manager."""
    return can_run(user, network)


def require_edit(actor: User, network: Network) -> None:
    if not can_edit(actor, network):
        raise PermissionDenied(
            f"Only the Chairs and Vice Chairs of {network.name}, admins and the programme "
            "manager can change its terms of reference.")


def approving_network(network: Network) -> Network | None:
    """The body whose approval a change needs: the one that approves the network's Sponsor
    (a post approved by another network, e.g. the South East DCS Group for Kinship)."""
    for position in network.current_positions:
        if position.approval_network is not None:
            return position.approval_network
    return None


def can_approve(user: User, draft: TermsDraft) -> bool:
    body = draft.approving_network
    if body is None or draft.state != DraftState.SUBMITTED:
        return False
    return user.is_staff or any(chair.id == user.id for chair in chairs_of(body))


def can_read_draft(user: User, draft: TermsDraft) -> bool:
    return can_edit(user, draft.terms.network) or can_approve(user, draft)


# --- reading --------------------------------------------------------------------------------


def terms_of(network: Network) -> TermsOfReference | None:
    return db.session.scalars(select(TermsOfReference).where(
        TermsOfReference.network_id == network.id)).first()


def current_version(terms: TermsOfReference | None) -> TermsVersion | None:
    if terms is None:
        return None
    return db.session.scalars(select(TermsVersion).where(TermsVersion.terms_id == terms.id)
                              .order_by(TermsVersion.number.desc())).first()


def versions(terms: TermsOfReference) -> list[TermsVersion]:
    return list(db.session.scalars(select(TermsVersion).where(
        TermsVersion.terms_id == terms.id).order_by(TermsVersion.number.desc())))


def version_numbered(network: Network, number: int) -> TermsVersion:
    terms = terms_of(network)
    found = None if terms is None else db.session.scalars(select(TermsVersion).where(
        TermsVersion.terms_id == terms.id, TermsVersion.number == number)).first()
    if found is None:
        raise NotFound(f"{network.name} has no version {number} of its terms of reference.")
    return found


def open_draft(terms: TermsOfReference | None) -> TermsDraft | None:
    if terms is None:
        return None
    return db.session.scalars(select(TermsDraft).where(
        TermsDraft.terms_id == terms.id, TermsDraft.state.in_(OPEN_STATES))).first()


def draft_for(actor: User, network: Network) -> TermsDraft:
    """The network's open draft, for those who may read it (editors, and the approver)."""
    draft = open_draft(terms_of(network))
    if draft is None:
        raise NotFound(f"{network.name} has no draft of its terms of reference.")
    if not can_read_draft(actor, draft):
        raise PermissionDenied(
            f"Only the Chairs and Vice Chairs of {network.name} (and whoever approves it) "
            "can read the draft of its terms of reference.")
    return draft


def definition_of(template: FormVersion) -> Definition:
    return library.definition_of_version(template)


def template_version() -> FormVersion:
    """The terms of reference template that new drafts are written on (the library's)."""
    questionnaire = library._find(TEMPLATE_ID)
    if questionnaire is None or questionnaire.current_version is None:
        raise ServiceError("The terms of reference template is not in the library yet: an "
                           "admin can import it with `flask --app app seslip definitions sync`.")
    return questionnaire.current_version


@dataclass
class Shown:
    """A version or draft ready to show: each section with its body and field values."""

    definition: Definition
    bodies: Mapping[str, str]
    values: Mapping[str, Any]

    def fields(self, section: Section) -> list[tuple[str, str]]:
        shown = []
        for question in section.questions:
            text = type_of(question).display(question, self.values.get(question.id)).plain()
            if text:
                shown.append((question.label, text))
        return shown

    def sections(self) -> list[Section]:
        """The sections with something in them (an empty one is left out)."""
        return [s for s in self.definition.sections
                if (self.bodies.get(s.id) or "").strip() or self.fields(s)]

    def earlier(self) -> list[tuple[str, str]]:
        """(section id, text) written under sections this template no longer has."""
        known = {s.id for s in self.definition.sections}
        return [(key, body) for key, body in self.bodies.items()
                if key not in known and body.strip()]


def shown_version(version: TermsVersion) -> Shown:
    return Shown(definition_of(version.template_version), version.bodies, version.values)


def draft_bodies(draft: TermsDraft) -> tuple[dict[str, str], dict[str, Any]]:
    bodies = {row.section_id: row.body for row in draft.sections}
    values: dict[str, Any] = {}
    for row in draft.sections:
        values.update(row.values)
    return bodies, values


def shown_draft(draft: TermsDraft) -> Shown:
    bodies, values = draft_bodies(draft)
    return Shown(definition_of(draft.template_version), bodies, values)


# --- the draft ------------------------------------------------------------------------------


def _ensure_terms(network: Network) -> TermsOfReference:
    terms = terms_of(network)
    if terms is None:
        terms = TermsOfReference(network_id=network.id)
        db.session.add(terms)
        db.session.flush()
    return terms


def start_draft(actor: User, network: Network) -> TermsDraft:
    """A new draft from the current version (or the template's starting text)."""
    require_edit(actor, network)
    terms = _ensure_terms(network)
    existing = open_draft(terms)
    if existing is not None:
        return existing
    template = template_version()
    definition = definition_of(template)
    current = current_version(terms)
    draft = TermsDraft(terms=terms, template_version=template, based_on=current,
                       created_by_id=actor.id)
    db.session.add(draft)
    for section in definition.sections:
        body = current.bodies.get(section.id, "") if current else (section.body or "")
        values = {q.id: current.values[q.id] for q in section.questions
                  if current and q.id in current.values}
        draft.sections.append(TermsDraftSection(section_id=section.id, body=body,
                                                values=values, updated_by_id=actor.id))
    # Text under a section a newer template no longer has is kept (shown read-only under
    # "From an earlier template"), never dropped.
    known = {section.id for section in definition.sections}
    for section_id, body in (current.bodies.items() if current else ()):
        if section_id not in known and body.strip():
            draft.sections.append(TermsDraftSection(section_id=section_id, body=body,
                                                    values={}, updated_by_id=actor.id))
    db.session.flush()
    record(actor, "start_draft", draft,
           f"Started a draft of the terms of reference of {network.name}")
    db.session.commit()
    return draft


def section_row(draft: TermsDraft, section_id: str) -> TermsDraftSection:
    for row in draft.sections:
        if row.section_id == section_id:
            return row
    raise NotFound("That section is not in these terms of reference.")


@dataclass
class SaveResult:
    outcome: str  # "saved", "unchanged" or "conflict"
    row: TermsDraftSection
    mine_body: str
    mine_values: dict[str, Any]
    theirs_by: str = ""


def read_values(section: Section, form: Mapping[str, list[str]]) -> dict[str, Any]:
    """The section's structured fields from what the form sent (raw, as answers are)."""
    values: dict[str, Any] = {}
    for question in section.questions:
        raw, _ = normalise(question, Sent(values=form.get(question.id, [])))
        values[question.id] = raw
    return values


def save_section(actor: User, draft: TermsDraft, section_id: str, body: str,
                 values: dict[str, Any], base_revision: int) -> SaveResult:
    """Save one section of the draft; if someone saved it since `base_revision`, nothing is
    overwritten and both texts come back as a conflict."""
    network = draft.terms.network
    require_edit(actor, network)
    if not draft.editable:
        raise ServiceError("The draft is waiting for approval, so it cannot be changed now.")
    if len(body) > MAX_BODY_CHARS:
        raise ServiceError(f"The section is too long (at most {MAX_BODY_CHARS:,} characters).",
                           "body")
    row = section_row(draft, section_id)
    if row.revision != base_revision:
        who = row.updated_by.name if row.updated_by else "Someone"
        return SaveResult("conflict", row, body, values, who)
    if row.body == body and row.values == values:
        return SaveResult("unchanged", row, body, values)
    changes: dict[str, Any] = {}
    if row.body != body:
        changes["body"] = [row.body, body]
    for key, value in values.items():
        if row.values.get(key) != value:
            changes[key] = [row.values.get(key), value]
    row.body, row.values = body, dict(values)
    row.revision += 1
    row.updated_by_id, row.updated_at = actor.id, utcnow()
    title = next((s.title for s in definition_of(draft.template_version).sections
                  if s.id == section_id), section_id)
    record(actor, "save_section", draft,
           f"Changed “{title}” in the draft terms of reference of {network.name}", changes)
    db.session.commit()
    return SaveResult("saved", row, body, values)


# --- submitting, approving, publishing ------------------------------------------------------


def field_problems(section: Section, values: Mapping[str, Any]) -> dict[str, list[str]]:
    """The engine's messages for structured fields whose saved value is not acceptable."""
    found = {}
    for question in section.questions:
        messages = validate_answer(question, values.get(question.id))
        if messages:
            found[question.id] = messages
    return found


def _refuse_bad_fields(draft: TermsDraft) -> None:
    """A draft is saved as typed; it goes for approval or publication only when its fields
    are right."""
    _, values = draft_bodies(draft)
    for section in definition_of(draft.template_version).sections:
        for question_id, messages in field_problems(section, values).items():
            label = next(q.label for q in section.questions if q.id == question_id)
            raise ServiceError(f"In “{section.title}”, {label}: {messages[0]} Correct it "
                               "first.")


def needs_approval(network: Network) -> bool:
    return approving_network(network) is not None


def _version_from(actor: User | None, draft: TermsDraft, approver: User | None, body: str,
                  comment: str, today: date) -> TermsVersion:
    terms = draft.terms
    current = current_version(terms)
    bodies, values = draft_bodies(draft)
    version = TermsVersion(
        terms_id=terms.id, number=(current.number + 1) if current else 1,
        template_version_id=draft.template_version_id, bodies=bodies, values=values,
        author_id=draft.submitted_by_id or (actor.id if actor else None),
        approver_id=approver.id if approver else None, approved_by_body=body,
        approved_on=today, comment=comment)
    db.session.add(version)
    db.session.flush()
    draft.state, draft.published_as_id = DraftState.PUBLISHED, version.id
    terms.last_reviewed_on = today
    return version


def submit(actor: User, draft: TermsDraft, comment: str) -> TermsDraft:
    """Send the draft to the approving body's chair (they get an email with a link)."""
    network = draft.terms.network
    require_edit(actor, network)
    body = approving_network(network)
    if body is None:
        raise ServiceError(f"{network.name} needs no other body's approval: a Chair publishes "
                           "its terms of reference.")
    if not draft.editable:
        raise ServiceError("The draft is already waiting for approval.")
    _refuse_bad_fields(draft)
    approvers = chairs_of(body)
    if not approvers:
        raise ServiceError(f"{body.name} has no chair to approve it yet.")
    draft.state, draft.comment = DraftState.SUBMITTED, comment.strip()
    draft.submitted_by_id, draft.submitted_at = actor.id, utcnow()
    draft.approving_network_id = body.id
    record(actor, "submit", draft,
           f"Submitted the terms of reference of {network.name} to {body.name}",
           {"comment": comment})
    send("tor_submitted", "approver", approvers,
         f"Terms of reference of {network.name} to approve", network=network, body=body,
         submitter=actor, comment=draft.comment,
         url=external_url("terms.approve", slug=network.slug))
    db.session.commit()
    return draft


def approve(actor: User, draft: TermsDraft, comment: str, today: date | None = None
            ) -> TermsVersion:
    network = draft.terms.network
    if not can_approve(actor, draft):
        raise PermissionDenied("Only the chair of the approving body can approve these terms "
                               "of reference.")
    assert draft.approving_network is not None
    text = comment.strip() or draft.comment
    version = _version_from(actor, draft, actor, draft.approving_network.name, text,
                            today or local_today())
    record(actor, "approve", version,
           f"Approved version {version.number} of the terms of reference of {network.name}",
           {"comment": comment})
    _tell_chairs(network, version, "tor_published", f"Terms of reference of {network.name} "
                 f"approved (version {version.number})")
    db.session.commit()
    return version


def return_draft(actor: User, draft: TermsDraft, comment: str) -> TermsDraft:
    network = draft.terms.network
    if not can_approve(actor, draft):
        raise PermissionDenied("Only the chair of the approving body can return these terms "
                               "of reference.")
    if not comment.strip():
        raise ServiceError("Say what should change, so the chairs know what to do.", "comment")
    draft.state, draft.returned_comment = DraftState.RETURNED, comment.strip()
    draft.returned_by_id = actor.id
    record(actor, "return", draft,
           f"Returned the terms of reference of {network.name} with comments",
           {"comment": comment})
    send("tor_returned", "chairs", _editors(network, draft),
         f"Terms of reference of {network.name} returned with comments", network=network,
         returned_by=actor, comment=draft.returned_comment,
         url=external_url("terms.draft", slug=network.slug))
    db.session.commit()
    return draft


def publish(actor: User, draft: TermsDraft, comment: str, today: date | None = None
            ) -> TermsVersion:
    """A Chair publishes where no other body approves."""
    network = draft.terms.network
    if not can_manage(actor, network):
        raise PermissionDenied(f"Only a Chair of {network.name} (or the programme manager) "
                               "publishes its terms of reference.")
    if needs_approval(network):
        raise ServiceError(f"Changes to these terms of reference are approved by "
                           f"{approving_network(network).name}: submit them for approval.")  # type: ignore[union-attr]
    if not draft.editable:
        raise ServiceError("The draft has already gone for approval.")
    _refuse_bad_fields(draft)
    version = _version_from(actor, draft, actor, "", comment.strip(), today or local_today())
    record(actor, "publish", version,
           f"Published version {version.number} of the terms of reference of {network.name}",
           {"comment": comment})
    db.session.commit()
    return version


def _editors(network: Network, draft: TermsDraft | None = None) -> list[User]:
    posts = posts_of(network)
    chair_ids = {p.id for p in posts.positions if p.is_chair}
    people = list(posts.chairs())
    for position in posts.positions:
        if position.deputises_for_id in chair_ids:
            people += [a.user for a in posts.holding.get(position.id, [])]
    if draft is not None and draft.submitted_by is not None:
        people.append(draft.submitted_by)
    return people


def _tell_chairs(network: Network, version: TermsVersion, event: str, subject: str) -> None:
    send(event, "chairs", _editors(network), subject, network=network, version=version,
         url=external_url("terms.show", slug=network.slug))


# --- reviews --------------------------------------------------------------------------------


def record_review(actor: User, network: Network, comment: str, today: date | None = None
                  ) -> TermsReview:
    """"Reviewed, no change": the review is recorded and the next one falls due a year on."""
    require_edit(actor, network)
    terms = terms_of(network)
    version = current_version(terms)
    if terms is None or version is None:
        raise ServiceError("There are no published terms of reference to review yet.")
    day = today or local_today()
    review = TermsReview(terms_id=terms.id, version_id=version.id, reviewed_by_id=actor.id,
                         reviewed_on=day, comment=comment.strip())
    db.session.add(review)
    terms.last_reviewed_on = day
    record(actor, "review", terms,
           f"Reviewed the terms of reference of {network.name}: no change",
           {"comment": comment})
    db.session.commit()
    return review


def reviews(terms: TermsOfReference) -> list[TermsReview]:
    return list(db.session.scalars(select(TermsReview).where(
        TermsReview.terms_id == terms.id).order_by(TermsReview.reviewed_on.desc())))


def due_on(terms: TermsOfReference | None) -> date | None:
    version = current_version(terms)
    if terms is None or version is None:
        return None
    return review_due_on(terms.last_reviewed_on or version.approved_on)


# --- diff -----------------------------------------------------------------------------------


def diff(older: TermsVersion, newer: TermsVersion) -> tuple[SectionDiff, ...]:
    definition = definition_of(newer.template_version)
    return diff_document(definition, older.bodies, older.values, newer.bodies, newer.values)


def diff_draft(draft: TermsDraft) -> tuple[SectionDiff, ...]:
    """The draft against the version it would replace (everything new for a first one)."""
    bodies, values = draft_bodies(draft)
    current = current_version(draft.terms)
    return diff_document(definition_of(draft.template_version),
                         current.bodies if current else {}, current.values if current else {},
                         bodies, values)


def sponsor_post(network: Network) -> Position | None:
    for position in network.current_positions:
        if position.approval_network_id is not None:
            return position
    return None


# --- checks against the network's data -----------------------------------------------------


def _number(raw: Any) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def planned_meetings(network: Network, today: date) -> int | None:
    """Meetings planned in the year from today (None when the network has none at all yet)."""
    from seslip.meetings.models import Meeting

    meetings = db.session.scalars(select(Meeting).where(Meeting.network_id == network.id)).all()
    if not meetings:
        return None
    start = datetime.combine(today, time.min)
    end = datetime.combine(add_years(today, 1), time.min)
    return sum(1 for m in meetings if m.cancelled_at is None and start <= m.starts_at < end)


def mismatches(network: Network, version: TermsVersion, today: date | None = None
               ) -> list[str]:
    """Where the structured fields of the current version disagree with the network's data."""
    today = today or local_today()
    found: list[str] = []
    values = version.values
    term = _number(values.get("chair_term_years"))
    posts = posts_of(network)
    chair = next((p for p in posts.positions if p.is_chair), None)
    if term is not None and chair is not None and chair.term_years != term:
        set_to = f"{chair.term_years} years" if chair.term_years else "no fixed term"
        found.append(f"The terms of reference say the Chair serves {term} years, but the "
                     f"{chair.title} post is set to {set_to}.")
    wanted = _number(values.get("meetings_per_year"))
    planned = planned_meetings(network, today) if wanted is not None else None
    if wanted is not None and planned is not None and planned < wanted:
        found.append(f"The terms of reference say {wanted} meetings a year, but "
                     f"{planned} {'is' if planned == 1 else 'are'} planned in the next "
                     "twelve months.")
    named = str(values.get("sponsor_name") or "").strip()
    sponsor = sponsor_post(network)
    if named and sponsor is not None:
        holders = [a.user.name for a in posts.holding.get(sponsor.id, [])]
        if not any(_same_person(named, holder) for holder in holders):
            now = ", ".join(holders) if holders else "nobody"
            found.append(f"The terms of reference name {named} as {sponsor.title}, but the "
                         f"post is held by {now}.")
    return found


def _same_person(named: str, holder: str) -> bool:
    """The ToR may add a title or a role ("Dr Mac Heath DCS Milton Keynes")."""
    return holder.casefold() in named.casefold()


# --- the programme manager's overview -------------------------------------------------------


@dataclass
class StatusRow:
    network: Network
    version: TermsVersion | None
    draft: TermsDraft | None
    due_on: date | None
    review: str  # rules.review_status


def overview(today: date) -> list[StatusRow]:
    """Every network that is not archived, with its terms of reference's status."""
    from seslip.networks.queries import all_networks

    rows = []
    for network in all_networks():
        if network.is_archived:
            continue
        terms = terms_of(network)
        due = due_on(terms)
        rows.append(StatusRow(network, current_version(terms), open_draft(terms), due,
                              review_status(due, today)))
    return rows


# --- the network page's section -------------------------------------------------------------


@dataclass
class NetworkPanel:
    network: Network
    version: TermsVersion | None
    editor: bool
    draft: TermsDraft | None = None
    due_on: date | None = None
    review: str = "none"
    mismatches: list[str] | None = None
    to_approve: list[TermsDraft] = field(default_factory=list)  # for this body's chairs


def awaiting_approval_by(user: User, body: Network) -> list[TermsDraft]:
    """Drafts submitted to `body` that this person may approve (its chairs, and staff)."""
    drafts = db.session.scalars(select(TermsDraft).where(
        TermsDraft.approving_network_id == body.id,
        TermsDraft.state == DraftState.SUBMITTED).order_by(TermsDraft.submitted_at)).all()
    return [draft for draft in drafts if can_approve(user, draft)]


def network_panel(user: User, network: Network, today: date) -> NetworkPanel:
    """What the network's page says of its terms of reference; chairs also see the draft,
    the review and where the terms disagree with the network's records."""
    terms = terms_of(network)
    version = current_version(terms)
    panel = NetworkPanel(network, version, can_edit(user, network),
                         to_approve=awaiting_approval_by(user, network))
    if panel.editor:
        panel.draft = open_draft(terms)
        panel.due_on = due_on(terms)
        panel.review = review_status(panel.due_on, today)
        panel.mismatches = mismatches(network, version, today) if version else []
    return panel
