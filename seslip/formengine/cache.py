"""The one cache of parsed definitions: by the SHA-256 of their text, files re-read on change.

A text is parsed once per process, whether it comes from a file in the definitions folder or
from a stored form version; a file is read again only when its mtime or size changes.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from .loader import DEFAULT_LIMITS, Limits, parse_definition, read_source
from .model import Definition, DefinitionError, Problem

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_LENGTH = 100
_Stamp = tuple[int, int]  # (mtime_ns, size)
_Key = tuple[str, str, str | None, Limits]  # (sha256, path shown in problems, expected id, limits)
PARSED_CACHE_SIZE = 64


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class CurrentFile:
    """A definition file as it is on disk now: its definition, text and the text's hash."""

    definition: Definition
    source: str
    sha256: str


class DefinitionCache:
    """Parsed definitions by text hash (the last `size` used), and file contents by stamp.

    Broken texts are cached too (as their DefinitionError), so a bad file is not re-parsed on
    every request.
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS, size: int = PARSED_CACHE_SIZE) -> None:
        self.limits = limits
        self.size = size
        self._files: dict[Path, tuple[_Stamp, bytes, str]] = {}
        self._parsed: OrderedDict[_Key, Definition | DefinitionError] = OrderedDict()
        self._lock = threading.Lock()

    def parse(
        self,
        source: bytes | str,
        *,
        path: str,
        expected_id: str | None,
        sha: str | None = None,
        limits: Limits | None = None,
    ) -> Definition:
        """The definition of this text (`sha` is its hash, when the caller knows it), checked
        with `limits` (the cache's own when None)."""
        if sha is None:
            sha = sha256(source.encode("utf-8") if isinstance(source, str) else source)
        limits = limits or self.limits
        key = (sha, path, expected_id, limits)
        with self._lock:
            found = self._parsed.get(key)
            if found is not None:
                self._parsed.move_to_end(key)
        if found is None:
            try:
                found = parse_definition(
                    source, path=path, limits=limits, expected_id=expected_id
                )
            except DefinitionError as error:
                found = error
            with self._lock:
                self._parsed[key] = found
                while len(self._parsed) > self.size:
                    self._parsed.popitem(last=False)
        if isinstance(found, DefinitionError):
            raise found
        return found

    def read(self, path: Path) -> tuple[bytes, str]:
        """A file's bytes and their hash; OSError when it is gone, DefinitionError when it
        cannot be read."""
        try:
            info = os.stat(path)
        except OSError:
            with self._lock:
                self._files.pop(path, None)
            raise
        stamp = (info.st_mtime_ns, info.st_size)
        with self._lock:
            entry = self._files.get(path)
        if entry is None or entry[0] != stamp:
            # The stamp is taken before reading: a change during the read gives a new stamp
            # next time, so a half-written file is never kept for good.
            source = read_source(path, self.limits)
            entry = (stamp, source, sha256(source))
            with self._lock:
                self._files[path] = entry
        return entry[1], entry[2]

    def load(self, path: str | Path) -> Definition:
        path = Path(path)
        source, sha = self.read(path)
        return self.parse(source, path=str(path), expected_id=path.stem, sha=sha)


class DefinitionRegistry:
    """The definitions in one directory, as `<id>.yaml` files."""

    def __init__(
        self,
        directory: str | Path,
        limits: Limits = DEFAULT_LIMITS,
        stored_limits: Limits | None = None,
    ) -> None:
        """`stored_limits` check stored versions' texts (default: `limits`): a text accepted
        when it was stored may need to stay readable when checks become stricter."""
        self.directory = Path(directory)
        self.cache = DefinitionCache(limits)
        self.stored_limits = stored_limits or limits

    def paths(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(path for path in self.directory.glob("*.yaml") if path.is_file())

    def ids(self) -> list[str]:
        return [path.stem for path in self.paths()]

    def _path(self, definition_id: str) -> Path:
        # The pattern keeps ids like "../x" from reaching the file system; the length, names
        # longer than file systems allow (responses store ids of up to 100 characters).
        if len(definition_id) > MAX_ID_LENGTH or not _ID.fullmatch(definition_id):
            raise KeyError(definition_id)
        return self.directory / f"{definition_id}.yaml"

    def get(self, definition_id: str) -> Definition:
        """The definition with this id; KeyError when there is none, DefinitionError when
        its file is broken."""
        try:
            return self.cache.load(self._path(definition_id))
        except FileNotFoundError:
            raise KeyError(definition_id) from None

    def current(self, definition_id: str) -> CurrentFile:
        """The file's definition with its text and hash, as a stored version would keep them
        (KeyError or DefinitionError as for get())."""
        try:
            source, sha = self.cache.read(self._path(definition_id))
        except FileNotFoundError:
            raise KeyError(definition_id) from None
        # Parsed before decoding: a file that is not UTF-8 is a DefinitionError that says so.
        definition = self.cache.parse(
            source, path=f"{definition_id}.yaml", expected_id=definition_id, sha=sha
        )
        return CurrentFile(definition, source.decode("utf-8"), sha)

    def stored(self, definition_id: str, source: str, sha: str) -> Definition:
        """The definition of a stored version's text (problems name the file by its id)."""
        return self.cache.parse(
            source,
            path=f"{definition_id}.yaml",
            expected_id=definition_id,
            sha=sha,
            limits=self.stored_limits,
        )

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
