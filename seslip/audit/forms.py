"""Forms of the audit area."""

from __future__ import annotations

from wtforms import Form, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional


class AuditFilterForm(Form):
    """A GET form (no CSRF: it changes nothing); choices come from what is in the trail."""

    record_type = SelectField("Record type", default="")
    person = SelectField("Who", default="")
    record_id = StringField("Record number", validators=[Optional(), Length(max=60)])
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1)], default=1)
