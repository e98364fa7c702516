"""Report files made by the worker, and the reports that go out at each period's end."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from nhiemvu import scheduler
from nhiemvu.orgs.models import LeaderTitle, Membership, Role
from nhiemvu.reminders.models import Notification
from nhiemvu.reports.models import GeneratedReport
from nhiemvu.reports.services import scheduled_reports_due
from nhiemvu.test import BaseTestCase, at, travel

D = dt.date
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE)
class BackgroundReportTest(BaseTestCase):
    def test_a_requested_report_is_made_by_the_worker_and_downloaded(self) -> None:
        self.login(self.p.office)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/bao-cao/tep/", {"period": "2026-Q1", "format": "xlsx"})
        self.assertEqual(response.status_code, 302)
        report = GeneratedReport.objects.get()
        self.assertEqual((report.status, report.progress), ("done", 100))
        download = self.client.get(f"/bao-cao/tep/{report.code}/")
        self.assertEqual(download.status_code, 200)
        self.assertTrue(b"".join(download.streaming_content).startswith(b"PK"))  # type: ignore[attr-defined]
        # Served as every stored file is (directives.files): a download nothing reinterprets.
        self.assertTrue(download["Content-Disposition"].startswith("attachment"))
        self.assertEqual(download["X-Content-Type-Options"], "nosniff")
        self.assertEqual(download["Content-Security-Policy"], "sandbox")
        # Someone else's file is not theirs to download.
        self.login(self.p.lead_officer)
        self.assertEqual(self.client.get(f"/bao-cao/tep/{report.code}/").status_code, 404)

    def test_the_periods_report_goes_out_once_the_day_after_the_cut_off(self) -> None:
        self.assertEqual([p.key for p in scheduled_reports_due(at(D(2026, 4, 15)))], ["2026-04"])
        self.assertEqual(scheduled_reports_due(at(D(2026, 4, 16))), [])
        # Q1 closes on Saturday 14/3/2026: its report goes out on Monday 16/3.
        self.assertEqual(
            {p.key for p in scheduled_reports_due(at(D(2026, 3, 16)))}, {"2026-03", "2026-Q1"}
        )
        with travel(D(2026, 4, 15), 8), self.captureOnCommitCallbacks(execute=True):
            first = scheduler.run_once(at(D(2026, 4, 15), 8))
            second = scheduler.run_once(at(D(2026, 4, 15), 8))
        self.assertEqual((first["reports_queued"], second["reports_queued"]), (2, 0))
        files = GeneratedReport.objects.filter(scheduled=True, period="2026-04")
        self.assertEqual(sorted(f.fmt for f in files), ["pdf", "xlsx"])
        self.assertTrue(all(f.status == "done" and f.file for f in files))
        self.assertEqual(
            Notification.objects.filter(user=self.p.chairman, rule="scheduled_report").count(), 1
        )
        self.login(self.p.chairman)
        self.assertContains(self.client.get("/bao-cao/tep/"), "2026-04")

    def test_it_makes_the_periods_report_as_the_chairman_whoever_was_registered_first(
        self,
    ) -> None:
        # The Vice-Chairman's membership is now the older one: the province's report is still
        # the Chairman's, not the first leader's by registration.
        membership = self.p.chairman.memberships.get(role=Role.LEADER)
        membership.delete()
        Membership.objects.create(
            user=self.p.chairman,
            org=self.p.province,
            role=Role.LEADER,
            leader_title=LeaderTitle.CHAIRMAN,
        )
        with travel(D(2026, 4, 15), 8), self.captureOnCommitCallbacks(execute=True):
            scheduler.run_once(at(D(2026, 4, 15), 8))
        files = GeneratedReport.objects.filter(scheduled=True, period="2026-04")
        self.assertEqual({f.requested_by for f in files}, {self.p.chairman})
