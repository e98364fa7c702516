"""The Monday digests, counted for everyone at once, say what each person's own counts say.

The digests' figures are grouped by what a person may see (assignments.rules.aggregate_visible)
and delivered in one transaction (services.deliver_many) since issue 28; these tests hold them
to the figures counted person by person over ``rules.visible``, as the digest did before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from django.core import mail
from django.test import TestCase

from nhiemvu import scheduler
from nhiemvu.assignments import namedsets, status
from nhiemvu.assignments import rules as perms
from nhiemvu.assignments import services as tasks
from nhiemvu.assignments.models import Assignment, AssignmentEvent, Coordination, ExtensionStatus
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import Membership, Role
from nhiemvu.reminders.models import Notification, Outbox, RuleCode
from nhiemvu.reminders.schedule import DIGEST_EVENTS, digest_counts, digests_counts
from nhiemvu.test import Province, at, make_user, register, travel

from .test_reminders import EVENT_RULES, users_emails

D = dt.date
MONDAY = D(2026, 3, 16)  # the weekly digests go out; the previous working day is Friday 13/3
FRIDAY = D(2026, 3, 13)


def person_by_person(user: Any, today: dt.date) -> dict[str, int]:
    """A digest's figures counted for one person over what they may see, query by query."""
    visible = perms.visible(user)
    since = workdays.calendar().previous_working_day(today, include=False)
    kinds = Counter(
        AssignmentEvent.objects.filter(
            assignment__in=visible, on__gte=since, on__lt=today
        ).values_list("kind", flat=True)
    )
    return {name: kinds[kind] for name, kind in DIGEST_EVENTS.items()} | {
        "awaiting": visible.filter(status.label_q([status.Label.AWAITING])).count(),
        "overdue": visible.filter(status.open_overdue_q(today)).count(),
        "due_soon": visible.filter(namedsets.due_soon_q(today)).count(),
        "extensions": visible.filter(extensions__status=ExtensionStatus.PENDING).count(),
        "refused": visible.filter(status.label_q([status.Label.REFUSED])).count(),
        "flagged": visible.filter(namedsets.flagged_q()).count(),
    }


def task(p: Province, ref: str, on: dt.date, **spec: Any) -> Assignment:
    with travel(on):
        directive = register(
            p, ref=ref, doc_date=on, tasks=[tasks.TaskSpec(content=f"Nhiệm vụ {ref}", **spec)]
        )
    return Assignment.objects.get(directive=directive)


class DigestBatchTest(TestCase):
    p: Province
    both: Any
    nobody: Any

    @classmethod
    def setUpTestData(cls) -> None:
        p = cls.p = Province()
        a, b, c = p.agency_a, p.agency_b, p.agency_c
        task(p, "1/UBND", D(2026, 3, 2), lead=a, coordinators=[b], deadline=D(2026, 3, 12))
        task(p, "2/UBND", FRIDAY, lead=b, coordinators=[a], deadline=D(2026, 3, 17))
        task(
            p,
            "3/UBND",
            D(2026, 3, 2),
            lead=c,
            deliverable_kind="bao_cao",
            no_deadline_reason="Chờ kế hoạch của tỉnh",
        )
        reported = task(p, "4/UBND", D(2026, 3, 2), lead=a, deadline=D(2026, 3, 31))
        refused = task(p, "5/UBND", D(2026, 3, 2), lead=b, deadline=D(2026, 3, 31))
        extended = task(p, "6/UBND", D(2026, 3, 2), lead=a, coordinators=[c], deadline=FRIDAY)
        both_ways = task(p, "7/UBND", D(2026, 3, 2), lead=a, deadline=D(2026, 3, 10))
        # An agency that leads a task and also coordinates it sees it once.
        Coordination.objects.create(assignment=both_ways, org=a)
        with travel(FRIDAY):
            tasks.assignment_report_completion(
                actor=p.lead_officer, task=reported, output_ref="1/BC", output_date=FRIDAY
            )
            tasks.assignment_refuse(actor=p.coord_officer, task=refused, reason="Không đúng")
            tasks.extension_request(
                actor=p.lead_officer,
                task=extended,
                proposed_deadline=D(2026, 4, 30),
                reason="Chờ số liệu",
            )
        # A head of two agencies sees what either leads or coordinates, each task once.
        cls.both = make_user("both", b, Role.HEAD)
        Membership.objects.create(user=cls.both, org=c, role=Role.HEAD)
        cls.nobody = make_user("nobody", c, Role.OFFICER)
        Membership.objects.filter(user=cls.nobody).delete()

    def people(self) -> list[Any]:
        return [*self.p.personas().values(), self.both, self.nobody]

    def test_everyone_s_figures_are_their_own_counted_one_by_one(self) -> None:
        with travel(MONDAY):
            workdays.calendar()  # the calendar's overrides read before counting the queries
            with self.assertNumQueries(9):  # memberships, 2 × (province, 2 agencies' groups, 1)
                together = digests_counts(self.people(), MONDAY)
            for user in self.people():
                self.assertEqual(together[user.pk], person_by_person(user, MONDAY), user.username)
        # The figures are not all zero: each kind of figure is met somewhere.
        for name in ("new_tasks", "new_reports", "new_extension_requests", "new_refusals"):
            self.assertEqual(together[self.p.office.pk][name], 1, name)
        office = together[self.p.office.pk]
        self.assertEqual((office["awaiting"], office["overdue"], office["due_soon"]), (1, 3, 1))
        self.assertEqual((office["extensions"], office["refused"], office["flagged"]), (1, 1, 1))
        self.assertEqual(together[self.p.lead_head.pk]["overdue"], 3)  # 7/UBND once
        self.assertEqual(together[self.both.pk]["overdue"], 2)  # 1/UBND (B), 6/UBND (C)
        self.assertEqual(set(together[self.nobody.pk].values()), {0})

    def test_a_person_alone_is_counted_as_in_the_batch(self) -> None:
        with travel(MONDAY):
            together = digests_counts(self.people(), MONDAY)
            for user in self.people():
                self.assertEqual(digest_counts(user, MONDAY), together[user.pk])

    def test_on_monday_every_head_and_leader_gets_one_weekly_digest_with_their_figures(
        self,
    ) -> None:
        users_emails(self.p)
        self.both.email = "both@example.gov.vn"
        self.both.save(update_fields=["email"])
        Notification.objects.filter(rule__in=EVENT_RULES).update(read_at=at(FRIDAY))
        with travel(MONDAY, 8):
            scheduler.run_once(at(MONDAY, 8))
            again = scheduler.run_once(at(MONDAY, 9))
            expected = {u.email: digest_counts(u, MONDAY) for u in self.people() if u.email}
        self.assertEqual(again["delivered"], 0)
        weekly = [m for m in mail.outbox if "Tổng hợp tuần" in m.subject]
        readers = sorted(to for m in weekly for to in m.to)
        leaders_and_heads = ["chairman", "vice_chairman", "both", "lead_head"]
        self.assertEqual(readers, sorted(f"{name}@example.gov.vn" for name in leaders_and_heads))
        for message in weekly:
            counts, body = expected[message.to[0]], str(message.body)
            overdue = re.search(r"Đang thực hiện quá hạn: (\d+)", body)
            flagged = re.search(r"Có sản phẩm nhưng không có thời hạn: (\d+)", body)
            assert overdue and flagged, body
            self.assertEqual(int(overdue.group(1)), counts["overdue"], message.to)
            self.assertEqual(int(flagged.group(1)), counts["flagged"], message.to)
        daily = [m.to[0] for m in mail.outbox if "Tổng hợp ngày" in m.subject]
        self.assertEqual(sorted(daily), ["office@example.gov.vn", "working_group@example.gov.vn"])
        # One log row per digest, each person's digest once.
        self.assertEqual(
            Outbox.objects.filter(log__rule=RuleCode.WEEKLY_DIGEST).count(), len(weekly)
        )
