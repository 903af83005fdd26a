"""CLI commands of the accounts area."""

from seslip.cli import seslip_cli  # noqa: F401
