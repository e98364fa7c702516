"""The report's trend read in one grouped query = the six periods' reports one by one (issue 27
item 6), on a varied province: histories that move across the periods' ends, approved
extensions, reported completions, confirmations before a period began, received and recurring
tasks, hand-overs between agencies, and people who see all, or one agency's, tasks."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from nhiemvu.assignments.models import (
    DeadlineKind,
    LeadChange,
    WorkState,
)
from nhiemvu.lib import periods
from nhiemvu.reports import selectors, trend
from nhiemvu.test import BaseTestCase, task_with_history, travel

D = dt.date
FIRST = D(2024, 9, 1)
STATES = [
    WorkState.OPEN,
    WorkState.REFUSED,
    WorkState.REPORTED,
    WorkState.RETURNED,
    WorkState.DONE,
    WorkState.PAUSED,
]


def day_after(rng: random.Random, start: dt.date, span: int = 600) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


class TrendAgreementTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        rng = random.Random(27)
        agencies = [cls.p.agency_a, cls.p.agency_b]
        for n in range(160):
            cls._task(rng, n, agencies)

    @classmethod
    def _task(cls, rng: random.Random, n: int, agencies: list) -> None:
        """One task with a random history, written as the services leave it (history_on: the
        last day of a state change or an approved extension)."""
        assigned = day_after(rng, FIRST)
        deadline = None if n % 6 == 0 else assigned + dt.timedelta(days=rng.randrange(10, 150))
        events = sorted(
            (day_after(rng, assigned, 200), rng.choice(STATES)) for _ in range(rng.randrange(4))
        )
        moved = []
        effective = deadline
        for i in range(rng.randrange(3) if deadline else 0):
            assert effective is not None
            effective += dt.timedelta(days=14 * (i + 1))
            moved.append((day_after(rng, assigned, 150), effective))
        moved.sort()
        final = events[-1][1] if events else WorkState.OPEN
        done_on = events[-1][0] if final == WorkState.DONE else None
        lead = agencies[n % 2]
        recurring = n % 25 == 0 and deadline is None
        task = task_with_history(
            cls.p,
            cls.directive,
            assigned=assigned,
            deadline=deadline,
            events=events,
            extensions=moved,
            completion=day_after(rng, assigned, 160) if n % 3 else None,
            content=f"Nhiệm vụ {n}",
            summary=f"Nhiệm vụ {n}",
            lead=lead,
            original_lead=agencies[(n + n // 7) % 2],
            completed_late=(rng.random() < 0.4 if deadline else None) if done_on else None,
            confirmed_on=done_on,
            received=n % 11 == 0,
            **({"deadline_kind": DeadlineKind.RECURRING} if recurring else {}),
        )
        if task.original_lead_id != lead.pk:  # handed over: held by the other agency before
            on = day_after(rng, assigned, 300)
            LeadChange.objects.create(
                assignment=task, on=on, from_org=task.original_lead, to_org=lead, reason="reassign"
            )
            # The hand-over is not a decisive day of the status (history_on stays).

    def one_by_one(self, person, period, org_code=None):
        """What the trend was before (issue 27 item 6): each period's report, read alone."""
        out = []
        each = period
        for _ in range(6):
            summary = selectors.summary_by_org(person, each)
            row = (
                summary.total
                if org_code is None
                else next((r for r in summary.rows if r.key == org_code), selectors.Row("", ""))
            )
            out.append((each.key, row.completion_rate, row.on_time_rate))
            each = each.previous()
        return out[::-1]

    def test_the_grouped_trend_gives_each_periods_report_figures(self) -> None:
        people = (self.p.chairman, self.p.office, self.p.lead_officer, self.p.coord_officer)
        orgs = (None, self.p.agency_a.code, self.p.agency_b.code)
        compared = []
        with travel(D(2026, 5, 4)):
            for key in ("2026-Q2", "2026-Q1"):  # today inside the last period, and all past
                period = periods.parse(key)
                for person in people:
                    for org in orgs:
                        expected = self.one_by_one(person, period, org)
                        compared += [c for _k, c, _o in expected]
                        with CaptureQueriesContext(connection) as queries:
                            found = trend.trend(person, period, org_code=org)
                        self.assertEqual(found, expected, (key, person.username, org))
                        grouped = [q for q in queries.captured_queries if "GROUP BY" in q["sql"]]
                        self.assertEqual(len(grouped), 1)
        # Not a dataset of empty periods: rates to compare in nearly all of them, and varied.
        self.assertGreater(sum(c is not None for c in compared), 0.9 * len(compared))
        self.assertGreater(len(set(compared)), 20)

    def test_an_unknown_organisation_has_no_rates(self) -> None:
        with travel(D(2026, 5, 4)):
            found = trend.trend(self.p.office, periods.parse("2026-Q2"), org_code="khong-co")
        self.assertEqual([(c, o) for _k, c, o in found], [(None, None)] * 6)
