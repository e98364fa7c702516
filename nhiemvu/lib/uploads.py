"""Upload checks: allowed types by content (magic bytes), not by the name the browser sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from nhiemvu.lib.archives import ArchiveError, check_workbook, check_zip

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadError(ValueError):
    pass


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str


def sniff(stream: IO[bytes], name: str, size: int, max_bytes: int) -> CheckedUpload:
    """The upload's real type, or UploadError with a message for the user.

    A DOCX or XLSX is a zip holding a specific part; a PDF starts with %PDF-. The name's ending
    must agree with the content, so a renamed executable never passes.
    """
    if size <= 0:
        raise UploadError(_("The file “%(name)s” is empty.") % {"name": name})
    if size > max_bytes:
        raise UploadError(
            _("The file “%(name)s” is too large (%(size)s MB; at most %(max)s MB).")
            % {"name": name, "size": round(size / 1048576, 1), "max": max_bytes // 1048576}
        )
    lower = name.lower()
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-") and lower.endswith(".pdf"):
        return CheckedUpload(PDF, "pdf")
    if head.startswith(b"PK\x03\x04") and lower.endswith((".docx", ".xlsx")):
        try:
            names = check_zip(stream, name)
        except ArchiveError as exc:
            raise UploadError(str(exc)) from exc
        if lower.endswith(".docx") and "word/document.xml" in names:
            return CheckedUpload(DOCX, "docx")
        if lower.endswith(".xlsx") and "xl/workbook.xml" in names:
            try:
                check_workbook(names, name)
            except ArchiveError as exc:
                raise UploadError(str(exc)) from exc
            return CheckedUpload(XLSX, "xlsx")
        raise UploadError(
            _("The file “%(name)s” is damaged or not a Word/Excel file.") % {"name": name}
        )
    raise UploadError(
        _("The file “%(name)s” is not an accepted type (PDF or DOCX).") % {"name": name}
    )
