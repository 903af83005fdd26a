"""CLI commands of the organisations area."""

from seslip.cli import seslip_cli  # noqa: F401
