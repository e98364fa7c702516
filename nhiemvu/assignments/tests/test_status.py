"""The status engine: DOMAIN.md §4's table, and Python and SQL agreeing on random tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nhiemvu.assignments import namedsets, selectors, status
from nhiemvu.assignments.models import (
    Assignment,
    DeadlineKind,
    WorkState,
)
from nhiemvu.assignments.status import Facts, Label, Timing, classify
from nhiemvu.directives.models import Directive
from nhiemvu.test import Province, register, task_with_history, travel

D = dt.date
WED = D(2026, 3, 11)  # due-soon limit (3 working days) is Monday 16/3


@pytest.mark.parametrize(
    ("facts", "label", "timing"),
    [
        (Facts(WorkState.OPEN, D(2026, 4, 30)), Label.WITHIN, Timing.WITHIN),
        (Facts(WorkState.OPEN, D(2026, 3, 16)), Label.DUE_SOON, Timing.DUE_SOON),
        (Facts(WorkState.OPEN, D(2026, 3, 17)), Label.WITHIN, Timing.WITHIN),
        (Facts(WorkState.OPEN, WED), Label.DUE_SOON, Timing.DUE_SOON),  # deadline day: not late
        (Facts(WorkState.OPEN, D(2026, 3, 10)), Label.OVERDUE, Timing.OVERDUE),
        (Facts(WorkState.OPEN, None), Label.NO_DEADLINE, Timing.NO_DEADLINE),
        (Facts(WorkState.RETURNED, D(2026, 3, 1)), Label.RETURNED, Timing.OVERDUE),
        (Facts(WorkState.REFUSED, D(2026, 4, 30)), Label.REFUSED, Timing.WITHIN),
        (Facts(WorkState.PAUSED, D(2026, 3, 1)), Label.PAUSED, Timing.OVERDUE),
        # Reported on time but not yet confirmed: not overdue even after the deadline passes.
        (Facts(WorkState.REPORTED, D(2026, 3, 5), D(2026, 3, 5)), Label.AWAITING, Timing.WITHIN),
        (Facts(WorkState.REPORTED, D(2026, 3, 5), D(2026, 3, 9)), Label.AWAITING, Timing.OVERDUE),
        (Facts(WorkState.REPORTED, None, D(2026, 3, 9)), Label.AWAITING, Timing.NO_DEADLINE),
        (
            Facts(WorkState.DONE, D(2026, 3, 5), D(2026, 3, 5), False),
            Label.DONE_ON_TIME,
            Timing.ON_TIME,
        ),
        (Facts(WorkState.DONE, D(2026, 3, 5), D(2026, 3, 6), True), Label.DONE_LATE, Timing.LATE),
        (
            Facts(WorkState.DONE, None, D(2026, 3, 6), None),
            Label.DONE_NO_DEADLINE,
            Timing.NO_DEADLINE,
        ),
    ],
)
def test_the_table_of_domain_4(facts: Facts, label: str, timing: str) -> None:
    result = classify(facts, WED)
    assert (result.label, result.timing) == (label, timing)


def test_due_soon_counts_working_days_across_tet() -> None:
    # Thursday 12/2/2026: the next 3 working days are 13/2, 23/2, 24/2 (Tết in between).
    assert classify(Facts(WorkState.OPEN, D(2026, 2, 24)), D(2026, 2, 12)).label == Label.DUE_SOON
    assert classify(Facts(WorkState.OPEN, D(2026, 2, 25)), D(2026, 2, 12)).label == Label.WITHIN


def test_late_is_stamped_against_the_effective_deadline() -> None:
    assert (
        status.stamp_late(
            completion_date=D(2026, 4, 10),
            deadline=D(2026, 4, 15),
            original_deadline=D(2026, 3, 31),
        )
        is False
    )
    assert (
        status.stamp_late(
            completion_date=D(2026, 4, 16),
            deadline=D(2026, 4, 15),
            original_deadline=D(2026, 3, 31),
        )
        is True
    )
    assert (
        status.stamp_late(completion_date=D(2026, 4, 16), deadline=None, original_deadline=None)
        is None
    )


@override_settings(
    NHIEMVU={
        "DUE_SOON_WORKING_DAYS": 3,
        "EXTENSION_COUNTS_ON_TIME": False,
        "ON_TIME_RATE_BASE": "completed",
        "EXTENSION_AFTER_DEADLINE": False,
        "PROVINCE_NAME": "x",
    }
)
def test_a_province_may_count_extended_completion_as_late() -> None:
    assert (
        status.stamp_late(
            completion_date=D(2026, 4, 10),
            deadline=D(2026, 4, 15),
            original_deadline=D(2026, 3, 31),
        )
        is True
    )
    # And measure on time against completed tasks only.
    assert status.on_time_rate(on_time=1, completed=2, open_overdue=2) == 50


def test_the_national_example_gives_98_62_percent() -> None:
    # Báo cáo 1270/BC-TCTTTg: 16,051 completed, 223 open overdue.
    assert str(status.completion_rate(completed=16051, open_overdue=223)) == "98.62"
    # Truncation: one overdue task among 100,000 never shows as 100 %.
    assert str(status.completion_rate(completed=99999, open_overdue=1)) == "99.99"


def test_open_overdue_work_pulls_the_on_time_rate_down() -> None:
    # The city dashboard that showed 100 % on time with overdue work still open.
    assert status.on_time_rate(on_time=10, completed=10, open_overdue=10) == 50
    assert status.completion_rate(completed=0, open_overdue=0) is None


# --- agreement between classify() and annotate() -----------------------------------------

STATES = [
    WorkState.OPEN,
    WorkState.REFUSED,
    WorkState.REPORTED,
    WorkState.RETURNED,
    WorkState.DONE,
    WorkState.PAUSED,
]
dates = st.dates(min_value=D(2025, 12, 1), max_value=D(2026, 6, 30))


@dataclass
class History:
    assigned: dt.date
    deadline: dt.date | None
    events: Sequence[tuple[dt.date, str]]
    extensions: list[dt.date]
    completion: dt.date | None
    late: bool | None
    as_of: dt.date
    deliverable: str = ""
    recurring: bool = False


@st.composite
def histories(draw: st.DrawFn) -> History:
    """A task with a random deadline, random state-changing events and extensions."""
    assigned = draw(st.dates(min_value=D(2025, 12, 1), max_value=D(2026, 3, 31)))
    deadline = draw(st.one_of(st.none(), st.dates(min_value=assigned, max_value=D(2026, 6, 30))))
    events = sorted(draw(st.lists(st.tuples(dates, st.sampled_from(STATES)), max_size=5)))
    events = [(day, state) for day, state in events if day >= assigned]
    extensions = sorted(draw(st.lists(dates, max_size=2))) if deadline else []
    completion = draw(st.one_of(st.none(), dates))
    late = draw(st.one_of(st.none(), st.booleans()))
    as_of = draw(dates)
    deliverable = draw(st.sampled_from(["", "bao_cao", "khac"]))
    recurring = deadline is None and draw(st.booleans())
    return History(
        assigned, deadline, events, extensions, completion, late, as_of, deliverable, recurring
    )


class StatusAgreementTest(HypothesisTestCase):
    p: Province
    directive: Directive

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        with travel(D(2025, 12, 1)):
            cls.directive = register(cls.p, doc_date=D(2025, 12, 1), tasks=[])

    def _make(self, h: History) -> Assignment:
        effective, moved = h.deadline, []
        for i, decided in enumerate(h.extensions):
            assert effective is not None
            effective = effective + dt.timedelta(days=7 * (i + 1))
            moved.append((decided, effective))
        final_state = h.events[-1][1] if h.events else WorkState.OPEN
        return task_with_history(
            self.p,
            self.directive,
            assigned=h.assigned,
            deadline=h.deadline,
            events=h.events,
            extensions=moved,
            completion=h.completion,
            deliverable_kind=h.deliverable,
            completed_late=h.late if final_state == WorkState.DONE else None,
            **({"deadline_kind": DeadlineKind.RECURRING} if h.recurring else {}),
        )

    def _facts_in_python(self, task: Assignment, as_of: dt.date) -> Facts:
        """The facts as of a date, computed from the rows in Python, independently of SQL."""
        state_events = [e for e in task.events.all() if e.state_after and e.on <= as_of]
        state_events.sort(key=lambda e: (e.on, e.at, e.id))
        state = state_events[-1].state_after if state_events else WorkState.OPEN
        approved = [x for x in task.extensions.all() if x.decided_on and x.decided_on <= as_of]
        approved.sort(key=lambda x: (x.decided_on, x.decided_at, x.id))
        deadline = approved[-1].new_deadline if approved else task.original_deadline
        completions = [e for e in task.events.all() if e.kind == "completion" and e.on <= as_of]
        completions.sort(key=lambda e: (e.on, e.at, e.id))
        completion = completions[-1].doc_date if completions else None
        return Facts(state, deadline, completion, task.completed_late)

    @settings(max_examples=150, deadline=None)
    @given(histories())
    def test_python_and_sql_agree_on_random_tasks(self, h: History) -> None:
        as_of = h.as_of
        with travel(D(2026, 7, 1)):
            task = self._make(h)
            sql = status.annotate(Assignment.objects.filter(pk=task.pk), as_of).get()
            expected = classify(self._facts_in_python(task, as_of), as_of)
            assert (sql.st_label, sql.st_timing) == (expected.label, expected.timing), (
                h,
                sql.st_state,
                sql.st_deadline,
            )
            # The index-friendly filters give the same answer for today's status.
            today = status.annotate(Assignment.objects.filter(pk=task.pk)).get()
            one = Assignment.objects.filter(pk=task.pk)
            for label in status.LABEL_NAMES:
                found = one.filter(status.label_q([label])).exists()
                assert found == (today.st_label == label), (h, label, today.st_label)
            overdue = today.st_label in status.OPEN_LABELS and today.st_timing == Timing.OVERDUE
            assert one.filter(status.open_overdue_q()).exists() == overdue, h
            # Every named set (owed, due soon, to urge, flagged…): predicate and filter agree.
            stored = Assignment.objects.get(pk=task.pk)
            for name, named in namedsets.NAMED_SETS.items():
                in_filter = one.filter(named.q(D(2026, 7, 1))).exists()
                assert in_filter == named.holds(stored, D(2026, 7, 1)), (h, name)
            # Today's fast path (stored columns) agrees with the facts of today.
            now_sql = status.annotate(Assignment.objects.filter(pk=task.pk)).get()
            now_facts = Facts(task.state, task.deadline, task.completion_date, task.completed_late)
            now_expected = classify(now_facts, D(2026, 7, 1))
            assert (now_sql.st_label, now_sql.st_timing) == (
                now_expected.label,
                now_expected.timing,
            )
            # The list pages' Python labels and today's grouped counts (selectors.status_counts
            # groups stored columns, then classifies each group) say the same.
            row: Any = Assignment.objects.get(pk=task.pk)
            status.label_rows([row], D(2026, 7, 1))
            assert (row.st_label, row.st_timing) == (now_expected.label, now_expected.timing)
            counts = selectors.status_counts(one)
            reference = status.Tally()
            reference.add(now_expected.label, now_expected.timing, 1)
            assert counts[now_expected.label] == counts["total"] == 1, (h, dict(counts))
            assert vars(counts.tally) == vars(reference), (h, vars(counts.tally))
