"""Where uploaded files live: one small interface, local disk under the instance folder by
default. Files are named by a random id, never by what was uploaded, and kept outside static/
so only the download view (which checks who may see them) hands them out."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Protocol

from flask import current_app

KEY = re.compile(r"[0-9a-f]{32}")


class Storage(Protocol):
    def save(self, data: bytes) -> str:
        """Store `data`; returns its key."""

    def load(self, key: str) -> bytes:
        """The bytes stored under `key` (FileNotFoundError when there are none)."""


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not KEY.fullmatch(key):  # a key is ours or nothing: no path can be smuggled in
            raise FileNotFoundError(key)
        return self.root / key[:2] / key

    def save(self, data: bytes) -> str:
        key = secrets.token_hex(16)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(data)
        os.replace(partial, path)  # a reader never sees half a file
        return key

    def load(self, key: str) -> bytes:
        return self._path(key).read_bytes()


def storage() -> Storage:
    return LocalStorage(Path(current_app.config["SESLIP_INSTANCE_PATH"]) / "uploads")
