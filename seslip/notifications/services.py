"""Queueing email: write to the outbox in the caller's transaction; `send-mail` delivers later."""

from __future__ import annotations

from typing import Any

from flask import render_template
from jinja2 import TemplateNotFound

from seslip.notifications.models import OutboxMessage


def queue_email(
    event: str, audience: str, recipient: str, subject: str, **context: Any
) -> OutboxMessage:
    """Render `emails/<event>_to_<audience>.txt` (and `.html` if it exists) into the outbox.

    Nothing is committed here: the caller's commit makes the change and its email land together.
    """
    from seslip.extensions import db

    base = f"emails/{event}_to_{audience}"
    context.setdefault("subject", subject)
    text = render_template(f"{base}.txt", **context)
    try:
        html = render_template(f"{base}.html", **context)
    except TemplateNotFound:
        html = ""
    message = OutboxMessage(
        event=event,
        audience=audience,
        recipient=recipient,
        subject=subject,
        body_text=text,
        body_html=html,
    )
    db.session.add(message)
    return message
