"""A reorganisation applied outside any transaction (the demo loader, a management command) is
one transaction of its own: the split of the services once dropped its decorator and `make run`
stopped at the demo's 2025 mergers."""

from __future__ import annotations

import datetime as dt

from django.test import TransactionTestCase

from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.reorganisation import plan as reorg_plan
from nhiemvu.assignments.reorganisation import record as reorg_record
from nhiemvu.orgs.models import Organisation, ReorgKind
from nhiemvu.test import Province, register, travel


class TransferOutsideATransactionTest(TransactionTestCase):
    def test_the_transfer_commits_its_moves_and_audit_together(self) -> None:
        p = Province()
        with travel(dt.date(2026, 3, 3)):
            register(p)
        with travel(dt.date(2026, 3, 4)):
            reorg = reorg_record.reorganisation_record(
                actor=p.office,
                kind=ReorgKind.MERGE,
                effective_date=dt.date(2026, 3, 4),
                legal_basis="QĐ 1",
                sources=[p.agency_a],
                targets=[p.agency_b],
            )
            reorg_plan.transfer_plan_build(actor=p.office, reorg=reorg)
            moved = reorg_plan.reorganisation_apply(actor=p.office, reorg=reorg)
        self.assertEqual(moved["tasks"], 1)
        self.assertEqual(Assignment.objects.get().lead, p.agency_b)
        self.assertEqual(Organisation.objects.get(pk=p.agency_a.pk).successor, p.agency_b)
