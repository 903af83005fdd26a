"""Forms of the meetings area."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class MeetingForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title for the meeting."),
                                             Length(max=200)])
    day = DateField("Date", validators=[InputRequired("Enter the date of the meeting.")])
    starts = TimeField("Starts (UK time)", validators=[InputRequired("Enter when it starts.")])
    ends = TimeField("Ends (UK time)", validators=[InputRequired("Enter when it ends.")])
    place = TextAreaField("Where (in person)", validators=[Length(max=500)])
    online_link = StringField("Link to join online", validators=[Length(max=500)])
    joint_network = SelectField("Joint meeting with", coerce=int, default=0)
    papers_due_on = DateField("Papers due by", validators=[Optional()])


class ItemForm(FlaskForm):
    title = StringField("Item", validators=[DataRequired("Enter the item's title."),
                                            Length(max=300)])
    owner = SelectField("Owner", coerce=int, default=0)
    minutes = IntegerField("Time allowed in minutes", validators=[
        Optional(), NumberRange(1, 600, "Enter the time in minutes, from 1 to 600.")])
    paper_expected = BooleanField("A paper is expected for this item")
    withdrawn = BooleanField("Withdraw this item from the agenda")


class UploadForm(FlaskForm):
    item = SelectField("Agenda item", coerce=int, default=0)
    title = StringField("Title (for a paper or slides not tied to an item)",
                        validators=[Length(max=300)])
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])


class ReplaceForm(FlaskForm):
    file = FileField("New version", validators=[FileRequired("Choose a file to upload.")])


class RecordForm(FlaskForm):
    attendance = TextAreaField("Present", validators=[Length(max=20000)])
    apologies = TextAreaField("Apologies", validators=[Length(max=20000)])
    decisions = TextAreaField("Decisions", validators=[Length(max=50000)])


class ActionForm(FlaskForm):
    description = TextAreaField("Action", validators=[DataRequired("Enter what is to be done."),
                                                      Length(max=5000)])
    owner = SelectField("Owner", coerce=int, default=0)
    due_on = DateField("Due by", validators=[Optional()])


class CancelForm(FlaskForm):
    reason = StringField("Reason", validators=[DataRequired("Enter why the meeting is "
                                                            "cancelled."), Length(max=500)])


class ConfirmForm(FlaskForm):
    """A button with its CSRF token (send the agenda, move an item, approve, mark done)."""


def _choices(pairs: Iterable[tuple[int, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class PatternForm(FlaskForm):
    """A network's planned meeting pattern (meetings/patterns.py)."""

    per_year = SelectField("How often", coerce=int, default=4, choices=_choices([
        (4, "Quarterly (4 a year)"), (1, "Once a year"), (2, "Twice a year"),
        (3, "3 a year"), (6, "6 a year"), (12, "Monthly")]))
    first_month = SelectField("Month of the first meeting of the year", coerce=int, default=3,
                              choices=_choices(enumerate(
                                  ("January", "February", "March", "April", "May", "June",
                                   "July", "August", "September", "October", "November",
                                   "December"), start=1)))
    week = SelectField("Week of the month", coerce=int, default=2, choices=_choices([
        (1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]))
    weekday = SelectField("Day", coerce=int, default=4, choices=_choices(enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))))
    starts = TimeField("Starts (UK time)", validators=[InputRequired("Enter when they start.")])
    ends = TimeField("Ends (UK time)", validators=[InputRequired("Enter when they end.")])
    place = TextAreaField("Where (in person)", validators=[Length(max=500)])
    online_link = StringField("Link to join online", validators=[Length(max=500)])
    joint_network = SelectField("Joint meeting with", coerce=int, default=0)
    months_ahead = IntegerField("Plan this many months ahead", default=12, validators=[
        InputRequired("Enter how many months ahead to plan."),
        NumberRange(1, 24, "Plan from 1 to 24 months ahead.")])
    active = BooleanField("Keep planning meetings from this pattern", default=True)
