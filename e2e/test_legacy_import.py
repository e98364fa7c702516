"""The office carries the old tracker over (issue 29): uploads a small export with its zip of
files, reads how each column and each state word is read, maps an unknown agency by hand,
dry-runs, imports, reads a reconciliation with no difference, and imports again: unchanged."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from nhiemvu.assignments.models import Assignment
from nhiemvu.test import Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

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
    "Tệp đính kèm",
]
# Each row's state word agrees with its dates, as the old tracker computed them: the
# reconciliation finds no difference.
ROWS = [
    [
        "ID-1",
        "12/UBND-KT",
        "05/01/2025",
        "Xây dựng kế hoạch chuyển đổi số",
        "Sở Tài chính",
        "31/03/2025",
        "31/12/2099",
        "Đang thực hiện",
        "",
        "31/03/2025 → 31/12/2099 Văn bản 45/UBND-KT ngày 20/03/2025",
        "15/02/2025: Đã họp các sở",
        "",
    ],
    [
        "ID-2",
        "12/UBND-KT",
        "05/01/2025",
        "Báo cáo tình hình giải ngân",
        "Sở Tài chính",
        "28/02/2025",
        "28/02/2025",
        "Hoàn thành",
        "20/02/2025",
        "",
        "",
        "2025/bc-giai-ngan.pdf",
    ],
    [
        "ID-3",
        "30/UBND-TH",
        "10/02/2025",
        "Rà soát quy hoạch",
        "Sở KH&CN",
        "31/03/2025",
        "31/03/2025",
        "Hoàn thành quá hạn",
        "15/04/2025",
        "",
        "",
        "",
    ],
    [
        "ID-4",
        "30/UBND-TH",
        "10/02/2025",
        "Đề án sắp xếp đơn vị sự nghiệp",
        "STC (cũ)",
        "30/06/2025",
        "30/06/2025",
        "Quá hạn",
        "",
        "",
        "",
        "",
    ],
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def export_file(tmp_path: Any) -> tuple[str, str]:
    lines = [",".join(HEADERS)] + [",".join(f'"{c}"' for c in row) for row in ROWS]
    csv_path = tmp_path / "idesk-2025.csv"
    csv_path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2025/bc-giai-ngan.pdf", PDF)
    zip_path = tmp_path / "tep-dinh-kem.zip"
    zip_path.write_bytes(buffer.getvalue())
    return str(csv_path), str(zip_path)


def test_the_office_switches_over_from_the_old_tracker(
    live_server: Any, page: Any, tmp_path: Any, settings: Any
) -> None:
    from e2e.test_task_flow import login

    # The dry run and the import are the worker's steps: here they run at once.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    Province()
    csv_path, zip_path = export_file(tmp_path)
    base = live_server.url
    login(page, base, "office")
    page.goto(f"{base}/van-ban/chuyen-doi/")
    page.get_by_label("Tên cấu hình mới").fill("iDesk")
    page.get_by_label("Hệ thống cũ (nguồn)").fill("idesk")
    page.get_by_label("Tệp dữ liệu xuất (.csv, .xlsx)").set_input_files(csv_path)
    page.get_by_label("Tệp đính kèm (.zip").set_input_files(zip_path)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.wait_for_url(f"{base}/van-ban/chuyen-doi/*/")

    # How each column and each state word is read, before anything is written.
    assert page.get_by_label("Gia hạn", exact=True).input_value() == "Gia hạn"
    assert page.get_by_label("Tệp đính kèm", exact=True).input_value() == "Tệp đính kèm"
    words = page.locator("table", has_text="Trên hệ thống cũ")
    for word, reading in [
        ("Hoàn thành quá hạn", "Đã hoàn thành (đã xác nhận)"),
        ("Quá hạn", "Đang thực hiện"),
    ]:
        chosen = words.get_by_label(word, exact=True).locator("option:checked")
        assert chosen.inner_text() == reading
    unknown = page.locator("table", has_text="Tên trên hệ thống cũ")
    assert "STC (cũ)" in unknown.inner_text()
    assert Assignment.objects.filter(legacy_source="idesk").count() == 0

    # The office maps the unknown name by hand, then dry-runs.
    unknown.get_by_label("STC (cũ)").select_option(label="Sở Tài chính")
    page.get_by_role("button", name="Lưu cấu hình").click()
    assert "Đã lưu cấu hình chuyển đổi." in page.inner_text("main")
    assert "Mọi tên cơ quan đều khớp với một cơ quan" in page.inner_text("main")
    page.get_by_role("button", name="Chạy thử").click()
    assert "Mới: 4; không đổi: 0; cập nhật: 0; bị từ chối: 0" in page.inner_text("main")
    assert Assignment.objects.filter(legacy_source="idesk").count() == 0

    page.get_by_role("button", name="Nhập", exact=True).click()
    text = page.inner_text("main")
    assert "Mới: 4; không đổi: 0; cập nhật: 0" in text
    assert "0 dòng có trạng thái khác" in text
    assert page.get_by_role("link", name="Tải bảng đối chiếu").is_visible()
    carried = Assignment.objects.get(legacy_id="ID-2")
    assert [f.original_name for f in carried.attachments.all()] == ["bc-giai-ngan.pdf"]

    # The task's timeline shows the old tracker's extension and progress note.
    task = Assignment.objects.get(legacy_id="ID-1")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    timeline = page.inner_text("main")
    assert "Đã họp các sở" in timeline
    assert "Văn bản 45/UBND-KT ngày 20/03/2025" in timeline

    # The same export again: nothing changes.
    page.goto(f"{base}/van-ban/chuyen-doi/")
    page.get_by_label("Cấu hình chuyển đổi").select_option(label="iDesk (idesk)")
    page.get_by_label("Tệp dữ liệu xuất (.csv, .xlsx)").set_input_files(csv_path)
    page.get_by_label("Tệp đính kèm (.zip").set_input_files(zip_path)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.wait_for_url(f"{base}/van-ban/chuyen-doi/*/")
    page.get_by_role("button", name="Chạy thử").click()
    assert "Mới: 0; không đổi: 4; cập nhật: 0; bị từ chối: 0" in page.inner_text("main")
    page.get_by_role("button", name="Nhập", exact=True).click()
    assert "Mới: 0; không đổi: 4; cập nhật: 0" in page.inner_text("main")
    assert Assignment.objects.filter(legacy_source="idesk").count() == 4
    assert page.console_errors == []
