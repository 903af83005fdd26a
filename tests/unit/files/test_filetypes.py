"""Uploaded files are judged by their bytes, and downloaded under a safe name."""

from __future__ import annotations

import io
import zipfile

import pytest

from seslip.errors import ServiceError
from seslip.files.filetypes import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    PPTX,
    XLSX,
    checked,
    safe_name,
    sniff,
)
from seslip.meetings.demo import demo_pdf

MAIN = {
    "word": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "ppt": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "xl": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


def office(folder: str, main: str | None = None, member: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         f'<Types><Override PartName="/x" ContentType="{main or MAIN[folder]}"/>'
                         "</Types>")
        archive.writestr(member or f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


def test_accepted_kinds_from_their_bytes() -> None:
    assert sniff(demo_pdf("A paper")) is PDF
    assert sniff(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20) is PNG
    assert sniff(b"\xff\xd8\xff\xe0" + b"\x00" * 20) is JPEG
    assert sniff(office("word")) is DOCX
    assert sniff(office("ppt")) is PPTX
    assert sniff(office("xl")) is XLSX


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00" + b"\x00" * 60,  # a Windows executable
    b"\x7fELF\x02\x01\x01",  # a Linux one
    b"<html><script>alert(1)</script>",
    b"GIF89a\x00",  # an image kind we do not take
    b"PK\x03\x04 not really a zip",
    b"",
])
def test_refused_whatever_the_name(data: bytes) -> None:
    assert sniff(data) is None


def test_a_zip_that_is_not_office_is_refused() -> None:
    assert sniff(office("word", member="other/thing.xml")) is None  # no word/ folder
    macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
    assert sniff(office("word", main=macro)) is None  # .docm
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")  # no [Content_Types].xml
    assert sniff(buffer.getvalue()) is None


@pytest.mark.parametrize(("wanted", "kind", "expected"), [
    ("Budget report.pdf", PDF, "Budget report.pdf"),
    ("../../etc/passwd", PDF, "passwd.pdf"),
    ("..\\..\\windows\\system32\\evil.exe", PDF, "evil.pdf"),
    ("slides.pdf", PPTX, "slides.pptx"),  # the extension of what the bytes are
    ('a"b;c\r\nd<e>.docx', DOCX, "abcde.docx"),
    ("Ünïcödé café", XLSX, "Unicode cafe.xlsx"),
    ("...", PNG, "paper.png"),
    ("x" * 300, PDF, "x" * 100 + ".pdf"),
])
def test_safe_names(wanted: str, kind: object, expected: str) -> None:
    assert safe_name(wanted, kind) == expected  # type: ignore[arg-type]


def test_checked_says_what_is_wrong_with_an_upload_on_the_file_field() -> None:
    pdf = demo_pdf("x")
    assert checked(pdf, 10_000) is PDF
    for data, limit, message in ((b"", 10, "empty"), (pdf, 10, "larger than"),
                                 (b"MZ" + b"\0" * 20, 10_000, "must be a PDF")):
        with pytest.raises(ServiceError, match=message) as refused:
            checked(data, limit)
        assert refused.value.field == "file"
