"""The demo tells the truth (issue 27 item 7): the README counts the wards and communes the
directory holds; each delay is explained by the agency that held the task on that day; the same
history on every load, whatever random codes the tasks get."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import time_machine
from django.db import transaction
from django.test import TestCase

from nhiemvu.assignments import holders
from nhiemvu.assignments.models import AssignmentEvent, Explanation
from nhiemvu.test import at
from nhiemvu.web import demo
from nhiemvu.web.demo.organisations import LOCAL_UNITS

README = Path(__file__).resolve().parents[3] / "README.md"


class _Rollback(Exception):
    pass


def _history() -> list[tuple[Any, ...]]:
    """What a clerk reads of the demo's past: each explanation (task, who, when, why) and each
    timeline entry (task, step, day, words), by what the task is rather than its random code."""

    def task_key(task: Any) -> tuple[str, str, str]:
        return (task.directive.ref, task.content, task.original_lead.code)

    explanations = [
        (*task_key(e.assignment), e.author_org.code, e.submitted_on, e.cause.code, e.text)
        for e in Explanation.objects.select_related(
            "assignment__directive", "assignment__original_lead", "author_org", "cause"
        )
    ]
    events = [
        (*task_key(e.assignment), e.kind, e.on, e.text, e.state_after)
        for e in AssignmentEvent.objects.select_related(
            "assignment__directive", "assignment__original_lead"
        )
    ]
    return sorted(explanations, key=str) + sorted(events, key=str)


class DemoTruthTest(TestCase):
    def test_the_readme_counts_the_wards_and_communes_the_demo_holds(self) -> None:
        held = sum(len(units) for units in LOCAL_UNITS.values())
        said = re.search(r"(\d+) of the Bình Định side's 58", README.read_text(encoding="utf-8"))
        assert said is not None
        self.assertEqual(int(said.group(1)), held)

    @time_machine.travel(at(dt.date(2026, 11, 26)), tick=False)
    def test_it_tells_the_same_believable_history_on_every_load(self) -> None:
        histories = []
        for _ in range(2):
            try:
                with transaction.atomic():
                    demo.load(documents=4)
                    histories.append(_history())
                    # The former Sở LĐ-TB&XH's 2022 delay is explained by Sở LĐ-TB&XH, which
                    # held the task then, not by Sở Nội vụ, which carries it today.
                    for e in Explanation.objects.select_related("assignment", "author_org"):
                        held = holders.holder_on(e.assignment, e.submitted_on)
                        self.assertEqual(e.author_org_id, held, (e.assignment, e.submitted_on))
                    founding = Explanation.objects.filter(
                        assignment__original_lead__code="so-ldtbxh",
                        submitted_on__year=2022,
                    ).select_related("author_org")
                    self.assertEqual([e.author_org.code for e in founding], ["so-ldtbxh"])
                    raise _Rollback
            except _Rollback:
                pass
        self.assertGreater(len(histories[0]), 100)
        self.assertEqual(histories[0], histories[1])
