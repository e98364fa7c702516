"""Report figures for a period, as of a date: one GROUP BY query per table, no per-task Python.

Which tasks a period's report covers: those assigned on or before its last day and not already
confirmed complete before its first day (they were reported then). Their status is taken as of
the as-of date (by default the period's last day, or today if the period is not over), from
stored events, so a past report regenerated later shows the figures it showed then.
Recurring tasks count through their periods' reports, not themselves.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext, pgettext

from nhiemvu.assignments import holders, status
from nhiemvu.assignments import rules as perms
from nhiemvu.assignments.models import (
    QUARTERLY_CHECK_RULE,
    Assignment,
    AssignmentEvent,
    DeadlineKind,
    EventKind,
)
from nhiemvu.directives.models import Directive
from nhiemvu.lib import workdays
from nhiemvu.lib.orgkinds import KIND_LABELS
from nhiemvu.lib.periods import Period
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.selectors import names_as_of
from nhiemvu.reports.ages import bucket_of

L = status.Label
T = status.Timing


@dataclass
class Row(status.Tally):
    """One line of a report: an organisation (or a leader, a document) and its tally."""

    key: str
    name: str
    group: str = ""
    rank: int | None = None
    tie: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items()}
        data["completion_rate"] = (
            str(self.completion_rate) if self.completion_rate is not None else None
        )
        data["on_time_rate"] = str(self.on_time_rate) if self.on_time_rate is not None else None
        return data


@dataclass
class Summary:
    period: Period
    as_of: dt.date
    rows: list[Row]
    groups: list[tuple[str, list[Row], Row]] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row("", _total_name()))


def as_of_for(period: Period, as_of: dt.date | None = None) -> dt.date:
    return as_of or min(period.end, workdays.today())


def covered_q(period: Period, as_of: dt.date) -> Q:
    """Assigned by the period's end (or the as-of date) and not confirmed before it began."""
    return Q(assigned_on__lte=min(period.end, as_of)) & ~Q(confirmed_on__lt=period.start)


def covered(user: Any, period: Period, as_of: dt.date) -> QuerySet[Any]:
    """The tasks a report of `period` covers, as `user` may see them, with status as of."""
    qs = perms.visible(user, Assignment.objects.all()).filter(covered_q(period, as_of))
    qs = qs.exclude(deadline_kind=DeadlineKind.RECURRING, recurring_parent__isnull=True)
    return status.annotate(qs, as_of)


def label_filter(labels: Iterable[str], as_of: dt.date) -> Q:
    """On ``covered``: label on ``as_of`` in ``labels``. Today or later ``status.annotate``
    classifies the stored columns, so ``status.label_q`` answers from an index; the annotated
    CASE in a WHERE is evaluated on every row (issue 27 item 6). A past date: the annotation."""
    if as_of >= workdays.today():
        return status.label_q(labels, as_of)
    return Q(st_label__in=list(labels))


def open_overdue_filter(as_of: dt.date) -> Q:
    """On ``covered``, as ``label_filter``: ``Status.is_open_overdue`` on ``as_of``."""
    if as_of >= workdays.today():
        return status.open_overdue_q(as_of)
    return Q(st_timing=T.OVERDUE, st_label__in=list(status.OPEN_LABELS))


@contextlib.contextmanager
def whole_table_plan() -> Iterator[None]:
    """On PostgreSQL, plan a report's GROUP BY as a scan and a hash aggregate.

    The correlated subqueries of a past date's status make the planner overestimate the cost
    of every row, and it then walks an index in group order to aggregate by sorting: on a
    million tasks that is 2–3 times slower than reading the table (bench/reports.py). Bitmap
    index scans stay allowed, so a selective filter (one agency) still uses its index."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        yield


def grouped(qs: QuerySet[Any], keys: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """(*keys, label, timing, tasks) from one GROUP BY on the tasks: the status CASE is
    evaluated once per row, and grouping on bare columns lets the database hash-aggregate
    instead of joining and sorting a million rows."""
    counted = qs.order_by().values_list(*keys, "st_label", "st_timing").annotate(n=Count("*"))
    with whole_table_plan():
        return list(counted)


def fold(items: Iterable[tuple[Any, str, str, int]]) -> dict[Any, Row]:
    """(key, label, timing, tasks) lines into one row per key (``Tally.add``, the one rule)."""
    rows: dict[Any, Row] = {}
    for group_key, label, timing, n in items:
        row = rows.get(group_key)
        if row is None:
            row = rows[group_key] = Row(
                str(group_key) if group_key is not None else "",
                pgettext("report table", "Not known"),
            )
        row.add(label, timing, n)
    return rows


def name_rows(
    rows: dict[Any, Row],
    names: QuerySet[Any],
    details: dict[Any, tuple[Any, ...]] | None = None,
) -> list[Row]:
    """The rows named from `names` (id, key text, name, group, then any further columns, kept
    in `details` by key text with the id first), read in a second, small query."""
    for pk, code, name, group, *extra in names.filter(pk__in=[k for k in rows if k is not None]):
        row = rows[pk]
        row.key, row.name = str(code), str(name or row.name)
        row.group = str(KIND_LABELS.get(group, group)) if group else ""
        if details is not None:
            details[row.key] = (pk, *extra)
    return list(rows.values())


# The names of the documents' rows: (id, key text, name, group) as ``_name`` reads them.
DOCUMENT_NAMES = Directive.objects.values_list("id", "ref", "subject", Value(""))


def _total_name() -> str:
    # Asked when the table is made, in the reader's language (the worker's files: Vietnamese).
    return pgettext("report table", "Total")


def _total(rows: list[Row], name: str = "") -> Row:
    total = Row("", name or _total_name())
    for row in rows:
        total.merge(row)
    return total


def summary_counts(user: Any, period: Period, as_of: dt.date | None = None) -> list[Any]:
    """The period's tasks counted by holder, assigning leader and origin (with label and
    timing) in one GROUP BY: the tables by organisation, by leader and by origin are folded
    from it, so the report page reads the tasks once for the three (issue 27 item 6)."""
    as_of = as_of_for(period, as_of)
    # Each task counts for the organisation that held it on the as-of date (holders.py): a
    # report as of a day before a merger shows the old departments, after it the new one.
    qs = covered(user, period, as_of).annotate(holder=holders.holder_column(as_of))
    return grouped(qs, ("holder", "assigned_by_id", "received"))


def summary_by_org(
    user: Any,
    period: Period,
    as_of: dt.date | None = None,
    *,
    kind: str | None = None,
    leader_id: int | None = None,
    counts: list[Any] | None = None,
) -> Summary:
    """By the organisation holding each task; ``counts`` is ``summary_counts``' answer when
    the caller has it already."""
    as_of = as_of_for(period, as_of)
    if counts is None:
        counts = summary_counts(user, period, as_of)
    # Received tasks (work from above) count through their sub-tasks, not themselves.
    rows = fold(
        (holder, label, timing, n)
        for holder, by, received, label, timing, n in counts
        if not received and (not leader_id or by == leader_id)
    )
    validity: dict[Any, tuple[Any, ...]] = {}
    names = Organisation.objects.values_list(
        "id",
        "code",
        "name",
        "kind",
        "valid_from",
        "valid_to",
        "successor__short_name",
        "successor__name",
    )
    if kind:
        names = names.filter(kind=kind)
    named = name_rows(rows, names, validity)
    if kind:  # only the organisations of the kind asked for
        named = [row for row in named if row.key in validity]
    _mark_reorganised(named, validity, period, as_of)
    named.sort(key=lambda r: (r.group, r.name))
    groups = []
    for group in sorted({r.group for r in named}):
        members = [r for r in named if r.group == group]
        groups.append(
            (
                group,
                members,
                _total(members, pgettext("report table", "Subtotal %(group)s") % {"group": group}),
            )
        )
    return Summary(period, as_of, named, groups, _total(named))


def _mark_reorganised(
    rows: list[Row], validity: dict[Any, tuple[Any, ...]], period: Period, as_of: dt.date
) -> None:
    """Names as they were on the as-of date, and a mark on each organisation that ended or
    began within the period: a ranking across a merger shows both sides, each marked."""
    old_names = names_as_of(as_of)
    for row in rows:
        if row.key not in validity:
            continue
        pk, valid_from, valid_to, successor_short, successor_name = validity[row.key]
        row.name = old_names.get(pk, row.name)
        if valid_to is not None and period.start <= valid_to < as_of:
            successor = successor_short or successor_name
            row.name += " — " + (
                gettext("ended %(day)s → %(to)s") % {"day": f"{valid_to:%d/%m/%Y}", "to": successor}
                if successor
                else gettext("ended %(day)s") % {"day": f"{valid_to:%d/%m/%Y}"}
            )
        elif valid_from is not None and period.start < valid_from <= as_of:
            row.name += " — " + gettext("from %(day)s") % {"day": f"{valid_from:%d/%m/%Y}"}


def summary_by_leader(
    user: Any, period: Period, as_of: dt.date | None = None, *, counts: list[Any] | None = None
) -> Summary:
    as_of = as_of_for(period, as_of)
    if counts is None:
        counts = summary_counts(user, period, as_of)
    people = get_user_model().objects.values_list("id", "id", "full_name", Value(""))
    rows = name_rows(
        fold((by, label, timing, n) for _h, by, _r, label, timing, n in counts), people
    )
    return Summary(period, as_of, sorted(rows, key=lambda r: r.name), total=_total(rows))


def summary_by_document(user: Any, period: Period, as_of: dt.date | None = None) -> Summary:
    """By document, in the order of their references (the page's: page.first_documents)."""
    as_of = as_of_for(period, as_of)
    counts = grouped(covered(user, period, as_of), ("directive_id", "directive__ref"))
    refs = {pk: ref for pk, ref, _l, _t, _n in counts}
    rows = fold((pk, label, timing, n) for pk, _ref, label, timing, n in counts)
    ordered = sorted(rows, key=lambda pk: (refs[pk], pk))
    return Summary(
        period,
        as_of,
        name_rows({pk: rows[pk] for pk in ordered}, DOCUMENT_NAMES),
        total=_total(list(rows.values())),
    )


def ranking(rows: list[Row]) -> list[Row]:
    """By completion rate, then on-time rate; equal rates share a rank (đồng hạng), and the
    counts behind each rate stand beside it. Agencies with nothing due are ranked last."""

    def score(row: Row) -> tuple[Decimal, Decimal]:
        return (
            row.completion_rate if row.completion_rate is not None else Decimal(-1),
            row.on_time_rate if row.on_time_rate is not None else Decimal(-1),
        )

    ordered = sorted(rows, key=lambda r: (score(r), r.total), reverse=True)
    previous: tuple[Decimal, Decimal] | None = None
    rank = 0
    for position, row in enumerate(ordered, 1):
        current = score(row)
        if current != previous:
            rank = position
        else:
            row.tie = True
            ordered[position - 2].tie = True
        row.rank = rank
        previous = current
    return ordered


# --- lists ---------------------------------------------------------------------------------


def overdue_pending(
    user: Any, period: Period, as_of: dt.date | None = None, *, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """ "Nhiệm vụ quá hạn còn tồn đọng": open and overdue as of the date, oldest first (the
    first ``limit`` of them: the page shows 200 and counts the rest by age in SQL)."""
    as_of = as_of_for(period, as_of)
    qs = covered(user, period, as_of).filter(open_overdue_filter(as_of))
    # Plain values, not model instances: a province's backlog can run to six figures.
    rows = qs.order_by("st_deadline", "id").values_list(
        "code", "summary", "lead__name", "directive__ref", "st_deadline"
    )
    if limit is not None:
        rows = rows[:limit]
    for code, summary, lead, document, deadline in rows.iterator(chunk_size=5000):
        days = (as_of - deadline).days
        yield {
            "code": code,
            "summary": summary,
            "lead": lead,
            "document": document,
            "deadline": deadline,
            "days_overdue": days,
            "bucket": bucket_of(days),
        }


def completed_late_q(period: Period, as_of: dt.date) -> Q:
    """Completed late and confirmed within the period (on a ``covered`` queryset)."""
    return label_filter([L.DONE_LATE], as_of) & Q(confirmed_on__gte=period.start)


def completed_late_tasks(user: Any, period: Period, as_of: dt.date | None = None) -> QuerySet[Any]:
    """The tasks of ``completed_late``, for a count without reading them."""
    as_of = as_of_for(period, as_of)
    return covered(user, period, as_of).filter(completed_late_q(period, as_of))


def completed_late(
    user: Any, period: Period, as_of: dt.date | None = None
) -> Iterator[dict[str, Any]]:
    """ "Hoàn thành trễ hạn": confirmed late within the period, with the days late."""
    for task in (
        completed_late_tasks(user, period, as_of)
        .select_related("lead", "directive")
        .order_by("-confirmed_on", "id")
        .iterator(chunk_size=2000)
    ):
        late = (
            (task.completion_date - task.deadline).days
            if task.completion_date and task.deadline
            else None
        )
        yield {
            "code": task.code,
            "summary": task.summary,
            "lead": task.lead.name,
            "document": task.directive.ref,
            "deadline": task.deadline,
            "completed": task.completion_date,
            "days_late": late,
        }


def list_filters(as_of: dt.date) -> dict[str, Q]:
    """Which covered tasks each of ``special_lists`` holds (and the page counts)."""
    return {
        "no_deadline": label_filter([L.NO_DEADLINE], as_of),
        "extended": Q(original_deadline__isnull=False, deadline__isnull=False)
        & ~Q(deadline=F("original_deadline")),
        "returned": label_filter([L.RETURNED], as_of),
        # Flagged work still owed as of the date (namedsets.flagged_q for today).
        "flagged": Q(flagged=True) & label_filter(status.OPEN_LABELS, as_of),
    }


def special_lists(
    user: Any, period: Period, as_of: dt.date | None = None
) -> dict[str, QuerySet[Any]]:
    """Tasks without deadline, extended, returned and deliverables without deadline."""
    as_of = as_of_for(period, as_of)
    qs = covered(user, period, as_of).select_related("lead", "directive")
    # The date of each task's last 3-monthly check (the founding letter's quarterly urging), as
    # its timeline shows it: every reminder sent leaves an entry naming its rule.
    last_check = (
        AssignmentEvent.objects.filter(
            assignment=OuterRef("pk"), kind=EventKind.REMINDER, data__rule=QUARTERLY_CHECK_RULE
        )
        .order_by("-at")
        .values("at")[:1]
    )
    where = list_filters(as_of)
    return {
        "no_deadline": qs.filter(where["no_deadline"])
        .annotate(last_check=Subquery(last_check))
        .order_by("assigned_on", "id"),
        "extended": qs.filter(where["extended"]).order_by("deadline", "id"),
        "returned": qs.filter(where["returned"]).order_by("st_deadline", "id"),
        "flagged": qs.filter(where["flagged"]).order_by("assigned_on", "id"),
    }


def summary_by_origin(
    user: Any, period: Period, as_of: dt.date | None = None, *, counts: list[Any] | None = None
) -> Summary:
    """Work from above apart from the province's own (issue 16): the tasks received from the
    Government, the Prime Minister or a ministry (each counted once, by its roll-up), and the
    tasks the provincial People's Committee assigns (the sub-tasks among them)."""
    as_of = as_of_for(period, as_of)
    if counts is None:
        counts = summary_counts(user, period, as_of)
    rows = {
        True: Row("received", pgettext("report table", "Tasks from the Government or the PM")),
        False: Row("province", pgettext("report table", "Tasks the province assigns")),
    }
    for _holder, _by, received, label, timing, n in counts:
        rows[bool(received)].add(label, timing, n)
    ordered = [rows[True], rows[False]]
    return Summary(period, as_of, ordered, total=_total(ordered))


def breakdowns(
    user: Any, period: Period, as_of: dt.date | None = None, *, counts: list[Any] | None = None
) -> list[tuple[str, Summary]]:
    """The same figures by who assigned the work, by assigning leader and by document, for the
    report files (``counts``: ``summary_counts``' answer, read once for both tables)."""
    if counts is None:
        counts = summary_counts(user, period, as_of)
    return [
        (
            pgettext("report table", "By origin"),
            summary_by_origin(user, period, as_of, counts=counts),
        ),
        (
            pgettext("report table", "By assigning leader"),
            summary_by_leader(user, period, as_of, counts=counts),
        ),
        (pgettext("report table", "By document"), summary_by_document(user, period, as_of)),
    ]
