"""A person's email choices: each kind straight away or in the weekly digest."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from seslip.notifications import preferences
from seslip.notifications.forms import preferences_form
from seslip.notifications.models import DeliveryMode
from seslip.web import attempt, form_status

bp = Blueprint("notification_preferences", __name__, url_prefix="/account/notifications")


@bp.route("/", methods=["GET", "POST"])
def edit() -> Any:
    choices = preferences.choices_of(current_user)
    form = preferences_form(choices)
    if form.validate_on_submit():
        wanted = {c.kind.event: DeliveryMode(form[c.kind.event].data)
                  for c in choices if not c.kind.urgent}
        changed = attempt(form, lambda: preferences.save_choices(
            current_user, current_user, wanted))
        if changed is not None:
            flash("Your email choices are saved." if changed else "Nothing was changed.",
                  "success")
            return redirect(url_for("notification_preferences.edit"))
    return render_template("notifications/preferences.html", form=form, choices=choices,
                           ), form_status(form)
