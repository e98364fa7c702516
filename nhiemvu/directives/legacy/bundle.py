"""The zip of attached files sent with an old tracker's export (issue 29): the rows name paths
inside it ("2024/bc-12.pdf; 2024/qd-3.docx").

The zip is checked on upload (lib.archives.check_bundle: a zip bomb or a path that leaves its
folder is refused with a message), nothing is ever unpacked to disk by its name, and each file
a row names is checked like any upload (directives.files: type by content, the site's size
bound) when the dry run reads the row, then stored through the same path (store_upload) when
the task is written. One file is in memory at a time, never more than the upload bound."""

from __future__ import annotations

import posixpath
import unicodedata
import zipfile
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from nhiemvu.directives.files import UploadError, check_upload
from nhiemvu.lib.archives import ArchiveError, check_bundle


class BundleError(ValueError):
    pass


def path_key(path: str) -> str:
    """A path as the rows and the zip may both write it (backslashes, "./", NFC or NFD)."""
    text = unicodedata.normalize("NFC", path.strip()).replace("\\", "/")
    return posixpath.normpath(text).lstrip("/") if text else ""


def paths_in(cell: str) -> list[str]:
    """The paths one row names (one a line, or separated by ";")."""
    found = (path_key(p) for p in (cell or "").replace("\n", ";").split(";"))
    return list(dict.fromkeys(p for p in found if p and p != "."))


class Bundle:
    """The zip's files, by path; the problem with each named one (said once per path)."""

    def __init__(self, stream: IO[bytes], name: str) -> None:
        try:
            files = check_bundle(stream, name)
        except ArchiveError as exc:
            raise BundleError(str(exc)) from exc
        self.archive = zipfile.ZipFile(stream)
        self.names = {path_key(p): p for p in files}
        self.sizes = files
        self._problems: dict[str, str] = {}

    def close(self) -> None:
        self.archive.close()

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def upload(self, path: str) -> SimpleUploadedFile:
        """The named file as an upload (its name the file's own, without the folders)."""
        entry = self.names[path_key(path)]
        with self.archive.open(entry) as handle:
            data = handle.read(settings.MAX_UPLOAD_BYTES + 1)
        return SimpleUploadedFile(posixpath.basename(entry), data)

    def problem(self, path: str) -> str:
        """Why the named file cannot be attached ("" when it can), in the person's words."""
        key = path_key(path)
        if key not in self._problems:
            self._problems[key] = self._problem(key)
        return self._problems[key]

    def _problem(self, key: str) -> str:
        if key not in self.names:
            return _("The file “%(path)s” is not in the zip.") % {"path": key}
        if self.sizes[self.names[key]] > settings.MAX_UPLOAD_BYTES:
            return _("The file “%(path)s” is larger than %(max)s MB.") % {
                "path": key,
                "max": settings.MAX_UPLOAD_BYTES // 1048576,
            }
        try:
            check_upload(self.upload(key))
        except UploadError as exc:
            return str(exc)
        return ""
