"""The application factory: nothing happens at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, request, session
from flask_login import current_user

from seslip import models  # noqa: F401 - registers every table
from seslip.config import ROOT, load_config
from seslip.extensions import csrf, db, htmx, login_manager, mail, migrate


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        "seslip",
        root_path=str(ROOT),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config())
    if config:
        app.config.update(config)
    Path(app.config["SESLIP_INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)
    if hops := app.config["SESLIP_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    from seslip.inputchecks import init_input_checks

    init_input_checks(app)  # first: its URL converter and its check come before the others
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    htmx.init_app(app)
    _init_login(app)

    _register_blueprints(app)

    from seslip.cli import seslip_group
    from seslip.core.views import register_error_handlers
    from seslip.templating import init_templating

    register_error_handlers(app)
    init_templating(app)
    app.cli.add_command(seslip_group())
    return app


def _register_blueprints(app: Flask) -> None:
    """Every blueprint, in the order their URLs appear in the navigation."""
    from seslip.accounts import people_views
    from seslip.accounts import views as accounts_views
    from seslip.admin import views as admin_views
    from seslip.audit import views as audit_views
    from seslip.challenge import views as challenge_views
    from seslip.core import views as core_views
    from seslip.cycles import views as cycles_views
    from seslip.documents import views as documents_views
    from seslip.events import views as events_views
    from seslip.library import views as library_views
    from seslip.meetings import views as meetings_views
    from seslip.networks import structure_views  # noqa: F401 - staff pages on networks' bp
    from seslip.networks import views as networks_views
    from seslip.news import views as news_views
    from seslip.notifications import preference_views as notification_preference_views
    from seslip.notifications import views as notifications_views
    from seslip.organisations import views as organisations_views
    from seslip.programmes import views as programmes_views
    from seslip.questionnaires import version_views as questionnaire_version_views
    from seslip.questionnaires import views as questionnaires_views
    from seslip.terms import views as terms_views

    for blueprint in (
        core_views.bp,
        news_views.bp,
        accounts_views.bp,
        organisations_views.bp,
        networks_views.bp,
        meetings_views.bp,
        events_views.bp,
        questionnaires_views.bp,
        library_views.bp,
        questionnaire_version_views.bp,
        cycles_views.bp,
        documents_views.bp,
        terms_views.bp,
        programmes_views.bp,
        notifications_views.bp,
        notification_preference_views.bp,
        audit_views.bp,
        admin_views.bp,
        people_views.people_bp,
        challenge_views.bp,
    ):
        app.register_blueprint(blueprint)


def _init_login(app: Flask) -> None:
    from seslip.accounts import sessions
    from seslip.accounts.models import User

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        ident, _, version = user_id.partition(":")
        secret = session.get(sessions.SESSION_KEY)
        if not ident.isdigit() or not isinstance(secret, str):
            return None
        # One indexed query for the person and their live session: a signed-out copy fails.
        user = sessions.signed_in_user(int(ident), secret)
        if user is None or not user.is_active or str(user.session_version) != version:
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized() -> Any:
        from flask import flash, redirect, url_for

        if getattr(request, "htmx", False):
            # Never redirect an htmx call to a login page: the caller keeps what was typed.
            return "Your session has ended. Sign in again to save.", 401
        flash("Sign in to see that page.", "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def require_login() -> Any:
        # Secure by default: only views marked @public are reachable without signing in.
        if request.endpoint is None or request.endpoint == "static":
            return None
        view = app.view_functions.get(request.endpoint)
        if getattr(view, "is_public", False) or current_user.is_authenticated:
            return None
        return login_manager.unauthorized()
