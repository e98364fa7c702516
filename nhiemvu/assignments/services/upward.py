"""Work from above (issue 16): the office splits a received task into sub-tasks for its
agencies, and reports upward once every sub-task is confirmed (the rule: assignments/rollup.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments import workflow
from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services.common import (
    _locked,
    _output_document,
    _step_happened,
    _text,
)
from nhiemvu.assignments.services.registration import TaskSpec, assignment_create
from nhiemvu.assignments.status import stamp_late
from nhiemvu.audit.services import record
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line
from nhiemvu.orgs.rules import allows, is_office


@transaction.atomic
def subtask_create(*, actor: Any, upper: Assignment, spec: TaskSpec) -> list[Assignment]:
    """Give part of a received task to an agency (or a group of them, one task each), with an
    internal deadline no later than the one the province must meet."""
    upper = _locked(upper)
    # Who, on which task, in which state: the workflow table (the office; a received task not
    # yet reported upward).
    workflow.check("split", actor, upper)
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
    task = _locked(task)
    # The office; every sub-task confirmed complete (the table's condition, rollup.py).
    step = workflow.check("report_upward", actor, task)
    ref = _output_document(task, ref, report_date, ref_field="ref", date_field="report_date")
    today = workdays.today()
    text = _text(text, field_name="text", required=False, label=_("The note"))
    task.state = step.leads_to
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
    _step_happened(
        task,
        step,
        actor=actor,
        state_after=task.state,
        text=text or _("Reported upward: %(ref)s") % {"ref": ref},
        doc_date=report_date,
        after={"ref": ref, "date": report_date, "late": task.completed_late},
    )
    return task


@transaction.atomic
def received_code_set(*, actor: Any, task: Assignment, code: str) -> Assignment:
    """The office types or corrects the issuer's own code of a received task (the code the
    letter gives it, e.g. "NV-2026-92"), printed on the task and in every report upward
    (issue 27 item 3). Empty clears it."""
    task = _locked(task)
    if not allows(actor, is_office):
        raise PermissionDenied(_("Only the Provincial Office records the issuer's code."))
    if not task.received:
        raise ValidationError(
            {"external_code": _("Only a task received from above has an issuer's code.")}
        )
    code = clean_line(code)
    limit = Assignment._meta.get_field("external_code").max_length or 60
    if len(code) > limit:
        raise ValidationError(
            {"external_code": _("The issuer's code is at most %(n)s characters.") % {"n": limit}}
        )
    before = task.external_code
    if code != before:
        task.external_code = code
        task.save(update_fields=["external_code", "updated_at"])
        record(
            actor=actor,
            action="assignment.external_code",
            target=task,
            before={"external_code": before},
            after={"external_code": code},
        )
    return task
