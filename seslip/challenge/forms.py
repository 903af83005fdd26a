"""Forms of the challenge area. Choices are filled by the views from the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value)) if value not in (None, "", "None") else None
    except ValueError:
        return None


class TriadForm(FlaskForm):
    name = StringField("Name of the group", validators=[Length(max=120)])
    organisations = SelectMultipleField("Authorities", coerce=int, validators=[Optional()])
    day = DateField("Date of the challenge day",
                    validators=[InputRequired("Enter the date of the challenge day.")])
    starts = TimeField("Starts (UK time)", validators=[InputRequired("Enter when it starts.")])
    ends = TimeField("Ends (UK time)", validators=[InputRequired("Enter when it ends.")])
    place = StringField("Place", validators=[Length(max=300)])
    online_link = StringField("Online link", validators=[Length(max=500)])
    facilitator_id = SelectField("Facilitator", coerce=_int_or_none, validators=[Optional()])


class CommentForm(FlaskForm):
    section_id = HiddenField()
    parent_id = HiddenField()
    body = TextAreaField("Your comment or question", validators=[Length(max=5000)])


class PointForm(FlaskForm):
    text = TextAreaField("What was agreed", validators=[Length(max=2000)])
    theme_id = SelectField("Theme", coerce=_int_or_none, validators=[Optional()])
    section_id = SelectField("Responsibility", validators=[Optional()])


class ThemesForm(FlaskForm):
    themes = SelectMultipleField("Themes of these outcomes", coerce=int, validators=[Optional()])


class ActionForm(FlaskForm):
    text = TextAreaField("Agreed action", validators=[Length(max=2000)])
    owner_id = SelectField("Owner", coerce=_int_or_none, validators=[Optional()])
    due_on = DateField("Due on", validators=[InputRequired("Enter the date the action is due.")])


class ThemeForm(FlaskForm):
    name = StringField("Theme", validators=[Length(max=120)])
    description = TextAreaField("Description (optional)", validators=[Length(max=2000)])


class PriorityForm(FlaskForm):
    title = StringField("Priority", validators=[Length(max=200)])
    description = TextAreaField("Description (optional)", validators=[Length(max=2000)])


class LinkForm(FlaskForm):
    priorities = SelectMultipleField("Plan priorities this theme feeds", coerce=int,
                                     validators=[Optional()])


class EmptyForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
