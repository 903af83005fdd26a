"""Account and people forms. Rules about passwords live in passwords.py, shared with the CLI."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import EmailField, Field, Form, PasswordField, SearchField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from seslip.accounts.models import ORG_ROLE_LABELS, SiteRole
from seslip.accounts.passwords import MIN_LENGTH, password_problem

PASSWORD_HINT = (
    f"At least {MIN_LENGTH} characters. A few unrelated words together are long and easy "
    "to remember."
)
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.org"
SITE_ROLE_CHOICES = [
    SelectChoice(SiteRole.MEMBER.value, "Member"),
    SelectChoice(SiteRole.PROGRAMME_MANAGER.value, "Programme manager"),
    SelectChoice(SiteRole.ADMIN.value, "Admin"),
]
ORG_ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ORG_ROLE_LABELS.items()]


def _with_blank(label: str, choices: list[SelectChoice]) -> list[SelectChoice]:
    return [SelectChoice("", label), *choices]


def _strong(form: Form, field: Field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label,
        filters=[_strip],
        validators=[DataRequired("Enter an email address"), Email(EMAIL_FORMAT), Length(max=320)],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[_strip],
        validators=[DataRequired("Enter your email address"), Email(EMAIL_FORMAT)],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class NewPasswordForm(FlaskForm):
    """Accepting an invitation and resetting a password."""

    password = PasswordField(
        "Create a password", validators=[DataRequired("Enter a password"), _strong]
    )
    confirm = PasswordField(
        "Confirm your password",
        validators=[
            DataRequired("Enter the password again"),
            EqualTo("password", "The passwords do not match"),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password")]
    )
    password = PasswordField("New password", validators=[DataRequired("Enter a new password"),
                                                         _strong])
    confirm = PasswordField(
        "Confirm your new password",
        validators=[
            DataRequired("Enter the new password again"),
            EqualTo("password", "The passwords do not match"),
        ],
    )


class ResetRequestForm(FlaskForm):
    email = _email_field()


def _organisation_choices(organisations: list[Any], blank: str) -> list[SelectChoice]:
    groups = {"authority": "Member authorities", "partner": "Partner organisations"}
    return _with_blank(blank, [
        SelectChoice(str(org.id), org.name, optgroup=groups.get(org.kind, "Other"))
        for org in organisations
    ])


class PersonForm(FlaskForm):
    """Details an admin keeps about a person (edit page)."""

    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's full name"), Length(max=200)]
    )
    job_title = StringField("Job title (optional)", validators=[Optional(), Length(max=200)])
    organisation_id = SelectField("Organisation", validators=[Optional()])
    org_role = SelectField(
        "Role in their organisation",
        choices=_with_blank("Choose a role", ORG_ROLE_CHOICES),
        validators=[Optional()],
    )
    site_role = SelectField("Access to the intranet", choices=SITE_ROLE_CHOICES,
                            default=SiteRole.MEMBER.value)

    def setup(self, organisations: list[Any], can_grant: bool) -> None:
        blank = "Choose an organisation"
        self.organisation_id.choices = _organisation_choices(organisations, blank)
        if not can_grant:
            # Only admins grant site roles; others never see the question.
            del self.site_role


class InviteForm(PersonForm):
    """Everyone invited belongs to an authority or a partner organisation."""

    email = _email_field()
    organisation_id = SelectField(
        "Organisation", validators=[DataRequired("Choose the person's organisation")]
    )
    org_role = SelectField(
        "Role in their organisation",
        choices=_with_blank("Choose a role", ORG_ROLE_CHOICES),
        validators=[DataRequired("Choose the person's role in their organisation")],
    )


class PeopleFilterForm(Form):
    """GET filters on the people list (no CSRF: it changes nothing)."""

    q = SearchField("Name or email", validators=[Optional()])
    organisation = SelectField("Organisation", validators=[Optional()])
    role = SelectField("Role", choices=_with_blank("Any role", ORG_ROLE_CHOICES),
                       validators=[Optional()])
    status = SelectField(
        "Status",
        choices=_with_blank("Any status", [SelectChoice("invited", "Invited"),
                                           SelectChoice("active", "Active"),
                                           SelectChoice("deactivated", "Deactivated")]),
        validators=[Optional()],
    )

    def setup(self, organisations: list[Any]) -> None:
        self.organisation.choices = _organisation_choices(organisations, "Any organisation")
