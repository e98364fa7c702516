"""The overdue backlog by age: the ranges, the range of one task, and the same ranges as
filters on a deadline column, so the lists (in Python) and the counts (in SQL, the report page
and the leader's dashboard) cannot disagree; test_report_page holds them together."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

AGE_BUCKETS = [
    (30, gettext_lazy("≤ 30 days")),
    (90, gettext_lazy("31–90 days")),
    (120, gettext_lazy("91–120 days")),
    (None, gettext_lazy("> 120 days")),
]


def bucket_of(days: int) -> str:
    """The age range a task ``days`` overdue falls in (the lists and the files)."""
    for limit, label in AGE_BUCKETS:
        if limit is None or days <= limit:
            return str(label)
    return str(AGE_BUCKETS[-1][1])


def age_bucket_q(as_of: dt.date, field: str = "st_deadline") -> list[tuple[str, Q]]:
    """``bucket_of``'s ranges as filters on a deadline column: the days overdue on ``as_of``
    (calendar days, as the list shows them) are at most the limit when the deadline is no
    earlier than ``as_of`` minus the limit. Counted in SQL by the report page and the leader's
    dashboard; tested to agree with ``bucket_of``."""
    bounds: list[tuple[str, Q]] = []
    lower: int | None = None
    for limit, label in AGE_BUCKETS:
        bucket = Q()
        if limit is not None:
            bucket &= Q(**{f"{field}__gte": as_of - dt.timedelta(days=limit)})
        if lower is not None:
            bucket &= Q(**{f"{field}__lt": as_of - dt.timedelta(days=lower)})
        bounds.append((str(label), bucket))
        lower = limit
    return bounds


def age_buckets(items: list[dict[str, Any]]) -> list[tuple[str, int]]:
    counts = {str(label): 0 for _, label in AGE_BUCKETS}
    for item in items:
        counts[item["bucket"]] += 1
    return list(counts.items())
