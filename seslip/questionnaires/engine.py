"""The form engine as this app uses it: one DefinitionRegistry per app, over the definitions
folder. Its cache (formengine/cache.py) holds every parsed definition, from files and from
stored form versions alike, keyed by the text's SHA-256, so a response page never re-parses
YAML after the first request in a process."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from seslip.formengine import DefinitionRegistry, Limits, Problem

EXTENSION = "seslip_questionnaires"
# Stored texts were accepted when they were stored: checks added since must not make their
# responses unreadable.
STORED_LIMITS = Limits(check_option_values=False)


def init_app(app: Flask) -> DefinitionRegistry:
    registry = DefinitionRegistry(
        app.config["SESLIP_FORM_DEFINITIONS"], stored_limits=STORED_LIMITS
    )
    app.extensions[EXTENSION] = registry
    return registry


def engine() -> DefinitionRegistry:
    """This app's registry, created on first use (tests may change the directory before that)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found: DefinitionRegistry | None = app.extensions.get(EXTENSION)
    directory = str(app.config["SESLIP_FORM_DEFINITIONS"])
    if found is None or found.directory != Path(directory):
        found = init_app(app)
    return found


def problems_by_id() -> dict[str, list[Problem]]:
    """The problems of each broken definition file, by the id its file name gives."""
    found: dict[str, list[Problem]] = {}
    for problem in engine().problems():
        found.setdefault(Path(problem.path).stem, []).append(problem)
    return found


def file_name(definition_id: str) -> str:
    """Where the definition file with this id is (or would be)."""
    return str(engine().directory / f"{definition_id}.yaml")
