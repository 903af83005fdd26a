"""Sign in, sign out and the account page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from seslip.accounts import services
from seslip.accounts.forms import LoginForm
from seslip.web import public

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect to another site after signing in.
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors.append("Enter a correct email address and password")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("accounts.login"))


@bp.get("/account")
def account() -> str:
    return render_template("accounts/account.html")
