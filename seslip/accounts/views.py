"""Sign in and out, the account page, invitations accepted and forgotten passwords."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from seslip.accounts import services, sessions
from seslip.accounts.forms import (
    PASSWORD_HINT,
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
)
from seslip.accounts.models import User
from seslip.accounts.ratelimit import RateLimited
from seslip.accounts.tokens import TokenInvalid
from seslip.errors import ServiceError
from seslip.web import public

bp = Blueprint("accounts", __name__)

Page = str | Response | tuple[str, int]


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect to another site after signing in.
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.home")


def _ip() -> str:
    return request.remote_addr or ""


def _sign_in(user: User) -> None:
    if old := session.get(sessions.SESSION_KEY):
        sessions.end(old)  # committed by start() below
    session.clear()  # a fresh session: nothing from before signing in carries over
    login_user(user, remember=False)
    session[sessions.SESSION_KEY] = sessions.start(user, _ip())
    session.permanent = True  # so PERMANENT_SESSION_LIFETIME applies


def _form_error(form: NewPasswordForm | ChangePasswordForm, error: ServiceError) -> None:
    field = getattr(form, error.field or "", None) or form.password
    field.errors = [*field.errors, error.message]


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Page:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data or "", form.password.data or "", _ip())
        except RateLimited as limited:
            form.email.errors = [limited.message]
            return render_template("accounts/login.html", form=form), 429
        if user is not None:
            _sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors = ["Enter a correct email address and password"]
    if form.errors:
        status = 422
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@public
def logout() -> Response:
    person = current_user if current_user.is_authenticated else None
    services.sign_out(person, session.get(sessions.SESSION_KEY))
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
def account() -> Page:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current.data or "", form.password.data or "",
                form.confirm.data or "",
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            # A new session keeps this browser signed in (the real object, not the proxy).
            _sign_in(current_user._get_current_object())
            flash("Your password has been changed. You have been signed out everywhere else.",
                  "success")
            return redirect(url_for("accounts.account"))
    status = 422 if form.errors else 200
    return render_template("accounts/account.html", form=form, hint=PASSWORD_HINT), status


def _link_expired(kind: str) -> tuple[str, int]:
    return render_template("accounts/link_expired.html", kind=kind), 410


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str) -> Page:
    try:
        person = services.invitation_for(token)
    except TokenInvalid:
        return _link_expired("invitation")
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.password.data or "",
                                              form.confirm.data or "")
        except TokenInvalid:
            return _link_expired("invitation")
        except ServiceError as error:
            _form_error(form, error)
        else:
            logout_user()
            _sign_in(user)
            flash(f"Welcome to the SESLIP Intranet, {user.name}. Your account is ready.",
                  "success")
            return redirect(url_for("core.home"))
    status = 422 if form.errors else 200
    return render_template("accounts/accept_invitation.html", form=form, person=person,
                           hint=PASSWORD_HINT), status


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password() -> Page:
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            services.request_password_reset(form.email.data or "", _ip())
        except RateLimited as limited:
            form.email.errors = [limited.message]
            return render_template("accounts/forgot_password.html", form=form), 429
        return redirect(url_for("accounts.reset_sent"))
    status = 422 if form.errors else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.get("/forgot-password/sent")
@public
def reset_sent() -> str:
    return render_template("accounts/reset_sent.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> Page:
    try:
        person = services.reset_for(token)
    except TokenInvalid:
        return _link_expired("reset")
    form = NewPasswordForm()
    form.password.label.text = "New password"
    form.confirm.label.text = "Confirm your new password"
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data or "",
                                           form.confirm.data or "")
        except TokenInvalid:
            return _link_expired("reset")
        except ServiceError as error:
            _form_error(form, error)
        else:
            logout_user()
            _sign_in(user)
            flash("Your password has been reset. You have been signed out everywhere else.",
                  "success")
            return redirect(url_for("core.home"))
    status = 422 if form.errors else 200
    return render_template("accounts/reset_password.html", form=form, person=person,
                           hint=PASSWORD_HINT), status
