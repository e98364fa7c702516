"""Numbers that are not numbers (issue 24 item 3): marking a notification read with an id that
is a Unicode digit ("²": isdigit() yes, int() no) or beyond any column answered 500. Now the
request is refused with a message in Vietnamese and nothing is marked read."""

from __future__ import annotations

from nhiemvu.assignments import services
from nhiemvu.reminders.models import Notification, RuleCode
from nhiemvu.test import BaseTestCase


class MarkReadInputTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # The head passes the task on: its officer is told (an unread notification).
        services.assignment_delegate(
            actor=self.p.lead_head, task=self.task, assignee=self.p.lead_officer
        )
        self.notice = Notification.objects.get(user=self.p.lead_officer, rule=RuleCode.EVENT_INSIDE)
        self.before = self.unread()
        self.login(self.p.lead_officer)

    def unread(self) -> int:
        return Notification.objects.filter(user=self.p.lead_officer, read_at__isnull=True).count()

    def test_it_refuses_ids_that_are_not_notification_numbers_and_marks_nothing(self) -> None:
        for bad in ("²", "99999999999999999999", "٣", "-1", "1.0", "1\x00", "", " "):
            with self.subTest(id=bad):
                response = self.client.post(
                    "/thong-bao/da-doc/", {"id": [str(self.notice.pk), bad]}
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn("chưa đánh dấu thông báo nào là đã đọc", response.content.decode())
                self.assertEqual(self.unread(), self.before)

    def test_it_marks_the_one_asked(self) -> None:
        response = self.client.post("/thong-bao/da-doc/", {"id": str(self.notice.pk)})
        self.assertEqual(response.status_code, 302)
        self.notice.refresh_from_db()
        self.assertIsNotNone(self.notice.read_at)
        self.assertEqual(self.unread(), self.before - 1)

    def test_the_list_reads_any_page_number(self) -> None:
        for page in ("²", "99999999999999999999", "abc", "2"):
            with self.subTest(page=page):
                response = self.client.get("/thong-bao/", {"page": page})
                self.assertEqual(response.status_code, 200)
                shown = [
                    n for g in response.context["groups"] for n in [g["newest"], *g["earlier"]]
                ]
                self.assertIn(self.notice, shown)
