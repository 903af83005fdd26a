"""Forms of the organisations area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SearchField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from seslip.organisations.models import OrganisationKind

KIND_CHOICES = [SelectChoice(kind.value, kind.label) for kind in OrganisationKind]


class DirectorySearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField("Search the directory", validators=[Optional(), Length(max=100)])


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the organisation's name"),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
    )
    kind = RadioField(
        "Type of organisation",
        choices=KIND_CHOICES,
        validators=[DataRequired("Select the type of organisation")],
    )
    note = TextAreaField(
        "Note",
        validators=[Length(max=1000, message="The note must be 1,000 characters or fewer")],
    )
    website = StringField(
        "Website",
        validators=[Length(max=300, message="The website must be 300 characters or fewer")],
    )
    archived = BooleanField("Archive this organisation (hide it from the directory)")


class NewOrganisationForm(OrganisationForm):
    slug = StringField(
        "Web address name",
        validators=[
            DataRequired("Enter a web address name, like west-sussex"),
            Length(max=80, message="The web address name must be 80 characters or fewer"),
        ],
    )
