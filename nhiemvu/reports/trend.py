"""The report's trend: the completion and on-time rates of the last few periods, each as of its
own end (or today), for the province or one organisation, read in one grouped query.

Each period's figures are the ones its report shows (``selectors.summary_by_org``'s total, or
the organisation's row): the same tasks (``selectors.covered_q``), their status as of the date
from the status engine (``status.annotate`` gives the facts as of the date, ``status.classify``
the label and timing from them: the two agree by test), and the same tally (``Tally.add``).

Why one query of facts rather than six of labels (issue 27 item 6): a past date's label is a
CASE that names the correlated subqueries of the facts (the state, deadline and completion as
of the date) in each of its branches, and PostgreSQL runs each named copy, about eleven per
task whose history moved on since; the six queries also read the table six times (1.7 s at
100,000 tasks on a quiet machine, 3.1 s loaded). Selecting the facts runs each subquery once
per task and period, only for the tasks the period covers, in one pass over the table; the
facts group into a few thousand distinct lines, which ``classify`` labels in Python.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, Q, QuerySet, When

from nhiemvu.assignments import holders, status
from nhiemvu.assignments import rules as perms
from nhiemvu.assignments.models import Assignment, DeadlineKind
from nhiemvu.lib.periods import Period
from nhiemvu.orgs.models import Organisation
from nhiemvu.reports.selectors import Row, as_of_for, covered_q, whole_table_plan


def trend(
    user: Any, period: Period, count: int = 6, *, org_code: str | None = None
) -> list[tuple[str, Decimal | None, Decimal | None]]:
    """Rates over the last `count` periods, oldest first: the province's, or one
    organisation's (by the organisation holding each task on each period's date)."""
    periods = [period]
    for _ in range(count - 1):
        periods.append(periods[-1].previous())
    periods.reverse()
    rows = tallies(user, periods, org_code=org_code)
    return [
        (p.key, row.completion_rate, row.on_time_rate) for p, row in zip(periods, rows, strict=True)
    ]


def tallies(user: Any, periods: list[Period], *, org_code: str | None = None) -> list[Row]:
    """Each period's total as its report counts it (the organisation's row with ``org_code``)."""
    rows = [Row(org_code or "", "") for _ in periods]
    org_id = None
    if org_code:
        org_id = Organisation.objects.filter(code=org_code).values_list("pk", flat=True).first()
        if org_id is None:
            return rows
    dates = [as_of_for(p) for p in periods]
    # Received tasks (work from above) count through their sub-tasks, as in the report's table.
    qs = perms.visible(user, Assignment.objects.filter(received=False))
    qs = qs.exclude(deadline_kind=DeadlineKind.RECURRING, recurring_parent__isnull=True)
    columns = []
    anywhere = Q(pk__in=[])
    for i, (each, as_of) in enumerate(zip(periods, dates, strict=True)):
        prefix = f"t{i}_"
        covered = covered_q(each, as_of)
        anywhere |= covered
        if org_id is not None:
            qs = qs.annotate(**{f"{prefix}holder": holders.holder_column(as_of)})
            covered &= Q(**{f"{prefix}holder": org_id})
        qs = status.annotate(qs, as_of, prefix=prefix)
        # The facts only where the period covers the task (NULL elsewhere): a task outside the
        # period never runs the subqueries of its past.
        for fact in ("state", "deadline", "completion"):
            qs = qs.annotate(
                **{f"{prefix}{fact}_in": Case(When(covered, then=F(f"{prefix}{fact}")))}
            )
        columns += [f"{prefix}state_in", f"{prefix}deadline_in", f"{prefix}completion_in"]
    read = qs.filter(anywhere).order_by().values_list("completed_late", *columns)
    limits = [status.due_soon_limit(as_of) for as_of in dates]
    with whole_table_plan():
        lines = _distinct_lines(read)
    for late, *facts, n in lines:
        for i, as_of in enumerate(dates):
            state, deadline, completion = facts[3 * i : 3 * i + 3]
            if state is None:  # not covered by this period
                continue
            found = status.classify(
                status.Facts(state, deadline, completion, late), as_of, limits[i]
            )
            rows[i].add(found.label, found.timing, n)
    return rows


def _distinct_lines(qs: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """Each distinct line of ``qs`` (plain values) and how many rows read it.

    On PostgreSQL the rows are counted around the query, not inside it: grouped inside, the
    grouping keys hold the facts' subqueries and PostgreSQL will only sort them (77,000 rows of
    19 columns, a third of the query's time at 100,000 tasks), not hash them. ``OFFSET 0``
    keeps the planner from folding the inner query back into the outer one."""
    if connection.vendor != "postgresql":
        return list(qs.annotate(n=Count("*")))
    sql, params = qs.query.sql_with_params()
    width = len(qs.query.values_select) + len(qs.query.annotation_select)
    keys = ", ".join(str(i) for i in range(1, width + 1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT facts.*, COUNT(*) FROM ({sql} OFFSET 0) AS facts GROUP BY {keys}", params
        )
        return cursor.fetchall()
