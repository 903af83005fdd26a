"""Password hashing with argon2id; the cost comes from config so tests can lower it."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 12


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["SESLIP_ARGON2_TIME_COST"],
        memory_cost=current_app.config["SESLIP_ARGON2_MEMORY_KIB"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        # Spend the same time as a real check so timing does not reveal unknown accounts.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """A message when a new password is too weak, else None."""
    if len(password) < MIN_LENGTH:
        return f"Your password must be at least {MIN_LENGTH} characters long"
    if password.strip() == "" or len(set(password)) < 4:
        return "Choose a password that is harder to guess"
    return None
