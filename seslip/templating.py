"""Jinja filters and globals shared by all templates."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from seslip import timeutil

HTMX_FILE = "vendor/htmx-2.0.11.min.js"


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = timeutil.format_datetime
    app.jinja_env.filters["time"] = timeutil.format_time
    app.jinja_env.filters["date"] = timeutil.format_date
    app.jinja_env.globals["HTMX_FILE"] = HTMX_FILE

    @app.context_processor
    def navigation() -> dict[str, Any]:
        return {"service_name": "SESLIP Intranet", "main_navigation": _main_navigation}


NAVIGATION = (
    ("core.home", "Home", False),
    ("news.index", "News", False),
    ("organisations.index", "Directory", False),
    ("networks.index", "Networks", False),
    ("questionnaires.index", "Questionnaires", False),
    ("cycles.index", "Self-assessment", False),
    ("challenge.index", "Peer challenge", False),
    ("documents.index", "Documents", False),
    ("events.index", "Events", False),
    ("admin.index", "Admin", True),
)


def _main_navigation() -> list[tuple[str, str]]:
    user = current_user
    return [
        (endpoint, label)
        for endpoint, label, staff_only in NAVIGATION
        if not staff_only or user.is_staff
    ]
