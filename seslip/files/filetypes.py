"""What an uploaded file is, judged from its bytes alone (never its name or the browser's word),
and the safe name it is downloaded under. Pure Python."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from seslip.errors import ServiceError


@dataclass(frozen=True)
class FileKind:
    extension: str
    mimetype: str
    label: str


PDF = FileKind("pdf", "application/pdf", "PDF")
PNG = FileKind("png", "image/png", "PNG image")
JPEG = FileKind("jpg", "image/jpeg", "JPEG image")
DOCX = FileKind(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word")
PPTX = FileKind(
    "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint")
XLSX = FileKind(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel")
ACCEPTED = "PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), PNG or JPEG"

# An Office file is a zip whose [Content_Types].xml names the main part of its kind, and which
# holds that kind's folder. Macro-enabled files (.docm, .pptm, .xlsm) have other main types.
OFFICE = (
    (DOCX, "word/", "application/vnd.openxmlformats-officedocument.wordprocessingml."
                    "document.main+xml"),
    (PPTX, "ppt/", "application/vnd.openxmlformats-officedocument.presentationml."
                   "presentation.main+xml"),
    (XLSX, "xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
)
MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # a real one is a few kilobytes; more is a zip bomb


def sniff(data: bytes) -> FileKind | None:
    """The kind of file `data` is, or None when it is none of those accepted."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def _office(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                return None
            types = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError,
            NotImplementedError, EOFError):
        return None
    for kind, folder, main in OFFICE:
        if f'ContentType="{main}"' in types and any(n.startswith(folder) for n in names):
            return kind
    return None


def safe_name(wanted: str, kind: FileKind, fallback: str = "paper") -> str:
    """A download name with no path, no control or unusual characters, and the extension of
    what the file really is: "../../etc/passwd.exe" typed as a title gives "passwd.pdf"."""
    base = re.split(r"[\\/]", wanted)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", base.strip())
    base = re.sub(r"[^A-Za-z0-9 ._()-]+", "", base)
    base = re.sub(r"\s+", " ", base).strip(" .-_")[:100].strip(" .-_")
    return f"{base or fallback}.{kind.extension}"


def checked(data: bytes, limit: int) -> FileKind:
    """The kind of an upload that may be stored, or a ServiceError on the "file" field saying
    what is wrong (empty, over `limit` bytes, not a type we take). Every upload goes through
    here, whichever area it is for."""
    if not data:
        raise ServiceError("The file is empty. Choose the file again.", "file")
    if len(data) > limit:
        raise ServiceError(f"The file is larger than {limit // (1024 * 1024)} MB. Make it "
                           "smaller (for example save images at a lower resolution).", "file")
    kind = sniff(data)
    if kind is None:
        raise ServiceError(f"The file must be a {ACCEPTED} file. This one is "
                           "not, whatever its name says.", "file")
    return kind
