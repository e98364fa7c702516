"""Every consumer of the explanation rules agrees with the rules (issue 25).

The rules live in ``assignments/explanations.py``: the explanation in force on a date (the
latest submitted by then, unless returned by then) and whether one is due (the task is open and
overdue by status's rule, N working days have passed since its deadline, none is in force). Here
random explain/return histories, with an older explanation submitted and a newer one returned
among them, are laid on two tasks whose deadline falls around weekends and holidays; then, on
every calendar day around the deadline, each surface that shows or uses an explanation is asked
and compared with the pure rule: the workflow's ``explain`` and ``return_explanation`` steps, the
morning reminder that asks for one, the urging letter (its "Quá hạn"/"Sắp đến hạn" wording too),
the leader's home (unexplained agencies), the report by cause, the review screen's history of an
agency's repeated causes, and the rule's own filters.
"""

from __future__ import annotations

import datetime as dt
from datetime import date as D

from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nhiemvu.assignments import explanations, namedsets, status, workflow
from nhiemvu.assignments.models import (
    Assignment,
    DelayCause,
    Explanation,
    ExplanationTrigger,
    WorkState,
)
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.directives import selectors as directive_selectors
from nhiemvu.lib import periods, workdays
from nhiemvu.reminders import letters
from nhiemvu.reminders.schedule import plan
from nhiemvu.reports import causes as report_causes
from nhiemvu.test import Province, at, register, travel
from nhiemvu.web import selectors as home_selectors

# Deadlines whose following days hold weekends and holidays: Giỗ Tổ (Sun 26/4/2026, off on
# Mon 27/4), 30/4 and 1/5; a plain Friday; a Sunday; Tết's tail.
DEADLINES = [D(2026, 4, 24), D(2026, 3, 27), D(2026, 3, 29), D(2026, 4, 29), D(2026, 2, 13)]
SHAPES = ["open", "reported_in_time", "reported_late"]

# (day after the deadline, "explain" or "return", which cause)
ops = st.lists(
    st.tuples(st.integers(0, 12), st.sampled_from(["explain", "return"]), st.integers(0, 2)),
    max_size=6,
)


class ExplanationRulesAgreeTest(HypothesisTestCase):
    p: Province

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        two = [
            TaskSpec(content=f"Nhiệm vụ {n}", lead=cls.p.agency_a, deadline=D(2026, 3, 31))
            for n in (1, 2)
        ]
        with travel(D(2026, 1, 5)):
            register(cls.p, doc_date=D(2026, 1, 5), tasks=two)

    def _lay(self, deadline: D, shape: str, history: list) -> list[tuple]:
        """The tasks as the services would leave them, and the same explanation history on
        both: an explanation is returned only while it is the one in force."""
        completion = {"open": None, "reported_in_time": deadline}.get(
            shape, deadline + dt.timedelta(days=3)
        )
        Assignment.objects.update(
            deadline=deadline,
            original_deadline=deadline,
            state=WorkState.OPEN if shape == "open" else WorkState.REPORTED,
            completion_date=completion,
            completion_ref="" if completion is None else "9/BC",
        )
        causes = list(DelayCause.objects.filter(names_org=False).order_by("position"))[:3]
        rows: list[list] = []
        for offset, op, which in sorted(history, key=lambda h: h[0]):
            day = deadline + dt.timedelta(days=offset)
            if op == "explain":
                rows.append([day, len(rows), None, causes[which].pk])
                continue
            standing = explanations.in_force([tuple(r) for r in rows], day)
            if standing is not None:
                current = max((r for r in rows if r[0] <= day), key=lambda r: (r[0], r[1]))
                current[2] = day
        for task in Assignment.objects.order_by("id"):
            for submitted, _n, returned, cause in rows:
                Explanation.objects.create(
                    assignment=task,
                    trigger=ExplanationTrigger.OVERDUE,
                    cause_id=cause,
                    text="Chậm do thủ tục",
                    author=self.p.lead_officer,
                    author_org=self.p.agency_a,
                    submitted_at=at(submitted),
                    submitted_on=submitted,
                    returned_on=returned,
                )
        return [tuple(r) for r in rows]

    @settings(max_examples=6, deadline=None)
    @given(st.sampled_from(DEADLINES), st.sampled_from(SHAPES), ops)
    # Explained (A), explained again (B), B returned: nothing is in force, A does not stand in.
    @example(D(2026, 4, 24), "open", [(1, "explain", 0), (3, "explain", 1), (4, "return", 0)])
    def test_every_consumer_agrees_with_the_rule(self, deadline: D, shape: str, history: list):
        rows = self._lay(deadline, shape, history)
        after = explanations.overdue_days()
        cal = workdays.calendar()
        names = dict(DelayCause.objects.values_list("pk", "name"))
        tasks = list(Assignment.objects.order_by("id"))
        for offset in range(-2, 16):
            day = deadline + dt.timedelta(days=offset)
            where = (deadline, shape, rows, day)
            standing = explanations.in_force(rows, day)
            explained = standing is not None
            cause_name = names[standing] if standing is not None else ""
            overdue = namedsets.is_open_overdue(tasks[0], day)
            days_late = cal.working_days_between(deadline, day)
            due = overdue and days_late >= after and not explained
            with travel(day, 9):
                task = Assignment.objects.get(pk=tasks[0].pk)
                # The rule's own predicate and filters.
                self.assertEqual(explanations.is_explained(task, day), explained, where)
                self.assertEqual(explanations.is_due(task, day), due, where)
                in_force = Assignment.objects.filter(explanations.explained_q(day))
                self.assertEqual(in_force.count(), 2 if explained else 0, where)
                owing = Assignment.objects.filter(explanations.due_q(day))
                self.assertEqual(owing.count(), 2 if due else 0, where)
                # The workflow: explain while overdue and none in force; return the one in force.
                self.assertEqual(
                    workflow.allowed_in("explain", task), overdue and not explained, where
                )
                self.assertEqual(workflow.allowed_in("return_explanation", task), explained, where)
                # The leader's home: the agencies that owe an explanation.
                lessons = home_selectors.lessons(self.p.chairman, day)
                self.assertEqual(
                    [n for _code, _name, n in lessons["unexplained"]], [2] if due else [], where
                )
                # The report by cause as of that day.
                period = periods.containing(day, "month", rule=periods.CALENDAR)
                causes = report_causes.delay_causes(self.p.chairman, period, day)
                shown = {r.name: r.overdue for r in causes.by_cause if r.overdue}
                expected = cause_name if explained else report_causes.UNEXPLAINED
                self.assertEqual(shown, {expected: 2} if overdue else {}, where)
                # The review screen: the agency's recent tasks late for one cause.
                history_lines = directive_selectors.delay_history({"so-khcn"}, day)
                self.assertEqual(len(history_lines.get("so-khcn", [])), int(explained), where)
                if explained:
                    self.assertIn(cause_name.lower(), history_lines["so-khcn"][0], where)
                # The urging letter: overdue as the dashboard says; asks for an explanation when
                # one is due.
                urged = letters.tasks_to_urge(self.p.agency_a, day)
                for (_n, _summary, _ref, _deadline, said), one in zip(
                    letters._rows(urged, day), urged, strict=True
                ):
                    facts = status.Facts(
                        one.state, one.deadline, one.completion_date, one.completed_late
                    )
                    timing = status.classify(facts, day).timing
                    self.assertEqual(
                        said.startswith("Quá hạn"), timing == status.Timing.OVERDUE, where
                    )
                    self.assertEqual("đề nghị giải trình" in said, due, where)
                # The morning reminder asks on the day it becomes due, if none is in force.
                asked = [d for d in plan(at(day, 8)) if d.key.endswith("giai-trinh")]
                expected_asked = (
                    cal.is_working_day(day)
                    and task.state == WorkState.OPEN
                    and days_late == after
                    and not explained
                )
                self.assertEqual(len(asked), 2 if expected_asked else 0, where)
        Explanation.objects.all().delete()
