"""Every predicate agrees with its list filter, for every persona and every task (rule 2)."""

from __future__ import annotations

import datetime as dt

from nhiemvu.assignments import rules as perms
from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment
from nhiemvu.test import BaseTestCase, register, travel

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

    def test_the_outsider_sees_nothing_and_the_coordinator_sees_its_task(self) -> None:
        self.assertEqual(perms.visible(self.p.lead_officer).count(), 2)  # leads 1, coordinates 1
        self.assertEqual(perms.visible(self.p.coord_officer).count(), 2)  # coordinates 1, leads 1
        self.assertEqual(perms.visible(self.p.outsider).count(), 2)  # agency C leads two
        self.assertEqual(perms.visible(self.p.office).count(), 5)
        self.assertFalse(perms.can_view(self.p.outsider, self.task))
