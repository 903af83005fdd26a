"""Forms of the programmes area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from seslip.programmes.models import OUTCOME_LABELS, STATUS_LABELS, Audience, Outcome

STATUS_CHOICES = [SelectChoice(k.value, v) for k, v in STATUS_LABELS.items()]


class SuggestionForm(FlaskForm):
    title = StringField("Topic", validators=[DataRequired("Enter the topic you suggest."),
                                             Length(max=300)])
    details = TextAreaField("Why it matters (optional)", validators=[Length(max=5000)])


class TriageForm(FlaskForm):
    outcome = RadioField("What becomes of it", choices=[
        SelectChoice(o.value, OUTCOME_LABELS[o]) for o in Outcome if o != Outcome.AWAITING],
        validators=[InputRequired("Choose what becomes of the suggestion.")])
    meeting = SelectField("Meeting", coerce=int, default=0)
    owner = SelectField("Who leads the item", coerce=int, default=0)
    minutes = IntegerField("Time allowed in minutes", validators=[
        Optional(), NumberRange(1, 600, "Enter the time in minutes, from 1 to 600.")])
    note = TextAreaField("Reason or note to the member", validators=[Length(max=5000)])


class WorkItemForm(FlaskForm):
    title = StringField("Item", validators=[DataRequired("Enter what the item is."),
                                            Length(max=300)])
    description = TextAreaField("Description", validators=[Length(max=5000)])
    year = SelectField("Year of the work programme", coerce=int)
    owner = SelectField("Owner", coerce=int, default=0)
    status = SelectField("Status", choices=STATUS_CHOICES)
    target_on = DateField("Target date", validators=[Optional()])


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=STATUS_CHOICES)


class GroupForm(FlaskForm):
    name = StringField("Name of the group", validators=[DataRequired("Enter the group's name."),
                                                        Length(max=200)])
    purpose = TextAreaField("Purpose", validators=[DataRequired("Enter what the group is to do."),
                                                   Length(max=5000)])
    ends_on = DateField("Ends on", validators=[InputRequired("Enter the date the group ends.")])
    members = SelectMultipleField("Members", coerce=int)


class ReportForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter the report's title."),
                                             Length(max=300)])
    audience = RadioField("Report to", choices=[SelectChoice(a.value, a.label) for a in Audience],
                          default=Audience.DCS_GROUP.value,
                          validators=[InputRequired("Choose who the report is to.")])
    group = SelectField("From the group", coerce=int, default=0)
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])
