"""The columns every kept file has, whichever area keeps it (a paper's version, a key
document's version, an event's slides). The bytes are in the storage, never in the table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from seslip.timeutil import utcnow


class StoredFile:
    """A mixin for a model that points at one file in the storage (files/storage.py)."""

    storage_key: Mapped[str] = mapped_column(String(64), unique=True)  # random, never the name
    download_name: Mapped[str] = mapped_column(String(120))  # made safe
    extension: Mapped[str] = mapped_column(String(10))  # of what the bytes are
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
