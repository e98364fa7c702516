"""Serving a stored file (a document's attachment, a report's output document) to someone the
caller has already checked may see it.

Only what a browser shows safely is shown inline: a PDF opens in the browser's viewer, anything
else (DOCX, XLSX) is downloaded. Every response says what it is and nothing may reinterpret
it: ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox`` (a PDF with
scripts runs none of them on our origin).
"""

from __future__ import annotations

from django.http import FileResponse, Http404

from nhiemvu.directives.models import StoredFile
from nhiemvu.lib.uploads import PDF

INLINE_TYPES = frozenset({PDF})


def stored_file_response(stored: StoredFile | None, *, inline: bool = True) -> FileResponse:
    if stored is None:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (a restore without media)
        raise Http404 from exc
    shown = inline and stored.content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not shown,
        filename=stored.original_name,
        content_type=stored.content_type if shown else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
