"""A transfer called outside any transaction (the demo loader, a management command) is one
transaction of its own: the split of the services once dropped its decorator and `make run`
stopped at the demo's 2025 mergers."""

from __future__ import annotations

import datetime as dt

from django.test import TransactionTestCase

from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment
from nhiemvu.orgs.models import Organisation
from nhiemvu.test import Province, register, travel


class TransferOutsideATransactionTest(TransactionTestCase):
    def test_the_transfer_commits_its_moves_and_audit_together(self) -> None:
        p = Province()
        with travel(dt.date(2026, 3, 3)):
            register(p)
        Organisation.objects.filter(pk=p.agency_a.pk).update(successor=p.agency_b)
        moved = services.organisation_transfer_tasks(
            actor=p.office, org=Organisation.objects.get(pk=p.agency_a.pk)
        )
        self.assertEqual(moved, 1)
        self.assertEqual(Assignment.objects.get().lead, p.agency_b)
