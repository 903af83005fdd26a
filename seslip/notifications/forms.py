"""Forms of the notifications area."""

from __future__ import annotations

from wtforms import Form, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from seslip.notifications.services import STATUS_FILTERS


class OutboxFilterForm(Form):
    """A GET form (no CSRF: it changes nothing), so the list works without JavaScript."""

    status = SelectField(
        "Status", choices=[SelectChoice(v, label) for v, label in STATUS_FILTERS], default=""
    )
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1)], default=1)
