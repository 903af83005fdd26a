"""`flask seslip create-admin`, through Click's runner and the real services."""

from __future__ import annotations

from sqlalchemy import select

from seslip.accounts.models import SiteRole, User
from seslip.accounts.services import authenticate
from seslip.extensions import db
from tests.support.factories import make_user

GOOD = "long enough passphrase"


def test_creates_an_admin_with_password_from_stdin(runner) -> None:
    result = runner.invoke(args=["seslip", "create-admin", "--email", "Boss@Example.org",
                                 "--name", "Bo Boss", "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    assert "Created admin Bo Boss <boss@example.org>" in result.output
    user = authenticate("boss@example.org", GOOD)
    assert user is not None and user.site_role == SiteRole.ADMIN


def test_prompts_twice_for_the_password(runner) -> None:
    result = runner.invoke(args=["seslip", "create-admin", "--email", "a@example.org",
                                 "--name", "A"], input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat the password" in result.output
    assert GOOD not in result.output  # hidden input


def test_refuses_a_weak_password(runner) -> None:
    result = runner.invoke(args=["seslip", "create-admin", "--email", "a@example.org",
                                 "--name", "A", "--password-stdin"], input="short\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert db.session.scalar(select(User)) is None


def test_existing_person_is_promoted_only_when_asked(runner) -> None:
    make_user("m@example.org", name="Mo Member")
    args = ["seslip", "create-admin", "--email", "m@example.org", "--name", "Mo"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0
    assert "already has an account (member). Run again with --promote" in result.output
    result = runner.invoke(args=[*args, "--promote"])
    assert "is now an admin" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(User.site_role)) == SiteRole.ADMIN
    again = runner.invoke(args=[*args, "--promote"])
    assert "is already an admin. Nothing changed." in again.output
