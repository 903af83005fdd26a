"""The audit trail for admins: who did what to which record, and when."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from seslip.audit import services
from seslip.audit.forms import AuditFilterForm
from seslip.web import page_of, render_page

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.get("/")
def index() -> Response:
    form = AuditFilterForm(request.args)
    types, people = services.filter_choices(current_user)
    form.record_type.choices = [SelectChoice(value, label) for value, label in types]
    form.person.choices = [SelectChoice(value, label) for value, label in people]
    form.validate()
    # A value that fails validation (an unknown type, a stale person) is ignored, not an error.
    filters = {
        name: ("" if getattr(form, name).errors else (getattr(form, name).data or ""))
        for name in ("record_type", "person", "record_id")
    }
    page = form.page.data if not form.page.errors and form.page.data else 1
    events = services.audit_page(
        current_user,
        entity_type=filters["record_type"],
        person=filters["person"],
        entity_id=filters["record_id"].strip(),
        page=page,
    )
    return render_page(
        "audit/index.html",
        "audit/_table.html",
        page_title=page_of("Audit trail", events.page, events.pages),
        form=form,
        filters=filters,
        events=events,
        entity_label=services.entity_label,
        action_label=services.action_label,
    )


@bp.get("/<int:event_id>")
def show(event_id: int) -> str:
    event = services.get_event(current_user, event_id)
    return render_template(
        "audit/show.html",
        event=event,
        rows=services.change_rows(event),
        entity_label=services.entity_label,
        action_label=services.action_label,
    )
