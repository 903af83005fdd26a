"""Forms of the networks area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class AddMemberForm(FlaskForm):
    person = SelectField("Person", coerce=int, validators=[InputRequired("Choose a person.")])
    role_note = StringField("Role in the network (optional)", validators=[Length(max=200)])
    started_on = DateField("Member from", validators=[Optional()])


class ReasonForm(FlaskForm):
    reason = StringField(
        "Reason", validators=[DataRequired("Enter the reason."), Length(max=500)]
    )


class JoinForm(FlaskForm):
    message = TextAreaField("Why you would like to join (optional)", validators=[Length(max=2000)])


class DecideJoinForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=[SelectChoice("accept", "Accept"), SelectChoice("decline", "Decline")],
        validators=[InputRequired("Choose accept or decline.")],
    )
    reason = StringField("Reason (needed to decline)", validators=[Length(max=500)])


class OpenRoundForm(FlaskForm):
    closes_on = DateField(
        "Closing date for nominations", validators=[InputRequired("Enter a closing date.")]
    )
    note = TextAreaField("Note to members (optional)", validators=[Length(max=2000)])


class NominateForm(FlaskForm):
    nominee = SelectField("Who do you nominate?", coerce=int,
                          validators=[InputRequired("Choose who you nominate.")])
    statement = TextAreaField("Supporting statement (optional)", validators=[Length(max=2000)])


class AppointFromRoundForm(FlaskForm):
    nomination = RadioField("Nominee to appoint", coerce=int,
                            validators=[InputRequired("Choose a nominee.")])


class AppointForm(FlaskForm):
    person = SelectField("Person", coerce=int, validators=[InputRequired("Choose a person.")])
    starts_on = DateField("Starts on", validators=[Optional()])


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Your decision",
        choices=[SelectChoice("approve", "Approve"), SelectChoice("decline", "Decline")],
        validators=[InputRequired("Choose approve or decline.")],
    )
    reason = TextAreaField("Reason (needed to decline)", validators=[Length(max=2000)])
