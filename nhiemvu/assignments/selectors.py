"""Reads for tasks, always through a permission filter (rule 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from nhiemvu.assignments import rules as perms
from nhiemvu.assignments import status
from nhiemvu.assignments.models import Assignment, AssignmentEvent, Extension, ExtensionStatus


def tasks_for(user: Any, *, as_of: dt.date | None = None) -> QuerySet[Any]:
    """The tasks this user may see, with their status annotated (st_label, st_timing)."""
    qs = perms.visible(user, Assignment.objects.select_related("lead", "directive"))
    if as_of is not None:
        qs = status.as_of_filter(qs, as_of)
    return status.annotate(qs, as_of)


def task_for(user: Any, code: str) -> Assignment:
    """One task by its code, or 404 when it does not exist or the user may not see it.

    Refusing with 404 rather than 403 tells an outsider nothing about which codes exist.
    """
    task = (
        tasks_for(user)
        .select_related("original_lead", "assigned_by", "group")
        .filter(code=code)
        .first()
    )
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


def status_counts(qs: QuerySet[Any]) -> dict[str, int]:
    """Counts by label, and the figures the rates need, in one GROUP BY query."""
    counts: dict[str, int] = dict.fromkeys(status.LABEL_NAMES, 0)
    counts.update(total=0, open_overdue=0, completed=0)
    rows = qs.order_by().values_list("st_label", "st_timing").annotate(n=Count("pk"))
    for label, timing, n in rows:
        counts[label] += n
        counts["total"] += n
        if label in status.DONE_LABELS:
            counts["completed"] += n
        elif label in status.OPEN_LABELS and timing == status.Timing.OVERDUE:
            counts["open_overdue"] += n
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
