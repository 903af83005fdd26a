"""Rate limits on signing in and on password-reset requests, counted in the database.

A table rather than process memory, so every worker agrees; both lookups use an index on
(email, at) or (ip_address, at).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select

from seslip.accounts.models import AttemptKind, LoginAttempt
from seslip.errors import ServiceError
from seslip.extensions import db

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5  # failed sign-ins for one email address
PER_ADDRESS = 20  # failed sign-ins, or reset requests, from one IP address
RESETS_PER_ACCOUNT = 3  # reset emails to one person; more are silently not sent


class RateLimited(ServiceError):
    def __init__(self, message: str, wait_minutes: int) -> None:
        super().__init__(message, "email")
        self.wait_minutes = wait_minutes


def _wait(condition: ColumnElement[bool], limit: int, now: datetime) -> int:
    """Minutes until fewer than `limit` matching attempts remain in the window; 0 if already."""
    stmt = (
        select(LoginAttempt.at)
        .where(condition, LoginAttempt.at > now - WINDOW)
        .order_by(LoginAttempt.at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    oldest_that_counts = db.session.scalar(stmt)
    if oldest_that_counts is None:
        return 0
    return max(1, math.ceil((oldest_that_counts + WINDOW - now).total_seconds() / 60))


def _minutes(n: int) -> str:
    return "1 minute" if n == 1 else f"{n} minutes"


def check_login(email: str, ip_address: str, now: datetime) -> None:
    failed = (LoginAttempt.kind == AttemptKind.LOGIN) & LoginAttempt.succeeded.is_(False)
    wait = max(
        _wait(failed & (LoginAttempt.email == email), PER_ACCOUNT, now),
        _wait(failed & (LoginAttempt.ip_address == ip_address), PER_ADDRESS, now),
    )
    if wait:
        raise RateLimited(
            f"Too many failed sign-in attempts. Wait {_minutes(wait)} and try again, "
            "or reset your password.",
            wait,
        )


def check_reset_request(ip_address: str, now: datetime) -> None:
    wait = _wait(
        (LoginAttempt.kind == AttemptKind.PASSWORD_RESET)
        & (LoginAttempt.ip_address == ip_address),
        PER_ADDRESS,
        now,
    )
    if wait:
        raise RateLimited(
            f"Too many password reset requests. Wait {_minutes(wait)} and try again.", wait
        )


def recent_resets_for(email: str, now: datetime) -> int:
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.kind == AttemptKind.PASSWORD_RESET,
            LoginAttempt.email == email,
            LoginAttempt.at > now - WINDOW,
        )
    ) or 0


def note(
    kind: AttemptKind, email: str, ip_address: str, now: datetime, succeeded: bool = False
) -> None:
    db.session.add(
        LoginAttempt(
            kind=kind, email=email[:320], ip_address=ip_address[:45], at=now, succeeded=succeeded
        )
    )
