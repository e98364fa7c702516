"""List totals kept per data version (assignments/totals.py): exact after every kind of write,
through the services, bulk updates, raw SQL and other connections; not recounted while nothing
changed; unchanged by a write that rolled back.

Real commits (TransactionTestCase): the version is raised after a commit, which a TestCase,
whose transaction never commits, would never reach."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any
from unittest import mock

from django.db import connection, connections, transaction
from django.db.models import F
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhiemvu.assignments import services, totals
from nhiemvu.assignments.models import Assignment, Coordination, CountVersion, WorkState
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.test import TODAY, Province, api_key, register, travel


def _counts(ctx: CaptureQueriesContext) -> int:
    """COUNT queries over the tasks among those captured."""
    return sum(
        1
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"].upper() and "assignments_assignment" in q["sql"]
    )


class TotalsTest(TransactionTestCase):
    def setUp(self) -> None:
        totals.forget()
        self.traveller = travel(TODAY)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)
        self.p = Province()
        register(
            self.p,
            tasks=[
                TaskSpec(
                    content=f"Nhiệm vụ thử số {i}",
                    lead=self.p.agency_a if i % 2 else self.p.agency_b,
                    coordinators=[self.p.agency_c] if i % 3 == 0 else [],
                    deadline=dt.date(2026, 6, 1 + i),
                )
                for i in range(6)
            ],
            assigned_by=self.p.chairman,
        )
        self.client.force_login(self.p.office)

    def total(self, **query: str) -> tuple[int, int]:
        """(the total the list page shows, the COUNT queries it sent)."""
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(reverse("task_list"), query)
        self.assertEqual(response.status_code, 200)
        match = re.search(r'id="task-total">(\d+)', response.content.decode())
        assert match is not None
        return int(match.group(1)), _counts(ctx)

    def test_an_unchanged_total_is_counted_once(self) -> None:
        self.assertEqual(self.total(status="open"), (6, 1))
        self.assertEqual(self.total(status="open"), (6, 0))
        self.assertEqual(self.total(status="open", size="100"), (6, 0))  # same filter
        self.assertEqual(self.total(org="tay-son"), (2, 1))  # another filter: its own count
        self.assertEqual(self.total(org="tay-son"), (2, 0))

    def test_a_write_elsewhere_costs_no_recount(self) -> None:
        # A comment writes the task's timeline, not a table a total reads.
        self.assertEqual(self.total(status="open"), (6, 1))
        task = Assignment.objects.first()
        assert task is not None
        services.comment_add(actor=self.p.office, task=task, text="Đề nghị khẩn trương.")
        self.assertEqual(self.total(status="open"), (6, 0))

    def test_a_total_follows_every_write_through_the_services(self) -> None:
        self.assertEqual(self.total(status="open"), (6, 1))
        self.assertEqual(self.total(org="so-tc"), (3, 1))
        # Created.
        register(self.p, ref="101/UBND-KT", assigned_by=self.p.chairman)
        self.assertEqual(self.total(status="open"), (7, 1))
        self.assertEqual(self.total(status="open"), (7, 0))
        # Closed: paused tasks are not open.
        task = Assignment.objects.filter(lead=self.p.agency_b).order_by("id").first()
        assert task is not None
        services.assignment_pause(actor=self.p.office, task=task, reason="Tạm dừng")
        self.assertEqual(self.total(status="open")[0], 6)
        # Reassigned: refused by agency B, given to agency C.
        task = Assignment.objects.filter(lead=self.p.agency_b, state=WorkState.OPEN).first()
        assert task is not None
        self.assertEqual(self.total(org="so-tc")[0], 4)  # 3 led, 1 coordinated
        services.assignment_refuse(actor=self.p.coord_officer, task=task, reason="Không đúng")
        services.assignment_reassign(actor=self.p.office, task=task, lead=self.p.agency_c)
        self.assertEqual(self.total(org="so-tc")[0], 3)

    def test_a_total_follows_bulk_orm_and_raw_writes(self) -> None:
        self.assertEqual(self.total(status="open"), (6, 1))
        Assignment.objects.filter(lead=self.p.agency_a).update(state=WorkState.PAUSED)
        self.assertEqual(self.total(status="open"), (3, 1))
        # A coordination added: the agency's list (lead or coordinating) grows.
        self.assertEqual(self.total(org="tay-son")[0], 2)
        led_by_b = Assignment.objects.filter(lead=self.p.agency_b)
        uncoordinated = led_by_b.exclude(coordinations__org=self.p.agency_c).first()
        assert uncoordinated is not None
        Coordination.objects.create(assignment=uncoordinated, org=self.p.agency_c)
        self.assertEqual(self.total(org="tay-son")[0], 3)
        # Deleted (its coordinations and timeline go with it: cascades).
        Assignment.objects.filter(pk=uncoordinated.pk).delete()
        self.assertEqual(self.total(org="tay-son")[0], 2)
        self.assertEqual(self.total()[0], 5)
        # A raw statement on the same connection.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE assignments_assignment SET state = %s WHERE state = %s",
                [WorkState.OPEN, WorkState.PAUSED],
            )
        self.assertEqual(self.total(status="open")[0], 5)

    def test_a_write_from_another_connection_is_seen(self) -> None:
        self.assertEqual(self.total(status="open"), (6, 1))
        errors: list[BaseException] = []

        def other() -> None:
            try:
                Assignment.objects.filter(lead=self.p.agency_b).update(state=WorkState.PAUSED)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(self.total(status="open"), (3, 1))

    def test_a_rolled_back_write_changes_nothing_and_costs_no_recount(self) -> None:
        self.assertEqual(self.total(status="open"), (6, 1))
        version = CountVersion.objects.get().n
        with self.assertRaises(RuntimeError), transaction.atomic():
            register(self.p, ref="102/UBND-KT", assigned_by=self.p.chairman)
            raise RuntimeError
        with transaction.atomic():  # a savepoint rolled back inside a committed transaction
            with self.assertRaises(RuntimeError), transaction.atomic():
                Assignment.objects.update(state=WorkState.PAUSED)
                raise RuntimeError
            CountVersion.objects.update(n=F("n"))  # the transaction commits a write elsewhere
        self.assertEqual(CountVersion.objects.get().n, version)
        self.assertEqual(self.total(status="open"), (6, 0))

    def test_a_transaction_counts_its_own_uncommitted_writes(self) -> None:
        open_ = {"status": "open"}
        self.assertEqual(self.total(**open_), (6, 1))
        with transaction.atomic():
            Assignment.objects.filter(lead=self.p.agency_a).update(state=WorkState.PAUSED)
            self.assertEqual(self.total(**open_), (3, 1))
            self.assertEqual(self.total(**open_), (3, 1))  # never kept while uncommitted
        self.assertEqual(self.total(**open_), (3, 1))

    def test_a_write_is_raised_once_per_transaction_after_its_commit(self) -> None:
        version = CountVersion.objects.get().n
        seen: list[int] = []
        with transaction.atomic():
            for task in Assignment.objects.all():
                task.summary += "."
                task.save(update_fields=["summary"])
                # Not yet: a reader now must not key a count of the old rows to a new version.
                seen.append(CountVersion.objects.get().n)
        self.assertEqual(seen, [version] * 6)
        self.assertEqual(CountVersion.objects.get().n, version + 1)

    def test_a_lost_raise_is_bounded_by_the_ttl(self) -> None:
        self.assertEqual(self.total(status="open"), (6, 1))
        # A write whose raise never happened (the process died between commit and raise).
        CountVersion.objects.update(n=F("n") - 1)  # undo the raise the write below makes
        Assignment.objects.filter(lead=self.p.agency_a).update(state=WorkState.PAUSED)
        self.assertEqual(self.total(status="open"), (6, 0))
        later = totals._clock() + totals.TTL + 1
        with mock.patch.object(totals, "_clock", lambda: later):
            self.assertEqual(self.total(status="open"), (3, 1))

    def test_a_query_reading_an_unversioned_table_is_never_kept(self) -> None:
        # The leader filter joins the people's table, whose writes (every sign-in) raise nothing.
        self.assertEqual(self.total(leader="chairman"), (6, 1))
        self.assertEqual(self.total(leader="chairman"), (6, 1))

    def test_the_api_count_is_the_same_kept_total(self) -> None:
        self.assertEqual(self.total(status="open"), (6, 1))
        key = api_key(self.p.office_org, role="office")
        with CaptureQueriesContext(connection) as ctx:
            body: Any = self.client.get(
                "/api/v1/tasks",
                {"status": "open", "count": "true"},
                headers={"Authorization": f"Bearer {key}"},
            )
        self.assertEqual(body.status_code, 200, body.content)
        self.assertEqual(body.json()["count"], 6)
        self.assertEqual(_counts(ctx), 0)
