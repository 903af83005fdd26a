"""Forms of the news area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class NewsForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title for the news item."),
                                             Length(max=200)])
    published_on = DateField("Published on", validators=[Optional()])
    body = TextAreaField("Text", validators=[DataRequired("Enter the text of the news item."),
                                             Length(max=50_000)])
