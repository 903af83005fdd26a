"""Forms of the documents area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from seslip.documents.models import CATEGORY_LABELS


class DocumentForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title for the document."),
                                             Length(max=300)])
    category = SelectField("Category", choices=[SelectChoice(c.value, label)
                                                for c, label in CATEGORY_LABELS.items()])
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])


class VersionForm(FlaskForm):
    file = FileField("New version", validators=[FileRequired("Choose a file to upload.")])
