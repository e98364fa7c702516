"""Work from above (issue 16): the office splits a received task into sub-tasks for its
agencies, and reports upward once every sub-task is confirmed (the rule: assignments/rollup.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments import rollup
from nhiemvu.assignments.models import Assignment, EventKind, WorkState
from nhiemvu.assignments.services.common import (
    _deny,
    _happened,
    _locked,
    _output_document,
    _text,
)
from nhiemvu.assignments.services.registration import TaskSpec, assignment_create
from nhiemvu.assignments.status import stamp_late
from nhiemvu.lib import workdays
from nhiemvu.orgs.rules import allows, is_office


def _require_office(actor: Any) -> None:
    if not allows(actor, is_office):
        raise _deny(_("Only the Provincial Office splits and reports tasks received from above."))


@transaction.atomic
def subtask_create(*, actor: Any, upper: Assignment, spec: TaskSpec) -> list[Assignment]:
    """Give part of a received task to an agency (or a group of them, one task each), with an
    internal deadline no later than the one the province must meet."""
    _require_office(actor)
    upper = _locked(upper)
    if not upper.received:
        raise ValidationError(_("Only a task received from above is split into sub-tasks."))
    if upper.state == WorkState.DONE:
        raise ValidationError(_("This task has already been reported upward."))
    if spec.deadline is None:
        raise ValidationError({"deadline": _("A sub-task needs its internal deadline.")})
    if upper.deadline is not None and spec.deadline > upper.deadline:
        raise ValidationError(
            {
                "deadline": _(
                    "The internal deadline %(day)s is after the deadline the province must meet "
                    "(%(upper)s)."
                )
                % {"day": f"{spec.deadline:%d/%m/%Y}", "upper": f"{upper.deadline:%d/%m/%Y}"}
            }
        )
    today = workdays.today()
    if spec.deadline < today:
        raise ValidationError({"deadline": _("The internal deadline has already passed.")})
    created = assignment_create(
        actor=actor, directive=upper.directive, spec=spec, upper=upper, assigned_on=today
    )
    # Each new sub-task's "assigned" step has brought the received task's progress up to date.
    return created


@transaction.atomic
def received_report_upward(
    *, actor: Any, task: Assignment, ref: str, report_date: dt.date, text: str = ""
) -> Assignment:
    """Record the province's report upward on a received task: refused until every sub-task is
    confirmed complete. On time when dated by the upward deadline (DOMAIN.md §4)."""
    _require_office(actor)
    task = _locked(task)
    if not task.received:
        raise ValidationError(_("Only a task received from above is reported upward."))
    current = rollup.stage_of(task)
    if current != rollup.Stage.READY:
        raise ValidationError(
            {
                rollup.Stage.NOT_SPLIT: _("Split the task into sub-tasks first."),
                rollup.Stage.IN_PROGRESS: _(
                    "Some sub-tasks are not confirmed complete yet: report upward when all are."
                ),
                rollup.Stage.REPORTED: _("This task has already been reported upward."),
            }[current]
        )
    ref = _output_document(task, ref, report_date, ref_field="ref", date_field="report_date")
    today = workdays.today()
    text = _text(text, field_name="text", required=False, label=_("The note"))
    task.state = WorkState.DONE
    task.completion_date = report_date
    task.completion_ref = ref
    task.confirmed_on = today
    task.progress_percent = 100
    task.completed_late = stamp_late(
        completion_date=report_date,
        deadline=task.deadline,
        original_deadline=task.original_deadline,
    )
    task.save()
    _happened(
        task,
        actor=actor,
        kind=EventKind.CONFIRMED,
        action="assignment.report_upward",
        state_after=WorkState.DONE,
        text=text or _("Reported upward: %(ref)s") % {"ref": ref},
        doc_date=report_date,
        after={"ref": ref, "date": report_date, "late": task.completed_late},
    )
    return task
