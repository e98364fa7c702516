"""Explanations of delay (giải trình, issue 18): when one is required, which one is in force on
a date, and when one is due. The rules, once, each as a pure predicate and a query filter tested
to agree (tests/test_explanation_agreement.py); the workflow, the services, the forms, the
reminders, the urging letter, the reports, the leader's home and the review screen ask here.

Required (``required``):
- reporting completion with an output document dated after the deadline;
- asking for an extension after the deadline has passed;
- a task still open N working days after its deadline (N a setting, 5 by default), until an
  explanation is in force; an explanation the office returns as insufficient is no longer in
  force, so it is asked for again.

In force on day D (``in_force`` / ``in_force_q``; per task ``is_explained`` / ``explained_q``):
the latest explanation submitted on or before D, provided it had not been returned by D. An
older one never stands in for a returned newer one: the office returned the agency's current
word, and the agency is asked for a new one. Reports as of a past date count causes from it, so
a past report shows the causes it showed then. The model keeps one source of truth for
"returned": ``returned_on``.

Due on day D (``is_due`` / ``due_q``): the task is overdue by status's rule (open work past its
deadline; a report dated in time is within), N working days have passed in (deadline, D], and
none is in force. Weekends and holidays count as status and the calendar say: a task due Friday
is overdue on Saturday, and Saturday adds no working day.

The ``explain`` step is offered while the task is overdue (status's rule) and no explanation is
in force: one explanation stands at a time; the office returns it to ask for another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery

from nhiemvu.assignments import namedsets, status
from nhiemvu.assignments.models import Explanation, ExplanationTrigger
from nhiemvu.conf import setting
from nhiemvu.lib import workdays


def overdue_days() -> int:
    return int(setting("EXPLAIN_AFTER_OVERDUE_DAYS"))


# --- overdue long enough: N working days in (deadline, day] ------------------------------------


def overdue_long_enough(
    deadline: dt.date, day: dt.date, *, after_days: int | None = None, calendar: Any = None
) -> bool:
    calendar = calendar or workdays.calendar()
    days = overdue_days() if after_days is None else after_days
    return day > deadline and calendar.working_days_between(deadline, day) >= days


def overdue_cutoff(day: dt.date, *, after_days: int | None = None, calendar: Any = None) -> dt.date:
    """The first deadline that is *not* yet overdue long enough on ``day``: a deadline before it
    has N working days in (deadline, day]. It is the N-th working day counting back from
    ``day`` (``day`` included when it is one), so a weekend as the day or as the deadline
    falls on the same side as ``overdue_long_enough`` puts it."""
    calendar = calendar or workdays.calendar()
    days = overdue_days() if after_days is None else after_days
    if days <= 0:
        return day  # overdue at all: deadline before the day
    current = calendar.previous_working_day(day, include=True)
    return calendar.add_working_days(current, -(days - 1))


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
    return overdue_long_enough(deadline, day, after_days=after_days, calendar=calendar)


# --- in force on a date --------------------------------------------------------------------------


def in_force(
    history: Iterable[tuple[dt.date, int, dt.date | None, Any]], day: dt.date
) -> Any | None:
    """From (submitted_on, id, returned_on, value) rows: the value of the one in force on day."""
    current = None
    for submitted, _pk, returned, value in sorted(history, key=lambda r: (r[0], r[1])):
        if submitted <= day:
            current = value if returned is None or returned > day else None
    return current


def in_force_q(day: dt.date) -> Q:
    """The same over Explanation rows: this row is its task's explanation in force on ``day``
    (submitted by then, not returned by then, and no later one submitted by then). Filtering
    the returned ones out first would let an older explanation stand in for a returned newer
    one."""
    newer = Explanation.objects.filter(
        Q(submitted_on__gt=OuterRef("submitted_on"))
        | Q(submitted_on=OuterRef("submitted_on"), id__gt=OuterRef("id")),
        assignment=OuterRef("assignment"),
        submitted_on__lte=day,
    )
    return (
        Q(submitted_on__lte=day)
        & (Q(returned_on__isnull=True) | Q(returned_on__gt=day))
        & ~Q(Exists(newer))
    )


def in_force_expr(day: dt.date, field: str = "cause_id") -> Any:
    """Per task (a queryset of Assignments): ``field`` of its explanation in force on ``day``,
    or NULL."""
    standing = Explanation.objects.filter(in_force_q(day), assignment=OuterRef("pk"))
    return Subquery(standing.values(field)[:1])


def explanation_in_force(task: Any, day: dt.date) -> Explanation | None:
    """The task's explanation in force on ``day`` (the one the office may return)."""
    rows = list(task.explanations.all())
    pk = in_force([(e.submitted_on, e.pk, e.returned_on, e.pk) for e in rows], day)
    return next((e for e in rows if e.pk == pk), None)


def is_explained(task: Any, day: dt.date | None = None) -> bool:
    rows = task.explanations.values_list("submitted_on", "id", "returned_on", "id")
    return in_force(list(rows), day or workdays.today()) is not None


def explained_q(day: dt.date | None = None) -> Q:
    """Tasks with an explanation in force on ``day``."""
    day = day or workdays.today()
    return Q(Exists(Explanation.objects.filter(in_force_q(day), assignment=OuterRef("pk"))))


# --- due: overdue N working days with none in force ----------------------------------------------


def is_due(task: Any, day: dt.date | None = None) -> bool:
    day = day or workdays.today()
    return (
        namedsets.is_open_overdue(task, day)
        and task.deadline is not None
        and overdue_long_enough(task.deadline, day)
        and not is_explained(task, day)
    )


def due_q(day: dt.date | None = None) -> Q:
    day = day or workdays.today()
    return status.open_overdue_q(day) & Q(deadline__lt=overdue_cutoff(day)) & ~explained_q(day)


# The named pairs, like namedsets.NAMED_SETS: (task, day) -> bool and (day) -> Q.
NAMED_SETS = {
    "explained": namedsets.NamedSet(is_explained, explained_q),
    "explanation_due": namedsets.NamedSet(is_due, due_q),
}
