"""What only the report page reads (issue 27 item 6): the counts it shows beside its tables in
one pass over the tasks, and the first documents of the table by document. The figures are the
selectors' (the same filters, the same fold); the files, which list everything, read them there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Value
from django.db.models.functions import Collate

from nhiemvu.directives.models import Directive
from nhiemvu.lib.periods import Period
from nhiemvu.reports.ages import AGE_BUCKETS, age_bucket_q
from nhiemvu.reports.selectors import (
    DOCUMENT_NAMES,
    Summary,
    as_of_for,
    completed_late_q,
    covered,
    fold,
    grouped,
    list_filters,
    name_rows,
    open_overdue_filter,
)


def page_counts(user: Any, period: Period, as_of: dt.date | None = None) -> dict[str, Any]:
    """One aggregate over the period's tasks: how many each of ``special_lists`` holds
    (``no_deadline``, ``extended``, ``returned``, ``flagged``), how many were completed late
    (``late``), and the overdue backlog by age (``buckets``: ``age_buckets``' lines)."""
    as_of = as_of_for(period, as_of)
    overdue = open_overdue_filter(as_of)
    filters = {
        **list_filters(as_of),
        "late": completed_late_q(period, as_of),
        **{f"age{i}": overdue & q for i, (_label, q) in enumerate(age_bucket_q(as_of))},
    }
    counted = covered(user, period, as_of).aggregate(
        **{name: Count(Value(1), filter=q) for name, q in filters.items()}
    )
    counted["buckets"] = [
        (str(label), counted.pop(f"age{i}")) for i, (_limit, label) in enumerate(AGE_BUCKETS)
    ]
    return counted


def first_documents(user: Any, period: Period, as_of: dt.date | None, first: int) -> Summary:
    """The first ``first`` rows of ``summary_by_document``: the documents walked in the order
    of their references until that many have tasks in the report, and only their tasks
    counted (the page's table has no total, so none is counted)."""
    as_of = as_of_for(period, as_of)
    tasks = covered(user, period, as_of)
    # Python's order of the references (code points, as summary_by_document sorts them): the
    # "C" collation on PostgreSQL, whose database collation may order punctuation otherwise;
    # SQLite compares the bytes already.
    by_ref = Collate("ref", "C") if connection.vendor == "postgresql" else F("ref")
    ids = list(
        Directive.objects.filter(Exists(tasks.filter(directive=OuterRef("pk"))))
        .order_by(by_ref, "id")
        .values_list("id", flat=True)[:first]
    )
    rows = fold(grouped(tasks.filter(directive_id__in=ids), ("directive_id",)))
    return Summary(period, as_of, name_rows({pk: rows[pk] for pk in ids}, DOCUMENT_NAMES))
