"""Every predicate agrees with its list filter, for every persona and every task (rule 2)."""

from __future__ import annotations

import datetime as dt

from nhiemvu.assignments import rules as perms
from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment, Delegation
from nhiemvu.orgs.models import Role
from nhiemvu.test import BaseTestCase, make_user, register, travel

D = dt.date


class RulesAgreementTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        with travel(D(2026, 3, 3)):
            register(
                p,
                ref="500/UBND-KT",
                assigned_by=p.chairman,
                tasks=[
                    services.TaskSpec(content="B leads", lead=p.agency_b, deadline=D(2026, 4, 1)),
                    services.TaskSpec(
                        content="C leads, A coordinates",
                        lead=p.agency_c,
                        coordinators=[p.agency_a],
                        deadline=D(2026, 4, 1),
                    ),
                    services.TaskSpec(
                        content="Office leads", lead=p.office_org, deadline=D(2026, 4, 1)
                    ),
                ],
            )
            register(
                p,
                ref="501/UBND-KT",
                assigned_by=None,
                tasks=[
                    services.TaskSpec(
                        content="No leader recorded", lead=p.agency_c, deadline=D(2026, 4, 1)
                    ),
                ],
            )

    def test_predicates_and_filters_agree(self) -> None:
        tasks = list(Assignment.objects.all())
        self.assertEqual(len(tasks), 5)
        for permission, (predicate, list_filter) in perms.PAIRS.items():
            for name, user in self.p.personas().items():
                with self.subTest(permission=permission, persona=name):
                    by_filter = set(list_filter(user).values_list("pk", flat=True))
                    by_predicate = {t.pk for t in tasks if predicate(user, t)}
                    self.assertEqual(by_filter, by_predicate)

    def test_who_is_told_of_an_extension_is_who_may_decide_it(self) -> None:
        # A former Vice-Chairman (inactive) neither decides nor is told.
        gone = make_user("gone", self.p.province, Role.LEADER, "pho_chu_tich")
        gone.is_active = False
        gone.save()
        people = {**self.p.personas(), "gone": gone}
        Assignment.objects.filter(content="No leader recorded").update(assigned_by=None)
        for task in Assignment.objects.all():
            told = set(perms.extension_deciders(task))
            may = {u.pk for u in people.values() if perms.can_decide_extension(u, task)}
            self.assertEqual(told, may, task.summary)
        unassigned = Assignment.objects.get(assigned_by__isnull=True)
        self.assertEqual(
            set(perms.extension_deciders(unassigned)), {self.p.chairman.pk, self.p.vice_chairman.pk}
        )

    def test_the_outsider_sees_nothing_and_the_coordinator_sees_its_task(self) -> None:
        self.assertEqual(perms.visible(self.p.lead_officer).count(), 2)  # leads 1, coordinates 1
        self.assertEqual(perms.visible(self.p.coord_officer).count(), 2)  # coordinates 1, leads 1
        self.assertEqual(perms.visible(self.p.outsider).count(), 2)  # agency C leads two
        self.assertEqual(perms.visible(self.p.office).count(), 5)
        self.assertFalse(perms.can_view(self.p.outsider, self.task))


class InsideRuleAgreementTest(BaseTestCase):
    """Who sees a hand-over inside an agency: the predicate and the filter agree for every
    persona, on a hand-over of the agency that leads and one of an agency that no longer does."""

    def test_predicate_and_filter_agree_on_every_handover(self) -> None:
        services.assignment_delegate(
            actor=self.p.lead_head, task=self.task, assignee=self.p.lead_officer, note="A"
        )
        services.assignment_reassign(actor=self.p.office, task=self.task, lead=self.p.agency_b)
        head_b = make_user("head-tc", self.p.agency_b, Role.HEAD)
        services.assignment_delegate(
            actor=head_b, task=self.reload(), assignee=self.p.coord_officer, note="B"
        )
        handovers = list(Delegation.objects.all())
        self.assertEqual(len(handovers), 2)
        people = {**self.p.personas(), "head_b": head_b}
        for permission, (predicate, list_filter) in perms.DELEGATION_PAIRS.items():
            for name, user in people.items():
                with self.subTest(permission=permission, persona=name):
                    by_filter = set(list_filter(user).values_list("pk", flat=True))
                    by_predicate = {d.pk for d in handovers if predicate(user, d)}
                    self.assertEqual(by_filter, by_predicate)
        seen = {n: {d.note for d in perms.inside_visible(u)} for n, u in people.items()}
        self.assertEqual(seen["lead_head"], {"A"})  # its own, after the task left it
        self.assertEqual(seen["coord_officer"], {"B"})  # the next lead: never A's
        self.assertEqual(seen["office"], set())  # the province reads no agency's inside
