"""Parsed definitions cached by file, reloaded when the file changes."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from .loader import DEFAULT_LIMITS, Limits, load_definition
from .model import Definition, DefinitionError, Problem

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_LENGTH = 100
_Stamp = tuple[int, int]  # (mtime_ns, size)


class DefinitionCache:
    """Loads each path once and again only when its mtime_ns or size changes.

    Broken files are cached too (as their DefinitionError), so a bad file is not re-parsed on
    every request.
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self._entries: dict[Path, tuple[_Stamp, Definition | DefinitionError]] = {}
        self._lock = threading.Lock()

    def load(self, path: str | Path) -> Definition:
        path = Path(path)
        try:
            info = os.stat(path)
        except OSError:
            with self._lock:
                self._entries.pop(path, None)
            raise
        stamp = (info.st_mtime_ns, info.st_size)
        with self._lock:
            entry = self._entries.get(path)
        if entry is None or entry[0] != stamp:
            # The stamp is taken before reading: a change during the read gives a new stamp
            # next time, so a half-written file is never cached for good.
            try:
                result: Definition | DefinitionError = load_definition(path, limits=self.limits)
            except DefinitionError as error:
                result = error
            entry = (stamp, result)
            with self._lock:
                self._entries[path] = entry
        if isinstance(entry[1], DefinitionError):
            raise entry[1]
        return entry[1]


class DefinitionRegistry:
    """The definitions in one directory, as `<id>.yaml` files."""

    def __init__(self, directory: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.directory = Path(directory)
        self.cache = DefinitionCache(limits)

    def paths(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(path for path in self.directory.glob("*.yaml") if path.is_file())

    def ids(self) -> list[str]:
        return [path.stem for path in self.paths()]

    def get(self, definition_id: str) -> Definition:
        """The definition with this id; KeyError when there is none, DefinitionError when
        its file is broken."""
        # The pattern keeps ids like "../x" from reaching the file system; the length, names
        # longer than file systems allow (responses store ids of up to 100 characters).
        if len(definition_id) > MAX_ID_LENGTH or not _ID.fullmatch(definition_id):
            raise KeyError(definition_id)
        try:
            return self.cache.load(self.directory / f"{definition_id}.yaml")
        except FileNotFoundError:
            raise KeyError(definition_id) from None

    def all(self) -> list[Definition]:
        """Every definition that loads, by id; broken files are left out (see problems())."""
        definitions: list[Definition] = []
        for path in self.paths():
            try:
                definitions.append(self.cache.load(path))
            except (DefinitionError, OSError):
                continue
        return definitions

    def problems(self) -> list[Problem]:
        """Every problem of every broken file in the directory."""
        problems: list[Problem] = []
        for path in self.paths():
            try:
                self.cache.load(path)
            except DefinitionError as error:
                problems.extend(error.problems)
            except OSError as error:
                problems.append(Problem(str(path), 1, 1, f"the file cannot be read: {error}"))
        return problems
