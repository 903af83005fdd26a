"""The form engine as this app uses it: one registry per app, definitions parsed once.

Two caches: the engine's DefinitionRegistry (the files on disk, reloaded when they change) and a
small cache of definitions parsed from stored FormVersion text, keyed by the text's SHA-256, so a
response page never re-parses YAML after the first request in a process.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from seslip.formengine import (
    Definition,
    DefinitionRegistry,
    Limits,
    Problem,
    parse_definition,
)

EXTENSION = "seslip_questionnaires"
PARSED_CACHE_SIZE = 64
STORED_LIMITS = Limits(check_option_values=False)


@dataclass(frozen=True)
class CurrentFile:
    """A definition file as it is on disk now."""

    definition: Definition
    source: str
    sha256: str


class QuestionnaireEngine:
    def __init__(self, directory: str | Path) -> None:
        self.registry = DefinitionRegistry(directory)
        self._parsed: OrderedDict[str, Definition] = OrderedDict()
        self._lock = threading.Lock()

    def definitions(self) -> list[Definition]:
        """Every definition file that loads, by id (broken ones are left out)."""
        return self.registry.all()

    def problems_by_id(self) -> dict[str, list[Problem]]:
        """The problems of each broken definition file, by the id its file name gives."""
        found: dict[str, list[Problem]] = {}
        for problem in self.registry.problems():
            found.setdefault(Path(problem.path).stem, []).append(problem)
        return found

    def file_name(self, definition_id: str) -> str:
        return str(self.registry.directory / f"{definition_id}.yaml")

    def current(self, definition_id: str) -> CurrentFile:
        """The file's definition with its text and hash; KeyError or DefinitionError."""
        self.registry.get(definition_id)  # validates the id and the file
        source_bytes = (self.registry.directory / f"{definition_id}.yaml").read_bytes()
        sha = sha256(source_bytes)
        source = source_bytes.decode("utf-8")
        return CurrentFile(self.parsed(definition_id, source, sha), source, sha)

    def parsed(self, definition_id: str, source: str, sha: str) -> Definition:
        """The definition for a stored text, parsed once per process."""
        with self._lock:
            found = self._parsed.get(sha)
            if found is not None:
                self._parsed.move_to_end(sha)
                return found
        # Stored texts were accepted when they were stored: checks added since must not make
        # their responses unreadable.
        definition = parse_definition(
            source, path=f"{definition_id}.yaml", expected_id=definition_id, limits=STORED_LIMITS
        )
        with self._lock:
            self._parsed[sha] = definition
            while len(self._parsed) > PARSED_CACHE_SIZE:
                self._parsed.popitem(last=False)
        return definition


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def init_app(app: Flask) -> QuestionnaireEngine:
    engine = QuestionnaireEngine(app.config["SESLIP_FORM_DEFINITIONS"])
    app.extensions[EXTENSION] = engine
    return engine


def engine() -> QuestionnaireEngine:
    """This app's engine, created on first use (tests may change the directory before that)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(EXTENSION)
    directory = str(app.config["SESLIP_FORM_DEFINITIONS"])
    if found is None or found.registry.directory != Path(directory):
        found = init_app(app)
    return found
