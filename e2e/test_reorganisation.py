"""A district ends and two communes take its work, in a real browser (issue 16): the office
records the split with a rule, reviews the plan, applies it; the commune's officer finds the
task on their home; the district's page tells its lineage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from e2e.test_task_flow import login, pick_organisation
from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import OrgKind, Role
from nhiemvu.test import Province, make_org, make_user, register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_office_splits_a_district_and_the_commune_takes_its_task(
    live_server: Any, page: Any
) -> None:
    p = Province()
    today = workdays.today()
    base = live_server.url
    make_org("xa-tay-son", "UBND xã Tây Sơn", OrgKind.COMMUNE, valid_from=today)
    binh_khe = make_org("xa-binh-khe", "UBND xã Bình Khê", OrgKind.COMMUNE, valid_from=today)
    make_user("binhkhe", binh_khe, Role.OFFICER)
    register(
        p,
        doc_date=today - dt.timedelta(days=20),
        tasks=[
            TaskSpec(
                content="Hoàn thành giải phóng mặt bằng tại Bình Khê",
                lead=p.agency_c,
                deadline=today + dt.timedelta(days=30),
            )
        ],
    )
    task = Assignment.objects.get()

    login(page, base, "office")
    page.click("text=Sắp xếp tổ chức")
    page.select_option("#id_kind", "split")
    page.fill("#id_effective_date", today.strftime("%d/%m/%Y"))
    page.fill("#id_legal_basis", "Nghị quyết 1664/NQ-UBTVQH15")
    pick_organisation(page, "id_sources", "tay son", "UBND huyện Tây Sơn")
    pick_organisation(page, "id_targets", "xa tay son", "UBND xã Tây Sơn")
    pick_organisation(page, "id_targets", "binh khe", "UBND xã Bình Khê")
    # The rule's successor is picked like any organisation, not typed as a code (issue 27).
    pick_organisation(page, "id_rule_1_to", "binh khe", "UBND xã Bình Khê")
    page.fill("#id_rule_1_words", "Bình Khê")
    page.click("text=Ghi nhận và lập phương án chuyển giao")
    page.wait_for_url(f"{base}/co-quan/sap-xep/**")
    plan = page.locator("#plan-lines").inner_text()
    assert "UBND xã Bình Khê" in plan and "quy tắc: Bình Khê" in plan
    page.click("text=Áp dụng phương án (toàn bộ hoặc không)")
    assert "Đã áp dụng: chuyển giao 1 nhiệm vụ" in page.content()
    task.refresh_from_db()
    assert task.lead == binh_khe
    assert page.console_errors == []

    page.goto(f"{base}/co-quan/tay-son/")
    lineage = page.locator("#lineage").inner_text()
    assert "Chia tách" in lineage and "Nghị quyết 1664/NQ-UBTVQH15" in lineage
    assert "UBND xã Bình Khê" in lineage

    login(page, base, "binhkhe")
    assert "Hoàn thành giải phóng mặt bằng tại Bình Khê" in page.content()
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    assert "UBND huyện Tây Sơn" in page.content()  # "ban đầu" giao cho huyện
