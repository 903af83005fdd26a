"""Signed-in sessions kept on the server, so that signing out ends every copy of the cookie.

The Flask session cookie carries a random secret under SESSION_KEY; the database keeps only its
SHA-256 (as tokens.py does for emailed links). The person is loaded together with their live
session in one indexed query, so the check costs nothing beyond the person load it replaces.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select, update

from seslip.accounts.models import SignedInSession, User
from seslip.accounts.tokens import hash_token
from seslip.extensions import db
from seslip.timeutil import utcnow

SESSION_KEY = "sid"


def start(user: User, ip_address: str = "", now: datetime | None = None) -> str:
    """A new live session for `user` (committed); returns the secret for the cookie."""
    secret = secrets.token_urlsafe(32)
    db.session.add(
        SignedInSession(
            user_id=user.id,
            token_hash=hash_token(secret),
            ip_address=ip_address[:45],
            created_at=now or utcnow(),
        )
    )
    db.session.commit()
    return secret


def signed_in_user(user_id: int, secret: str) -> User | None:
    """The person, if `secret` is one of their sessions that has not ended."""
    return db.session.scalar(
        select(User)
        .join(SignedInSession, SignedInSession.user_id == User.id)
        .where(
            SignedInSession.token_hash == hash_token(secret),
            SignedInSession.ended_at.is_(None),
            User.id == user_id,
        )
    )


def end(secret: str, now: datetime | None = None) -> None:
    """End the session with this secret, if it is live (in the caller's transaction)."""
    db.session.execute(
        update(SignedInSession)
        .where(SignedInSession.token_hash == hash_token(secret), SignedInSession.ended_at.is_(None))
        .values(ended_at=now or utcnow())
    )


def end_all(user: User, now: datetime | None = None) -> None:
    """Sign `user` out everywhere (in the caller's transaction)."""
    db.session.execute(
        update(SignedInSession)
        .where(SignedInSession.user_id == user.id, SignedInSession.ended_at.is_(None))
        .values(ended_at=now or utcnow())
    )
