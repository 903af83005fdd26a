"""CLI commands of the accounts area: `flask --app app seslip create-admin`."""

from __future__ import annotations

import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from seslip.accounts import services
from seslip.accounts.models import SiteRole
from seslip.audit.services import assign, record
from seslip.errors import ServiceError
from seslip.extensions import db


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password")


@click.command("create-admin")
@with_appcontext
@click.option("--email", prompt="Email address", help="The admin's email address.")
@click.option("--name", prompt="Full name", help="The admin's full name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--promote", is_flag=True, help="Make an existing person an admin.")
def create_admin(email: str, name: str, password_stdin: bool, promote: bool) -> None:
    """Create an admin account (or, with --promote, make an existing person an admin)."""
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.ClickException(f"{email!r} is not a valid email address: {error}") from error
    existing = services.find_by_email(email)
    if existing is not None:
        if existing.site_role == SiteRole.ADMIN:
            click.echo(f"{existing.name} <{existing.email}> is already an admin. Nothing changed.")
        elif promote:
            changes = assign(existing, {"site_role": SiteRole.ADMIN})
            record(None, "update", existing, f"Made {existing.name} an admin (command line)",
                   changes)
            db.session.commit()
            click.echo(f"{existing.name} <{existing.email}> is now an admin.")
        else:
            click.echo(
                f"{existing.name} <{existing.email}> already has an account "
                f"({existing.site_role.value}). Run again with --promote to make them an admin."
            )
        return
    password = _read_password(password_stdin)
    try:
        services.check_new_password(password)
    except ServiceError as error:
        raise click.ClickException(f"{error.message}. Nothing was created.") from error
    user = services.create_user(
        None, email=email, name=name, site_role=SiteRole.ADMIN, password=password
    )
    click.echo(f"Created admin {user.name} <{user.email}>. They can sign in now.")
