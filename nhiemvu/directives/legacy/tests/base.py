"""What every switch-over test starts from: files stored in a throwaway media folder, the
office's profile for the module's export columns, and a run started as the office would."""

from __future__ import annotations

import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from nhiemvu.directives.legacy import imports, runs
from nhiemvu.directives.legacy.models import LegacyProfile, LegacyRun
from nhiemvu.directives.legacy.reading import DEFAULT_STATES, guess_columns
from nhiemvu.test import BaseTestCase


class LegacyTestCase(BaseTestCase):
    # The export's header row; a test case without one (the screens) makes no profile.
    HEADERS: list[str] = []

    def setUp(self) -> None:
        super().setUp()
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        settings = override_settings(MEDIA_ROOT=media.name)
        settings.enable()
        self.addCleanup(settings.disable)
        if self.HEADERS:
            self.profile = LegacyProfile.objects.create(
                name="iDesk",
                source="idesk",
                columns=guess_columns(self.HEADERS),
                states=DEFAULT_STATES,
            )

    def start(self, data: bytes, bundle: bytes | None = None) -> LegacyRun:
        upload = SimpleUploadedFile("export.csv", data, content_type="text/csv")
        return runs.run_start(
            actor=self.p.office,
            profile=self.profile,
            upload=upload,
            checksum=imports.checksum_of(upload),
            bundle=SimpleUploadedFile("tep.zip", bundle) if bundle is not None else None,
        )
