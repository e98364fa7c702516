"""A notice says why (issue 27 item 2): the reason of a returned report, the new deadline of an
extension, the decision, in the bell's list, the e-mail and the digest; the list groups the
notices by task, newest first, and a person marks a task's notices read at once."""

from __future__ import annotations

import datetime as dt

from nhiemvu.assignments import services
from nhiemvu.reminders import services as reminders
from nhiemvu.reminders.models import Notification, Outbox, RuleCode
from nhiemvu.reminders.schedule import Due
from nhiemvu.test import TODAY, BaseTestCase, at


class NoticeFactsTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.p.lead_officer.email = "lead@example.gov.vn"
        self.p.lead_officer.save(update_fields=["email"])

    def returned(self, reason: str = "Thiếu số liệu quý I của 3 xã") -> None:
        services.assignment_report_completion(
            actor=self.p.lead_officer, task=self.reload(), output_ref="9/BC", output_date=TODAY
        )
        services.assignment_return(actor=self.p.working_group, task=self.reload(), reason=reason)

    def unread(self) -> int:
        return Notification.objects.filter(user=self.p.lead_officer, read_at__isnull=True).count()

    def test_it_shows_why_a_report_was_returned_in_the_list(self) -> None:
        self.returned()
        self.login(self.p.lead_officer)
        page = self.client.get("/thong-bao/").content.decode()
        self.assertIn("Lý do: Thiếu số liệu quý I của 3 xã", page)
        mail = Outbox.objects.filter(to="lead@example.gov.vn").latest("id")
        self.assertIn("Lý do: Thiếu số liệu quý I của 3 xã", mail.text)
        self.assertEqual(mail.text.count("Thiếu số liệu quý I"), 1)  # the fact, not twice

    def test_it_tells_the_new_deadline_of_an_approved_extension(self) -> None:
        extension = services.extension_request(
            actor=self.p.lead_officer,
            task=self.reload(),
            proposed_deadline=dt.date(2026, 4, 30),
            reason="Chờ số liệu thống kê",
        )
        asked = Notification.objects.filter(user=self.p.office).latest("id")
        self.assertEqual(asked.detail, "Đề nghị đến 30/04/2026: Chờ số liệu thống kê")
        services.extension_decide(
            actor=self.p.vice_chairman,
            extension=extension,
            approve=True,
            new_deadline=dt.date(2026, 4, 20),
        )
        decided = Notification.objects.filter(user=self.p.lead_officer).latest("id")
        self.assertEqual(decided.detail, "Hạn mới 20/04/2026")

    def test_the_list_groups_a_task_and_marks_the_group_read(self) -> None:
        self.returned("Lần 1: thiếu số liệu")
        self.returned("Lần 2: thiếu chữ ký")
        before = self.unread()
        self.login(self.p.lead_officer)
        response = self.client.get("/thong-bao/")
        (group,) = [g for g in response.context["groups"] if g["task"] == self.task]
        self.assertEqual(group["newest"].detail, "Lý do: Lần 2: thiếu chữ ký")  # newest first
        self.assertGreaterEqual(group["unread"], 3)  # assigned, and returned twice
        refused = self.client.post("/thong-bao/da-doc/", {"task": "²"})
        self.assertEqual(refused.status_code, 400)
        self.assertIn("không phải nhiệm vụ", refused.content.decode())
        self.assertEqual(self.unread(), before)
        response = self.client.post("/thong-bao/da-doc/", {"task": str(self.task.pk)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.unread(), before - group["unread"])

    def test_the_digest_lists_the_notices_with_their_fact(self) -> None:
        self.returned()
        self.p.lead_officer.email = "lead@example.gov.vn"
        due = Due(
            RuleCode.DAILY_DIGEST,
            f"u{self.p.lead_officer.pk}",
            "x",
            (self.p.lead_officer.pk,),
            "Tổng hợp",
        )
        reminders.deliver(due, at(TODAY, 17))
        mail = Outbox.objects.filter(to="lead@example.gov.vn").latest("id")
        self.assertIn("Thông báo từ bản tổng hợp trước", mail.text)
        self.assertIn("Lý do: Thiếu số liệu quý I của 3 xã", mail.text)
        reminders.deliver(
            Due(
                RuleCode.DAILY_DIGEST,
                f"u{self.p.lead_officer.pk}",
                "y",
                (self.p.lead_officer.pk,),
                "Tổng hợp",
            ),
            at(TODAY, 18),
        )
        again = Outbox.objects.filter(to="lead@example.gov.vn").latest("id")
        self.assertNotIn("Thiếu số liệu", again.text)  # listed once
