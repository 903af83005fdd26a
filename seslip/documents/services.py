"""Key documents: staff upload a document and its new versions (checked by content with the
meetings' file checks, stored through the one storage, audited, committed); every signed-in
person reads and downloads any version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import groupby

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from seslip.accounts.models import User
from seslip.audit.services import record
from seslip.documents.models import Document, DocumentCategory, DocumentVersion
from seslip.errors import ServiceError
from seslip.extensions import db
from seslip.files import filetypes
from seslip.files.storage import storage
from seslip.permissions import require_staff
from seslip.records import get_or_raise

MIMETYPES = {k.extension: k.mimetype for k in (filetypes.PDF, filetypes.PNG, filetypes.JPEG,
                                              filetypes.DOCX, filetypes.PPTX, filetypes.XLSX)}


def require_uploader(actor: User) -> None:
    """Admins and the programme manager look after the documents."""
    require_staff(actor)


def _store(actor: User | None, document: Document, data: bytes) -> DocumentVersion:
    kind = filetypes.checked(data, current_app.config["SESLIP_MAX_UPLOAD_BYTES"])
    number = len(document.versions) + 1
    version = DocumentVersion(
        document=document, number=number, storage_key=storage().save(data),
        download_name=filetypes.safe_name(document.title, kind, fallback="document"),
        extension=kind.extension, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=actor.id if actor else None,
    )
    db.session.add(version)
    db.session.flush()
    record(actor, "upload", version, f"Uploaded version {number} of “{document.title}”",
           {"size": len(data), "type": kind.label, "sha256": version.sha256})
    return version


def add_document(actor: User | None, title: str, category: DocumentCategory,
                 data: bytes) -> Document:
    """`actor` None is the demo."""
    if actor is not None:
        require_uploader(actor)
    return store_document(actor, title, category, data)


def store_document(actor: User | None, title: str, category: DocumentCategory,
                   data: bytes) -> Document:
    """Add a document with its first version, for a caller that has checked who may (another
    area publishing its own documents, such as a network's reports)."""
    title = title.strip()
    if not title:
        raise ServiceError("Enter a title for the document.", "title")
    if len(title) > 300:
        raise ServiceError("The title must be 300 characters or fewer.", "title")
    document = Document(title=title, category=category,
                        created_by_id=actor.id if actor else None)
    db.session.add(document)
    db.session.flush()
    record(actor, "create", document, f"Added the document “{title}”",
           {"category": category.value})
    _store(actor, document, data)
    db.session.commit()
    return document


def add_version(actor: User, document: Document, data: bytes) -> DocumentVersion:
    require_uploader(actor)
    version = _store(actor, document, data)
    db.session.commit()
    return version


def load(ident: int) -> Document:
    return get_or_raise(Document, ident, "There is no such document.")


def load_version(document_id: int, version_id: int) -> DocumentVersion:
    return get_or_raise(DocumentVersion, version_id, "There is no such version.",
                        lambda v: v.document_id == document_id)


@dataclass(frozen=True)
class Download:
    data: bytes
    mimetype: str
    name: str


def download(actor: User, version: DocumentVersion) -> Download:
    """Any signed-in person (the view needs a sign-in) may download any version."""
    return Download(storage().load(version.storage_key), MIMETYPES[version.extension],
                    version.download_name)


def library() -> list[tuple[DocumentCategory, list[Document]]]:
    """The documents by category, in the categories' order, newest first in each."""
    order = list(DocumentCategory)
    found = db.session.scalars(select(Document).options(selectinload(Document.versions)))
    documents = sorted(found, key=lambda d: (order.index(d.category), -d.id))
    return [(category, list(docs)) for category, docs in groupby(documents, lambda d: d.category)]
