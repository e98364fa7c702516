"""Passing a task on inside the agency: the head gives it to an officer with an internal
deadline; the officer sees it on their home and reports to the head; the head reports to the
province. The province sees none of it and the task's status never reads the internal date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from nhiemvu.assignments import services, status
from nhiemvu.assignments.models import Assignment
from nhiemvu.reminders.models import Notification, RuleCode
from nhiemvu.test import BaseTestCase

INTERNAL = dt.date(2026, 3, 20)  # the province's deadline is 31/03/2026


class DelegationTest(BaseTestCase):
    def delegate(self) -> None:
        services.assignment_delegate(
            actor=self.p.lead_head,
            task=self.task,
            assignee=self.p.lead_officer,
            internal_deadline=INTERNAL,
            division="Phòng Kế hoạch",
            note="Soạn dự thảo báo cáo",
        )

    def test_the_officer_sees_it_on_their_home_with_the_internal_deadline(self) -> None:
        self.delegate()
        self.login(self.p.lead_officer)
        home = self.client.get("/").content.decode()
        section = home[home.index('id="passed-on"') :]
        self.assertIn(self.task.summary[:30], section)
        self.assertIn("20/03/2026", section)
        told = Notification.objects.filter(user=self.p.lead_officer, rule=RuleCode.EVENT_INSIDE)
        self.assertEqual(told.count(), 1)
        self.assertIn("20/03/2026", told.get().title)

    def test_the_officer_reports_to_the_head_and_the_province_sees_nothing(self) -> None:
        self.delegate()
        services.delegation_report(
            actor=self.p.lead_officer, task=self.task, text="Đã xong dự thảo", percent=60
        )
        self.assertTrue(
            Notification.objects.filter(user=self.p.lead_head, rule=RuleCode.EVENT_INSIDE).exists()
        )
        self.login(self.p.lead_head)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn("Đã xong dự thảo", page)
        self.assertIn("data-internal-deadline", page)
        for outsider in (
            self.p.office,
            self.p.chairman,
            self.p.working_group,
            self.p.coord_officer,
        ):
            self.login(outsider)
            page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
            self.assertNotIn("Đã xong dự thảo", page, outsider)
            self.assertNotIn("20/03/2026", page, outsider)
            self.assertNotIn('id="inside"', page, outsider)
        # Nothing on the province's timeline, the status and the deadline unchanged.
        task = self.reload()
        self.assertEqual(task.deadline, dt.date(2026, 3, 31))
        self.assertFalse(task.events.exclude(kind="assigned").exists())
        annotated = status.annotate(Assignment.objects.filter(pk=task.pk)).get()
        self.assertEqual(annotated.st_label, status.Label.WITHIN)

    def test_the_internal_deadline_passing_never_makes_the_task_overdue(self) -> None:
        self.delegate()
        annotated = status.annotate(
            Assignment.objects.filter(pk=self.task.pk), dt.date(2026, 3, 25)
        ).get()
        self.assertNotEqual(annotated.st_label, status.Label.OVERDUE)

    def test_only_the_head_passes_it_on_to_someone_of_the_agency_by_the_deadline(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.assignment_delegate(
                actor=self.p.lead_officer, task=self.task, assignee=self.p.lead_officer
            )
        with self.assertRaises(ValidationError) as outside:
            services.assignment_delegate(
                actor=self.p.lead_head, task=self.task, assignee=self.p.coord_officer
            )
        self.assertIn("assignee", outside.exception.message_dict)
        with self.assertRaises(ValidationError) as late:
            services.assignment_delegate(
                actor=self.p.lead_head,
                task=self.task,
                assignee=self.p.lead_officer,
                internal_deadline=dt.date(2026, 4, 2),
            )
        self.assertIn("31/03/2026", late.exception.message_dict["internal_deadline"][0])
        with self.assertRaises(PermissionDenied):
            services.delegation_report(actor=self.p.lead_officer, task=self.task, text="x")

    def test_the_head_passes_it_on_from_the_task_page(self) -> None:
        self.login(self.p.lead_head)
        response = self.client.post(
            f"/nhiem-vu/{self.task.code}/delegate/",
            {
                "assignee": "lead",
                "division": "Phòng Kế hoạch",
                "internal_deadline": "20/03/2026",
                "note": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        delegation = self.task.delegations.get(active=True)
        self.assertEqual(delegation.assignee, self.p.lead_officer)
        self.assertEqual(delegation.internal_deadline, INTERNAL)
