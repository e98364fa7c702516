"""Delegation ends with the lead (issue 24): whichever way a task leaves its lead agency (the
office reassigns it on the page or through the API, a reorganisation's plan transfers it in a
merger or a split), the agency's hand-over ends in the same transaction and stays that agency's:
the next lead's people never read the previous agency's assignee, division, note, internal
deadline or internal reports, on the page, on their home or through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nhiemvu.assignments import services
from nhiemvu.assignments.models import (
    Coordination,
    Delegation,
    DelegationEnd,
    TransferItem,
    TransferRole,
)
from nhiemvu.assignments.reorganisation import plan as reorg_plan
from nhiemvu.assignments.reorganisation import record as reorg_record
from nhiemvu.audit.models import AuditEvent
from nhiemvu.orgs.models import Organisation, OrgKind, ReorgKind, Role
from nhiemvu.test import BaseTestCase, api_key, make_org, make_user, travel

NOTE = "Ghi chú nội bộ: ưu tiên số liệu quý I"
DIVISION = "Phòng Kế hoạch - Tài chính"
REPORT = "Báo cáo nội bộ: đã có dự thảo lần 2"
INTERNAL = dt.date(2026, 3, 20)
EFFECTIVE = dt.date(2026, 3, 16)  # a Monday after TODAY (11/3/2026)
INSIDE_WORDS = (NOTE, DIVISION, REPORT, "20/03/2026")


class DelegationEndsWithTheLeadTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        services.assignment_delegate(
            actor=self.p.lead_head,
            task=self.task,
            assignee=self.p.lead_officer,
            internal_deadline=INTERNAL,
            division=DIVISION,
            note=NOTE,
        )
        services.delegation_report(actor=self.p.lead_officer, task=self.task, text=REPORT)

    # --- what a person of the next lead reads ---------------------------------------------

    def assert_page_hides_the_inside(self, user: Any) -> None:
        self.login(user)
        response = self.client.get(f"/nhiem-vu/{self.task.code}/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for words in INSIDE_WORDS:
            self.assertNotIn(words, page)
        self.assertNotIn(self.p.lead_officer.display_name + " (", page)

    def assert_api_hides_the_inside(self, org: Organisation) -> None:
        key = api_key(org)
        response = self.client.get(
            f"/api/v1/tasks/{self.task.code}", headers={"Authorization": f"Bearer {key}"}
        )
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        for words in INSIDE_WORDS:
            self.assertNotIn(words, body)

    def assert_ended(self, because: str) -> Delegation:
        handover = Delegation.objects.get(assignment=self.task)
        self.assertFalse(handover.active)
        self.assertEqual(handover.ended_because, because)
        self.assertEqual(handover.org, self.p.agency_a)  # still Sở KH&CN's, for ever
        self.assertTrue(
            AuditEvent.objects.filter(
                action="assignment.delegation_end", target_id=self.task.pk
            ).exists()
        )
        return handover

    def assert_the_old_holder_lost_it(self) -> None:
        self.login(self.p.lead_officer)
        home = self.client.get("/").content.decode()
        self.assertNotIn(self.task.summary[:30], home[home.find('id="passed-on"') :])
        response = self.client.post(
            f"/nhiem-vu/{self.task.code}/report_inside/", {"text": "Báo cáo muộn"}
        )
        self.assertIn(response.status_code, (403, 404))
        self.assertEqual(Delegation.objects.get(assignment=self.task).reports.count(), 1)

    # --- each way a lead changes -----------------------------------------------------------

    def test_it_ends_when_the_office_reassigns_the_task_on_its_page(self) -> None:
        self.login(self.p.office)
        response = self.client.post(
            f"/nhiem-vu/{self.task.code}/reassign/", {"lead": "so-tc", "reason": "Đúng chức năng"}
        )
        self.assertEqual(response.status_code, 302)
        self.assert_ended(DelegationEnd.REASSIGN)
        self.assert_page_hides_the_inside(self.p.coord_officer)  # Sở Tài chính leads now
        self.assert_api_hides_the_inside(self.p.agency_b)
        self.assert_the_old_holder_lost_it()

    def test_it_ends_when_the_office_reassigns_the_task_through_the_api(self) -> None:
        response = self.client.post(
            f"/api/v1/tasks/{self.task.code}/reassign",
            {"lead": "so-tc", "reason": "Đúng chức năng"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {api_key(self.p.office_org, role='office')}"},
        )
        self.assertEqual(response.status_code, 200)
        self.assert_ended(DelegationEnd.REASSIGN)
        self.assert_page_hides_the_inside(self.p.coord_officer)
        self.assert_api_hides_the_inside(self.p.agency_b)
        self.assert_the_old_holder_lost_it()

    def transfer(self, kind: str, targets: list[Organisation]) -> None:
        reorg = reorg_record.reorganisation_record(
            actor=self.p.office,
            kind=kind,
            effective_date=EFFECTIVE,
            legal_basis="Quyết định 100/QĐ-UBND ngày 10/3/2026",
            sources=[self.p.agency_a],
            targets=targets,
        )
        reorg_plan.transfer_plan_build(actor=self.p.office, reorg=reorg)
        lead_lines = TransferItem.objects.filter(reorganisation=reorg, role=TransferRole.LEAD)
        reorg_plan.transfer_plan_set(
            actor=self.p.office,
            reorg=reorg,
            items=list(lead_lines.values_list("pk", flat=True)),
            to_org=targets[0],
        )
        with travel(EFFECTIVE):
            reorg_plan.reorganisation_apply(actor=self.p.office, reorg=reorg)

    def test_it_ends_when_a_merger_transfers_the_task(self) -> None:
        merged = make_org("so-khcn-moi", "Sở Khoa học và Công nghệ (mới)", valid_from=EFFECTIVE)
        officer = make_user("officer-moi", merged, Role.OFFICER)
        self.transfer(ReorgKind.MERGE, [merged])
        self.assertEqual(self.reload().lead, merged)
        self.assert_ended(DelegationEnd.TRANSFER)
        with travel(EFFECTIVE):
            self.assert_page_hides_the_inside(officer)
            self.assert_api_hides_the_inside(merged)

    def test_it_ends_when_a_split_transfers_the_task(self) -> None:
        science = make_org("so-kh", "Sở Khoa học", valid_from=EFFECTIVE)
        tech = make_org("so-cn", "Sở Công nghệ", OrgKind.DEPARTMENT, valid_from=EFFECTIVE)
        head = make_user("head-kh", science, Role.HEAD)
        self.transfer(ReorgKind.SPLIT, [science, tech])
        self.assertEqual(self.reload().lead, science)
        self.assert_ended(DelegationEnd.TRANSFER)
        with travel(EFFECTIVE):
            self.assert_page_hides_the_inside(head)
            self.assert_api_hides_the_inside(science)

    # --- the agency that had it keeps its own inside; the next lead's is its own -----------

    def test_the_agency_that_had_it_reads_why_it_ended_and_not_the_next_leads_inside(
        self,
    ) -> None:
        services.assignment_reassign(actor=self.p.office, task=self.task, lead=self.p.agency_b)
        # Sở KH&CN stays on the task as a coordinator; Sở Tài chính's head passes it on.
        Coordination.objects.create(assignment=self.task, org=self.p.agency_a)
        head_b = make_user("head-tc", self.p.agency_b, Role.HEAD)
        services.assignment_delegate(
            actor=head_b,
            task=self.reload(),
            assignee=self.p.coord_officer,
            division="Phòng Ngân sách",
            note="Việc riêng của Sở Tài chính",
        )
        self.login(self.p.lead_head)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        earlier = page[page.index('id="inside-earlier"') :]
        self.assertIn(DIVISION, earlier)
        self.assertIn('data-ended="reassign"', earlier)
        self.assertNotIn("Phòng Ngân sách", page)
        self.assertNotIn("Việc riêng của Sở Tài chính", page)
        self.assertNotIn("data-not-passed-on", page)  # Sở KH&CN no longer leads
        self.login(self.p.coord_officer)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn("Việc riêng của Sở Tài chính", page)
        for words in INSIDE_WORDS:
            self.assertNotIn(words, page)

    def test_a_lead_change_without_a_handover_changes_nothing_inside(self) -> None:
        Delegation.objects.all().delete()
        services.assignment_reassign(actor=self.p.office, task=self.task, lead=self.p.agency_b)
        self.assertFalse(Delegation.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="assignment.delegation_end").exists())
