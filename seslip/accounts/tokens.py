"""Single-use, expiring links for invitations and password resets.

The email carries a secret; the database keeps only its SHA-256 and a random seed. The
secret is the HMAC of the seed under the app's SECRET_KEY, so neither a copy of the database
nor the outbox (which stores the email with `SECRET_PLACEHOLDER` in place of the secret)
holds a usable link: `send-mail` rebuilds the secret from the seed at the moment it hands
the email to the mail server, and then forgets the seed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from seslip.accounts.models import AccountToken, TokenPurpose, User
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.timeutil import utcnow

# Stands for the secret in a link stored in the outbox (URL-safe, so it survives url_for and
# HTML escaping unchanged); `send-mail` puts the real secret in its place.
SECRET_PLACEHOLDER = "secret-added-when-sent"  # noqa: S105 - a marker, not a secret


class TokenInvalid(ServiceError):
    """The link is unknown, expired or already used (the page says the same for all three)."""


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def lifetime(purpose: TokenPurpose) -> timedelta:
    config = current_app.config
    if purpose == TokenPurpose.INVITATION:
        return timedelta(days=config.get("SESLIP_INVITATION_DAYS", 7))
    return timedelta(hours=config.get("SESLIP_RESET_HOURS", 1))


def issue(
    user: User, purpose: TokenPurpose, actor: User | None = None, now: datetime | None = None
) -> tuple[str, AccountToken]:
    """A new token (secret, row) added to the session; older unused ones stop working.

    The caller commits, together with the email carrying the secret.
    """
    now = now or utcnow()
    invalidate(user, purpose, now)
    seed = secrets.token_urlsafe(32)
    secret = secret_from_seed(seed)
    token = AccountToken(
        purpose=purpose,
        user_id=user.id,
        token_hash=hash_token(secret),
        seed=seed,
        created_at=now,
        expires_at=now + lifetime(purpose),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(token)
    return secret, token


def secret_from_seed(seed: str) -> str:
    """The link's secret: only a holder of SECRET_KEY can compute it from the stored seed."""
    key = str(current_app.secret_key).encode()
    digest = hmac.new(key, b"seslip account link\0" + seed.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def secret_for_email(token: AccountToken | None, now: datetime | None = None) -> str | None:
    """The secret to put into the email at sending, or None if the link can no longer work.

    None when the seed has been forgotten (the email went already), the token was used,
    replaced or has expired, or SECRET_KEY changed since it was issued.
    """
    now = now or utcnow()
    if token is None or not token.seed or token.used_at is not None or token.expires_at <= now:
        return None
    secret = secret_from_seed(token.seed)
    return secret if hmac.compare_digest(hash_token(secret), token.token_hash) else None


def invalidate(user: User, purpose: TokenPurpose, now: datetime) -> None:
    """End every unused token of this purpose (they count as used from now on)."""
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )


def find_valid(secret: str, purpose: TokenPurpose, now: datetime | None = None) -> AccountToken:
    """The live token for this secret, or TokenInvalid."""
    now = now or utcnow()
    wanted = hash_token(secret)
    token = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == wanted, AccountToken.purpose == purpose
        )
    )
    if (
        token is None
        or not hmac.compare_digest(token.token_hash, wanted)
        or token.used_at is not None
        or token.expires_at <= now
        or not token.user.is_active_account
    ):
        raise TokenInvalid("This link has expired or has already been used")
    return token


def spend(token: AccountToken, now: datetime | None = None) -> None:
    """Mark used, in the caller's transaction (the one that sets the password).

    A conditional UPDATE, so of two requests racing with the same link only one wins.
    """
    now = now or utcnow()
    result = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise TokenInvalid("This link has expired or has already been used")
