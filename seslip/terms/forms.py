"""Forms of the terms-of-reference area. The section editor's fields come from the template,
so it is a plain form (CSRF token included) read by the view; these are the fixed ones."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length


class CommentForm(FlaskForm):
    """Submit, publish, approve, return and review all take one optional comment."""

    comment = TextAreaField("Comment", validators=[Length(max=5_000)])
