"""Home page, health check and error pages."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from seslip.errors import NotFound, PermissionDenied
from seslip.extensions import db
from seslip.web import is_htmx, public

bp = Blueprint("core", __name__)


@bp.get("/")
def home() -> str:
    from seslip.core.home import home_context

    return render_template("core/home.html", user=current_user, **home_context(current_user))


@bp.get("/accessibility")
@public
def accessibility() -> str:
    return render_template("core/accessibility.html")


@bp.get("/healthz")
@public
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="error", database=type(exc).__name__), 503
    return jsonify(status="ok", database="ok"), 200


ERROR_TITLES = {
    400: "Sorry, there is a problem with that request",
    401: "You need to sign in",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "That action is not allowed here",
    413: "The file or form is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def _error_page(status: int, message: str = "") -> tuple[str, int]:
    if is_htmx():
        return message or ERROR_TITLES.get(status, "Error"), status
    title = ERROR_TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return _error_page(
            400,
            "This form had expired or was sent from another site, so nothing was changed. "
            "Go back, reload the page and send it again: your browser keeps what you typed.",
        )

    @app.errorhandler(PermissionDenied)
    def permission_denied(error: PermissionDenied) -> tuple[str, int]:
        return _error_page(403, error.message)

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> tuple[str, int]:
        return _error_page(404, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        return _error_page(error.code, error.description if error.code == 429 else "")

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        return _error_page(500)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        )
        # Every answer but a static file, error pages included: a 404 or 405 page shows who is
        # signed in too. Public, cacheable answers set their own Cache-Control.
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
