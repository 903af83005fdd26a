"""Forms of the networks area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
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


# Setting up networks and posts (staff) -------------------------------------------------------


class NetworkForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the network's name."),
                                           Length(max=200, message="The name must be 200 "
                                                  "characters or fewer.")])
    kind = RadioField("Kind", validators=[InputRequired("Choose the kind of network.")])
    purpose = TextAreaField("Purpose", validators=[Length(max=5000, message="The purpose must be "
                                                          "5,000 characters or fewer.")])
    join_rule = RadioField("Who may join", default="all_authorities",
                           validators=[InputRequired("Choose who may join.")])
    join_roles = SelectMultipleField("Roles that may join", validators=[Optional()])
    meeting_pattern = TextAreaField("Meeting pattern", validators=[Length(max=1000)])
    parent = SelectField("Parent network", coerce=int, validators=[Optional()])
    established_on = DateField("Established on (optional)", validators=[Optional()])
    ends_on = DateField("Ends on", validators=[Optional()])


class PositionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter the post's title."),
                                             Length(max=120, message="The title must be 120 "
                                                    "characters or fewer.")])
    description = TextAreaField("Description (optional)", validators=[Length(max=2000)])
    is_chair = BooleanField("Its holders chair the network")
    min_holders = IntegerField("Minimum holders", default=1, validators=[
        InputRequired("Enter the minimum number of holders, 0 or more.")])
    max_holders = IntegerField("Maximum holders", default=1, validators=[
        InputRequired("Enter the maximum number of holders, 1 or more.")])
    term_years = IntegerField("Term length in years (optional)", validators=[Optional()])
    max_consecutive_terms = IntegerField("Most consecutive terms (optional)",
                                         validators=[Optional()])
    eligibility = RadioField("Who may hold it", default="anyone",
                             validators=[InputRequired("Choose who may hold the post.")])
    eligibility_value = SelectField("Kind of organisation", validators=[Optional()])
    members_only = BooleanField("Holders must be members of the network", default=True)
    approval_network = SelectField("A change of holder needs the approval of", coerce=int,
                                   validators=[Optional()])
    deputises_for = SelectField("Deputises for", coerce=int, validators=[Optional()])
