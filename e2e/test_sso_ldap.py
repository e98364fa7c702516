"""Directory sign-in in a real browser (issue 30): an agency officer types the directory's user
name and password on the ordinary login page and lands on the agency's home with its tasks; a
person the rules place nowhere is told whom to ask. Runs against a throwaway slapd (marked
`ldap`: CI's ldap step, `make test-ldap`, after installing slapd)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from nhiemvu.accounts.tests.slapd import PASSWORDS, RULES, Slapd, running
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.lib import workdays
from nhiemvu.test import Province, register

pytestmark = [pytest.mark.e2e, pytest.mark.ldap, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(settings: Any) -> Iterator[Slapd]:
    with running() as slapd:
        settings.NHIEMVU_LDAP = slapd.settings()
        settings.NHIEMVU_ACCOUNT_RULES = RULES
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "nhiemvu.accounts.ldap.LdapBackend",
        ]
        yield slapd


def sign_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("button[type=submit]")


def test_an_agency_officer_signs_in_with_the_directory(
    live_server: Any, page: Any, directory: Slapd
) -> None:
    p = Province()
    today = workdays.today()
    register(
        p,
        doc_date=today - dt.timedelta(days=3),
        tasks=[
            TaskSpec(
                content="Báo cáo kết quả chuyển đổi số",
                lead=p.agency_a,
                deliverable_kind="bao_cao",
                deadline=today + dt.timedelta(days=21),
            ),
            TaskSpec(
                content="Bố trí kinh phí năm sau",
                lead=p.agency_b,
                deliverable_kind="bao_cao",
                deadline=today + dt.timedelta(days=21),
            ),
        ],
    )
    base = live_server.url

    sign_in(page, base, "lan.nguyen")
    page.wait_for_url(f"{base}/")
    text = page.text_content("body") or ""
    assert "Báo cáo kết quả chuyển đổi số" in text  # the agency's task
    assert "Bố trí kinh phí năm sau" not in text  # another agency's is not hers
    assert page.text_content("#account-menu").strip() == "Nguyễn Thị Lan"  # the directory's name
    page.click("#account-menu")
    assert "Sở Khoa học và Công nghệ" in page.locator(".dropdown-menu").first.inner_text()
    assert not page.console_errors

    sign_in(page, base, "dung.pham")
    alert = page.locator(".alert-danger")
    alert.wait_for()
    assert "Văn phòng UBND tỉnh (phòng Hành chính - Tổ chức)" in alert.inner_text()
    assert page.url.startswith(f"{base}/dang-nhap/")
