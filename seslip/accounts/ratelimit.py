"""Rate limits on signing in and on password-reset requests, counted in the database.

A table rather than process memory, so every worker agrees.

Signing in slows down rather than locks out. Each password check is first claimed from a
throttle key by one conditional upsert, before the check, so parallel guesses can never get
more checks than the key allows. A key's first checks are free; after that each must wait
longer than the last (15 seconds, doubling to at most 15 minutes); a key left alone for the
window starts again. A correct password clears the account's key and gives the address back
its check, so a busy shared address is not slowed by people signing in successfully.

Which keys: someone signing in from an address that has signed in to that account before is
counted on their own (account, address) key only, so a stranger's wrong guesses at the account,
or a colleague's behind the same address, cannot keep them out. Anyone else is counted on both
the account key and the address key.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from seslip.accounts.models import AttemptKind, LoginAttempt, LoginThrottle
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.timeutil import utcnow

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5  # free password checks for one account from addresses it is not known at
PER_ADDRESS = 20  # free password checks from one address, or reset requests from it
PER_KNOWN = 5  # free password checks for an account from an address it has signed in from
RESETS_PER_ACCOUNT = 3  # reset emails to one person; more are silently not sent
FIRST_DELAY = timedelta(seconds=15)
LONGEST_DELAY = timedelta(minutes=15)
KNOWN_FOR = timedelta(days=180)  # how long a successful sign-in makes an address known
ADDRESS = "address:"  # the prefix of address keys
ALWAYS_DUE = datetime(2000, 1, 1)  # the next check time of a key with free checks left


class RateLimited(ServiceError):
    def __init__(self, message: str, wait_seconds: int) -> None:
        super().__init__(message, "email")
        self.wait_seconds = wait_seconds


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


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    return _minutes(math.ceil(seconds / 60))


def delay_after(checks: int, free: int) -> timedelta:
    """How long the next check must wait after `checks` checks on a key with `free` free ones."""
    if checks < free:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** min(checks - free, 16), LONGEST_DELAY)


def _upsert(dialect: str):  # type: ignore[no-untyped-def]
    return (postgresql if dialect == "postgresql" else sqlite).insert(LoginThrottle)


def _claim(key: str, free: int, now: datetime) -> bool:
    """Take one password check from `key`, or return False (changing nothing) if it must wait.

    One statement, so it is atomic on both databases: the row is created, or updated only
    where its next check is due; RETURNING tells which happened. A free check leaves the due
    time alone, so a request that read the clock a moment before another is not refused.
    """
    quiet = LoginThrottle.last_check_at <= now - WINDOW  # left alone long enough: start again
    so_far = case((quiet, 0), else_=LoginThrottle.checks)

    def due(n: int) -> Any:  # when the check after the n-th may be made
        wait = delay_after(n, free)
        return now + wait if wait else LoginThrottle.next_check_at

    first = delay_after(1, free)
    stmt = (
        _upsert(db.session.get_bind().dialect.name)
        .values(key=key, checks=1, last_check_at=now,
                next_check_at=now + first if first else ALWAYS_DUE)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={
                "checks": so_far + 1,
                "last_check_at": now,
                "next_check_at": case({n: due(n + 1) for n in range(free + 8)}, value=so_far,
                                      else_=now + LONGEST_DELAY),
            },
            where=LoginThrottle.next_check_at <= now,
        )
        .returning(LoginThrottle.checks)
    )
    return db.session.execute(stmt).first() is not None


def _refuse(key: str, now: datetime) -> RateLimited:
    due = db.session.scalar(select(LoginThrottle.next_check_at).where(LoginThrottle.key == key))
    db.session.commit()
    seconds = max(1, math.ceil(((due or now) - now).total_seconds()))
    return RateLimited(
        f"Too many failed sign-in attempts. Wait {_wait_text(seconds)} and try again, "
        "or reset your password.",
        seconds,
    )


def is_known(email: str, ip_address: str, now: datetime) -> bool:
    """Has someone signed in to this account from this address lately?"""
    if not ip_address:
        return False
    return db.session.scalar(
        select(LoginAttempt.id)
        .where(
            LoginAttempt.email == email,
            LoginAttempt.at > now - KNOWN_FOR,
            LoginAttempt.kind == AttemptKind.LOGIN,
            LoginAttempt.succeeded.is_(True),
            LoginAttempt.ip_address == ip_address[:45],
        )
        .limit(1)
    ) is not None


def claim_login(email: str, ip_address: str, now: datetime) -> list[str]:
    """Claim one password check for signing in to `email` from `ip_address` and commit it.

    Raises RateLimited (nothing checked) when a key must wait. Returns the keys claimed, for
    `forgive` after a correct password.
    """
    if is_known(email, ip_address, now):
        claims = [(f"known:{email}|{ip_address}"[:400], PER_KNOWN)]
    else:
        claims = [(ADDRESS + ip_address[:45], PER_ADDRESS), (f"account:{email}"[:400], PER_ACCOUNT)]
    for key, free in claims:
        if not _claim(key, free, now):
            raise _refuse(key, now)
    db.session.commit()  # visible to every other worker before the (slow) password check
    return [key for key, _ in claims]


def forgive(keys: list[str]) -> None:
    """A correct password is not held against the address, and clears the account's count.

    In the caller's transaction.
    """
    for key in keys:
        if key.startswith(ADDRESS):  # others behind the address: give back this one check
            values: dict[str, Any] = {"checks": LoginThrottle.checks - 1}
        else:
            values = {"checks": 0, "next_check_at": ALWAYS_DUE}
        db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key, LoginThrottle.checks > 0)
            .values(**values)
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
            f"Too many password reset requests. Wait {_minutes(wait)} and try again.", wait * 60
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


def prune_throttles(now: datetime) -> int:
    """Delete the keys left alone long enough to start again: they would count from zero
    anyway, and without this every address that ever tried a password keeps a row."""
    stmt = delete(LoginThrottle).where(
        LoginThrottle.last_check_at <= now - WINDOW, LoginThrottle.next_check_at <= now
    )
    removed = db.session.execute(stmt).rowcount or 0  # type: ignore[attr-defined]
    db.session.commit()
    return int(removed)


def tick(today: date) -> list[str]:
    """The accounts step of `seslip tick`: tidy the sign-in throttle (it sends nothing)."""
    removed = prune_throttles(utcnow())
    return [f"Sign-in throttle: {removed} idle key(s) removed."] if removed else []
