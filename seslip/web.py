"""Helpers shared by every blueprint: public views, HTMX-aware rendering, a service's refusal
shown on its form, absolute URLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import (
    Response,
    current_app,
    make_response,
    render_template,
    render_template_string,
    request,
)
from flask_wtf import FlaskForm
from werkzeug.routing import MapAdapter

from seslip.errors import ServiceError
from seslip.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def public(view: F) -> F:
    """Mark a view as reachable without logging in. Everything else requires login."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def is_htmx() -> bool:
    return bool(getattr(request, "htmx", False))


def wants_fragment() -> bool:
    """An htmx swap wants the fragment; htmx restoring history after "Back" wants the page."""
    return is_htmx() and request.headers.get("HX-History-Restore-Request") != "true"


def render_page(page: str, fragment: str, status: int = 200, **context: Any) -> Response:
    """Render the full page, or only its fragment for an htmx swap (one URL, two uses).

    `announce` tells the fragment it replaced content in place, so it may update a live region.
    A `page_title` that depends on the query (a search, a page number) is also sent with the
    fragment, as a <title> htmx puts on the document, so the title says what is shown.
    """
    fragment_wanted = wants_fragment()
    context.setdefault("announce", fragment_wanted)
    template = fragment if fragment_wanted else page
    body = render_template(template, **context)
    if fragment_wanted and context.get("page_title"):
        body = render_template_string(
            "<title>{{ page_title }} – {{ service_name }}</title>\n", **context) + body
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def refuse(form: FlaskForm, error: ServiceError, fallback: str | None = None) -> int:
    """Show a service's refusal on `form` and answer 422.

    Rolls back first: a service may have flushed rows (and their audit entries) before the rule
    that stopped it, and nothing of a refused change may reach the database. The message goes
    on the field the error names, else on `fallback`, else on the form as a whole.
    """
    db.session.rollback()
    field = next((form[name] for name in (error.field, fallback) if name and name in form), None)
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
    return 422


def attempt(form: FlaskForm, action: Callable[[], T], fallback: str | None = None) -> T | None:
    """Run a service: its result, or None after `refuse` put its ServiceError on the form.
    PermissionDenied and NotFound pass through to the 403 and 404 handlers."""
    try:
        return action()
    except ServiceError as error:
        refuse(form, error, fallback)
        return None


def form_status(form: FlaskForm) -> int:
    """422 when the form shows an error (its own or a service's), otherwise 200."""
    return 422 if form.errors or form.form_errors else 200


def page_of(title: str, page: int, pages: int) -> str:
    """"Audit trail (page 2 of 3)": each page of a long list has a title of its own."""
    return f"{title} (page {page} of {pages})" if page > 1 else title


def _adapter() -> MapAdapter:
    base = current_app.config["SESLIP_BASE_URL"]
    scheme, _, rest = base.partition("://")
    host, _, path = rest.partition("/")
    return current_app.url_map.bind(host, script_name="/" + path, url_scheme=scheme)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL on SESLIP_BASE_URL, usable in emails built outside a request (CLI)."""
    return _adapter().build(endpoint, values, force_external=True)
