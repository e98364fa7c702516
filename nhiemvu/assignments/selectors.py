"""Reads for tasks, always through a permission filter (rule 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.http import Http404

from nhiemvu.assignments import rules as perms
from nhiemvu.assignments import status, totals
from nhiemvu.assignments.models import (
    Assignment,
    AssignmentEvent,
    Coordination,
    Extension,
    ExtensionStatus,
    WorkState,
)
from nhiemvu.assignments.namedsets import flagged_q, status_filter_q
from nhiemvu.keyset import Order
from nhiemvu.lib import docref, workdays
from nhiemvu.lib.vntext import fold
from nhiemvu.orgs.models import Organisation

# The orders a task list offers (web and API): each keyset-paginable on (date, code).
SORTS: dict[str, Order] = {
    "deadline": Order("deadline"),
    "-deadline": Order("deadline", descending=True),
    "-assigned_on": Order("assigned_on", descending=True),
    "assigned_on": Order("assigned_on"),
}


# What a list row (web rows, API items, cursors, status) reads of a task and its relations.
LIST_FIELDS = (
    "code",
    "summary",
    "flagged",
    "deliverable_kind",
    "assigned_on",
    "deadline",
    "state",
    "completion_date",
    "completed_late",
    "lead__code",
    "lead__name",
    "lead__short_name",
    "directive__code",
    "directive__ref",
)


class ListRow:
    """A task (or its lead, its document) as a list page reads it: ``LIST_FIELDS`` as plain
    attributes, which is all a row (``tasks.task_rows``), its status (``status.label_rows``) and
    the page's cursor read. Building the model objects of a 100-row page (a task of 41 columns,
    its lead and its document each) cost about 4 ms, a quarter of the page's CPU (issue 28)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


class ListOrg(ListRow):
    label = Organisation.label  # short name, else name: the model's own rule


_OWN = tuple(f for f in LIST_FIELDS if "__" not in f)
_LEAD = tuple(f for f in LIST_FIELDS if f.startswith("lead__"))
_DOCUMENT = tuple(f for f in LIST_FIELDS if f.startswith("directive__"))


def list_rows(qs: QuerySet[Any]) -> list[ListRow]:
    """The rows of a slice of ``filter_tasks`` (``keyset.page(read=list_rows)``), one query."""
    own, lead = 1 + len(_OWN), 1 + len(_OWN) + len(_LEAD)
    return [
        ListRow(
            pk=values[0],
            id=values[0],
            lead=ListOrg(**{f[6:]: v for f, v in zip(_LEAD, values[own:lead], strict=True)}),
            directive=ListRow(**{f[11:]: v for f, v in zip(_DOCUMENT, values[lead:], strict=True)}),
            **dict(zip(_OWN, values[1:own], strict=True)),
        )
        for values in qs.values_list("pk", *_OWN, *_LEAD, *_DOCUMENT)
    ]


def visible_tasks(user: Any) -> QuerySet[Any]:
    """The tasks this user may see, with their lead and document, statuses not computed."""
    return perms.visible(user, Assignment.objects.select_related("lead", "directive"))


def tasks_for(user: Any, *, as_of: dt.date | None = None) -> QuerySet[Any]:
    """The tasks this user may see, with their status annotated (st_label, st_timing)."""
    qs = visible_tasks(user)
    if as_of is not None:
        qs = status.as_of_filter(qs, as_of)
    return status.annotate(qs, as_of)


# Where the work comes from (issue 16): the tasks the province received from the Government, the
# Prime Minister or a ministry, apart from those the provincial People's Committee assigns.
ORIGIN_RECEIVED = "received"
ORIGIN_PROVINCE = "province"


def filter_tasks(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    org: str = "",
    role: str = "",
    doc: str = "",
    leader: str = "",
    deliverable: str = "",
    flagged: bool = False,
    deadline_from: dt.date | None = None,
    deadline_to: dt.date | None = None,
    origin: str = "",
) -> QuerySet[Any]:
    """The task list's filters, shared by the web list, its exports and the API. Statuses are
    not in the query: the caller labels the rows it reads (``status.label_rows``).

    Text search matches every word against the folded ``search_text`` (diacritics and đ
    ignored alike on SQLite and PostgreSQL).

    Only the columns a list row shows are read (``LIST_FIELDS``): building the model objects
    of a 100-row page with every column of three tables took longer than its query, and a
    directive's full text has no place in a list."""
    qs = visible_tasks(user).only(*LIST_FIELDS)
    for word in fold(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    if status:
        qs = qs.filter(status_filter_q(status))
    if org:
        # The id, not a join on the code: the planner then reads one agency's range of the
        # (lead, deadline, code) index in the list's order instead of sorting its tasks.
        org_id = Organisation.objects.filter(code=org).values_list("pk", flat=True).first()
        coordinated = Coordination.objects.filter(org_id=org_id).values("assignment_id")
        if org_id is None:
            qs = qs.none()
        elif role == "lead":
            qs = qs.filter(lead_id=org_id)
        elif role == "coord":
            qs = qs.filter(pk__in=coordinated)
        else:
            qs = qs.filter(Q(lead_id=org_id) | Q(pk__in=coordinated))
    if doc:
        # "3/UBND-VX" is stored as Decree 30 writes it, "03/UBND-VX": compare normalised.
        try:
            ref = str(docref.parse(doc))
        except docref.DocRefError:
            ref = doc
        qs = qs.filter(Q(directive__code=doc) | Q(directive__ref=ref))
    if leader:
        qs = qs.filter(assigned_by__username=leader)
    if deliverable == "yes":
        qs = qs.exclude(deliverable_kind="")
    elif deliverable == "no":
        qs = qs.filter(deliverable_kind="")
    elif deliverable:
        qs = qs.filter(deliverable_kind=deliverable)
    if flagged:
        qs = qs.filter(flagged_q())
    if deadline_from:
        qs = qs.filter(deadline__gte=deadline_from)
    if deadline_to:
        qs = qs.filter(deadline__lte=deadline_to)
    if origin == ORIGIN_RECEIVED:
        qs = qs.filter(received=True)
    elif origin == ORIGIN_PROVINCE:
        qs = qs.filter(received=False)
    return qs


def total(qs: QuerySet[Any]) -> int:
    """A filtered list's total (the web list, the API's ``count``): exact, and counted once per
    data version and query, not on every page (``totals.py``; at 1,000,000 tasks the count was
    most of a page's time)."""
    return totals.count(qs)


def attach_coordinating(rows: list[Any]) -> None:
    """Set ``coordinating`` (the short names of the coordinating agencies, by name) on each
    task of a page, in one query of plain values."""
    names: dict[int, list[str]] = {row.pk: [] for row in rows}
    for task_id, short, name in (
        Coordination.objects.filter(assignment_id__in=list(names))
        .order_by("org__name")
        .values_list("assignment_id", "org__short_name", "org__name")
    ):
        names[task_id].append(short or name)
    for row in rows:
        row.coordinating = names[row.pk]


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


def files_of(task: Assignment) -> list[dict[str, Any]]:
    """Every file reported on the task, oldest first, each with the report that carried it:
    for a completion report its output document's number and date (kept on the report's
    timeline entry, so they stay visible after the report was returned)."""
    files = []
    for attachment in task.attachments.select_related("event").order_by("id"):
        event = attachment.event
        data = event.data if event is not None else {}
        files.append(
            {
                "file": attachment,
                "kind": event.get_kind_display() if event is not None else "",
                "number": data.get("output_ref", ""),
                "date": (event.doc_date or event.on) if event is not None else None,
            }
        )
    return files


def inside_of(user: Any, task: Assignment) -> dict[str, Any] | None:
    """What happened to the task inside an agency, for that agency's people only (the province
    and any later lead never read it, rules.sees_inside): who holds it now, the internal
    deadline, the reports to the head, and earlier hand-overs with why each ended. The current
    lead's people get the part even when nothing was passed on (``leads``)."""
    handovers = list(
        perms.inside_visible(user, task.delegations.all()).select_related(
            "assignee", "delegated_by"
        )
    )
    leads = perms.can_act_as_lead(user, task)
    if not handovers and not leads:
        return None
    current = next((d for d in handovers if d.active), None)
    return {
        "leads": leads,
        "current": current,
        "reports": list(current.reports.select_related("author")) if current else [],
        "earlier": [d for d in handovers if not d.active],
    }


def extensions_of(task: Assignment) -> QuerySet[Extension]:
    return task.extensions.select_related("requested_by", "decided_by", "advised_by")


def pending_extensions_for(user: Any) -> QuerySet[Extension]:
    tasks = perms.extension_decidable(user)
    return Extension.objects.filter(
        status=ExtensionStatus.PENDING, assignment__in=tasks
    ).select_related("assignment", "assignment__lead")


class StatusCounts(dict[str, int]):
    """Counts by label plus total, open_overdue and completed; ``tally`` the figures behind
    the rates."""

    tally: status.Tally


def status_counts(qs: QuerySet[Any], as_of: dt.date | None = None) -> StatusCounts:
    """Counts by label, and the tally behind the rates (status.Tally), in one GROUP BY query.

    Today's counts group the stored columns the statuses are made of (state, the late stamp,
    the deadline, whether a report is dated in time: a few thousand groups at most) and label
    each group with ``status.classify``: the database reads a narrow covering index instead of
    evaluating the status CASE on every row (issue 15: 56 ms → ~10 ms at 100,000 tasks). A
    past date needs the history, so ``as_of`` counts over ``status.annotate(qs, as_of)``."""
    counts = StatusCounts(dict.fromkeys(status.LABEL_NAMES, 0))
    tally = counts.tally = status.Tally()
    if as_of is not None and as_of < workdays.today():
        rows = (
            status.annotate(qs, as_of)
            .order_by()
            .values_list("st_label", "st_timing")
            .annotate(n=Count("*"))
        )
        for label, timing, n in rows:
            counts[label] += n
            tally.add(label, timing, n)
    else:
        today = as_of or workdays.today()
        limit = status.due_soon_limit(today)
        reported_in_time = ExpressionWrapper(
            Q(state=WorkState.REPORTED, completion_date__lte=F("deadline")),
            output_field=BooleanField(),
        )
        groups = (
            qs.order_by()
            .annotate(in_time=reported_in_time)
            .values_list("state", "completed_late", "deadline", "in_time")
            .annotate(n=Count("*"))
        )
        for state, late, deadline, in_time, n in groups:
            # A report dated in time stands in for its date: classify only compares the two.
            facts = status.Facts(state, deadline, deadline if in_time else None, late)
            found = status.classify(facts, today, limit)
            counts[found.label] += n
            tally.add(found.label, found.timing, n)
    counts.update(total=tally.total, open_overdue=tally.open_overdue, completed=tally.done)
    return counts


def rates(counts: StatusCounts) -> dict[str, Any]:
    tally = counts.tally
    return {"completion": tally.completion_rate, "on_time": tally.on_time_rate}
