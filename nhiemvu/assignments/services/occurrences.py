"""The periodic reports of recurring tasks, created by the scheduler each period."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from nhiemvu.assignments import namedsets
from nhiemvu.assignments.models import (
    Assignment,
    Coordination,
    DeadlineKind,
    EventKind,
    WorkState,
)
from nhiemvu.assignments.services.common import (
    _event,
    _summary,
)
from nhiemvu.audit.services import record
from nhiemvu.lib import workdays


def occurrences_create(*, today: dt.date | None = None) -> int:
    """Create this period's report of every recurring task (once: a unique constraint guards
    it against a second scheduler). Each is an ordinary task with the period's date, so it is
    reminded, reported, confirmed and counted like any other. Returns how many were created."""
    from nhiemvu.assignments.recurrence import period_of

    today = today or workdays.today()
    created = 0
    parents = (
        Assignment.objects.filter(
            namedsets.remindable_q(),
            deadline_kind=DeadlineKind.RECURRING,
            recurring_parent__isnull=True,
        )
        .select_related("directive", "lead")
        .prefetch_related("coordinations")
    )
    for parent in parents.iterator(chunk_size=200):
        period = period_of(parent.recurrence, parent.recurrence_day, today)
        if period is None or period.due < parent.assigned_on:
            continue
        if Assignment.objects.filter(recurring_parent=parent, period=period.key).exists():
            continue
        try:
            with transaction.atomic():
                task = Assignment.objects.create(
                    directive=parent.directive,
                    recurring_parent=parent,
                    period=period.key,
                    content=f"{parent.content}\n\n(Kỳ báo cáo: {period.label})",
                    summary=_summary(f"{parent.summary} — {period.label}"),
                    lead=parent.lead,
                    original_lead=parent.lead,
                    deliverable_kind=parent.deliverable_kind,
                    deliverable_text=parent.deliverable_text,
                    deadline_kind=DeadlineKind.FIXED,
                    deadline=period.due,
                    original_deadline=period.due,
                    assigned_by=parent.assigned_by,
                    assigned_on=max(period.start, parent.assigned_on),
                    urgency=parent.urgency,
                    search_text=parent.search_text,
                    created_by=parent.created_by,
                )
                Coordination.objects.bulk_create(
                    [
                        Coordination(assignment=task, org_id=c.org_id)
                        for c in parent.coordinations.all()
                    ]
                )
                _event(
                    task,
                    actor=None,
                    kind=EventKind.ASSIGNED,
                    state_after=WorkState.OPEN,
                    data={"recurring": parent.code, "period": period.key},
                )
                record(
                    actor=None,
                    action="assignment.occurrence",
                    target=task,
                    after={"parent": parent.code, "period": period.key, "deadline": period.due},
                )
        except IntegrityError:
            continue  # created by another scheduler a moment ago
        created += 1
    return created
