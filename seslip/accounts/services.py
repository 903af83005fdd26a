"""Account logic: signing in, passwords, invitations accepted, resets. Plain functions, no request.

Functions that take `now` let tests move time without sleeping or patching.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select

from seslip.accounts import ratelimit, sessions, tokens
from seslip.accounts.models import AccountToken, AttemptKind, OrgRole, SiteRole, TokenPurpose, User
from seslip.accounts.passwords import hash_password, password_problem, verify_password
from seslip.audit.services import record
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.notifications.services import queue_email
from seslip.timeutil import format_datetime, utcnow
from seslip.web import external_url


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(
    email: str, password: str, ip_address: str = "", now: datetime | None = None
) -> User | None:
    """The active user with this email and password, or None (same cost either way).

    Raises RateLimited, checking nothing, while the account or address must wait (see
    ratelimit.py: the check is claimed first, so parallel guesses cannot exceed the limit).
    """
    now = now or utcnow()
    email = normalise_email(email)
    throttle_keys = ratelimit.claim_login(email, ip_address, now)
    user = find_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    succeeded = user is not None and ok and user.is_active
    ratelimit.note(AttemptKind.LOGIN, email, ip_address, now, succeeded=succeeded)
    if not succeeded or user is None:
        db.session.commit()
        return None
    ratelimit.forgive(throttle_keys)
    user.last_login_at = now
    record(user, "login", user, f"{user.name} signed in", {"ip_address": ip_address})
    db.session.commit()
    return user


def sign_out(user: User | None, secret: str | None) -> None:
    """End this browser's session on the server, so that a copy of its cookie stops working."""
    if secret:
        sessions.end(secret)
    if user is not None:
        record(user, "logout", user, f"{user.name} signed out")
    db.session.commit()


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
        job_title=job_title.strip(),
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
         "organisation_id": organisation_id, "org_role": org_role, "job_title": user.job_title},
    )
    if commit:
        db.session.commit()
    return user


def check_new_password(password: str, confirmation: str | None = None) -> None:
    problem = password_problem(password)
    if problem:
        raise ServiceError(problem, "password")
    if confirmation is not None and password != confirmation:
        raise ServiceError("The passwords do not match", "confirm")


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    # Signs out everywhere: the caller starts a new session for this browser.
    user.session_version = (user.session_version or 1) + 1
    sessions.end_all(user)


def _spend_token_on_password(
    secret: str,
    purpose: TokenPurpose,
    password: str,
    confirmation: str,
    now: datetime | None,
) -> tuple[User, datetime]:
    """Check the link and the new password, use the link up and set the password (no commit)."""
    now = now or utcnow()
    token = tokens.find_valid(secret, purpose, now)
    check_new_password(password, confirmation)
    tokens.spend(token, now)
    user = token.user
    _set_password(user, password)
    user.last_login_at = now
    return user, now


# Invitations -------------------------------------------------------------------------------


def invitation_for(secret: str, now: datetime | None = None) -> User:
    """The invited person behind a live invitation link (TokenInvalid otherwise)."""
    return tokens.find_valid(secret, TokenPurpose.INVITATION, now).user


def accept_invitation(
    secret: str, password: str, confirmation: str, now: datetime | None = None
) -> User:
    user, _ = _spend_token_on_password(secret, TokenPurpose.INVITATION, password, confirmation, now)
    record(user, "invitation_accepted", user, f"{user.name} accepted their invitation")
    db.session.commit()
    return user


# Password reset ----------------------------------------------------------------------------


def request_password_reset(email: str, ip_address: str = "", now: datetime | None = None) -> None:
    """Email a reset link if the address belongs to an account; say nothing either way.

    The same work is done whether or not the account exists, so neither the answer nor its
    timing tells a stranger who has an account: the same queries, a token issued and hashed,
    the email rendered and queued. When no email is due (no such account, deactivated, or
    three sent lately) that work is done for a stand-in account and undone at a savepoint.
    RateLimited is per address only.
    """
    now = now or utcnow()
    email = normalise_email(email)
    ratelimit.check_reset_request(ip_address, now)
    ratelimit.note(AttemptKind.PASSWORD_RESET, email, ip_address, now)
    person = _person_or_stand_in(email)
    too_many = ratelimit.recent_resets_for(email, now) > ratelimit.RESETS_PER_ACCOUNT
    if person is not None:  # None only before the first account exists: nothing to tell
        due = normalise_email(person.email) == email and person.is_active_account and not too_many
        savepoint = db.session.begin_nested()
        _, token = tokens.issue(person, TokenPurpose.PASSWORD_RESET, now=now)
        _queue_reset_email(person, token)
        db.session.flush()
        if due:
            savepoint.commit()
        else:
            savepoint.rollback()
    db.session.commit()


def _person_or_stand_in(email: str) -> User | None:
    """The account with this address, else the first account: one query, the same either way."""
    wanted = func.lower(User.email) == email
    first = select(func.min(User.id)).scalar_subquery()
    return db.session.scalar(
        select(User).where(or_(wanted, User.id == first)).order_by(wanted.desc()).limit(1)
    )


def _queue_reset_email(user: User, token: AccountToken) -> None:
    # The outbox keeps the link without its secret: send-mail adds it (tokens.py).
    queue_email(
        "password_reset",
        "person",
        user.email,
        "Reset your SESLIP Intranet password",
        account_token=token,
        person=user,
        link=external_url("accounts.reset_password", token=tokens.SECRET_PLACEHOLDER),
        expires=format_datetime(token.expires_at),
    )


def reset_for(secret: str, now: datetime | None = None) -> User:
    return tokens.find_valid(secret, TokenPurpose.PASSWORD_RESET, now).user


def reset_password(
    secret: str, password: str, confirmation: str, now: datetime | None = None
) -> User:
    user, now = _spend_token_on_password(
        secret, TokenPurpose.PASSWORD_RESET, password, confirmation, now
    )
    # A reset proves the person owns the address, so a pending invitation is settled too.
    tokens.invalidate(user, TokenPurpose.INVITATION, now)
    record(user, "password_reset", user, f"{user.name} reset their password")
    db.session.commit()
    return user


def change_password(user: User, current: str, password: str, confirmation: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError("Your current password is not correct", "current")
    check_new_password(password, confirmation)
    if password == current:
        raise ServiceError("Your new password must be different from your current one", "password")
    _set_password(user, password)
    record(user, "password_change", user, f"{user.name} changed their password")
    db.session.commit()
