"""The reorganisation pages as the office uses them: record a merger, review its plan, change a
line, apply it; the organisation page shows the lineage; nobody else may touch them."""

from __future__ import annotations

from datetime import date as D

from nhiemvu.assignments.models import TransferItem
from nhiemvu.orgs.models import Organisation, Reorganisation, ReorgState
from nhiemvu.test import BaseTestCase, api_key, make_org, travel


class ReorganisationPagesTest(BaseTestCase):
    def test_the_office_records_reviews_and_applies_a_merger(self) -> None:
        new = make_org("so-moi", "Sở Khoa học, Công nghệ và Truyền thông")
        self.login(self.p.office)
        page = self.client.get("/co-quan/sap-xep/")
        self.assertContains(page, "Ghi nhận sắp xếp tổ chức")
        bad = self.client.post(
            "/co-quan/sap-xep/",
            {
                "kind": "merge",
                "effective_date": "31/02/2026",
                "legal_basis": "",
                "sources": ["so-khcn"],
            },
        )
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "dd/mm/yyyy", status_code=400)
        self.assertFalse(Reorganisation.objects.exists())
        response = self.client.post(
            "/co-quan/sap-xep/",
            {
                "kind": "merge",
                "effective_date": "16/03/2026",
                "legal_basis": "Quyết định 55/QĐ-UBND",
                "sources": ["so-khcn"],
                "targets": ["so-moi"],
            },
        )
        reorg = Reorganisation.objects.get()
        self.assertRedirects(response, f"/co-quan/sap-xep/{reorg.code}/")
        detail = self.client.get(f"/co-quan/sap-xep/{reorg.code}/")
        self.assertContains(detail, self.task.summary)
        self.assertContains(detail, "Có thể áp dụng từ 16/03/2026")
        line = TransferItem.objects.get()
        changed = self.client.post(
            f"/co-quan/sap-xep/{reorg.code}/",
            {"action": "set", "lines": [line.pk], "to_org": "so-tc"},
        )
        self.assertEqual(changed.status_code, 302)
        self.assertEqual(TransferItem.objects.get().to_org, self.p.agency_b)
        early = self.client.post(f"/co-quan/sap-xep/{reorg.code}/", {"action": "apply"})
        self.assertContains(early, "16/03/2026", status_code=400)
        with travel(D(2026, 3, 16)):
            self.client.post(f"/co-quan/sap-xep/{reorg.code}/", {"action": "apply"})
            self.assertEqual(self.reload().lead, self.p.agency_b)
            reorg.refresh_from_db()
            self.assertEqual(reorg.state, ReorgState.APPLIED)
            lineage = self.client.get("/co-quan/so-khcn/")
        self.assertContains(lineage, "Quyết định 55/QĐ-UBND")
        self.assertContains(lineage, new.name)
        self.assertEqual(Organisation.objects.get(code="so-khcn").successor, new)
        # The same lineage for the province's other systems.
        key = api_key(self.p.office_org, scope="read", role="office")
        body = self.client.get(
            "/api/v1/organisations/so-khcn", HTTP_AUTHORIZATION=f"Bearer {key}"
        ).json()
        self.assertEqual(body["valid_to"], "2026-03-15")
        self.assertEqual(
            [(h["kind"], h["before"], h["after"], h["legal_basis"]) for h in body["lineage"]],
            [("merge", ["so-khcn"], ["so-moi"], "Quyết định 55/QĐ-UBND")],
        )

    def test_it_takes_a_split_rules_successor_from_the_picker(self) -> None:
        # Issue 27 item 5: a rule names its successor by picking it, not by an internal code.
        west = make_org("xa-tay", "UBND xã Tây Sơn Tây")
        east = make_org("xa-dong", "UBND xã Tây Sơn Đông")
        self.login(self.p.office)
        page = self.client.get("/co-quan/sap-xep/")
        self.assertContains(page, "Quy tắc phân chia 1: đơn vị kế thừa")
        self.assertNotContains(page, "mã: từ khóa")
        split = {
            "kind": "split",
            "effective_date": "16/03/2026",
            "legal_basis": "Nghị quyết 1664/NQ-UBTVQH15",
            "sources": ["tay-son"],
            "targets": ["xa-tay", "xa-dong"],
        }
        # Words without a successor: said in Vietnamese beside the row, nothing recorded.
        bad = self.client.post("/co-quan/sap-xep/", {**split, "rule_1_words": "Bình Khê"})
        self.assertContains(
            bad, "Chọn đơn vị kế thừa nhận các nhiệm vụ có những từ khóa này.", status_code=400
        )
        self.assertFalse(Reorganisation.objects.exists())
        self.client.post(
            "/co-quan/sap-xep/",
            {
                **split,
                "rule_1_to": "xa-dong",
                "rule_1_words": "Bình Khê, Tây Vinh",
                "rule_2_to": "xa-tay",
                "rule_2_words": "Tây Bình",
            },
        )
        self.assertEqual(
            Reorganisation.objects.get().split_rules,
            [
                {"to": east.code, "words": ["Bình Khê", "Tây Vinh"]},
                {"to": west.code, "words": ["Tây Bình"]},
            ],
        )

    def test_agencies_and_leaders_cannot_reorganise(self) -> None:
        for user in (self.p.lead_officer, self.p.lead_head, self.p.outsider, self.p.chairman):
            self.login(user)
            self.assertEqual(self.client.get("/co-quan/sap-xep/").status_code, 403)
            self.assertEqual(
                self.client.post(
                    "/co-quan/sap-xep/",
                    {
                        "kind": "dissolve",
                        "effective_date": "16/03/2026",
                        "legal_basis": "x",
                        "sources": ["so-tc"],
                    },
                ).status_code,
                403,
            )
        self.assertFalse(Reorganisation.objects.exists())
