"""Forms of the notifications area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from seslip.notifications.models import DeliveryMode
from seslip.notifications.preferences import Choice
from seslip.notifications.services import STATUS_FILTERS


class OutboxFilterForm(Form):
    """A GET form (no CSRF: it changes nothing), so the list works without JavaScript."""

    status = SelectField(
        "Status", choices=[SelectChoice(v, label) for v, label in STATUS_FILTERS], default=""
    )
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1)], default=1)


def preferences_form(choices: list[Choice]) -> FlaskForm:
    """One pair of radios per kind of email a person may have in the digest (urgent kinds are
    shown, not asked); built from the registry, so a new kind needs no form change."""

    class PreferencesForm(FlaskForm):
        pass

    for choice in choices:
        if choice.kind.urgent:
            continue
        setattr(PreferencesForm, choice.kind.event, RadioField(
            choice.kind.label, choices=[SelectChoice(m.value, m.label) for m in DeliveryMode],
            default=choice.mode.value,
            validators=[InputRequired(f"Choose when you get “{choice.kind.label}”.")]))
    return PreferencesForm()
