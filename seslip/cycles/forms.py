"""Forms of the cycles area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

RESPONDENT_CHOICES = [
    SelectChoice("lead_member", "The lead member of each authority"),
    SelectChoice("dcs", "The director of children's services (DCS) of each authority"),
]
LEVEL_CHOICES = [
    SelectChoice("edit", "Can edit: answer and change the answers (not finalise)"),
    SelectChoice("read", "Can read: see the answers only"),
]


class OpenCycleForm(FlaskForm):
    name = StringField("Name of the cycle", validators=[
        DataRequired("Enter a name for the cycle."), Length(max=200)])
    form_version_id = SelectField("Questionnaire and version", coerce=int, validators=[
        InputRequired("Choose the questionnaire version the authorities answer.")])
    respondent_role = RadioField("Who responds for each authority", choices=RESPONDENT_CHOICES,
                                 default="lead_member", validators=[
                                     InputRequired("Choose who responds for each authority.")])
    opens_on = DateField("Open date", validators=[InputRequired(
        "Enter the open date, for example 2026-09-01.")])
    finalise_by = DateField("Finalise by", validators=[InputRequired(
        "Enter the date by which the authorities finalise, for example 2026-10-31.")])
    challenge_from = DateField("Challenge days from", validators=[Optional()])
    challenge_to = DateField("Challenge days to", validators=[Optional()])
    sign_off_required = BooleanField(
        "Finalising needs sign-off by the authority's lead member and DCS")
    prefill = BooleanField("Pre-fill each authority's answers from the previous cycle of this "
                           "questionnaire")


class GrantAccessForm(FlaskForm):
    person_id = SelectField("Person", coerce=int, validators=[
        InputRequired("Choose the person to give access to.")])
    level = RadioField("Access", choices=LEVEL_CHOICES, default="edit",
                       validators=[InputRequired("Choose what they may do.")])
