"""Every list page asks the database the same number of questions for 3 tasks or 60."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhiemvu.assignments import services
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.test import BaseTestCase, register


class ListQueryCountTest(BaseTestCase):
    def more(self, n: int, ref: str) -> None:
        directive = register(
            self.p,
            ref=ref,
            tasks=[
                TaskSpec(
                    content=f"Việc {i}",
                    lead=self.p.agency_a,
                    coordinators=[self.p.agency_b],
                    deadline=dt.date(2026, 3, 2) + dt.timedelta(days=i % 25) if i % 4 else None,
                    no_deadline_reason="" if i % 4 else "Thường xuyên",
                    deliverable_kind="bao_cao" if i % 4 else "",
                )
                for i in range(n)
            ],
        )
        for task in directive.assignments.all()[:5]:
            services.comment_add(actor=self.p.lead_officer, task=task, text="Ý kiến", files=[])
        self.directive = directive

    def count(self, url: str) -> int:
        self.client.get(url)  # warm: per-process caches (calendar, scope) are not the point
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def test_document_organisation_notifications_report_and_task_pages(self) -> None:
        self.login(self.p.office)

        def urls(document: str) -> list[str]:
            return [
                reverse("directive_detail", args=[document]),
                reverse("organisation_detail", args=[self.p.agency_a.code]),
                reverse("notifications"),
                reverse("report") + "?period=2026-Q1",
                reverse("task_detail", args=[self.task.code]),
                reverse("task_list") + "?org=so-khcn&role=coord",
            ]

        self.more(3, "50/UBND-VX")
        before = [self.count(u) for u in urls(self.directive.code)]
        # Sixty more tasks on another document, more comments and notifications: same counts.
        self.more(60, "51/UBND-VX")
        after = [self.count(u) for u in urls(self.directive.code)]
        self.assertEqual(before, after)
