"""Signing in slows guessers down without locking the rightful owner out (issue 15, item 6)."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from seslip.accounts import ratelimit, services
from seslip.accounts.models import AttemptKind, LoginAttempt, LoginThrottle
from seslip.accounts.ratelimit import RateLimited
from seslip.extensions import db
from seslip.timeutil import utcnow
from tests.support.factories import PASSWORD, csrf_token, make_admin, make_user

OFFICE = "192.0.2.7"  # one address shared by many people (a council's network)
ATTACKER = "203.0.113.9"


def browser(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in(client: FlaskClient, email: str, password: str = "not the password!") -> int:
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token}).status_code


def password_checks(email: str | None = None) -> int:
    """Sign-in attempts that reached the password check (refused ones are not recorded)."""
    stmt = select(func.count(LoginAttempt.id)).where(LoginAttempt.kind == AttemptKind.LOGIN)
    if email:
        stmt = stmt.where(LoginAttempt.email == email)
    return db.session.scalar(stmt) or 0


def test_wrong_guesses_at_a_named_account_do_not_keep_its_owner_out(app: Flask) -> None:
    councillor = make_user("councillor@example.org")
    assert sign_in(browser(app, "198.51.100.4"), councillor.email, PASSWORD) == 302  # usual place
    attacker = browser(app, ATTACKER)
    answers = [sign_in(attacker, councillor.email) for _ in range(8)]
    assert answers == [422] * 5 + [429] * 3
    # From where they have signed in before, the councillor's password still works at once.
    assert sign_in(browser(app, "198.51.100.4"), councillor.email, PASSWORD) == 302


def test_a_busy_shared_address_lets_people_who_signed_in_from_it_through(app: Flask) -> None:
    admin = make_admin(email="admin@example.org")
    assert sign_in(browser(app, OFFICE), admin.email, PASSWORD) == 302
    someone = browser(app, OFFICE)
    for n in range(20):
        assert sign_in(someone, f"guess{n}@example.org") == 422
    assert sign_in(someone, "guess20@example.org") == 429
    # The admin behind the same address is not locked out with the guesser.
    assert sign_in(browser(app, OFFICE), admin.email, PASSWORD) == 302


def test_each_further_check_waits_longer_and_then_the_owner_gets_in(app: Flask) -> None:
    make_user("ada@example.org")
    start = utcnow()
    for _ in range(5):  # free checks
        assert services.authenticate("ada@example.org", "wrong", ATTACKER, now=start) is None
    waits = []
    now = start
    for _ in range(4):
        with pytest.raises(RateLimited) as limited:
            services.authenticate("ada@example.org", PASSWORD, "10.0.0.1", now=now)
        waits.append(limited.value.wait_seconds)
        now += timedelta(seconds=limited.value.wait_seconds)
        assert services.authenticate("ada@example.org", "wrong", ATTACKER, now=now) is None
    assert waits == [15, 30, 60, 120]
    with pytest.raises(RateLimited, match="Wait 4 minutes"):
        services.authenticate("ada@example.org", PASSWORD, "10.0.0.1", now=now)
    # The wait is before the check: waiting it out lets the right password in, from anywhere.
    now += timedelta(minutes=4)
    assert services.authenticate("ada@example.org", PASSWORD, "10.0.0.1", now=now) is not None
    # ... which clears the account's count.
    for _ in range(5):
        assert services.authenticate("ada@example.org", "wrong", ATTACKER, now=now) is None


def test_delays_are_capped_at_fifteen_minutes() -> None:
    assert ratelimit.delay_after(4, 5) == timedelta(0)
    assert ratelimit.delay_after(5, 5) == timedelta(seconds=15)
    assert ratelimit.delay_after(60, 5) == timedelta(minutes=15)


def test_wrong_guesses_from_a_known_address_are_limited_too(app: Flask) -> None:
    ada = make_user("ada@example.org")
    assert sign_in(browser(app, OFFICE), ada.email, PASSWORD) == 302
    colleague = browser(app, OFFICE)
    assert [sign_in(colleague, ada.email) for _ in range(7)] == [422] * 5 + [429] * 2


@pytest.mark.parametrize("target", ["one-account", "many-accounts"])
def test_parallel_guesses_never_get_more_checks_than_the_limit(app: Flask, target: str) -> None:
    """Threads start together, each with its own connection; the claim is one statement."""
    make_user("ada@example.org")
    guesses = 30
    emails = (["ada@example.org"] * guesses if target == "one-account"
              else [f"guess{n}@example.org" for n in range(guesses)])
    limit = ratelimit.PER_ACCOUNT if target == "one-account" else ratelimit.PER_ADDRESS
    barrier = threading.Barrier(guesses)

    def guess(email: str) -> int:
        client = browser(app, ATTACKER)
        token = csrf_token(client, "/login")
        barrier.wait(timeout=60)
        return client.post("/login", data={"email": email, "password": "a wrong guess!",
                                           "csrf_token": token}).status_code

    with ThreadPoolExecutor(max_workers=guesses) as pool:
        answers = list(pool.map(guess, emails))
    db.session.rollback()  # read what the threads committed
    assert password_checks() == answers.count(422) == limit
    assert answers.count(429) == guesses - limit


def _throttle_keys() -> int:
    return db.session.scalar(select(func.count()).select_from(LoginThrottle)) or 0


def test_idle_throttle_keys_are_pruned_and_busy_ones_kept(app: Flask) -> None:
    make_user("ada@example.org")
    start = utcnow()
    for _ in range(6):  # five free checks, then one that must wait
        with contextlib.suppress(RateLimited):
            services.authenticate("ada@example.org", "wrong", ATTACKER, now=start)
    kept = _throttle_keys()
    assert kept >= 2  # the account's key and the address's key
    assert ratelimit.prune_throttles(start + timedelta(minutes=1)) == 0  # still counting
    assert _throttle_keys() == kept
    assert ratelimit.prune_throttles(start + timedelta(minutes=16)) == kept
    assert _throttle_keys() == 0
    # Pruning changes nothing a guesser could use: the count starts again as it would have.
    later = start + timedelta(minutes=16)
    for _ in range(5):
        assert services.authenticate("ada@example.org", "wrong", ATTACKER, now=later) is None
    with pytest.raises(RateLimited):
        services.authenticate("ada@example.org", "wrong", ATTACKER, now=later)
