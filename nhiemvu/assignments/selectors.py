"""Reads for tasks, always through a permission filter (rule 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from nhiemvu.assignments import rules as perms
from nhiemvu.assignments import status
from nhiemvu.assignments.models import Assignment, AssignmentEvent, Extension, ExtensionStatus


def tasks_for(user: Any, *, as_of: dt.date | None = None) -> QuerySet[Assignment]:
    """The tasks this user may see, with their status annotated (st_label, st_timing)."""
    qs = perms.visible(user, Assignment.objects.select_related("lead", "directive"))
    if as_of is not None:
        qs = status.as_of_filter(qs, as_of)
    return status.annotate(qs, as_of)


def task_for(user: Any, code: str) -> Assignment:
    """One task by its code, or 404 when it does not exist or the user may not see it.

    Refusing with 404 rather than 403 tells an outsider nothing about which codes exist.
    """
    task = tasks_for(user).select_related("original_lead", "assigned_by", "group").filter(
        code=code
    ).first()
    if task is None:
        raise Http404
    return task


def timeline(task: Assignment) -> QuerySet[AssignmentEvent]:
    return task.events.select_related("actor", "actor_org").prefetch_related("attachments")


def extensions_of(task: Assignment) -> QuerySet[Extension]:
    return task.extensions.select_related("requested_by", "decided_by", "advised_by")


def pending_extensions_for(user: Any) -> QuerySet[Extension]:
    tasks = perms.extension_decidable(user)
    return Extension.objects.filter(
        status=ExtensionStatus.PENDING, assignment__in=tasks
    ).select_related("assignment", "assignment__lead")


def status_counts(qs: QuerySet[Assignment]) -> dict[str, int]:
    """Counts by label and the figures of the rates, in one aggregate query."""
    labels = [
        status.Label.WITHIN, status.Label.DUE_SOON, status.Label.OVERDUE,
        status.Label.NO_DEADLINE, status.Label.AWAITING, status.Label.DONE_ON_TIME,
        status.Label.DONE_LATE, status.Label.DONE_NO_DEADLINE, status.Label.REDO,
        status.Label.PAUSED, status.Label.REFUSED,
    ]
    aggregates: dict[str, Any] = {label: Count("pk", filter=Q(st_label=label)) for label in labels}
    aggregates["open_overdue"] = Count(
        "pk",
        filter=Q(st_timing=status.Timing.OVERDUE) & ~Q(st_label=status.Label.PAUSED)
        & ~Q(st_label__in=list(status.DONE_LABELS)),
    )
    aggregates["total"] = Count("pk")
    counts: dict[str, int] = qs.aggregate(**aggregates)
    counts["completed"] = (
        counts[status.Label.DONE_ON_TIME] + counts[status.Label.DONE_LATE]
        + counts[status.Label.DONE_NO_DEADLINE]
    )
    return counts


def rates(counts: dict[str, int]) -> dict[str, Any]:
    return {
        "completion": status.completion_rate(
            completed=counts["completed"], open_overdue=counts["open_overdue"]
        ),
        "on_time": status.on_time_rate(
            on_time=counts[status.Label.DONE_ON_TIME] + counts[status.Label.DONE_NO_DEADLINE],
            completed=counts["completed"],
            open_overdue=counts["open_overdue"],
        ),
    }
