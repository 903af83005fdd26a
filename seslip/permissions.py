"""Site-wide authorization checks used by services (views never decide on their own)."""

from __future__ import annotations

from seslip.accounts.models import User
from seslip.errors import PermissionDenied


def require(condition: bool, message: str = "You do not have permission to do that.") -> None:
    if not condition:
        raise PermissionDenied(message)


def require_staff(user: User | None) -> None:
    """Admins and the programme manager."""
    require(
        user is not None and user.is_staff,
        "Only admins and the programme manager can do that.",
    )
