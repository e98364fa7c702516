"""Explanations of delay (giải trình, issue 18): when one is required, and which one is in force
on a date. The rules, once; the services, the forms, the reminders and the reports ask here.

Required (``required``):
- reporting completion with an output document dated after the deadline;
- asking for an extension after the deadline has passed;
- a task still open (owed) N working days after its deadline (N a setting, 5 by default),
  until an explanation is in force; an explanation the office returns as insufficient is no
  longer in force, so it is asked for again.

In force on day D (``in_force``): the latest explanation submitted on or before D that had not
been returned by D. Reports as of a past date count causes from it, so a past report shows the
causes it showed then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from nhiemvu.assignments.models import Explanation, ExplanationTrigger
from nhiemvu.conf import setting
from nhiemvu.lib import workdays


def overdue_days() -> int:
    return int(setting("EXPLAIN_AFTER_OVERDUE_DAYS"))


def required(
    trigger: str,
    *,
    deadline: dt.date | None,
    day: dt.date,
    output_date: dt.date | None = None,
    after_days: int | None = None,
    calendar: Any = None,
) -> bool:
    """Whether this step on this day needs an explanation (the pure predicate)."""
    if deadline is None:
        return False
    if trigger == ExplanationTrigger.LATE_COMPLETION:
        return output_date is not None and output_date > deadline
    if trigger == ExplanationTrigger.LATE_EXTENSION:
        return day > deadline
    calendar = calendar or workdays.calendar()
    days = overdue_days() if after_days is None else after_days
    return calendar.working_days_between(deadline, day) >= days


def in_force(
    history: Iterable[tuple[dt.date, int, dt.date | None, Any]], day: dt.date
) -> Any | None:
    """From (submitted_on, id, returned_on, value) rows: the value of the one in force on day."""
    current = None
    for submitted, _pk, returned, value in sorted(history, key=lambda r: (r[0], r[1])):
        if submitted <= day:
            current = value if returned is None or returned > day else None
    return current


def in_force_expr(day: dt.date, field: str = "cause_id") -> Any:
    """The same in SQL, per task: ``field`` of its explanation in force on ``day``, or NULL: the
    latest submitted by then, provided it had not been returned by then (filtering the returned
    ones out first would let an older explanation stand in for a returned newer one)."""
    newest = Explanation.objects.filter(
        assignment=OuterRef(OuterRef("pk")), submitted_on__lte=day
    ).order_by("-submitted_on", "-id")
    standing = Explanation.objects.filter(
        Q(returned_on__isnull=True) | Q(returned_on__gt=day),
        pk=Subquery(newest.values("pk")[:1]),
    )
    return Subquery(standing.values(field)[:1])


def is_explained(task: Any, day: dt.date) -> bool:
    rows = task.explanations.values_list("submitted_on", "id", "returned_on", "id")
    return in_force(list(rows), day) is not None
