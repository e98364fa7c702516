"""The administrator administers, in a real browser (issue 27 item 1): a report signed under an
authority the province does not know yet says what an administrator must do; the administrator
follows the link and trusts the authority in the admin site; a report signed by another
organisation is said as such, never "not valid"."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.test_signed_report import upload
from e2e.test_task_flow import login, one_task, open_action
from nhiemvu.lib import signatures
from nhiemvu.orgs import services as org_services
from nhiemvu.tests import certs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed(chain: certs.Chain, name: str, org: str) -> bytes:
    return signatures.sign_pdf(
        certs.blank_pdf(),
        chain.pkcs12(chain.signer(name, org)),
        certs.PASSPHRASE,
        reason="Báo cáo",
        location="GL",
    )


def test_the_administrator_trusts_an_unknown_authority(
    live_server: Any, page: Any, tmp_path: Any, settings: Any
) -> None:
    # The worker's step (checking the stored reports again) runs at once here.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    _p, task = one_task()
    chain = certs.chain("CA Chính phủ thử")
    base = live_server.url
    upload(page, base, task.code, signed(chain, "Đỗ Thanh Sơn", "Sở Khoa học và Công nghệ"))

    login(page, base, "wg")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    advice = page.locator("[data-signature-advice]").inner_text()
    assert "quản trị viên cần thêm chứng thư gốc" in advice
    assert page.locator("[data-trust-root-link]").count() == 0  # not the Working Group's step
    open_action(page, "confirm")
    warning = page.locator("#signature-warning").inner_text()
    assert "do Sở Khoa học và Công nghệ ký, nhưng chưa thể xác nhận" in warning
    assert "không hợp lệ" not in warning

    login(page, base, "admin")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    page.click("[data-trust-root-link]")
    page.wait_for_url(f"{base}/quan-tri/orgs/trustroot/add/")
    page.fill("#id_name", "CA Chính phủ thử")
    root = tmp_path / "ca.pem"
    root.write_bytes(chain.root.pem)
    page.set_input_files("#id_upload", str(root))
    page.click("input[name=_save]")
    page.wait_for_url(f"{base}/quan-tri/orgs/trustroot/")
    assert "CA Chính phủ thử" in page.locator("#result_list").inner_text()
    page.goto(f"{base}/quan-tri/")
    assert "Bạn không có quyền xem hoặc chỉnh sửa bất cứ gì" not in page.content()

    # The report waiting for that authority now reads valid, without being uploaded again.
    login(page, base, "wg")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    assert "hợp lệ" in page.locator("[data-signature=valid]").inner_text()
    open_action(page, "confirm")
    assert page.locator("#signature-warning").count() == 0


def test_a_report_signed_by_another_organisation_is_said_so(live_server: Any, page: Any) -> None:
    p, task = one_task()
    chain = certs.chain("CA Chính phủ thử")
    org_services.trust_root_add(actor=p.admin, name="CA Chính phủ thử", data=chain.root.pem)
    base = live_server.url
    upload(page, base, task.code, signed(chain, "Võ Thị Lan", "Sở Tài chính"))

    login(page, base, "wg")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    line = page.locator("[data-signature=valid]").inner_text()
    assert "không phải cơ quan chủ trì Sở Khoa học và Công nghệ" in line
    open_action(page, "confirm")
    warning = page.locator("#signature-warning").inner_text()
    assert "do Sở Tài chính ký, không phải cơ quan chủ trì" in warning
    assert "không hợp lệ" not in warning
