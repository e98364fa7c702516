"""Bounds for the zip containers (DOCX, XLSX) people upload, checked on the central directory
before any part is decompressed or parsed.

A 400 KB DOCX can declare a 400 MB ``word/document.xml``; parsing it took a worker to 940 MB.
Python's ``zipfile`` never inflates an entry past the size its directory declares (it stops at
``file_size``), so refusing archives whose declared sizes are too large bounds the work done by
every reader after this check (python-docx, openpyxl).
"""

from __future__ import annotations

import zipfile
from typing import IO

from django.utils.translation import gettext as _

MAX_ENTRIES = 2000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Office XML compresses 5-20x; past 100x a part of over a megabyte is a bomb, not a document.
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024


class ArchiveError(ValueError):
    pass


def check_zip(stream: IO[bytes], name: str) -> dict[str, int]:
    """The archive's parts and their unpacked sizes, or ArchiveError with a message for the
    person who sent it."""
    damaged = _("The file “%(name)s” is damaged or not a Word/Excel file.") % {"name": name}
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ArchiveError(damaged) from exc
    finally:
        stream.seek(0)
    too_big = ArchiveError(
        _(
            "The file “%(name)s” unpacks to more than %(max)s MB or is packed suspiciously "
            "tightly; it is refused so the system stays available. Save it again as a normal "
            "Word/Excel file, or send it as PDF."
        )
        % {"name": name, "max": MAX_UNPACKED_BYTES // 1048576}
    )
    if len(entries) > MAX_ENTRIES:
        raise too_big
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_UNPACKED_BYTES:
            raise too_big
        if entry.file_size > RATIO_FLOOR_BYTES and (
            entry.compress_size == 0 or entry.file_size / entry.compress_size > MAX_RATIO
        ):
            raise too_big
    return {entry.filename: entry.file_size for entry in entries}
