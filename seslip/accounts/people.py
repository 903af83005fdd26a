"""People administration: invite, edit, deactivate and reactivate accounts (never delete).

Admins and the programme manager run it; only admins grant or change site roles.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select

from seslip.accounts import sessions, tokens
from seslip.accounts.models import OrgRole, SiteRole, TokenPurpose, User
from seslip.accounts.services import create_user, find_by_email, normalise_email
from seslip.audit.services import diff, record
from seslip.errors import PermissionDenied, ServiceError
from seslip.extensions import db
from seslip.notifications.services import queue_email
from seslip.organisations.models import Organisation
from seslip.permissions import require_staff
from seslip.records import get_or_raise
from seslip.timeutil import format_datetime, utcnow
from seslip.web import external_url


class PersonStatus(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


def status_of(user: User) -> PersonStatus:
    if not user.is_active_account:
        return PersonStatus.DEACTIVATED
    return PersonStatus.ACTIVE if user.password_hash else PersonStatus.INVITED


def organisations() -> list[Organisation]:
    """Authorities first, then partners, each by name: the order of every organisation select."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.kind,
                                                                  Organisation.name)))


def people_query(
    actor: User,
    search: str = "",
    organisation_id: int | None = None,
    org_role: OrgRole | None = None,
    status: PersonStatus | None = None,
) -> Select[tuple[User]]:
    require_staff(actor)
    stmt = select(User).order_by(User.name, User.id)
    if search.strip():
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(User.name.ilike(like), User.email.ilike(like)))
    if organisation_id:
        stmt = stmt.where(User.organisation_id == organisation_id)
    if org_role:
        stmt = stmt.where(User.org_role == org_role)
    if status == PersonStatus.DEACTIVATED:
        stmt = stmt.where(User.is_active_account.is_(False))
    elif status == PersonStatus.INVITED:
        stmt = stmt.where(User.is_active_account.is_(True), User.password_hash.is_(None))
    elif status == PersonStatus.ACTIVE:
        stmt = stmt.where(User.is_active_account.is_(True), User.password_hash.is_not(None))
    return stmt


def get_person(actor: User, user_id: int) -> User:
    require_staff(actor)
    user = get_or_raise(User, user_id, "There is no person with that number.")
    return user


def _check_site_role(actor: User, site_role: SiteRole) -> None:
    if site_role != SiteRole.MEMBER and not actor.is_admin:
        raise PermissionDenied("Only admins can make someone an admin or the programme manager.")


def _check_organisation(organisation_id: int | None) -> None:
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        raise ServiceError("Select an organisation from the list", "organisation_id")


def invite(
    actor: User,
    *,
    email: str,
    name: str,
    organisation_id: int | None,
    org_role: OrgRole | None,
    site_role: SiteRole = SiteRole.MEMBER,
    job_title: str = "",
    now: datetime | None = None,
) -> User:
    """Create the account without a password and email the person a link to set one."""
    require_staff(actor)
    _check_site_role(actor, site_role)
    _check_organisation(organisation_id)
    existing = find_by_email(email)
    if existing is not None:
        what = "deactivated" if not existing.is_active_account else "already has an account"
        raise ServiceError(
            f"{existing.name} <{existing.email}> {what}. Find them in the list of people "
            "instead of inviting them again.",
            "email",
        )
    user = create_user(
        actor,
        email=normalise_email(email),
        name=name,
        site_role=site_role,
        organisation_id=organisation_id,
        org_role=org_role,
        job_title=job_title,
        commit=False,
    )
    _send_invitation(actor, user, now)
    record(actor, "invite", user, f"Invited {user.name} <{user.email}>")
    db.session.commit()
    return user


def resend_invitation(actor: User, user: User, now: datetime | None = None) -> None:
    require_staff(actor)
    if status_of(user) != PersonStatus.INVITED:
        raise ServiceError(f"{user.name} has already set a password or is deactivated.")
    _send_invitation(actor, user, now)
    record(actor, "invite", user, f"Sent {user.name} a new invitation")
    db.session.commit()


def _send_invitation(actor: User, user: User, now: datetime | None) -> None:
    _, token = tokens.issue(user, TokenPurpose.INVITATION, actor=actor, now=now)
    # The outbox keeps the link without its secret: send-mail adds it (tokens.py).
    queue_email(
        "invitation",
        "invitee",
        user.email,
        "You are invited to the SESLIP Intranet",
        account_token=token,
        person=user,
        inviter=actor,
        link=external_url("accounts.accept_invitation", token=tokens.SECRET_PLACEHOLDER),
        expires=format_datetime(token.expires_at),
    )


def update_person(actor: User, user: User, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Change name, job title, organisation, roles. Returns what changed."""
    require_staff(actor)
    if user.is_staff and not actor.is_admin and user.id != actor.id:
        raise PermissionDenied("Only admins can change an admin's or programme manager's details.")
    values = dict(values)
    values["name"] = values.get("name", user.name).strip()
    values["job_title"] = values.get("job_title", user.job_title).strip()
    if not values["name"]:
        raise ServiceError("Enter the person's name", "name")
    new_role = values.get("site_role", user.site_role)
    if new_role != user.site_role:
        if not actor.is_admin:
            raise PermissionDenied("Only admins can change site roles.")
        if user.id == actor.id:
            raise ServiceError("You cannot change your own site role. Ask another admin.",
                               "site_role")
    _check_organisation(values.get("organisation_id"))
    changes = diff(user, values)
    if changes:
        record(actor, "update", user, f"Updated {user.name}", changes)
        db.session.commit()
    return changes


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (signs them out everywhere) or reactivate an account."""
    require_staff(actor)
    if user.id == actor.id:
        raise ServiceError("You cannot deactivate your own account. Ask another admin.")
    if user.is_staff and not actor.is_admin:
        raise PermissionDenied("Only admins can deactivate or reactivate an admin.")
    if user.is_active_account == active:
        return
    changes = diff(user, {"is_active_account": active})
    if active:
        record(actor, "reactivate", user, f"Reactivated {user.name}", changes)
    else:
        user.session_version = (user.session_version or 1) + 1
        sessions.end_all(user)
        tokens.invalidate(user, TokenPurpose.INVITATION, utcnow())
        tokens.invalidate(user, TokenPurpose.PASSWORD_RESET, utcnow())
        record(actor, "deactivate", user, f"Deactivated {user.name}", changes)
    db.session.commit()
