"""Cycles: open a cycle (one response per authority, emails), access for contributors,
pre-fill from the previous cycle, sign-off and finalising, reminders, and the dashboard.

Authorization lives here, as in every area: staff (admins and the programme manager) open
cycles and see the dashboard; a cycle response's respondent (its owner) gives others of the
authority edit or read access and finalises; where the cycle asks, the authority's lead
member and DCS each sign off first. Reading and saving answers is the questionnaires area's
(its services check ResponseAccess).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from seslip.accounts.models import ORG_ROLE_LABELS, OrgRole, User
from seslip.audit.services import record
from seslip.cycles import rules
from seslip.cycles.models import Cycle, CycleReminderSent, CycleStatus, SignOff
from seslip.errors import NotFound, PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.formengine import Definition, DefinitionError, FormState
from seslip.formengine.carry import carry, plan
from seslip.library.models import Questionnaire, QuestionnaireStatus
from seslip.library.services import definition_of_version
from seslip.notifications.services import queue_email
from seslip.organisations.models import Organisation, OrganisationKind
from seslip.parts import NextThing
from seslip.permissions import require_staff
from seslip.questionnaires import services as questionnaires
from seslip.questionnaires.models import (
    AccessLevel,
    Answer,
    AnswerRevision,
    FormVersion,
    Response,
    ResponseAccess,
    ResponseStatus,
)
from seslip.timeutil import format_date, local_today, utcnow
from seslip.web import external_url

RESPONDENT_ROLES = (OrgRole.LEAD_MEMBER, OrgRole.DCS)
SIGN_OFF_ROLES = (OrgRole.LEAD_MEMBER, OrgRole.DCS)
ANSWERS = Answer.__table__


# --- reading ---------------------------------------------------------------------------------


def load_cycle(actor: User, cycle_id: int) -> Cycle:
    require_staff(actor)
    cycle = db.session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound("There is no such cycle.")
    return cycle


def cycles(actor: User) -> list[Cycle]:
    require_staff(actor)
    return list(db.session.scalars(select(Cycle).order_by(Cycle.opened_at.desc(),
                                                          Cycle.id.desc())).unique())


def find_cycle(name_or_id: str | None) -> Cycle | None:
    """For the command line: a cycle by id or exact name; the latest opened when None."""
    stmt = select(Cycle).order_by(Cycle.opened_at.desc(), Cycle.id.desc())
    if name_or_id:
        stmt = stmt.where(Cycle.id == int(name_or_id)) if name_or_id.isdigit() and len(
            name_or_id) < 10 else stmt.where(
            Cycle.name == name_or_id)
    return db.session.scalars(stmt).unique().first()


def cycle_of(response: Response) -> Cycle | None:
    return db.session.get(Cycle, response.cycle_id) if response.cycle_id is not None else None


def load_response(actor: User, response_id: int) -> Response:
    """A cycle's response, for anyone who may see it or sign it off."""
    response = db.session.get(Response, response_id)
    if response is None or response.cycle_id is None:
        raise NotFound("There is no such response in a cycle.")
    if not (questionnaires.can_view(actor, response) or may_sign_off(actor, response)):
        raise PermissionDenied("This response belongs to another authority.")
    return response


def versions_to_choose() -> list[FormVersion]:
    """Every published version of the questionnaires that are published now, newest first."""
    stmt = (select(FormVersion)
            .join(Questionnaire, Questionnaire.definition_id == FormVersion.definition_id)
            .where(Questionnaire.status == QuestionnaireStatus.PUBLISHED)
            .order_by(FormVersion.title, FormVersion.version.desc()))
    return list(db.session.scalars(stmt).unique())


def authorities() -> list[Organisation]:
    stmt = (select(Organisation).where(Organisation.kind == OrganisationKind.AUTHORITY,
                                       Organisation.archived.is_(False))
            .order_by(Organisation.name))
    return list(db.session.scalars(stmt))


def people_in_role(role: OrgRole) -> dict[int, User]:
    """{authority id: its person in `role`}: the longest-standing active account when there
    are several."""
    stmt = (select(User).where(User.org_role == role, User.is_active_account.is_(True),
                               User.organisation_id.is_not(None))
            .order_by(User.id.desc()))
    return {user.organisation_id: user for user in db.session.scalars(stmt).unique()
            if user.organisation_id is not None}


def my_responses(user: User) -> list[tuple[Cycle, Response]]:
    """The cycle responses `user` answers, contributes to, or is asked to sign off, latest
    cycle first."""
    shared = select(ResponseAccess.response_id).where(
        ResponseAccess.person_id == user.id, ResponseAccess.revoked_at.is_(None))
    mine = (Response.owner_id == user.id) | Response.id.in_(shared)
    if user.org_role in SIGN_OFF_ROLES and user.organisation_id is not None:
        mine = mine | ((Response.organisation_id == user.organisation_id)
                       & Cycle.sign_off_required.is_(True))
    stmt = (select(Cycle, Response).join(Response, Response.cycle_id == Cycle.id).where(mine)
            .order_by(Cycle.opened_at.desc(), Cycle.id.desc()))
    return [(cycle, response) for cycle, response in db.session.execute(stmt).unique()]


# --- opening a cycle -------------------------------------------------------------------------


@dataclass
class CycleInput:
    name: str
    form_version_id: int
    respondent_role: OrgRole
    opens_on: date
    finalise_by: date
    challenge_from: date | None = None
    challenge_to: date | None = None
    sign_off_required: bool = False
    prefill: bool = False


def _check_input(data: CycleInput) -> FormVersion:
    name = data.name.strip()
    if not name:
        raise ServiceError("Enter a name for the cycle, such as “Lead Member self-assessment "
                           "2026-27”.", "name")
    if len(name) > 200:
        raise ServiceError("The name must be 200 characters or fewer.", "name")
    if db.session.scalar(select(Cycle.id).where(Cycle.name == name)) is not None:
        raise ServiceError(f"There is already a cycle called “{name}”: choose another name.",
                           "name")
    version = db.session.get(FormVersion, data.form_version_id)
    if version is None or version not in versions_to_choose():
        raise ServiceError("Choose a published version of a questionnaire.", "form_version_id")
    if data.respondent_role not in RESPONDENT_ROLES:
        raise ServiceError("Choose who responds: the lead member or the DCS.", "respondent_role")
    if data.finalise_by < data.opens_on:
        raise ServiceError("The finalise-by date must be on or after the open date.",
                           "finalise_by")
    if (data.challenge_from is None) != (data.challenge_to is None):
        raise ServiceError("Enter both dates of the challenge-day window, or neither.",
                           "challenge_to" if data.challenge_from else "challenge_from")
    if data.challenge_from and data.challenge_to:
        if data.challenge_to < data.challenge_from:
            raise ServiceError("The challenge-day window must end on or after it starts.",
                               "challenge_to")
        if data.challenge_from < data.finalise_by:
            raise ServiceError("The challenge days come after the self-assessments are "
                               "finalised: start the window on or after the finalise-by date.",
                               "challenge_from")
    data.name = name
    return version


def previous_cycle(definition_id: str, before: Cycle | None = None) -> Cycle | None:
    """The latest cycle of the same questionnaire (any version), other than `before`."""
    stmt = select(Cycle).where(Cycle.definition_id == definition_id)
    if before is not None and before.id is not None:
        stmt = stmt.where(Cycle.id != before.id)
    return db.session.scalars(stmt.order_by(Cycle.opened_at.desc(),
                                            Cycle.id.desc())).unique().first()


def open_cycle(actor: User, data: CycleInput, today: date | None = None) -> Cycle:
    """Open a cycle: one draft response per authority, owned by its respondent, pre-filled
    from the previous cycle when asked; each respondent is emailed a link on the open date."""
    require_staff(actor)
    version = _check_input(data)
    orgs = authorities()
    if not orgs:
        raise ServiceError("There are no member authorities to open a cycle for.")
    people = people_in_role(data.respondent_role)
    missing = [org.name for org in orgs if org.id not in people]
    if missing:
        role = ORG_ROLE_LABELS[data.respondent_role].lower()
        raise ServiceError(f"These authorities have no {role} with an active account: "
                           f"{', '.join(missing)}. Add them in People first.", "respondent_role")
    previous = previous_cycle(version.definition_id)
    cycle = Cycle(name=data.name, form_version=version, definition_id=version.definition_id,
                  respondent_role=data.respondent_role, opens_on=data.opens_on,
                  finalise_by=data.finalise_by, challenge_from=data.challenge_from,
                  challenge_to=data.challenge_to, sign_off_required=data.sign_off_required,
                  prefill=data.prefill and previous is not None, previous=previous,
                  status=CycleStatus.OPEN, opened_by_id=actor.id)
    db.session.add(cycle)
    try:
        db.session.flush()
    except IntegrityError:  # the same form sent twice at once: the first one opened it
        db.session.rollback()
        raise ServiceError(f"There is already a cycle called “{data.name}”: choose another "
                           "name.", "name") from None
    earlier = {} if previous else _started_before_cycles(version, people)
    responses = []
    for org in orgs:
        response = earlier.get(org.id) or Response(
            definition_id=version.definition_id, form_version=version,
            owner_id=people[org.id].id)
        response.organisation_id, response.cycle_id = org.id, cycle.id
        responses.append(response)
    db.session.add_all(responses)
    db.session.flush()
    prefilled = prefill(cycle, previous, responses) if cycle.prefill and previous else 0
    record(actor, "open", cycle, f"Opened the cycle “{cycle.name}” for {len(orgs)} "
           f"authorities", {
               "questionnaire": version.definition_id, "version": version.version,
               "respondent_role": data.respondent_role.value,
               "opens_on": data.opens_on, "finalise_by": data.finalise_by,
               "challenge_from": data.challenge_from, "challenge_to": data.challenge_to,
               "sign_off_required": data.sign_off_required, "prefill": cycle.prefill,
               "previous_cycle": previous.name if previous else None,
               "answers_prefilled": prefilled,
               "taken_in": sorted(r.id for r in earlier.values())})
    if rules.invitation_due(cycle.opens_on, today or local_today()):
        for response in responses:
            _send(response, cycle, rules.OPENED, people[response.organisation_id or 0])
    db.session.commit()
    return cycle


def _started_before_cycles(version: FormVersion, people: dict[int, User]) -> dict[int, Response]:
    """{authority id: response}: the respondents' own responses to this version from before
    cycles, which the first cycle of a questionnaire takes in (so nothing they wrote is left
    outside it)."""
    owners = {person.id: org_id for org_id, person in people.items()}
    stmt = select(Response).where(Response.cycle_id.is_(None),
                                  Response.form_version_id == version.id,
                                  Response.owner_id.in_(owners))
    return {owners[r.owner_id]: r for r in db.session.scalars(stmt).unique()}


# --- pre-fill from the previous cycle ------------------------------------------------------


def _definition(version: FormVersion) -> Definition | None:
    try:
        return definition_of_version(version)
    except DefinitionError:
        return None


def _between(old: FormVersion, new: FormVersion) -> list[Definition]:
    low, high = sorted((old.version, new.version))
    rows = db.session.scalars(select(FormVersion).where(
        FormVersion.definition_id == new.definition_id, FormVersion.version > low,
        FormVersion.version < high).order_by(FormVersion.version, FormVersion.id)).all()
    return [found for row in rows if (found := _definition(row)) is not None]


def prefill(cycle: Cycle, previous: Cycle, responses: list[Response]) -> int:
    """Copy each authority's answers from its response in `previous` into its new response,
    across versions by question id and `renamed_from` (formengine.carry), marked "from last
    year". Last year's answers and their history stay as they were. Returns how many."""
    new = _definition(cycle.form_version)
    if new is None:
        return 0
    by_org = {r.organisation_id: r for r in db.session.scalars(
        select(Response).where(Response.cycle_id == previous.id)).unique()}
    old_answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    for answer in db.session.scalars(select(Answer).join(
            Response, Answer.response_id == Response.id).where(
            Response.cycle_id == previous.id)).unique():
        old_answers[answer.response_id][answer.question_id] = answer
    plans: dict[int, Any] = {}
    count = 0
    for response in responses:
        last = by_org.get(response.organisation_id)
        if last is None or not old_answers.get(last.id):
            continue
        if last.form_version_id not in plans:
            old = _definition(last.form_version)
            plans[last.form_version_id] = None if old is None else plan(
                old, new, _between(last.form_version, cycle.form_version))
        route = plans[last.form_version_id]
        if route is None:
            continue
        live = {qid: a for qid, a in old_answers[last.id].items()
                if a.id not in {b.carried_from_id for b in old_answers[last.id].values()}}
        done = carry(route, {qid: a.value for qid, a in live.items()})
        for old_id, new_id in done.moved.items():
            source = live[old_id]
            values = {"response_id": response.id, "question_id": new_id, "value": source.value}
            db.session.execute(ANSWERS.insert().values(
                revision=1, updated_at=source.updated_at, updated_by_id=source.updated_by_id,
                prefilled_from_id=source.id, from_last_year=True, **values))
            db.session.execute(AnswerRevision.__table__.insert().values(
                revision=1, saved_at=source.updated_at, saved_by_id=source.updated_by_id,
                **values))
            count += 1
    return count


def confirm_prefilled(actor: User, response: Response, question_id: str | None = None) -> int:
    """The respondent (or an editor) keeps last year's answer as this year's: the "from last
    year" mark goes, the value and its history stay. All of them when `question_id` is None."""
    questionnaires.require_may_change_answers(actor, response)
    if not response.is_draft:
        raise ServiceError("These answers are finalised, so nothing can be confirmed.")
    marked = [Answer.response_id == response.id, Answer.from_last_year.is_(True)]
    if question_id is not None:
        marked.append(Answer.question_id == question_id)
    ids = list(db.session.scalars(select(Answer.question_id).where(*marked)))
    if not ids:
        return 0
    db.session.execute(update(Answer).where(*marked).values(from_last_year=False)
                       .execution_options(synchronize_session=False))
    record(actor, "confirm", response, f"Kept {len(ids)} answer{'s' if len(ids) != 1 else ''} "
           "from last year as they are", {"questions": sorted(ids)})
    db.session.commit()
    return len(ids)


# --- access for others of the authority ------------------------------------------------------


def require_may_share(actor: User, response: Response) -> None:
    if not (actor.is_staff or response.owner_id == actor.id):
        raise PermissionDenied("Only the respondent can say who else may see these answers.")


def access_list(actor: User, response: Response) -> list[ResponseAccess]:
    require_may_share(actor, response)
    stmt = (select(ResponseAccess).where(ResponseAccess.response_id == response.id)
            .order_by(ResponseAccess.revoked_at.is_not(None), ResponseAccess.granted_at))
    return list(db.session.scalars(stmt).unique())


def access_candidates(actor: User, response: Response) -> list[User]:
    """The active people of the response's authority, other than its respondent."""
    require_may_share(actor, response)
    stmt = (select(User).where(User.organisation_id == response.organisation_id,
                               User.is_active_account.is_(True), User.id != response.owner_id)
            .order_by(User.name))
    return list(db.session.scalars(stmt).unique())


def grant_access(actor: User, response: Response, person_id: int, level: AccessLevel) -> \
        ResponseAccess:
    require_may_share(actor, response)
    person = db.session.get(User, person_id)
    if person is None or not person.is_active_account:
        raise ServiceError("Choose a person of your authority.", "person_id")
    if person.organisation_id != response.organisation_id:
        raise ServiceError(f"{person.name} is not of {_org_name(response)}: only people of "
                           "the authority can be given access.", "person_id")
    if person.id == response.owner_id:
        raise ServiceError(f"{person.name} is the respondent and can change these answers "
                           "already.", "person_id")
    access = db.session.scalar(select(ResponseAccess).where(
        ResponseAccess.response_id == response.id, ResponseAccess.person_id == person.id))
    before = None if access is None or access.revoked_at else access.level.value
    if access is None:
        access = ResponseAccess(response_id=response.id, person_id=person.id, level=level,
                                granted_by_id=actor.id)
        db.session.add(access)
    else:
        access.level, access.revoked_at = level, None
        access.granted_by_id, access.granted_at = actor.id, utcnow()
    title = response.form_version.title
    record(actor, "grant_access", response, f"Gave {person.name} {level.label.lower()} "
           f"access to “{title}” for {_org_name(response)}",
           {"person": person.name, "level": [before, level.value]})
    response.__dict__.pop("_access_of", None)  # questionnaires.access_of's memo
    queue_email("cycle_access", "contributor", person.email,
                f"{actor.name} gave you access to “{title}”", person=person, actor=actor,
                level=level, title=title, organisation=_org_name(response),
                url=external_url("questionnaires.response", response_id=response.id))
    db.session.commit()
    return access


def revoke_access(actor: User, response: Response, access_id: int) -> ResponseAccess:
    require_may_share(actor, response)
    access = db.session.get(ResponseAccess, access_id)
    if access is None or access.response_id != response.id:
        raise NotFound("That person has no access to these answers.")
    if access.revoked_at is None:
        access.revoked_at = utcnow()
        response.__dict__.pop("_access_of", None)  # questionnaires.access_of's memo
        record(actor, "revoke_access", response, f"Took away {access.person.name}'s access "
               f"to “{response.form_version.title}”",
               {"person": access.person.name, "level": [access.level.value, None]})
        db.session.commit()
    return access


def _org_name(response: Response) -> str:
    return response.organisation.name if response.organisation else "the authority"


# --- sign-off and finalising -----------------------------------------------------------------


def may_sign_off(actor: User, response: Response) -> bool:
    """The authority's lead member and DCS sign off where the cycle asks for it."""
    cycle = cycle_of(response)
    return (cycle is not None and cycle.sign_off_required
            and actor.organisation_id == response.organisation_id
            and actor.org_role in SIGN_OFF_ROLES and actor.is_active_account)


@dataclass
class SignOffLine:
    role: OrgRole
    person: User | None  # who signs off for the role (the authority's person in it)
    signed: SignOff | None  # their latest sign-off, if any
    current: bool  # signed since the answers last changed

    @property
    def label(self) -> str:
        return ORG_ROLE_LABELS[self.role]


def last_change(response: Response) -> datetime | None:
    return db.session.scalar(select(func.max(Answer.updated_at)).where(
        Answer.response_id == response.id))


def sign_off_lines(response: Response) -> list[SignOffLine]:
    """Lead member and DCS: who they are and whether they have signed off the answers as
    they are now (a change after a sign-off, or reopening, asks for it again)."""
    changed = max((m for m in (last_change(response), response.reopened_at) if m is not None),
                  default=None)
    signed = {s.role: s for s in db.session.scalars(select(SignOff).where(
        SignOff.response_id == response.id, SignOff.withdrawn_at.is_(None)).order_by(
        SignOff.confirmed_at)).unique()}
    lines = []
    for role in SIGN_OFF_ROLES:
        person = people_in_role(role).get(response.organisation_id or 0)
        done = signed.get(role)
        current = done is not None and (changed is None or done.confirmed_at >= changed)
        lines.append(SignOffLine(role, person, done, current))
    return lines


def sign_off(actor: User, response: Response, now: datetime | None = None) -> SignOff:
    if not may_sign_off(actor, response):
        raise PermissionDenied("Only the authority's lead member and DCS sign off these "
                               "answers.")
    if not response.is_draft:
        raise ServiceError("These answers are finalised already.")
    require_open(response)
    if questionnaires.load(response).state.problems():
        raise ServiceError("Some answers are missing or need changing: they can be signed off "
                           "once every answer is ready.")
    assert actor.org_role is not None
    moment = now or utcnow()
    db.session.execute(update(SignOff).where(
        SignOff.response_id == response.id, SignOff.role == actor.org_role,
        SignOff.withdrawn_at.is_(None)).values(withdrawn_at=moment))
    done = SignOff(response_id=response.id, role=actor.org_role, person_id=actor.id,
                   confirmed_at=moment)
    db.session.add(done)
    record(actor, "sign_off", response, f"{actor.name} ({ORG_ROLE_LABELS[actor.org_role]}) "
           f"signed off “{response.form_version.title}” for {_org_name(response)} on "
           f"{format_date(moment.date())}", {"role": actor.org_role.value,
                                             "confirmed_at": moment})
    db.session.commit()
    return done


def finalise(actor: User, response: Response, now: datetime | None = None) -> None:
    """Finalise a cycle response: the respondent, once every sign-off the cycle asks for is
    there and is for the answers as they are."""
    cycle = cycle_of(response)
    if cycle is None:
        raise NotFound("There is no such response in a cycle.")
    if response.owner_id != actor.id:
        raise PermissionDenied("Only the respondent can finalise these answers.")
    require_open(response)
    if cycle.sign_off_required and response.is_draft:
        missing = [line for line in sign_off_lines(response) if not line.current]
        if missing:
            names = " and ".join(line.label.lower() for line in missing)
            raise ServiceError(f"Before finalising, the {names} must sign off the answers as "
                               "they are now.")
        record(actor, "signed_off", response, "Finalised with sign-off by " + ", ".join(
            f"{line.signed.person.name} on {format_date(line.signed.confirmed_at.date())}"
            for line in sign_off_lines(response) if line.signed is not None))
    questionnaires.finalise(actor, response, now, cycle_checked=True)


# --- reminders -------------------------------------------------------------------------------


def _send(response: Response, cycle: Cycle, kind: str, person: User,
          actor: User | None = None, today: date | None = None) -> None:
    """Queue the email of `kind` and its CycleReminderSent row (the caller commits)."""
    db.session.add(CycleReminderSent(response_id=response.id, kind=kind,
                                     sent_by_id=actor.id if actor else None))
    days_left = (cycle.finalise_by - (today or local_today())).days
    url = external_url("questionnaires.response", response_id=response.id)
    context: dict[str, Any] = {"person": person, "cycle": cycle, "url": url, "days_left": days_left,
               "organisation": _org_name(response), "title": cycle.form_version.title}
    if kind == rules.OPENED:
        queue_email("cycle_opened", "respondent", person.email,
                    f"Please complete “{cycle.name}” for {_org_name(response)} by "
                    f"{format_date(cycle.finalise_by)}", **context)
        return
    overdue = days_left < 0
    subject = (f"Overdue: “{cycle.name}” for {_org_name(response)} was due "
               f"{format_date(cycle.finalise_by)}" if overdue else
               f"Reminder: please finalise “{cycle.name}” by {format_date(cycle.finalise_by)}")
    queue_email("cycle_reminder", "respondent", person.email, subject, overdue=overdue,
                **context)
    record(actor, "remind", response, f"Reminded {person.name} ({_org_name(response)}) about "
           f"“{cycle.name}”", {"kind": kind})


def close_cycle(actor: User, cycle: Cycle, now: datetime | None = None) -> Cycle:
    """End a cycle: no more changes to its responses, no more reminders. Every response stays
    as it is and readable (a draft stays a draft); nothing is deleted."""
    require_staff(actor)
    if cycle.is_closed:
        raise ServiceError(f"“{cycle.name}” is closed already.")
    cycle.status, cycle.closed_at = CycleStatus.CLOSED, now or utcnow()
    cycle.closed_by_id = actor.id
    drafts = db.session.scalar(select(func.count(Response.id)).where(
        Response.cycle_id == cycle.id, Response.status == ResponseStatus.DRAFT)) or 0
    record(actor, "close", cycle, f"Closed the cycle “{cycle.name}”", {"drafts_left": drafts})
    db.session.commit()
    return cycle


def require_open(response: Response) -> None:
    """Answers, sign-off and finalising stop when the response's cycle is closed."""
    if questionnaires.in_closed_cycle(response):
        assert response.cycle is not None
        raise ServiceError(f"“{response.cycle.name}” is closed, so its answers can no longer "
                           "be changed.")


def remind_now(actor: User, cycle: Cycle, response_id: int, today: date | None = None) -> User:
    """The dashboard's button: one reminder to the respondent now (at most one a day)."""
    require_staff(actor)
    if cycle.is_closed:
        raise ServiceError(f"“{cycle.name}” is closed: no reminders are sent.")
    today = today or local_today()
    response = db.session.get(Response, response_id)
    if response is None or response.cycle_id != cycle.id:
        raise NotFound("That authority has no response in this cycle.")
    if not response.is_draft:
        raise ServiceError(f"{_org_name(response)} has finalised already: no reminder needed.")
    kind = rules.manual_kind(today)
    if db.session.scalar(select(CycleReminderSent.id).where(
            CycleReminderSent.response_id == response.id,
            CycleReminderSent.kind == kind)) is not None:
        raise ServiceError(f"{_org_name(response)} was sent a reminder today already.")
    try:
        _send(response, cycle, kind, response.owner, actor, today)
        db.session.commit()
    except IntegrityError:  # a second click won the race: that one was sent
        db.session.rollback()
        raise ServiceError(f"{_org_name(response)} was sent a reminder today already.") from None
    return response.owner


def tick(today: date | None = None) -> list[str]:
    """The cycles step of `tick`: the invitation on the open date, then 14, 7 and 1 days
    before the finalise-by date and once overdue, to each respondent not yet finalised.
    A CycleReminderSent row, unique per response and kind, makes each go once."""
    today = today or local_today()
    lines: list[str] = []
    stmt = (select(Response.id, Cycle.id, Cycle.opens_on, Cycle.finalise_by)
            .join(Cycle, Response.cycle_id == Cycle.id)
            .where(Cycle.status == CycleStatus.OPEN, Cycle.opens_on <= today,
                   Response.status == ResponseStatus.DRAFT)
            .order_by(Cycle.id, Response.id))
    rows = db.session.execute(stmt).all()
    sent = {(r.response_id, r.kind) for r in db.session.scalars(select(CycleReminderSent).where(
        CycleReminderSent.response_id.in_([row[0] for row in rows])))} if rows else set()
    for response_id, _cycle_id, opens_on, finalise_by in rows:
        for kind in (rules.OPENED, rules.reminder_due(finalise_by, today)):
            if kind is None or (response_id, kind) in sent:
                continue
            if kind == rules.OPENED and not rules.invitation_due(opens_on, today):
                continue
            response = db.session.get(Response, response_id)
            cycle = cycle_of(response) if response else None
            if response is None or cycle is None:
                continue
            try:
                _send(response, cycle, kind, response.owner, None, today)
                db.session.commit()
            except IntegrityError:  # another worker sent it first
                db.session.rollback()
                continue
            lines.append(f"Cycle {kind}: {response.owner.name} ({_org_name(response)}) for "
                         f"“{cycle.name}”")
    return lines


# --- the dashboard ---------------------------------------------------------------------------


@dataclass
class AuthorityRow:
    organisation: Organisation
    response: Response
    status: rules.AuthorityStatus
    sections_done: int
    sections_total: int
    last_activity: datetime | None
    last_reminder: datetime | None

    @property
    def percent(self) -> int:
        return rules.percent(self.sections_done, self.sections_total)


@dataclass
class Dashboard:
    cycle: Cycle
    rows: list[AuthorityRow]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def finalised(self) -> int:
        return self.count(rules.AuthorityStatus.FINALISED) + self.count(
            rules.AuthorityStatus.SHARED)

    @property
    def percent_finalised(self) -> int:
        return rules.percent(self.finalised, len(self.rows))

    @property
    def percent_sections(self) -> int:
        return rules.percent(sum(row.sections_done for row in self.rows),
                             sum(row.sections_total for row in self.rows))


def dashboard(actor: User, cycle: Cycle) -> Dashboard:
    """Every authority of the cycle: status, sections done, last activity and last reminder.
    Three queries whatever the number of authorities and answers (responses with their
    authority and owner; every answer's value and time; the latest reminder of each)."""
    require_staff(actor)
    return _dashboard(cycle)


def _dashboard(cycle: Cycle) -> Dashboard:
    responses = list(db.session.scalars(
        select(Response).where(Response.cycle_id == cycle.id)).unique())
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    latest: dict[int, datetime] = {}
    for response_id, question_id, value, updated_at in db.session.execute(
            select(ANSWERS.c.response_id, ANSWERS.c.question_id, ANSWERS.c.value,
                   ANSWERS.c.updated_at).join(Response, Response.id == ANSWERS.c.response_id)
            .where(Response.cycle_id == cycle.id)):
        answers[response_id][question_id] = value
        latest[response_id] = max(updated_at, latest.get(response_id, updated_at))
    reminded: dict[int, datetime] = {row[0]: row[1] for row in db.session.execute(
        select(CycleReminderSent.response_id, func.max(CycleReminderSent.sent_at))
        .join(Response, Response.id == CycleReminderSent.response_id)
        .where(Response.cycle_id == cycle.id, CycleReminderSent.kind != rules.OPENED)
        .group_by(CycleReminderSent.response_id))}
    definitions: dict[int, Definition | None] = {}
    rows = []
    for response in responses:
        if response.form_version_id not in definitions:
            definitions[response.form_version_id] = _definition(response.form_version)
        rows.append(_row(response, definitions[response.form_version_id],
                         answers.get(response.id, {}), latest.get(response.id),
                         reminded.get(response.id)))
    rows.sort(key=lambda row: row.organisation.name)
    return Dashboard(cycle, rows)


def _row(response: Response, definition: Definition | None, raw: dict[str, Any],
         latest: datetime | None, reminded: datetime | None) -> AuthorityRow:
    done = total = 0
    if definition is not None:
        state = FormState(definition, raw)
        statuses = [state.section_status(section.id) for section in definition.sections
                    if state.is_visible(section)]
        done, total = statuses.count("completed"), len(statuses)
    assert response.organisation is not None
    activity = max((m for m in (latest, response.finalised_at) if m is not None), default=None)
    status = rules.authority_status(len(raw), response.status == ResponseStatus.FINALISED,
                                    response.shared_at is not None)
    return AuthorityRow(response.organisation, response, status, done, total, activity,
                        reminded)


def status_lines(cycle: Cycle) -> list[str]:
    """`seslip cycle-status`: one line per authority, then the cycle's figure."""
    board = _dashboard(cycle)  # the command line: whoever runs it can read the database
    lines = [f"{cycle.name} (finalise by {format_date(cycle.finalise_by)})"]
    for row in board.rows:
        when = row.last_activity.strftime("%Y-%m-%d %H:%M") if row.last_activity else "none"
        lines.append(f"{row.organisation.name}: {row.status.label.lower()}, "
                     f"{row.sections_done} of {row.sections_total} sections, "
                     f"last activity {when}")
    lines.append(f"{board.finalised} of {len(board.rows)} authorities finalised "
                 f"({board.percent_finalised}%); {board.percent_sections}% of sections done.")
    return lines


def next_things(user: User, today: date) -> list[NextThing]:
    """For "My next things": each cycle response to finalise or sign off."""
    things = []
    for cycle, response in my_responses(user):
        if not response.is_draft or cycle.status != CycleStatus.OPEN or cycle.opens_on > today:
            continue
        if response.owner_id == user.id:
            text, url = f"Finalise “{cycle.name}” for {_org_name(response)}", external_url(
                "questionnaires.response", response_id=response.id)
        elif may_sign_off(user, response):
            text, url = f"Sign off “{cycle.name}” for {_org_name(response)}", external_url(
                "cycles.finalise", response_id=response.id)
        else:
            text, url = f"Help with “{cycle.name}” for {_org_name(response)}", external_url(
                "questionnaires.response", response_id=response.id)
        things.append(NextThing(cycle.finalise_by, text, url, "questionnaire"))
    return things
