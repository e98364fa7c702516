"""Issue 29 through the office's screens: upload, mapping, a name mapped by hand, dry run,
import with its progress."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from nhiemvu.assignments.models import Assignment
from nhiemvu.directives.legacy import runs
from nhiemvu.directives.legacy.models import LegacyRun
from nhiemvu.directives.legacy.tests.base import LegacyTestCase
from nhiemvu.directives.legacy.tests.test_legacy_import import csv_of, row


class LegacyScreenTests(LegacyTestCase):
    def test_it_takes_the_office_from_the_export_to_the_imported_tasks(self) -> None:
        self.login(self.p.office)
        self.assertContains(self.client.get("/"), "/van-ban/chuyen-doi/")
        data = csv_of(
            [row("A1"), row("A2", lead="STC (cũ)", state="Hoàn thành", done="20/02/2026")]
        )
        response = self.client.post(
            "/van-ban/chuyen-doi/",
            {
                "name": "iDesk 2020-2026",
                "source": "idesk",
                "file": SimpleUploadedFile("x.csv", data),
            },
        )
        run = LegacyRun.objects.get()
        self.assertRedirects(response, f"/van-ban/chuyen-doi/{run.code}/")
        page = self.client.get(f"/van-ban/chuyen-doi/{run.code}/")
        self.assertContains(page, "Đang thực hiện")  # the state word, read as…
        self.assertContains(page, '<option value="done" selected>')
        self.assertContains(page, "STC (cũ)")  # listed to map by hand
        self.assertContains(page, 'value="import" disabled')
        form = {"step": "map", "names": "1", "name-0": "STC (cũ)", "org-0": "so-tc"}
        form |= {"words": "2", "word-0": "Đang thực hiện", "state-0": "open"}
        form |= {"word-1": "Hoàn thành", "state-1": "done"}
        for key, header in run.profile.columns.items():
            form[f"col-{key}"] = header
        self.client.post(f"/van-ban/chuyen-doi/{run.code}/", form)
        with self.captureOnCommitCallbacks(execute=False):
            self.client.post(f"/van-ban/chuyen-doi/{run.code}/", {"step": "dry"})
        runs.dry_step(run.pk)  # the worker
        page = self.client.get(f"/van-ban/chuyen-doi/{run.code}/")
        self.assertContains(page, "Mới: 2; không đổi: 0; cập nhật: 0; bị từ chối: 0")
        self.assertNotContains(page, 'value="import" disabled')
        with self.captureOnCommitCallbacks(execute=False) as queued:
            self.client.post(f"/van-ban/chuyen-doi/{run.code}/", {"step": "import"})
        self.assertEqual(len(queued), 1)
        runs.run_step(run.pk)  # the worker
        page = self.client.get(f"/van-ban/chuyen-doi/{run.code}/")
        self.assertContains(page, "Đã nhập 2 trên 2 dòng")
        self.assertEqual(Assignment.objects.get(legacy_id="A2").lead, self.p.agency_b)

    def test_it_shows_the_switch_over_to_the_office_only(self) -> None:
        for persona in (
            self.p.lead_officer,
            self.p.coord_officer,
            self.p.outsider,
            self.p.chairman,
        ):
            self.login(persona)
            self.assertEqual(self.client.get("/van-ban/chuyen-doi/").status_code, 403)
            self.assertNotContains(self.client.get("/"), "/van-ban/chuyen-doi/")
