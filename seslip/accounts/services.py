"""Account logic: authentication, creating people. Plain functions, no request."""

from __future__ import annotations

from sqlalchemy import func, select

from seslip.accounts.models import OrgRole, SiteRole, User
from seslip.accounts.passwords import hash_password, verify_password
from seslip.audit.services import record
from seslip.extensions import db
from seslip.timeutil import utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same cost either way)."""
    user = find_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    site_role: SiteRole = SiteRole.MEMBER,
    organisation_id: int | None = None,
    org_role: OrgRole | None = None,
    job_title: str = "",
    password: str | None = None,
    commit: bool = True,
) -> User:
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        site_role=site_role,
        organisation_id=organisation_id,
        org_role=org_role,
        job_title=job_title,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    record(
        actor,
        "create",
        user,
        f"Added {user.name} <{user.email}>",
        {"email": user.email, "name": user.name, "site_role": site_role,
         "organisation_id": organisation_id, "org_role": org_role},
    )
    if commit:
        db.session.commit()
    return user
