"""Forms of the events area and the development programme."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from seslip.events.models import KIND_LABELS


class EventForm(FlaskForm):
    kind = SelectField("Kind of event",
                       choices=[SelectChoice(k.value, v) for k, v in KIND_LABELS.items()])
    title = StringField("Title", validators=[DataRequired("Enter a title for the event."),
                                             Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=20000)])
    day = DateField("Date", validators=[InputRequired("Enter the date of the event.")])
    starts = TimeField("Starts (UK time)", validators=[InputRequired("Enter when it starts.")])
    ends = TimeField("Ends (UK time)", validators=[InputRequired("Enter when it ends.")])
    place = TextAreaField("Where (in person)", validators=[Length(max=500)])
    online_link = StringField("Link to join online", validators=[Length(max=500)])
    network = SelectField("Network", coerce=int, default=0)
    cohort = SelectField("Development programme cohort", coerce=int, default=0)
    capacity = IntegerField("Number of places", validators=[
        Optional(), NumberRange(1, 10000, "Enter the number of places, from 1 to 10,000.")])


class SessionForm(FlaskForm):
    starts = TimeField("Starts (UK time)", validators=[InputRequired("Enter when it starts.")])
    ends = TimeField("Ends (UK time)", validators=[Optional()])
    title = StringField("Session", validators=[DataRequired("Enter the session's title."),
                                               Length(max=300)])
    description = TextAreaField("Description", validators=[Length(max=5000)])
    speakers = TextAreaField("Speakers", validators=[Length(max=5000)])
    withdrawn = BooleanField("Take this session off the agenda")


class UploadForm(FlaskForm):
    title = StringField("Title", validators=[Length(max=300)])
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])


class CancelForm(FlaskForm):
    reason = StringField("Reason", validators=[DataRequired("Enter why the event is "
                                                            "cancelled."), Length(max=500)])


class FeedbackForm(FlaskForm):
    definition = SelectField("Questionnaire", validators=[
        DataRequired("Choose a questionnaire from the library.")])


class ConfirmForm(FlaskForm):
    """A button with its CSRF token (register, cancel a place, take attendance)."""


class CohortForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the cohort's name."),
                                           Length(max=200)])
    year = StringField("Programme year", validators=[
        DataRequired("Enter the programme year, for example 2026-27."), Length(max=20)])
    description = TextAreaField("Description", validators=[Length(max=5000)])


class ParticipantsForm(FlaskForm):
    people = SelectMultipleField("People to add", coerce=int, validators=[
        DataRequired("Choose at least one person to add.")])


class SetForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the set's name."),
                                           Length(max=200)])
    first_day = DateField("First day", validators=[InputRequired("Enter the first day.")])
    starts = TimeField("Starts (UK time)", validators=[InputRequired("Enter when it starts.")])
    ends = TimeField("Ends (UK time)", validators=[InputRequired("Enter when it ends.")])
    place = TextAreaField("Where", validators=[Length(max=500)])
    facilitator = StringField("Facilitator", validators=[Length(max=300)])
    members = SelectMultipleField("Participants in the set", coerce=int)


class MoveForm(FlaskForm):
    day = DateField("New date", validators=[InputRequired("Enter the new date.")])
