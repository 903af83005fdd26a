"""The form engine's audience roles are the app's organisation roles, so they cannot drift."""

from __future__ import annotations

from seslip.accounts.models import OrgRole
from seslip.formengine.model import AUDIENCE_ROLES, STAFF_AUDIENCE


def test_audience_roles_are_the_organisation_roles_and_staff() -> None:
    assert set(AUDIENCE_ROLES) == {role.value for role in OrgRole} | {STAFF_AUDIENCE}
    assert len(AUDIENCE_ROLES) == len(OrgRole) + 1
