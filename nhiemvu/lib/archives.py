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

from nhiemvu.lib.bounds import bound

MAX_ENTRIES = bound("ZIP_MAX_PARTS", 2000)
MAX_UNPACKED_BYTES = bound("ZIP_MAX_UNPACKED_MB", 100) * 1024 * 1024
# A workbook: openpyxl parses every sheet's directory entry and, in read-only mode, each cell of
# a row it reads (columns past the import's are parsed, then dropped) and the whole shared-strings
# part: the number of sheets and the size of each part are checked here first.
MAX_SHEETS = bound("XLSX_MAX_SHEETS", 50)
MAX_SHEET_BYTES = bound("XLSX_MAX_SHEET_MB", 20) * 1024 * 1024
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


def check_workbook(parts: dict[str, int], name: str) -> None:
    """ArchiveError when a workbook (``check_zip``'s parts) has more sheets than MAX_SHEETS or a
    sheet or its shared strings over MAX_SHEET_BYTES unpacked."""
    sheets = [p for p in parts if p.startswith("xl/worksheets/") and p.endswith(".xml")]
    heavy = [p for p in [*sheets, "xl/sharedStrings.xml"] if parts.get(p, 0) > MAX_SHEET_BYTES]
    if len(sheets) > MAX_SHEETS or heavy:
        raise ArchiveError(
            _(
                "The workbook “%(name)s” has too many sheets or a sheet too large to read (at "
                "most %(sheets)s sheets of %(mb)s MB each); keep the sheet with the tasks."
            )
            % {"name": name, "sheets": MAX_SHEETS, "mb": MAX_SHEET_BYTES // 1048576}
        )


# A zip of attached files sent with an old tracker's export (issue 29): years of PDFs and Word
# files, so larger than a document's parts, but bounded the same way (entries, declared unpacked
# size, ratio) before anything is read, and every name a plain relative path.
BUNDLE_MAX_ENTRIES = bound("LEGACY_ZIP_MAX_FILES", 50_000)
BUNDLE_MAX_UNPACKED_BYTES = bound("LEGACY_ZIP_MAX_UNPACKED_MB", 2000) * 1024 * 1024


def unsafe_path(name: str) -> bool:
    """A zip entry's name that would leave the folder it is unpacked into (absolute, a drive,
    a ``..`` part) or hides a control character."""
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or (len(name) > 1 and name[1] == ":")
        or ".." in parts
        or any(ord(c) < 32 for c in name)
    )


def check_bundle(stream: IO[bytes], name: str) -> dict[str, int]:
    """The files of a zip of attachments (path -> unpacked size, folders left out), or
    ArchiveError: damaged, a zip bomb, or a path that escapes its folder."""
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ArchiveError(
            _("The file “%(name)s” is not a readable zip archive.") % {"name": name}
        ) from exc
    finally:
        stream.seek(0)
    bomb = ArchiveError(
        _(
            "The zip “%(name)s” holds more than %(files)s files, unpacks to more than %(max)s MB "
            "or is packed suspiciously tightly; it is refused so the system stays available. "
            "Split it by year."
        )
        % {
            "name": name,
            "files": BUNDLE_MAX_ENTRIES,
            "max": BUNDLE_MAX_UNPACKED_BYTES // 1048576,
        }
    )
    if len(entries) > BUNDLE_MAX_ENTRIES:
        raise bomb
    total = 0
    files: dict[str, int] = {}
    for entry in entries:
        if unsafe_path(entry.filename):
            raise ArchiveError(
                _(
                    "The zip “%(name)s” names a file outside its folder (“%(path)s”); it is "
                    "refused. Zip the folder of attachments again."
                )
                % {"name": name, "path": entry.filename[:120]}
            )
        total += entry.file_size
        if total > BUNDLE_MAX_UNPACKED_BYTES or (
            entry.file_size > RATIO_FLOOR_BYTES
            and (entry.compress_size == 0 or entry.file_size / entry.compress_size > MAX_RATIO)
        ):
            raise bomb
        if not entry.is_dir():
            files[entry.filename] = entry.file_size
    return files
