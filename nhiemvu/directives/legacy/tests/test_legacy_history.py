"""Issue 29: the old tracker's extensions and dated progress notes land on each task's timeline,
read by the status engine for past dates, and a second import adds none of them again."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import translation

from nhiemvu.assignments import status
from nhiemvu.assignments.models import (
    Assignment,
    AssignmentEvent,
    EventKind,
    Extension,
    ExtensionStatus,
)
from nhiemvu.audit.models import AuditEvent
from nhiemvu.directives.legacy import imports, runs
from nhiemvu.directives.legacy.models import LegacyRun
from nhiemvu.directives.legacy.reading import guess_columns, open_table
from nhiemvu.directives.legacy.tests.base import LegacyTestCase

HEADERS = [
    "Mã nhiệm vụ",
    "Số ký hiệu",
    "Ngày văn bản",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Hạn ban đầu",
    "Hạn xử lý",
    "Trạng thái",
    "Ngày hoàn thành",
    "Gia hạn",
    "Tiến độ",
]
EXTENDED = (
    "28/02/2025 → 31/03/2025 Văn bản 45/UBND-KT ngày 20/02/2025\n"
    "31/03/2025 -> 30/04/2025 Quyết định 60/QĐ-UBND"
)
NOTES = "15/01/2025: Đã họp các sở\n10/02/2025: Đã có dự thảo, gửi xin ý kiến"


def export(*rows: list[str]) -> bytes:
    lines = [",".join(HEADERS)] + [",".join(f'"{c}"' for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def task_row(
    legacy_id: str,
    *,
    original: str = "28/02/2025",
    deadline: str = "30/04/2025",
    state: str = "Đang thực hiện",
    done: str = "",
    extensions: str = EXTENDED,
    notes: str = NOTES,
) -> list[str]:
    return [
        legacy_id,
        "12/UBND-KT",
        "05/01/2025",
        f"Nhiệm vụ {legacy_id}",
        "Sở Tài chính",
        original,
        deadline,
        state,
        done,
        extensions,
        notes,
    ]


class LegacyHistoryTests(LegacyTestCase):
    HEADERS = HEADERS

    def imported(self, data: bytes) -> LegacyRun:
        run = runs.run_step(self.start(data).pk)
        self.assertEqual(run.error, "")
        return run

    def dry(self, data: bytes) -> list[imports.Outcome]:
        table = open_table(io.BytesIO(data), "export.csv", len(data))
        with translation.override("vi"):
            return list(imports.dry_run(table, self.profile))

    def test_the_profile_reads_the_extension_and_progress_columns(self) -> None:
        columns = guess_columns(HEADERS)
        self.assertEqual((columns["extensions"], columns["progress"]), ("Gia hạn", "Tiến độ"))

    def test_it_puts_extensions_and_notes_on_the_timeline_with_their_dates(self) -> None:
        self.imported(export(task_row("A1")))
        task = Assignment.objects.get(legacy_id="A1")
        self.assertEqual(
            (task.original_deadline, task.deadline), (dt.date(2025, 2, 28), dt.date(2025, 4, 30))
        )
        approved = list(task.extensions.order_by("decided_on"))
        self.assertEqual(
            [(e.deadline_before, e.new_deadline, e.decided_on, e.status) for e in approved],
            [
                (dt.date(2025, 2, 28), dt.date(2025, 3, 31), dt.date(2025, 2, 20), "approved"),
                # No date in the decision: decided when the deadline then ran out.
                (dt.date(2025, 3, 31), dt.date(2025, 4, 30), dt.date(2025, 3, 31), "approved"),
            ],
        )
        self.assertEqual(approved[0].decision_note, "Văn bản 45/UBND-KT ngày 20/02/2025")
        timeline = [(e.on, e.kind, e.text) for e in task.events.exclude(kind=EventKind.ASSIGNED)]
        self.assertEqual(
            timeline,
            [
                (dt.date(2025, 1, 15), "progress", "Đã họp các sở"),
                (dt.date(2025, 2, 10), "progress", "Đã có dự thảo, gửi xin ý kiến"),
                (dt.date(2025, 2, 20), "ext_approved", "Văn bản 45/UBND-KT ngày 20/02/2025"),
                (dt.date(2025, 3, 31), "ext_approved", "Quyết định 60/QĐ-UBND"),
            ],
        )
        # A past date reads the deadline then: on 10/03/2025 the first extension had moved it.
        past = status.annotate(Assignment.objects.filter(pk=task.pk), as_of=dt.date(2025, 3, 10))
        self.assertEqual(past.get().st_deadline, dt.date(2025, 3, 31))
        before = status.annotate(Assignment.objects.filter(pk=task.pk), as_of=dt.date(2025, 2, 19))
        self.assertEqual(before.get().st_deadline, dt.date(2025, 2, 28))
        audit = AuditEvent.objects.get(action="assignment.import_legacy")
        self.assertEqual(audit.after["new"], ["A1"])

    def test_a_task_done_within_its_extension_counts_as_the_extension_says(self) -> None:
        done = task_row(
            "A1",
            state="Hoàn thành",
            done="25/03/2025",
            deadline="31/03/2025",
            extensions="28/02/2025 → 31/03/2025 Văn bản 45/UBND-KT ngày 20/02/2025",
        )
        self.imported(export(done))
        task = Assignment.objects.get(legacy_id="A1")
        self.assertEqual(task.deadline, dt.date(2025, 3, 31))
        self.assertEqual(
            task.completed_late,
            status.stamp_late(
                completion_date=dt.date(2025, 3, 25),
                deadline=dt.date(2025, 3, 31),
                original_deadline=dt.date(2025, 2, 28),
            ),
        )

    def test_a_second_import_adds_nothing_and_a_later_one_adds_only_whats_new(self) -> None:
        data = export(task_row("A1"))
        self.imported(data)
        counts = (Extension.objects.count(), AssignmentEvent.objects.count())
        second = self.imported(data)
        self.assertEqual(second.counts.get("unchanged"), 1)
        self.assertEqual((Extension.objects.count(), AssignmentEvent.objects.count()), counts)
        self.assertEqual([o.outcome for o in self.dry(data)], ["unchanged"])
        later = export(task_row("A1", notes=NOTES + "\n20/03/2025: Đã trình UBND tỉnh"))
        self.assertEqual([o.outcome for o in self.dry(later)], ["updated"])
        third = self.imported(later)
        self.assertEqual(third.counts.get("updated"), 1)
        task = Assignment.objects.get(legacy_id="A1")
        self.assertEqual(
            list(task.events.filter(kind=EventKind.PROGRESS).values_list("text", flat=True)),
            ["Đã họp các sở", "Đã có dự thảo, gửi xin ý kiến", "Đã trình UBND tỉnh"],
        )
        self.assertEqual(task.extensions.filter(status=ExtensionStatus.APPROVED).count(), 2)

    def test_it_refuses_extensions_and_notes_that_cannot_have_happened(self) -> None:
        outcomes = self.dry(
            export(
                task_row("A1", extensions="28/02/2025 → 20/02/2025 QĐ 1", deadline="20/02/2025"),
                task_row("A2", extensions="31/03/2025 → 30/04/2025 QĐ 2"),
                task_row("A3", deadline="31/05/2025"),
                task_row("A4", notes="01/01/2024: trước ngày giao"),
                task_row("A5", notes="đã họp, chưa rõ ngày"),
                task_row("A6", extensions="gia hạn đến cuối quý"),
            )
        )
        self.assertEqual({o.outcome for o in outcomes}, {"refused"})
        reasons = [o.reason for o in outcomes]
        self.assertIn("không lùi hạn", reasons[0])
        self.assertIn("không bắt đầu từ hạn lúc đó (28/02/2025)", reasons[1])
        self.assertIn("Lần gia hạn cuối kết thúc ngày 30/04/2025", reasons[2])
        self.assertIn("ngoài thời gian của nhiệm vụ", reasons[3])
        self.assertIn("“đã họp, chưa rõ ngày”", reasons[4])
        self.assertIn("“gia hạn đến cuối quý”", reasons[5])
        self.assertFalse(Assignment.objects.filter(legacy_source="idesk").exists())

    def test_the_reconciliation_downloads_as_a_workbook_with_every_differing_row(self) -> None:
        import openpyxl

        data = export(
            task_row("A1", extensions="", original="30/04/2025"),
            # The old tracker calls it done on time; its dates say a month late.
            task_row(
                "A2", extensions="", original="30/04/2025", state="Hoàn thành", done="30/05/2025"
            ),
            task_row(
                "A3", extensions="", original="30/04/2025", state="Hoàn thành", done="20/04/2025"
            ),
        )
        run = self.imported(data)
        self.login(self.p.office)
        page = self.client.get(f"/van-ban/chuyen-doi/{run.code}/")
        self.assertContains(page, "Tải bảng đối chiếu")
        response = self.client.get(f"/van-ban/chuyen-doi/{run.code}/?tai=doi-chieu")
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
        groups, rows = book.worksheets
        self.assertEqual((groups.title, rows.title), ("Đối chiếu", "Dòng khác nhau"))
        header = [c.value for c in groups[3]]
        (group,) = [[c.value for c in r] for r in groups.iter_rows(min_row=4)]
        found = dict(zip(header, group, strict=True))
        self.assertEqual(found["Cơ quan"], "Sở Tài chính")
        self.assertEqual(found["Hoàn thành đúng hạn: hệ thống cũ"], 2)
        self.assertEqual(found["Hoàn thành đúng hạn: nhiemvu"], 1)
        self.assertEqual(found["Hoàn thành quá hạn: nhiemvu"], 1)
        self.assertEqual(found["Quá hạn: hệ thống cũ"], 0)  # "Đang thực hiện" past its deadline
        self.assertEqual(found["Quá hạn: nhiemvu"], 1)
        self.assertEqual(
            (found["Tỷ lệ đúng hạn, hệ thống cũ (%)"], found["Tỷ lệ đúng hạn, nhiemvu (%)"]),
            (100, 50),
        )
        self.assertEqual(found["Dòng khác nhau"], 2)
        listed = [[c.value for c in r] for r in rows.iter_rows(min_row=2)]
        self.assertEqual(
            listed,
            [
                [
                    2,
                    "A1",
                    "2025-Q1",
                    "Sở Tài chính",
                    "Đang thực hiện",
                    "Đang thực hiện, còn hạn",
                    "Quá hạn",
                ],
                [
                    3,
                    "A2",
                    "2025-Q1",
                    "Sở Tài chính",
                    "Hoàn thành",
                    "Hoàn thành đúng hạn",
                    "Hoàn thành quá hạn",
                ],
            ],
        )

    def test_an_outsider_cannot_download_it(self) -> None:
        run = self.imported(export(task_row("A1", extensions="", original="30/04/2025")))
        self.login(self.p.lead_officer)
        response = self.client.get(f"/van-ban/chuyen-doi/{run.code}/?tai=doi-chieu")
        self.assertEqual(response.status_code, 403)
