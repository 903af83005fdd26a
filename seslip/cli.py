"""`flask --app app seslip <command>`: every command calls the same services as the web pages."""

from __future__ import annotations

from flask.cli import AppGroup

seslip_cli = AppGroup("seslip", help="SESLIP Intranet commands.")

# Each area adds its commands to the group when imported.
from seslip.accounts import cli as _accounts_cli  # noqa: E402, F401
from seslip.networks import cli as _networks_cli  # noqa: E402, F401
from seslip.notifications import cli as _notifications_cli  # noqa: E402, F401
from seslip.organisations import cli as _organisations_cli  # noqa: E402, F401
from seslip.questionnaires import cli as _questionnaires_cli  # noqa: E402, F401
