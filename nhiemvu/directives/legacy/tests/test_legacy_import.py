"""Issue 29: the office carries the old tracker's tasks over with their past."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from nhiemvu.assignments import status
from nhiemvu.assignments.models import Assignment, AssignmentEvent, EventKind, WorkState
from nhiemvu.audit.models import AuditEvent
from nhiemvu.directives.legacy import imports, runs
from nhiemvu.directives.legacy.models import LegacyRun, LegacyRunStatus
from nhiemvu.directives.legacy.reading import open_table
from nhiemvu.directives.legacy.tests.base import LegacyTestCase
from nhiemvu.test import make_org

HEADERS = [
    "Mã nhiệm vụ",
    "Số ký hiệu",
    "Ngày văn bản",
    "Trích yếu",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Ngày giao",
    "Hạn xử lý",
    "Trạng thái",
    "Ngày hoàn thành",
    "Văn bản hoàn thành",
]


def outcomes(run: LegacyRun) -> dict[str, int]:
    return {k: v for k, v in run.counts.items() if k in ("new", "unchanged", "updated")}


def csv_of(rows: list[list[str]]) -> bytes:
    lines = [",".join(HEADERS)] + [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def row(
    legacy_id: str,
    *,
    lead: str = "Sở Tài chính",
    state: str = "Đang thực hiện",
    doc: str = "12/UBND-KT",
    doc_date: str = "05/01/2026",
    deadline: str = "28/02/2026",
    done: str = "",
    done_ref: str = "",
    coordinators: str = "",
) -> list[str]:
    return [
        legacy_id,
        doc,
        doc_date,
        "Về triển khai nhiệm vụ năm 2026",
        f"Nhiệm vụ {legacy_id}: xây dựng kế hoạch",
        lead,
        coordinators,
        doc_date,
        deadline,
        state,
        done,
        done_ref,
    ]


class LegacyImportTests(LegacyTestCase):
    HEADERS = HEADERS

    def table(self, data: bytes) -> Any:
        return open_table(io.BytesIO(data), "export.csv", len(data))

    def imported(self, legacy_id: str) -> Assignment:
        return Assignment.objects.get(legacy_source="idesk", legacy_id=legacy_id)

    def test_it_reads_the_old_trackers_columns_and_words_before_writing(self) -> None:
        data = csv_of(
            [
                row("A1"),
                row("A2", state="Hoàn thành quá hạn", done="10/03/2026"),
                row("A3", lead="Sở Nội vụ cũ"),
            ]
        )
        before = Assignment.objects.count()
        shown = imports.preview(self.table(data), self.profile)
        self.assertEqual(shown.columns["lead"], "Đơn vị chủ trì")
        self.assertEqual(shown.columns["state"], "Trạng thái")
        self.assertEqual(shown.states["Đang thực hiện"], (2, "open"))
        self.assertEqual(shown.states["Hoàn thành quá hạn"], (1, "done"))
        self.assertEqual(dict(shown.unknown), {"Sở Nội vụ cũ": 1})
        self.assertEqual(shown.rows, 3)
        self.assertEqual(Assignment.objects.count(), before)

    def test_it_dry_runs_every_row_and_writes_nothing(self) -> None:
        data = csv_of(
            [
                row("A1"),
                row("A2", state="Không rõ"),
                row("A3", lead="Sở Nội vụ cũ"),
                row("A4", state="Hoàn thành", done=""),
                row("A5", deadline="01/12/2025"),
            ]
        )
        with translation.override("vi"):
            outcomes = list(imports.dry_run(self.table(data), self.profile))
        self.assertEqual(
            [o.outcome for o in outcomes], ["new", "refused", "refused", "refused", "refused"]
        )
        self.assertIn("Trạng thái “Không rõ” chưa rõ nghĩa", outcomes[1].reason)
        self.assertIn("“Sở Nội vụ cũ” không khớp cơ quan nào", outcomes[2].reason)
        self.assertIn("ngày hoàn thành", outcomes[3].reason)
        self.assertIn("trước ngày giao", outcomes[4].reason)
        self.assertFalse(Assignment.objects.filter(legacy_source="idesk").exists())

    def test_it_imports_past_states_as_the_status_engine_reads_them(self) -> None:
        data = csv_of(
            [
                row("A1", state="Hoàn thành", done="20/02/2026", done_ref="45/BC-STC"),
                row("A2", state="Hoàn thành quá hạn", done="05/03/2026"),
                row("A3", state="Quá hạn"),
                row("A4", deadline=""),
            ]
        )
        run = runs.run_step(self.start(data).pk)
        self.assertEqual(run.status, LegacyRunStatus.DONE)
        self.assertEqual(outcomes(run), {"new": 4})
        on_time, late = self.imported("A1"), self.imported("A2")
        self.assertEqual(
            (on_time.state, on_time.completed_late, on_time.confirmed_on),
            (WorkState.DONE, False, dt.date(2026, 2, 20)),
        )
        self.assertEqual(on_time.completion_ref, "45/BC-STC")
        self.assertTrue(late.completed_late)
        labels = dict(
            status.annotate(Assignment.objects.filter(legacy_source="idesk")).values_list(
                "legacy_id", "st_label"
            )
        )
        self.assertEqual(
            labels, {"A1": "done_on_time", "A2": "done_late", "A3": "overdue", "A4": "no_deadline"}
        )
        # A past quarter's figure: on 31/01/2026 every one of them was still in progress.
        past = status.annotate(
            Assignment.objects.filter(legacy_source="idesk"), as_of=dt.date(2026, 1, 31)
        )
        self.assertEqual(set(past.values_list("st_state", flat=True)), {WorkState.OPEN})
        self.assertTrue(
            AuditEvent.objects.filter(
                action="assignment.import_legacy", after__checksum=run.checksum
            ).exists()
        )

    def test_it_changes_nothing_when_the_same_export_is_imported_twice(self) -> None:
        data = csv_of([row("A1"), row("A2", state="Hoàn thành", done="20/02/2026")])
        runs.run_step(self.start(data).pk)
        tasks, events = Assignment.objects.count(), AssignmentEvent.objects.count()
        second = runs.run_step(self.start(data).pk)
        self.assertEqual(outcomes(second), {"unchanged": 2})
        self.assertEqual(
            (Assignment.objects.count(), AssignmentEvent.objects.count()), (tasks, events)
        )
        dry = list(imports.dry_run(self.table(data), self.profile))
        self.assertEqual({o.outcome for o in dry}, {"unchanged"})

    def test_it_updates_a_task_the_later_export_moved_on(self) -> None:
        runs.run_step(self.start(csv_of([row("A1")])).pk)
        later = csv_of([row("A1", state="Hoàn thành", done="01/03/2026")])
        self.assertEqual(
            [o.outcome for o in imports.dry_run(self.table(later), self.profile)], ["updated"]
        )
        run = runs.run_step(self.start(later).pk)
        self.assertEqual(outcomes(run), {"updated": 1})
        self.assertEqual(self.imported("A1").state, WorkState.DONE)

    def test_it_resumes_after_a_crash_mid_batch(self) -> None:
        data = csv_of([row(f"A{i}") for i in range(1, 6)])
        run = self.start(data)
        real = imports.historical_tasks_register
        calls = {"n": 0}

        def crash_on_second(**kwargs: Any) -> dict[str, str]:
            calls["n"] += 1
            result = real(**kwargs)
            if calls["n"] == 2:
                raise RuntimeError("the worker died")
            return result

        with (
            mock.patch.object(imports, "historical_tasks_register", crash_on_second),
            self.assertRaises(RuntimeError),
        ):
            runs.run_step(run.pk, batch=2)
        run.refresh_from_db()
        self.assertEqual(run.checkpoint, 2)  # the first batch stayed, the second rolled back
        self.assertEqual(Assignment.objects.filter(legacy_source="idesk").count(), 2)
        run = runs.run_step(run.pk, batch=2)
        self.assertEqual(run.status, LegacyRunStatus.DONE)
        self.assertEqual(run.checkpoint, 5)
        self.assertEqual(
            sorted(
                Assignment.objects.filter(legacy_source="idesk").values_list("legacy_id", flat=True)
            ),
            ["A1", "A2", "A3", "A4", "A5"],
        )

    def test_it_refuses_the_batch_holding_an_unmapped_name_until_the_office_maps_it(self) -> None:
        data = csv_of([row("A1"), row("A2", lead="STC (cũ)")])
        run = runs.run_step(self.start(data).pk)
        self.assertEqual(run.status, LegacyRunStatus.FAILED)
        self.assertIn("STC (cũ)", run.error)
        self.assertFalse(Assignment.objects.filter(legacy_source="idesk").exists())
        runs.profile_save(
            actor=self.p.office, profile=self.profile, orgs={"STC (cũ)": self.p.agency_b.code}
        )
        run = runs.run_step(run.pk)
        self.assertEqual(run.status, LegacyRunStatus.DONE)
        self.assertEqual(self.imported("A2").lead, self.p.agency_b)

    def test_it_matches_names_against_the_directory_of_the_documents_date(self) -> None:
        successor = make_org("gl-tc", "Sở Tài chính tỉnh mới", valid_from=dt.date(2025, 7, 1))
        old = make_org(
            "bd-kh", "Sở Kế hoạch và Đầu tư", valid_to=dt.date(2025, 6, 30), successor=successor
        )
        data = csv_of(
            [
                row(
                    "A1", lead="Sở Kế hoạch và Đầu tư", doc_date="10/03/2025", deadline="30/12/2025"
                ),
                row(
                    "A2",
                    lead="Sở Kế hoạch và Đầu tư",
                    doc_date="10/03/2025",
                    deadline="30/05/2025",
                    state="Hoàn thành",
                    done="20/05/2025",
                ),
                row(
                    "A3", lead="Sở Kế hoạch và Đầu tư", doc_date="10/08/2025", deadline="30/12/2025"
                ),
            ]
        )
        outcomes = list(imports.dry_run(self.table(data), self.profile))
        self.assertEqual([o.outcome for o in outcomes], ["new", "new", "refused"])
        runs.profile_save(actor=self.p.office, profile=self.profile, orgs={})
        data = csv_of(
            [
                r
                for r in [
                    row(
                        "A1",
                        lead="Sở Kế hoạch và Đầu tư",
                        doc_date="10/03/2025",
                        deadline="30/12/2025",
                    ),
                    row(
                        "A2",
                        lead="Sở Kế hoạch và Đầu tư",
                        doc_date="10/03/2025",
                        deadline="30/05/2025",
                        state="Hoàn thành",
                        done="20/05/2025",
                    ),
                ]
            ]
        )
        runs.run_step(self.start(data).pk)
        still_open, finished = self.imported("A1"), self.imported("A2")
        # The open task went to today's holder, on the day the old one ceased; the finished one
        # stays with the agency that did the work.
        self.assertEqual((still_open.lead, still_open.original_lead), (successor, old))
        moved = still_open.events.get(kind=EventKind.TRANSFERRED)
        self.assertEqual((moved.on, moved.data["to"]), (dt.date(2025, 7, 1), "gl-tc"))
        self.assertEqual(finished.lead, old)

    def test_it_lets_only_the_office_import(self) -> None:
        upload = SimpleUploadedFile("export.csv", csv_of([row("A1")]))
        with self.assertRaises(PermissionDenied):
            runs.run_start(
                actor=self.p.lead_officer, profile=self.profile, upload=upload, checksum="x"
            )
        with self.assertRaises(PermissionDenied):
            runs.profile_save(actor=self.p.coord_officer, profile=self.profile, orgs={})

    def test_it_refuses_a_file_without_the_required_columns(self) -> None:
        run = self.start("Mã nhiệm vụ,Ghi chú\nA1,x\n".encode())
        with translation.override("vi"), self.assertRaises(ValidationError) as caught:
            runs.run_enqueue(actor=self.p.office, run=run)
        self.assertIn("chọn cột cho", caught.exception.messages[0])
        self.assertEqual(LegacyRun.objects.get().status, LegacyRunStatus.QUEUED)
        self.assertFalse(Assignment.objects.filter(legacy_source="idesk").exists())

    def test_it_starts_the_import_only_after_a_clean_dry_run(self) -> None:
        run = self.start(csv_of([row("A1"), row("A2", lead="STC (cũ)")]))
        runs.dry_step(run.pk)
        with self.assertRaises(ValidationError):
            runs.run_enqueue(actor=self.p.office, run=LegacyRun.objects.get(pk=run.pk))
        runs.profile_save(
            actor=self.p.office, profile=self.profile, orgs={"STC (cũ)": self.p.agency_b.code}
        )
        run = runs.dry_step(run.pk)
        self.assertEqual(run.counts["dry"]["counts"], {"new": 2})
        with self.captureOnCommitCallbacks(execute=False) as queued:
            runs.run_enqueue(actor=self.p.office, run=run)
        self.assertEqual(len(queued), 1)

    def test_it_reconciles_the_old_trackers_words_with_the_computed_states(self) -> None:
        data = csv_of(
            [
                row("A1", state="Hoàn thành", done="20/02/2026"),
                # The old tracker called it on time; its dates say a week late.
                row("A2", state="Hoàn thành", done="07/03/2026"),
                row("A3", state="Quá hạn"),
            ]
        )
        run = runs.run_step(self.start(data).pk)
        found = run.counts["reconcile"]
        self.assertEqual(found["differing"], 1)
        self.assertEqual(
            found["rows"][0] | {"number": 3},
            {
                "number": 3,
                "legacy_id": "A2",
                "file": "done_on_time",
                "nhiemvu": "done_late",
                "quarter": "2026-Q1",
                "agency": "Sở Tài chính",
            },
        )
        (group,) = found["groups"]
        self.assertEqual((group["file_rate"], group["nhiemvu_rate"]), (100.0, 50.0))
        self.assertTrue(group["differs"])
        page = self.client
        self.login(self.p.office)
        shown = page.get(f"/van-ban/chuyen-doi/{run.code}/")
        # The office reads each class in words: the old tracker's reading beside nhiemvu's.
        self.assertContains(shown, "<td>Hoàn thành đúng hạn</td><td>Hoàn thành quá hạn</td>")
        self.assertNotContains(shown, "done_late")
