"""Reading a directive from a file: plain text, DOCX, or PDF (text layer, else OCR).

Every reader has bounds (file size, unpacked size, pages, characters) checked before the costly
step, and every failure comes back as FileError with a message for the person who uploaded it,
whatever the parser raised. ``inline=True`` is for a person or system waiting on the answer: a
file that would take long (many pages, a scan to OCR, a large file) raises NeedsWorker instead,
and the caller hands it to the worker.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from nhiemvu.lib.archives import ArchiveError, check_zip
from nhiemvu.lib.bounds import bound

MAX_BYTES = 20 * 1024 * 1024
# The longest text read; the API and the paste box allow the same.
MAX_CHARS = 200_000
MAX_PAGES = bound("PDF_MAX_PAGES", 300)
# What is read while someone waits; more goes to the worker.
INLINE_BYTES = 2 * 1024 * 1024
INLINE_PAGES = 40
INLINE_DOCUMENT_XML = 8 * 1024 * 1024
MAX_DOCUMENT_XML = 40 * 1024 * 1024


class FileError(ValueError):
    pass


class NeedsWorker(Exception):
    """The file is readable but too long to read while someone waits."""


def read_file(path: str | Path) -> str:
    file_path = Path(path)
    try:
        data = file_path.read_bytes()
    except OSError as exc:
        raise FileError(
            _("Cannot read the file “%(name)s”: %(why)s.")
            % {"name": file_path.name, "why": exc.strerror}
        ) from exc
    return read_bytes(data, file_path.name)


def read_bytes(data: bytes, name: str, *, inline: bool = False) -> str:
    if len(data) > MAX_BYTES:
        raise FileError(
            _("The file “%(name)s” is too large (at most %(max)s MB).")
            % {"name": name, "max": MAX_BYTES // 1048576}
        )
    if not data:
        raise FileError(_("The file “%(name)s” is empty.") % {"name": name})
    lower = name.lower()
    if inline and len(data) > INLINE_BYTES and data.startswith((b"%PDF-", b"PK\x03\x04")):
        raise NeedsWorker  # a plain text that large is refused for its length just below
    if data.startswith(b"%PDF-"):
        text = _pdf(data, name, inline)
    elif data.startswith(b"PK\x03\x04"):
        text = _docx(data, name, inline)
    elif lower.endswith((".pdf", ".docx")):
        raise FileError(_("The file “%(name)s” is damaged or not in its format.") % {"name": name})
    else:
        text = _plain(data, name)
    return check_length(text, name)


def check_length(text: str, name: str = "") -> str:
    if len(text) > MAX_CHARS:
        raise FileError(
            _(
                "The text of “%(name)s” is %(n)s characters long; at most %(max)s can be read. "
                "Split the document or paste the part that assigns the tasks."
            )
            % {"name": name, "n": _thousands(len(text)), "max": _thousands(MAX_CHARS)}
        )
    return text


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")  # 200.000, as Vietnamese writes it


def _plain(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise FileError(
            _("The file “%(name)s” is not a document (PDF, DOCX or TXT).") % {"name": name}
        )
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(
        _("The file “%(name)s” is not in UTF-8; save it again as UTF-8.") % {"name": name}
    )


def _docx(data: bytes, name: str, inline: bool) -> str:
    damaged = FileError(
        _("The file “%(name)s” is damaged or not a Word file (.docx).") % {"name": name}
    )
    try:
        body_size = check_zip(io.BytesIO(data), name)["word/document.xml"]
    except ArchiveError as exc:
        raise FileError(str(exc)) from exc
    except KeyError as exc:
        raise damaged from exc
    if body_size > MAX_DOCUMENT_XML:
        raise FileError(
            _("The file “%(name)s” is too long to read; send the part that assigns the tasks.")
            % {"name": name}
        )
    if inline and body_size > INLINE_DOCUMENT_XML:
        raise NeedsWorker
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        return _docx_text(document)
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged file
        raise damaged from exc


def _docx_text(document: object) -> str:
    lines = []
    # The Decree 30 header is usually a two-column table: read tables in order with paragraphs.
    body = document.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(
                "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            )
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iter():
                        if cell.tag.endswith("}tc"):
                            text = "\n".join(
                                "".join(n.text or "" for n in p.iter() if n.tag.endswith("}t"))
                                for p in cell.iter()
                                if p.tag.endswith("}p")
                            )
                            cells.append(text.strip())
                    lines.append(" | ".join(c for c in cells if c))
    return "\n".join(lines)


def _pdf(data: bytes, name: str, inline: bool) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        pages = page_count(reader, MAX_PAGES)
    except Exception as exc:  # pypdf raises many kinds on a damaged or hostile file
        raise FileError(_("The file “%(name)s” is damaged or not a PDF.") % {"name": name}) from exc
    if pages > MAX_PAGES:
        raise FileError(
            _(
                "The file “%(name)s” has %(n)s pages; at most %(max)s are read. Send the "
                "document without its annexes."
            )
            % {"name": name, "n": pages, "max": MAX_PAGES}
        )
    if inline and pages > INLINE_PAGES:
        raise NeedsWorker
    parts: list[str] = []
    length = 0
    try:
        for page in reader.pages:
            part = page.extract_text() or ""
            parts.append(part)
            length += len(part) + 1
            if length > MAX_CHARS:
                break  # check_length gives the message; no need to read the rest
    except Exception as exc:
        raise FileError(_("The file “%(name)s” is damaged or not a PDF.") % {"name": name}) from exc
    text = "\n".join(parts)
    if len(text.strip()) >= 40:
        return text
    if inline:
        raise NeedsWorker  # a scan: OCR takes seconds a page
    return _ocr(data, name, pages)


def page_count(reader: Any, limit: int) -> int:
    """How many pages a PDF has, known before any page is parsed, or any number above ``limit``.

    pypdf's ``len(reader.pages)`` flattens the whole page tree first (a 10,000-page file took
    15 s to be refused on a loaded machine). The tree's root declares /Count: past the limit the
    file is refused on that alone. A declared count can lie, so the tree is walked too, leaf by
    leaf, stopping as soon as it passes the limit: at most ``limit`` pages are ever opened."""
    root = reader.trailer["/Root"].get_object()["/Pages"].get_object()
    declared = int(root.get("/Count", 0))
    if declared > limit:
        return declared
    count, stack, seen = 0, [root], set()
    while stack:
        node = stack.pop().get_object()  # a kid is opened only when its turn comes
        if id(node) in seen:  # a tree that points back into itself
            continue
        seen.add(id(node))
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            stack.extend(reversed(node.get("/Kids", [])))
        else:
            count += 1
        if count > limit or len(seen) > 4 * limit + 16:
            return max(count, limit + 1)
    return count


def _ocr(data: bytes, name: str, pages: int) -> str:
    """A scanned PDF: pdftoppm renders the pages, Tesseract reads them with its Vietnamese model."""
    tesseract, pdftoppm = shutil.which("tesseract"), shutil.which("pdftoppm")
    if not tesseract or not pdftoppm:
        raise FileError(
            _(
                "The file “%(name)s” is a scan without a text layer. Reading it needs OCR "
                "(Debian packages tesseract-ocr, tesseract-ocr-vie and poppler-utils); or upload "
                "a DOCX or a PDF with text."
            )
            % {"name": name}
        )
    langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, check=False)
    if "vie" not in langs.stdout.split():
        raise FileError(_("Tesseract has no Vietnamese data (package tesseract-ocr-vie)."))
    texts = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "in.pdf"
            pdf.write_bytes(data)
            subprocess.run(
                [pdftoppm, "-r", "300", "-l", str(pages), "-png", str(pdf), str(Path(tmp) / "p")],
                check=True,
                timeout=300,
                capture_output=True,
            )
            for image in sorted(Path(tmp).glob("p*.png")):
                result = subprocess.run(
                    [tesseract, str(image), "stdout", "-l", "vie"],
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=False,
                )
                texts.append(result.stdout)
    except (subprocess.SubprocessError, OSError) as exc:
        raise FileError(
            _("The scanned file “%(name)s” could not be read by OCR.") % {"name": name}
        ) from exc
    return "\n".join(texts)
