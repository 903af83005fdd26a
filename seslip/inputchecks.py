"""Malformed requests are refused before any view sees them, with a 400 or 404 that says why.

- Ids in URLs: `<int:...>` is bounded to what an integer column holds on both databases
  (PostgreSQL's `integer` stops at 2**31 - 1; SQLite's at 2**63 - 1), so a larger id is no such
  page (404), never a database error.
- NUL characters: PostgreSQL text cannot hold them and nobody types one. One in the path, the
  query string or the form (a name or a value) is a 400 that names the field.
- Files: only the fields in FILE_FIELDS take a file (meeting papers, key documents, a
  questionnaire definition); any other file part is a 400 that names the field, since WTForms
  text fields would be handed the file otherwise.
- Bodies: a POST sends a form (urlencoded or multipart); JSON or anything else is a 400.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The only fields that take a file, by endpoint: the service checks what the file is.
FILE_FIELDS: dict[str, frozenset[str]] = {
    "meetings.upload_paper": frozenset({"file"}),
    "meetings.replace_paper": frozenset({"file"}),
    "library.upload": frozenset({"definition"}),
    "documents.new": frozenset({"file"}),
    "documents.add_version": frozenset({"file"}),
    "events.upload_paper": frozenset({"file"}),
    "programmes.new_report": frozenset({"file"}),
}


class DatabaseId(IntegerConverter):
    """`<int:...>` for record ids: 0 to MAX_ID, ASCII digits only (int() would also take
    other scripts' digits, and refuses more than 4,300 of them with an error)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


# The routes that take a file, and the one field that may carry it.
def init_input_checks(app: Flask) -> None:
    """Call before blueprints are registered (their rules look the converter up) and before
    CSRF protection (so a wrong body gets this message, not "the form had expired")."""
    app.url_map.converters["int"] = DatabaseId
    app.before_request(refuse_malformed)


def refuse_malformed() -> Any:
    problem = _problem()
    if problem is None:
        return None
    if getattr(request, "htmx", False):
        body = f"Not sent: {problem}"
    else:
        from seslip.core.views import ERROR_TITLES

        body = render_template("errors/error.html", status=400, title=ERROR_TITLES[400],
                               message=problem)
    # The header tells the questionnaire script this 400 is a refusal, not an expired session.
    return body, 400, {"X-Questionnaire-Error": "bad-submission"}


def _problem() -> str | None:
    if "\x00" in request.path:
        return "The address contains a NUL character, which no page of this site has."
    for name, value in request.args.items(multi=True):
        if "\x00" in name or "\x00" in value:
            return (f"The address contains a NUL character in “{_shown(name)}”. Remove it and "
                    "try again.")
    if request.method not in BODY_METHODS:
        return None
    mimetype = request.mimetype
    if mimetype not in FORM_TYPES and (mimetype or (request.content_length or 0) > 0):
        return (f"This address takes a form as a browser sends it, not {mimetype or 'a body'}. "
                "Nothing was changed.")
    allowed = FILE_FIELDS.get(request.endpoint or "", frozenset())
    if refused := next((n for n in request.files if n not in allowed), None):
        return (f"The field “{_shown(refused)}” was sent a file, but it takes text. "
                "Nothing was changed.")
    for name, value in request.form.items(multi=True):
        if "\x00" in name or "\x00" in value:
            return (f"The field “{_shown(name)}” contains a NUL character, which cannot be "
                    "stored. Remove it and send the form again. Nothing was changed.")
    return None


def _shown(name: str) -> str:
    """A field name as a message can show it: NUL made visible, kept short."""
    name = name.replace("\x00", "\\0")
    return name if len(name) <= 60 else name[:57] + "..."
