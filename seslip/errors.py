"""Exceptions that services raise and views turn into pages and messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A request that breaks a rule; `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(ServiceError):
    """The person may not do this. Views answer 403."""


class NotFound(ServiceError):
    """The record does not exist (or the person may not know it does). Views answer 404."""
