"""Exceptions that services raise and views turn into pages and messages.

Three siblings under one base, so each is caught for what it is: a view catches ServiceError
to show the message beside the form, while PermissionDenied and NotFound go past it to the
handlers that answer 403 and 404.
"""

from __future__ import annotations


class Refusal(Exception):
    """A service refused a request; `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ServiceError(Refusal):
    """A request that breaks a rule. Views show the message with the typed values kept."""


class PermissionDenied(Refusal):
    """The person may not do this. Views answer 403."""


class NotFound(Refusal):
    """The record does not exist (or the person may not know it does). Views answer 404."""
