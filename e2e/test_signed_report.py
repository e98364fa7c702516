"""An agency's signed completion report, in a real browser (issue 17): the lead officer uploads
the PDF its head signed; the Working Group sees who signed it and that it is valid before
confirming; an unsigned report gets a warning in the confirm form."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.test_task_flow import login, one_task, open_action
from nhiemvu.lib import signatures, workdays
from nhiemvu.orgs import services as org_services
from nhiemvu.tests import certs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def upload(page: Any, base: str, code: str, pdf: bytes) -> None:
    login(page, base, "lead")
    page.goto(f"{base}/nhiem-vu/{code}/")
    open_action(page, "complete")
    page.fill("#action-complete [name=output_ref]", "126/BC-KHCN")
    page.fill("#action-complete [name=output_date]", workdays.today().strftime("%d/%m/%Y"))
    page.set_input_files(
        "#action-complete [name=file]",
        files=[{"name": "bao-cao-ky-so.pdf", "mimeType": "application/pdf", "buffer": pdf}],
    )
    page.click("#action-complete button[type=submit]")
    page.wait_for_selector("[data-status=awaiting]")


def test_the_working_group_sees_who_signed_the_report(live_server: Any, page: Any) -> None:
    p, task = one_task()
    chain = certs.chain("CA Chính phủ thử")
    org_services.trust_root_add(actor=p.admin, name="CA Chính phủ thử", data=chain.root.pem)
    head = chain.signer("Đỗ Thanh Sơn", "Sở Khoa học và Công nghệ")
    pdf = signatures.sign_pdf(
        certs.blank_pdf(), chain.pkcs12(head), certs.PASSPHRASE, reason="Báo cáo", location="GL"
    )
    base = live_server.url
    upload(page, base, task.code, pdf)

    login(page, base, "wg")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    line = page.locator("[data-signature=valid]").first.inner_text()
    assert "Ký số bởi Sở Khoa học và Công nghệ — Đỗ Thanh Sơn" in line
    assert "hợp lệ" in line
    open_action(page, "confirm")
    assert page.locator("#signature-warning").count() == 0
    assert page.console_errors == []


def test_an_unsigned_report_is_flagged_before_confirming(live_server: Any, page: Any) -> None:
    _p, task = one_task()
    base = live_server.url
    upload(page, base, task.code, certs.blank_pdf())
    login(page, base, "wg")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    assert "Chưa ký số" in page.locator("[data-signature=none]").inner_text()
    open_action(page, "confirm")
    assert "chưa được ký số" in page.locator("#signature-warning").inner_text()
