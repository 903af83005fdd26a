"""The admin outbox: every email the intranet has queued, its status and errors."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from seslip.errors import ServiceError
from seslip.notifications import services
from seslip.notifications.forms import OutboxFilterForm
from seslip.timeutil import utcnow
from seslip.web import page_of, render_page

bp = Blueprint("notifications", __name__, url_prefix="/admin/outbox")


@bp.get("/")
def index() -> Response:
    form = OutboxFilterForm(request.args)
    valid = form.validate()
    status = (form.status.data or "") if valid or not form.status.errors else ""
    page = form.page.data if valid and form.page.data else 1
    messages = services.outbox_page(current_user, status=status, page=page)
    return render_page(
        "notifications/index.html",
        "notifications/_table.html",
        page_title=page_of("Email outbox", messages.page, messages.pages),
        form=form,
        status_filter=status,
        status_label=dict(services.STATUS_FILTERS).get(status, ""),
        messages=messages,
        display=services.status_display,
        now=utcnow(),
    )


@bp.get("/<int:message_id>")
def show(message_id: int) -> str:
    now = utcnow()
    message = services.get_message(current_user, message_id)
    return render_template(
        "notifications/show.html",
        message=message,
        status=services.status_display(message, now),
        can_send_again=services.can_send_again(message, now),
        link_gone=services.link_gone(message, now),
        body=services.body_for_staff(message),
    )


@bp.post("/<int:message_id>/send-again")
def send_again(message_id: int) -> Response:
    try:
        message = services.send_again(current_user, message_id)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(
            f"The email to {message.recipient} is queued again and goes with the next "
            "delivery run.",
            "success",
        )
    return redirect(url_for("notifications.show", message_id=message_id))
