from __future__ import annotations

import datetime as dt

import time_machine
from django.test import TestCase

from nhiemvu.assignments import holders, status
from nhiemvu.assignments.models import Assignment
from nhiemvu.audit.models import AuditEvent
from nhiemvu.directives.models import Directive
from nhiemvu.orgs.models import Membership, Organisation
from nhiemvu.test import at
from nhiemvu.web import demo


class DemoTest(TestCase):
    @time_machine.travel(at(dt.date(2026, 11, 26)), tick=False)
    def test_it_loads_twice_without_duplicates_and_covers_every_status(self) -> None:
        first = demo.load(documents=25)
        audit = AuditEvent.objects.count()
        second = demo.load(documents=25)
        self.assertEqual(first, second)
        self.assertEqual(AuditEvent.objects.count(), audit)
        letter = Directive.objects.get(ref="1147/UBND-KSTT")
        tasks = letter.assignments.all()
        # Five labelled tasks, the first fanned out to every agency and locality.
        self.assertGreater(tasks.count(), 30)
        self.assertEqual(letter.groups.get().members.count(), tasks.count() - 4)
        # Sở TT&TT merged into Sở KH&CN in 2025: its open task moved, history kept.
        idesk = tasks.get(content__contains="iDesk")
        self.assertEqual((idesk.lead.code, idesk.original_lead.code), ("so-khcn", "so-tttt"))
        # The letter stays Bình Định's; its open tasks are carried by today's holders, each
        # through the reform that ended its lead, dated by the reform's effective date.
        self.assertEqual(letter.issuer.name, "UBND tỉnh Bình Định")
        carried = {
            t.original_lead.code: t.lead.code
            for t in tasks.filter(state__in=["open", "returned"]).exclude(lead__code="to-cong-tac")
            if t.original_lead_id != t.lead_id
        }
        self.assertEqual(
            carried,
            {
                "so-tttt": "so-khcn",
                "so-gtvt": "so-xay-dung",
                "so-ldtbxh": "so-noi-vu",
                "tay-son": "x-tay-son",
                "van-canh": "x-van-canh",
            },
        )
        district = tasks.get(original_lead__code="tay-son")
        self.assertEqual(
            holders.holder_on(district, dt.date(2025, 6, 30)), district.original_lead_id
        )
        self.assertEqual(holders.holder_on(district, dt.date(2025, 7, 1)), district.lead_id)
        # December 2026: one Gia Lai, no district in force, the wards and communes in its place.
        today = dt.date(2026, 11, 26)
        self.assertEqual(Organisation.objects.get(code="ubnd-tinh").name, "UBND tỉnh Gia Lai")
        self.assertFalse(
            [o.code for o in Organisation.objects.filter(kind="district") if o.is_active_on(today)]
        )
        self.assertGreater(Organisation.objects.filter(kind="ward").count(), 15)
        self.assertEqual(
            Membership.objects.get(user__username="quynhon").org.name, "UBND phường Quy Nhơn"
        )
        # Work from above: one received task in progress, one every agency finished and the
        # province reported upward on time.
        received = {t.external_code: t for t in Assignment.objects.filter(received=True)}
        self.assertEqual(len(received), 2)
        reported = received[""]
        self.assertEqual((reported.state, reported.completed_late), ("done", False))
        self.assertEqual(reported.subtasks.filter(state="done").count(), 2)
        pending = received["NV-2026-17"]
        self.assertEqual((pending.state, pending.subtasks.count()), ("open", 3))
        upward = pending.deadline
        assert upward is not None
        self.assertTrue(all(s.deadline and s.deadline <= upward for s in pending.subtasks.all()))
        # Delays explained (issue 18): the quarter's report says why, in the agencies' words.
        from nhiemvu.accounts.models import User
        from nhiemvu.lib import periods
        from nhiemvu.reports.causes import delay_causes

        chairman = User.objects.get(username="chutich")
        with time_machine.travel(at(dt.date(2026, 11, 26)), tick=False):
            causes = delay_causes(chairman, periods.parse("2026-Q4"))
        explained = [row for row in causes.by_cause if row.key]
        self.assertGreaterEqual(len(explained), 3)
        self.assertTrue(causes.quotes and causes.held_up)
        # New work went to today's organisations only.
        recent = Assignment.objects.filter(assigned_on__gte=dt.date(2025, 7, 1))
        self.assertFalse(recent.filter(original_lead__kind="district").exists())
        self.assertFalse(recent.filter(original_lead__valid_to__isnull=False).exists())
        labels = set(status.annotate(Assignment.objects.all()).values_list("st_label", flat=True))
        for label in (
            status.Label.WITHIN,
            status.Label.OVERDUE,
            status.Label.AWAITING,
            status.Label.DONE_ON_TIME,
            status.Label.DONE_LATE,
            status.Label.NO_DEADLINE,
            status.Label.PAUSED,
            status.Label.REFUSED,
        ):
            self.assertIn(label, labels)


class LanguageTest(TestCase):
    def test_vietnamese_first_whatever_the_browser_says(self) -> None:
        response = self.client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, "Đăng nhập")
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
        self.assertContains(self.client.get("/dang-nhap/"), "Log in")
