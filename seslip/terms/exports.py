"""A version of a network's terms of reference as Word (python-docx) and PDF (WeasyPrint, from
the print view that the page's print stylesheet also gives). Both carry the version, the
approval date and the approver in the footer. The page and `seslip export-document` call
these same functions."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from flask import current_app, render_template, send_file
from werkzeug.wrappers import Response

from seslip.errors import ServiceError
from seslip.formengine.documentdiff import paragraphs
from seslip.markup import render_markdown
from seslip.networks.models import Network
from seslip.terms import services as svc
from seslip.terms.models import TermsVersion
from seslip.timeutil import format_date

FORMATS = ("docx", "pdf")
PRINT_CSS = "css/print.css"
_LIST = re.compile(r"^\s*(?:[-*+·•]|\d+[.)])\s+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def footer_text(version: TermsVersion) -> str:
    approver = version.approver.name if version.approver else "not recorded"
    body = f" for {version.approved_by_body}" if version.approved_by_body else ""
    return (f"Version {version.number}, approved {format_date(version.approved_on)} by "
            f"{approver}{body}")


def print_html(network: Network, version: TermsVersion, *, for_pdf: bool = False) -> str:
    return render_template("terms/print.html", network=network, version=version,
                           shown=svc.shown_version(version), md=render_markdown,
                           footer=footer_text(version), for_pdf=for_pdf)


def _plain(markdown_line: str) -> str:
    """A Markdown paragraph as plain text for Word: emphasis marks dropped, links as
    'text (address)'."""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", markdown_line)
    return _EMPHASIS.sub(lambda m: m.group(2), text)


def to_docx(network: Network, version: TermsVersion) -> bytes:
    import docx

    shown = svc.shown_version(version)
    word = docx.Document()
    word.add_heading(f"{network.name}: {shown.definition.title}", level=0)
    for section in shown.sections():
        word.add_heading(section.title, level=1)
        for label, text in shown.fields(section):
            paragraph = word.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(text)
        for text in paragraphs(shown.bodies.get(section.id)):
            if _LIST.match(text):
                word.add_paragraph(_plain(_LIST.sub("", text, count=1)), style="List Bullet")
            elif text.startswith("#"):
                word.add_heading(_plain(text.lstrip("# ")), level=2)
            else:
                word.add_paragraph(_plain(text.lstrip("> ")))
    word.sections[0].footer.paragraphs[0].text = footer_text(version)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The print view links nothing: refusing every URL keeps any text from making the server
    # fetch something.
    raise ValueError(f"The print view does not load {url}")


def to_pdf(network: Network, version: TermsVersion) -> bytes:
    try:
        import weasyprint  # only PDFs need it, and it is slow to import
    except (OSError, ImportError) as error:
        current_app.logger.error("PDF exports are unavailable: %s", error)
        raise ServiceError("PDF files cannot be made on this server at the moment. Download "
                           "the Word file instead, and please tell the programme team.") from None
    static = Path(current_app.static_folder or "static")
    css = weasyprint.CSS(string=(static / PRINT_CSS).read_text(encoding="utf-8"),
                         url_fetcher=_no_fetching)
    html = weasyprint.HTML(string=print_html(network, version, for_pdf=True),
                           url_fetcher=_no_fetching)
    return bytes(html.write_pdf(stylesheets=[css]))


def export(network: Network, version: TermsVersion, fmt: str) -> bytes:
    return to_docx(network, version) if fmt == "docx" else to_pdf(network, version)


def file_name(network: Network, version: TermsVersion, fmt: str) -> str:
    return f"{network.slug}-terms-of-reference-v{version.number}.{fmt}"


MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def download(network: Network, version: TermsVersion, fmt: str, data: bytes) -> Response:
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=file_name(network, version, fmt))
