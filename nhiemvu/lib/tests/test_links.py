"""The links a morning run builds without the URL configuration are the pages' real paths."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.urls import reverse

from nhiemvu.lib import links


class LinksTest(SimpleTestCase):
    def test_every_route_is_the_path_reverse_gives(self) -> None:
        self.assertEqual(set(links.ROUTES), {"home", "task_list", "task_detail"})
        self.assertEqual(links.page_url("home"), reverse("home"))
        self.assertEqual(links.page_url("task_list"), reverse("task_list"))
        self.assertEqual(
            links.code_url("task_detail", "ab12cd"), reverse("task_detail", args=["ab12cd"])
        )

    def test_other_pages_are_reversed(self) -> None:
        self.assertEqual(
            links.code_url("directive_detail", "xy9"), reverse("directive_detail", args=["xy9"])
        )
