"""Reading a directive from a file: plain text, DOCX, or PDF (text layer, else OCR).

Errors come back as FileError with a message in Vietnamese for the person who uploaded it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024


class FileError(ValueError):
    pass


def read_file(path: str | Path) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FileError(f"Không đọc được tệp “{p.name}”: {exc.strerror}.") from exc
    return read_bytes(data, p.name)


def read_bytes(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise FileError(f"Tệp “{name}” quá lớn (tối đa {MAX_BYTES // 1048576} MB).")
    if not data:
        raise FileError(f"Tệp “{name}” rỗng.")
    lower = name.lower()
    if data.startswith(b"%PDF-"):
        return _pdf(data, name)
    if data.startswith(b"PK\x03\x04"):
        return _docx(data, name)
    if lower.endswith((".pdf", ".docx")):
        raise FileError(f"Tệp “{name}” bị hỏng hoặc không đúng định dạng.")
    return _plain(data, name)


def _plain(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise FileError(f"Tệp “{name}” không phải văn bản (PDF, DOCX hoặc TXT).")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(f"Tệp “{name}” không dùng bảng mã UTF-8; hãy lưu lại dưới dạng UTF-8.")


def _docx(data: bytes, name: str) -> str:
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FileError(f"Tệp “{name}” bị hỏng hoặc không phải tệp Word (.docx).") from exc
    lines = []
    # The Decree 30 header is usually a two-column table: read tables in order with paragraphs.
    body = document.element.body
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


def _pdf(data: bytes, name: str) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise FileError(f"Tệp “{name}” bị hỏng hoặc không phải PDF.") from exc
    if len(text.strip()) >= 40:
        return text
    return _ocr(data, name)


def _ocr(data: bytes, name: str) -> str:
    """A scanned PDF: pdftoppm renders the pages, Tesseract reads them with its Vietnamese model."""
    tesseract, pdftoppm = shutil.which("tesseract"), shutil.which("pdftoppm")
    if not tesseract or not pdftoppm:
        raise FileError(
            f"Tệp “{name}” là bản quét, không có lớp chữ. Cần cài OCR (gói Debian "
            "tesseract-ocr, tesseract-ocr-vie và poppler-utils) để đọc, "
            "hoặc tải lên bản DOCX/PDF có chữ."
        )
    langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, check=False)
    if "vie" not in langs.stdout.split():
        raise FileError("Chưa cài dữ liệu tiếng Việt cho Tesseract (gói tesseract-ocr-vie).")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "in.pdf"
        pdf.write_bytes(data)
        subprocess.run(
            [pdftoppm, "-r", "300", "-png", str(pdf), str(Path(tmp) / "p")], check=True, timeout=300
        )
        pages = []
        for image in sorted(Path(tmp).glob("p*.png")):
            result = subprocess.run(
                [tesseract, str(image), "stdout", "-l", "vie"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            pages.append(result.stdout)
    return "\n".join(pages)
