"""Reorganisations replayed through the services (issue 16): a merger, a split and a dissolution
of the province's own units; every open task moved exactly once, none lost, no deadline
changed; figures as of the day before and the day after agreeing with the tasks' history."""

from __future__ import annotations

import datetime as dt
from datetime import date as D

from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nhiemvu.assignments import holders, services
from nhiemvu.assignments.models import Assignment, LeadChange, TransferItem, WorkState
from nhiemvu.assignments.reorganisation import plan as reorg_plan
from nhiemvu.assignments.reorganisation import record as reorg_record
from nhiemvu.audit.models import AuditEvent
from nhiemvu.lib import periods
from nhiemvu.orgs.models import OrgAlias, Organisation, OrgKind, ReorgKind, ReorgState
from nhiemvu.reports import selectors as reports
from nhiemvu.test import BaseTestCase, Province, make_org, register, travel

MERGED_ON = D(2026, 3, 16)  # a Monday


def spec(content: str, lead: Organisation, deadline: D | None = D(2026, 4, 30), **kw: object):
    return services.TaskSpec(
        content=content,
        lead=lead,
        deadline=deadline,
        no_deadline_reason="" if deadline else "Thường xuyên.",
        **kw,  # type: ignore[arg-type]
    )


class MergerTest(BaseTestCase):
    """Sở KH&CN (agency A) and a Sở TT&TT merge into a new department on 16/3/2026."""

    def setUp(self) -> None:
        super().setUp()
        self.tttt = make_org("so-tttt", "Sở Thông tin và Truyền thông")
        self.new = make_org("so-khcn-moi", "Sở Khoa học và Công nghệ (mới)", valid_from=MERGED_ON)
        register(
            self.p,
            ref="200/UBND-KT",
            tasks=[
                spec("Nâng cấp hệ thống iDesk", self.tttt, coordinators=[self.p.agency_b]),
                spec("Báo cáo chuyển đổi số", self.tttt, deadline=None),
            ],
        )
        # A task of A's already confirmed: history, it stays with A.
        register(self.p, ref="201/UBND-KT", tasks=[spec("Đã xong", self.p.agency_a)])
        self.done = Assignment.objects.get(directive__ref="201/UBND-KT")
        Assignment.objects.filter(pk=self.done.pk).update(
            state=WorkState.DONE,
            completion_date=D(2026, 3, 9),
            confirmed_on=D(2026, 3, 10),
            completed_late=False,
        )
        self.reorg = reorg_record.reorganisation_record(
            actor=self.p.office,
            kind=ReorgKind.MERGE,
            effective_date=MERGED_ON,
            legal_basis="Quyết định 100/QĐ-UBND ngày 10/3/2026",
            sources=[self.p.agency_a, self.tttt],
            targets=[self.new],
        )

    def open_tasks(self) -> dict[int, tuple[int, D | None]]:
        return dict(
            (pk, (lead, deadline))
            for pk, lead, deadline in Assignment.objects.exclude(state=WorkState.DONE).values_list(
                "pk", "lead_id", "deadline"
            )
        )

    def test_it_moves_every_open_task_once_keeping_deadline_and_original_lead(self) -> None:
        before = self.open_tasks()
        # One line per task led: one by A, two by Sở TT&TT (B coordinates, and stays).
        self.assertEqual(reorg_plan.transfer_plan_build(actor=self.p.office, reorg=self.reorg), 3)
        lines = TransferItem.objects.filter(reorganisation=self.reorg)
        self.assertEqual({line.to_org_id for line in lines}, {self.new.pk})
        with travel(MERGED_ON):
            result = reorg_plan.reorganisation_apply(actor=self.p.office, reorg=self.reorg)
        after = self.open_tasks()
        self.assertEqual(set(before), set(after))  # none lost, none added
        for pk, (lead, deadline) in after.items():
            self.assertEqual(deadline, before[pk][1])
            self.assertEqual(lead, self.new.pk)
        self.assertEqual(result["tasks"], 3)
        self.assertEqual(LeadChange.objects.count(), 3)  # exactly once each
        task = self.reload()
        self.assertEqual(task.original_lead, self.p.agency_a)
        last = task.events.last()
        assert last is not None
        self.assertEqual((last.kind, last.data["to"]), ("transferred", self.new.code))
        self.assertIn("100/QĐ-UBND", last.text)
        self.assertEqual(self.reload(self.done).lead, self.p.agency_a)  # history stays
        a = Organisation.objects.get(pk=self.p.agency_a.pk)
        self.assertEqual((a.valid_to, a.successor), (D(2026, 3, 15), self.new))
        self.reorg.refresh_from_db()
        self.assertEqual(self.reorg.state, ReorgState.APPLIED)
        self.assertTrue(AuditEvent.objects.filter(action="reorganisation.apply").exists())
        # Applying twice is refused; nothing moves again.
        with travel(MERGED_ON), self.assertRaises(ValidationError):
            reorg_plan.reorganisation_apply(actor=self.p.office, reorg=self.reorg)
        self.assertEqual(LeadChange.objects.count(), 3)

    def test_figures_as_of_the_day_before_and_after_follow_the_history(self) -> None:
        period = periods.parse("2026-03", rule=periods.CALENDAR)
        with travel(D(2026, 3, 20)):
            before_change = reports.summary_by_org(self.p.chairman, period, D(2026, 3, 13))
        reorg_plan.transfer_plan_build(actor=self.p.office, reorg=self.reorg)
        with travel(MERGED_ON):
            reorg_plan.reorganisation_apply(actor=self.p.office, reorg=self.reorg)
        with travel(D(2026, 3, 20)):
            day_before = reports.summary_by_org(self.p.chairman, period, D(2026, 3, 15))
            day_after = reports.summary_by_org(self.p.chairman, period, MERGED_ON)
            past = reports.summary_by_org(self.p.chairman, period, D(2026, 3, 13))

        def totals(summary: reports.Summary) -> dict[str, int]:
            return {row.key: row.total for row in summary.rows}

        self.assertEqual(totals(day_before), {"so-khcn": 2, "so-tttt": 2})
        # After: the new department holds the open work; A keeps its confirmed task, marked.
        self.assertEqual(totals(day_after), {"so-khcn": 1, "so-khcn-moi": 3})
        marked = {row.key: row.name for row in day_after.rows}
        self.assertIn("15/03/2026", marked["so-khcn"])
        self.assertIn("16/03/2026", marked["so-khcn-moi"])
        # A period entirely before the change: the same rows and rates as before it happened.
        self.assertEqual(
            [r.as_dict() for r in past.rows], [r.as_dict() for r in before_change.rows]
        )
        self.assertEqual(past.total.as_dict(), before_change.total.as_dict())

    def test_it_refuses_a_stale_plan_before_the_date_and_outsiders(self) -> None:
        reorg_plan.transfer_plan_build(actor=self.p.office, reorg=self.reorg)
        with self.assertRaises(ValidationError):  # 11/3: the merger is on 16/3
            reorg_plan.reorganisation_apply(actor=self.p.office, reorg=self.reorg)
        register(self.p, ref="202/UBND-KT", tasks=[spec("Việc mới", self.tttt)])
        with travel(MERGED_ON), self.assertRaises(ValidationError) as raised:
            reorg_plan.reorganisation_apply(actor=self.p.office, reorg=self.reorg)
        self.assertIn("1", str(raised.exception))
        self.assertFalse(LeadChange.objects.exists())  # nothing changed
        self.assertEqual(Organisation.objects.get(pk=self.tttt.pk).valid_to, None)
        with self.assertRaises(PermissionDenied):
            reorg_plan.transfer_plan_build(actor=self.p.lead_officer, reorg=self.reorg)
        with self.assertRaises(PermissionDenied):
            reorg_record.reorganisation_record(
                actor=self.p.lead_officer,
                kind=ReorgKind.DISSOLVE,
                effective_date=MERGED_ON,
                legal_basis="x",
                sources=[self.p.agency_b],
            )
        # Brought up to date, it applies.
        reorg_plan.transfer_plan_build(actor=self.p.office, reorg=self.reorg)
        with travel(MERGED_ON):
            self.assertEqual(
                reorg_plan.reorganisation_apply(actor=self.p.office, reorg=self.reorg)["tasks"], 4
            )

    def test_the_records_own_checks(self) -> None:
        def attempt(**kw: object) -> dict[str, list[str]]:
            args: dict[str, object] = {
                "actor": self.p.admin,
                "kind": ReorgKind.SPLIT,
                "effective_date": MERGED_ON,
                "legal_basis": "NQ 1/2026",
                "sources": [self.p.agency_b],
                "targets": [self.new],
            }
            args.update(kw)
            with self.assertRaises(ValidationError) as raised:
                reorg_record.reorganisation_record(**args)  # type: ignore[arg-type]
            return raised.exception.message_dict

        self.assertIn("targets", attempt())  # a split into one
        self.assertIn("legal_basis", attempt(legal_basis=" "))
        self.assertIn("sources", attempt(kind=ReorgKind.DISSOLVE, sources=[self.tttt]))  # pending
        early = make_org("moi-2", "Đơn vị mới", valid_from=D(2026, 4, 1))
        self.assertIn("targets", attempt(kind=ReorgKind.MERGE, targets=[early]))


class SplitAndDissolveTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.district = self.p.agency_c  # UBND huyện Tây Sơn
        self.ward_1 = make_org("xa-tay-son", "UBND xã Tây Sơn", OrgKind.COMMUNE)
        self.ward_2 = make_org("xa-binh-khe", "UBND xã Bình Khê", OrgKind.COMMUNE)
        register(
            self.p,
            ref="300/UBND-KT",
            tasks=[
                spec("Giải phóng mặt bằng tại Bình Khê", self.district),
                spec("Chỉnh trang đô thị Phú Phong", self.district),
                spec("Báo cáo thu ngân sách", self.district, coordinators=[self.p.agency_b]),
                spec("Tuyên truyền", self.p.agency_b, coordinators=[self.district]),
            ],
        )

    def test_a_split_by_rules_then_by_hand_then_in_bulk(self) -> None:
        reorg = reorg_record.reorganisation_record(
            actor=self.p.office,
            kind=ReorgKind.SPLIT,
            effective_date=MERGED_ON,
            legal_basis="Nghị quyết 1664/NQ-UBTVQH15",
            sources=[self.district],
            targets=[self.ward_1, self.ward_2],
            split_rules=[
                {"to": "xa-binh-khe", "words": ["Bình Khê"]},
                {"to": "xa-tay-son", "words": ["Phú Phong"]},
            ],
        )
        self.assertEqual(reorg_plan.transfer_plan_build(actor=self.p.office, reorg=reorg), 4)
        lines = {
            line.assignment.summary: line
            for line in TransferItem.objects.filter(reorganisation=reorg).select_related(
                "assignment"
            )
        }
        self.assertEqual(lines["Giải phóng mặt bằng tại Bình Khê"].to_org, self.ward_2)
        self.assertEqual(lines["Chỉnh trang đô thị Phú Phong"].to_org, self.ward_1)
        unmatched = lines["Báo cáo thu ngân sách"]
        self.assertIsNone(unmatched.to_org)
        with travel(MERGED_ON), self.assertRaises(ValidationError):
            reorg_plan.reorganisation_apply(actor=self.p.office, reorg=reorg)  # nobody for one
        with self.assertRaises(ValidationError):  # a lead line cannot be emptied
            reorg_plan.transfer_plan_set(
                actor=self.p.office, reorg=reorg, items=[unmatched.pk], to_org=None
            )
        with self.assertRaises(ValidationError):  # the ending district itself
            reorg_plan.transfer_plan_set(
                actor=self.p.office, reorg=reorg, items=[unmatched.pk], to_org=self.district
            )
        # By hand to a department; then the coordination line, in bulk, dropped.
        reorg_plan.transfer_plan_set(
            actor=self.p.office, reorg=reorg, items=[unmatched.pk], to_org=self.p.agency_b
        )
        coord = lines["Tuyên truyền"]
        reorg_plan.transfer_plan_set(
            actor=self.p.office, reorg=reorg, items=[coord.pk], to_org=None
        )
        with travel(MERGED_ON):
            result = reorg_plan.reorganisation_apply(actor=self.p.office, reorg=reorg)
        self.assertEqual(result, {"tasks": 3, "coordinations": 1})
        leads = dict(
            Assignment.objects.filter(directive__ref="300/UBND-KT").values_list("summary", "lead")
        )
        self.assertEqual(leads["Báo cáo thu ngân sách"], self.p.agency_b.pk)
        budget = Assignment.objects.get(summary="Báo cáo thu ngân sách")
        # B leads it now: its coordination on it ends (one lead, never also a coordinator).
        self.assertFalse(budget.coordinations.exists())
        self.assertFalse(Assignment.objects.get(summary="Tuyên truyền").coordinations.exists())
        district = Organisation.objects.get(pk=self.district.pk)
        self.assertEqual((district.valid_to, district.successor), (D(2026, 3, 15), None))

    def test_a_dissolution_needs_a_holder_for_each_task(self) -> None:
        reorg = reorg_record.reorganisation_record(
            actor=self.p.admin,
            kind=ReorgKind.DISSOLVE,
            effective_date=MERGED_ON,
            legal_basis="Nghị quyết 202/2025/QH15",
            sources=[self.district],
        )
        reorg_plan.transfer_plan_build(actor=self.p.office, reorg=reorg)
        lead_lines = TransferItem.objects.filter(reorganisation=reorg, role="lead")
        reorg_plan.transfer_plan_set(
            actor=self.p.office,
            reorg=reorg,
            items=list(lead_lines.values_list("pk", flat=True)),
            to_org=self.ward_1,
        )
        with travel(MERGED_ON):
            reorg_plan.reorganisation_apply(actor=self.p.office, reorg=reorg)
        self.assertFalse(Assignment.objects.filter(lead=self.district).exists())
        # Coordination lines defaulted to nobody (no single successor): dropped.
        self.assertFalse(
            Assignment.objects.get(summary="Tuyên truyền").coordinations.filter(org=self.district)
        )


class RenameTest(BaseTestCase):
    def test_a_renamed_province_keeps_its_old_name_for_earlier_dates(self) -> None:
        reorg = reorg_record.reorganisation_record(
            actor=self.p.admin,
            kind=ReorgKind.RENAME,
            effective_date=MERGED_ON,
            legal_basis="Nghị quyết 202/2025/QH15",
            sources=[self.p.agency_b],
            new_name="Sở Tài chính tỉnh Gia Lai",
        )
        with travel(MERGED_ON):
            reorg_plan.reorganisation_apply(actor=self.p.office, reorg=reorg)
        self.assertEqual(
            Organisation.objects.get(pk=self.p.agency_b.pk).name, "Sở Tài chính tỉnh Gia Lai"
        )
        self.assertTrue(OrgAlias.objects.filter(alias="Sở Tài chính").exists())
        register(self.p, ref="400/UBND-KT", tasks=[spec("x", self.p.agency_b)])
        period = periods.parse("2026-03", rule=periods.CALENDAR)
        with travel(D(2026, 3, 20)):
            names = {
                r.key: r.name
                for r in reports.summary_by_org(self.p.chairman, period, D(2026, 3, 12)).rows
            }
        self.assertEqual(names["so-tc"], "Sở Tài chính")


class InvariantTest(HypothesisTestCase):
    """Random reorganisations and task actions: every open task has exactly one lead, in
    force, on every date from its assignment to today; the SQL rule agrees with the pure one."""

    p: Province

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()

    @settings(max_examples=12, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["register", "merge", "split", "dissolve", "complete", "reassign"]),
                st.integers(0, 7),
                st.integers(1, 20),
            ),
            min_size=3,
            max_size=10,
        )
    )
    def test_every_open_task_has_one_valid_holder_on_every_date(self, steps: list) -> None:
        p = self.p
        day = D(2026, 3, 2)
        serial = 0
        for action, pick, gap in steps:
            day = day + dt.timedelta(days=gap)
            serial += 1
            live = list(Organisation.objects.filter(kind=OrgKind.DEPARTMENT, valid_to__isnull=True))
            with travel(day):
                if action == "register" or not Assignment.objects.exists():
                    lead = live[pick % len(live)]
                    register(
                        p,
                        ref=f"{serial}/UBND-KT",
                        doc_date=day,
                        tasks=[spec(f"t{serial}", lead, deadline=day + dt.timedelta(days=60))],
                    )
                elif action == "complete":
                    task = Assignment.objects.filter(state=WorkState.OPEN).order_by("id").first()
                    if task:
                        Assignment.objects.filter(pk=task.pk).update(
                            state=WorkState.DONE, confirmed_on=day, completion_date=day
                        )
                elif action == "reassign":
                    task = Assignment.objects.filter(state=WorkState.OPEN).order_by("id").first()
                    others = [o for o in live if task and o.pk != task.lead_id]
                    if task and others:
                        services.assignment_reassign(
                            actor=p.office, task=task, lead=others[pick % len(others)]
                        )
                else:
                    if len(live) < 2:
                        continue
                    source = live[pick % len(live)]
                    others = [o for o in live if o.pk != source.pk]
                    keep = others[pick % len(others)]
                    new = [
                        make_org(f"org-{serial}-{i}", f"Đơn vị {serial}-{i}", valid_from=day)
                        for i in range(2 if action == "split" else 1)
                    ]
                    kind = {"merge": ReorgKind.MERGE, "split": ReorgKind.SPLIT}.get(
                        action, ReorgKind.DISSOLVE
                    )
                    reorg = reorg_record.reorganisation_record(
                        actor=p.office,
                        kind=kind,
                        effective_date=day,
                        legal_basis=f"QĐ {serial}",
                        sources=[source],
                        targets=new if kind != ReorgKind.DISSOLVE else [],
                    )
                    if reorg_plan.transfer_plan_build(actor=p.office, reorg=reorg):
                        reorg_plan.transfer_plan_set(
                            actor=p.office,
                            reorg=reorg,
                            items=list(reorg.transfer_items.values_list("pk", flat=True)),
                            to_org=new[-1] if new and kind != ReorgKind.DISSOLVE else keep,
                        )
                    reorg_plan.reorganisation_apply(actor=p.office, reorg=reorg)
        orgs_by_id = Organisation.objects.in_bulk()
        open_tasks = Assignment.objects.exclude(state=WorkState.DONE)
        for task in open_tasks:
            changes = list(task.lead_changes.values_list("on", "id", "from_org_id"))
            current = task.assigned_on
            while current <= day:
                holder = holders.holder_from(task.lead_id, changes, current)
                self.assertTrue(
                    orgs_by_id[holder].is_active_on(current),
                    f"{task.summary}: {orgs_by_id[holder].code} not in force on {current}",
                )
                current += dt.timedelta(days=3)
        # SQL and Python agree on a few dates.
        for probe in (D(2026, 3, 5), day - dt.timedelta(days=10), day):
            sql = dict(
                Assignment.objects.annotate(h=holders.holder_expr(probe)).values_list("pk", "h")
            )
            for task in Assignment.objects.all():
                self.assertEqual(sql[task.pk], holders.holder_on(task, probe))
