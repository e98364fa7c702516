from __future__ import annotations

import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from nhiemvu.lib import checkgettext


class CheckGettextTest(SimpleTestCase):
    def problems(self, source: str) -> list[str]:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "module.py"
            path.write_text(source, encoding="utf-8")
            return checkgettext.problems(path)

    def test_it_finds_what_makemessages_would_not_extract(self) -> None:
        # The two shapes that lost the task list's badge and the reconciliation's classes.
        inside = "from django.utils.translation import gettext as _\nx = f\"<b>{_('Late')}</b>\"\n"
        alias = "from django.utils.translation import gettext_lazy as _lazy\nX = _lazy('New')\n"
        self.assertEqual(len(self.problems(inside)), 1)
        self.assertIn("inside an f-string", self.problems(inside)[0])
        self.assertIn("imported as _lazy", self.problems(alias)[0])

    def test_the_extracted_shapes_pass(self) -> None:
        fine = (
            "from django.utils.translation import gettext as _\n"
            "from django.utils.translation import gettext_lazy\n"
            "late = _('Late')\nx = f'<b>{late}</b>'\nY = gettext_lazy('New')\n"
        )
        self.assertEqual(self.problems(fine), [])

    def test_the_project_hides_no_string_from_the_catalogue(self) -> None:
        root = Path(checkgettext.__file__).resolve().parents[1]
        found = [
            p for path in checkgettext.production_modules(root) for p in checkgettext.problems(path)
        ]
        self.assertEqual(found, [])
