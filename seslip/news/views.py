"""Views of the news area: the archive, each item, and the staff's post, edit and history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from seslip.markup import render_markdown
from seslip.news import services as svc
from seslip.news.forms import NewsForm
from seslip.web import attempt, form_status

bp = Blueprint("news", __name__, url_prefix="/news")


@bp.get("")
def index() -> Any:
    return render_template("news/index.html", items=svc.archive(),
                           may_post=current_user.is_staff)


@bp.get("/<int:item_id>")
def show(item_id: int) -> Any:
    item = svc.load(item_id)
    return render_template("news/show.html", item=item, body=render_markdown(item.body),
                           may_post=current_user.is_staff)


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    svc.require_poster(current_user)
    form = NewsForm()
    if form.validate_on_submit():
        item = attempt(form, lambda: svc.post_news(
            current_user, form.title.data or "", form.body.data or "", form.published_on.data))
        if item:
            flash(f"“{item.title}” was posted.", "success")
            return redirect(url_for("news.show", item_id=item.id))
    return render_template("news/form.html", form=form, item=None), form_status(form)


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
def edit(item_id: int) -> Any:
    item = svc.load_for_edit(current_user, item_id)
    form = NewsForm(obj=item)
    if form.validate_on_submit():
        done = attempt(form, lambda: svc.edit_news(
            current_user, item, form.title.data or "", form.body.data or "",
            form.published_on.data))
        if done:
            flash(f"“{done.title}” was saved; earlier versions are kept.", "success")
            return redirect(url_for("news.show", item_id=item.id))
    return render_template("news/form.html", form=form, item=item), form_status(form)


@bp.get("/<int:item_id>/history")
def history(item_id: int) -> Any:
    item = svc.load_for_edit(current_user, item_id)
    revisions = [(r, render_markdown(r.body)) for r in reversed(item.revisions)]
    return render_template("news/history.html", item=item, revisions=revisions)
