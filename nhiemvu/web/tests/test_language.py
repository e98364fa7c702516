"""The language a request chose ends with its response (web/middleware.py)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from nhiemvu.test import BaseTestCase


class LanguageTest(BaseTestCase):
    def test_an_english_page_leaves_the_next_work_on_the_thread_in_vietnamese(self) -> None:
        self.login(self.p.office)
        self.client.cookies["django_language"] = "en"
        page = self.client.get("/nhiem-vu/")
        self.assertEqual(page.headers["Content-Language"], "en")
        self.assertIn("All statuses", page.content.decode())
        # What runs next on this thread (a job, a command, the next test) speaks Vietnamese.
        self.assertEqual(translation.get_language(), "vi")
        self.assertEqual(_("All statuses"), "Tất cả tình trạng")
