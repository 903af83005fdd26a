"""CLI commands of the notifications area."""

from seslip.cli import seslip_cli  # noqa: F401
