"""What the home pages list and show, for each role: reads only, every set from
assignments/namedsets.py and status.py, the explanations owed from assignments/explanations.py.

The view only renders; the queries live here so the home page, its tests and the benchmark
ask the same functions. The leader's dashboard and lessons (charts and causes of delay on the
province's home) are here too: they are home-page queries, not a period's report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value

from nhiemvu.assignments import explanations, namedsets, status
from nhiemvu.assignments import rules as perms
from nhiemvu.assignments.models import (
    Assignment,
    Delegation,
    Explanation,
    Extension,
    ExtensionStatus,
    WorkState,
)
from nhiemvu.assignments.status import Label, label_q
from nhiemvu.lib import periods, workdays
from nhiemvu.lib.inputs import whole_number
from nhiemvu.lib.periods import Period
from nhiemvu.orgs.models import Organisation
from nhiemvu.reminders.models import ReminderLog, RuleCode
from nhiemvu.reports.ages import age_bucket_q

SECTION_ROWS = 20  # rows shown per home section (each heading gives the full count)
OTHER_PAGE_SIZE = 20


@dataclass
class Section:
    """A list on a home page: its anchor, its rows (at most SECTION_ROWS) and the full count."""

    key: str
    rows: list[Any]
    count: int


@dataclass
class OtherPage:
    """A page of "other tasks in progress": the rows, the page number and how many pages."""

    rows: list[Any]
    number: int
    pages: int
    count: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def _page_number(value: str | int | None, pages: int) -> int:
    number = whole_number(value, minimum=1) or 1
    return min(number, max(pages, 1))


def passed_on_to(user: Any, tasks: QuerySet[Any]) -> list[Any]:
    """Tasks the agency's head passed on to this person, with the internal deadline, soonest
    first (inside the agency only)."""
    # Through the inside rule: a hand-over of an agency the person no longer acts for is not theirs.
    mine = perms.inside_visible(user, Delegation.objects.filter(assignee=user, active=True))
    held = tasks.filter(delegations__in=mine).annotate(
        internal_deadline=F("delegations__internal_deadline"),
        division=F("delegations__division"),
    )
    return list(held.order_by(F("internal_deadline").asc(nulls_last=True), "id")[:SECTION_ROWS])


def agency_home(
    tasks: QuerySet[Any], lead_org_ids: frozenset[int], page_number: str | int | None
) -> dict[str, Any]:
    """An agency's work in the order it acts on it: new tasks to accept, returned, overdue,
    due soon, then every other task it still owes (paged), and apart the tasks it coordinates.
    Each task is in one section only, the first that applies. All counts come from one
    aggregate query; each list is one more, whatever the number of tasks."""
    led = Q(lead_id__in=lead_org_ids)
    new = led & namedsets.to_accept_q()
    accepted = led & ~namedsets.to_accept_q()
    shown = label_q([Label.RETURNED, Label.OVERDUE, Label.DUE_SOON])
    sets = {
        "new": new,
        "returned": accepted & label_q([Label.RETURNED]),
        "overdue": accepted & label_q([Label.OVERDUE]),
        "due_soon": accepted & label_q([Label.DUE_SOON]),
        "other": accepted & namedsets.owed_q() & ~shown,
        "coordinated": ~led & namedsets.owed_q(),
    }
    counts = tasks.order_by().aggregate(
        **{key: Count(Value(1), filter=where) for key, where in sets.items()}
    )

    def rows(key: str, start: int = 0, size: int = SECTION_ROWS) -> list[Any]:
        return list(tasks.filter(sets[key]).order_by("deadline", "id")[start : start + size])

    pages = -(-counts["other"] // OTHER_PAGE_SIZE)
    number = _page_number(page_number, pages)
    return {
        "agency_sections": [
            Section(key, rows(key), counts[key])
            for key in ("new", "returned", "overdue", "due_soon")
        ],
        "other_page": OtherPage(
            rows("other", (number - 1) * OTHER_PAGE_SIZE, OTHER_PAGE_SIZE),
            number,
            pages,
            counts["other"],
        ),
        "coordinated": Section("coordinated", rows("coordinated"), counts["coordinated"]),
    }


def office_inbox(tasks: QuerySet[Any], today: dt.date, months: int) -> dict[str, Any]:
    """What waits for the office besides confirmations: extension requests to advise on,
    refused tasks to reassign, the 3-monthly check of tasks without deadline (``months``: the
    reminder rule's, 0 when switched off), deliverables without deadline."""
    cutoff = namedsets.quarterly_check_cutoff(today, months)
    checked = ReminderLog.objects.filter(
        task=OuterRef("pk"), rule=RuleCode.NO_DEADLINE, created_at__date__gt=cutoff
    )
    return {
        "to_advise": Extension.objects.filter(status=ExtensionStatus.PENDING, office_advice="")
        .select_related("assignment", "assignment__lead")
        .order_by("requested_at")[:SECTION_ROWS],
        "refused": tasks.filter(label_q([Label.REFUSED])).order_by("id")[:SECTION_ROWS],
        "quarterly": (
            tasks.filter(namedsets.quarterly_check_q(today, months))
            .exclude(Exists(checked))
            .order_by("assigned_on", "id")[:SECTION_ROWS]
            if months
            else []
        ),
        "flagged": tasks.filter(namedsets.flagged_q()).order_by("id")[:SECTION_ROWS],
    }


# --- the leader's dashboard and lessons -------------------------------------------------------


def _month_starts(today: dt.date, count: int) -> list[dt.date]:
    months, y, m = [], today.year, today.month
    for _ in range(count):
        months.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return months[::-1]


def dashboard(user: Any, today: dt.date | None = None, months: int = 6) -> dict[str, Any]:
    """The charts of a leader's home: the overdue backlog by age, the agencies with the most
    overdue tasks, and tasks assigned and completed (on time, late) month by month.

    Five small aggregate queries over indexed columns whatever the number of tasks, so the home
    page stays fast at a million: stored-column filters (``status.open_overdue_q``) instead of
    the annotated label, grouping by the lead's id and by day (months folded here).
    """
    today = today or workdays.today()
    tasks = perms.visible(user, Assignment.objects.all())
    overdue = tasks.filter(status.open_overdue_q(today))
    # Age buckets by deadline ranges, counted in one pass (the report page's ranges).
    bounds = age_bucket_q(today, field="deadline")
    ages = overdue.order_by().aggregate(
        **{f"b{i}": Count(Value(1), filter=q) for i, (_, q) in enumerate(bounds)}
    )
    by_lead = list(
        overdue.order_by()
        .values_list("lead_id")
        .annotate(n=Count("*"))
        .order_by("-n", "lead_id")[:10]
    )
    orgs = {
        pk: (name, code)
        for pk, name, code in Organisation.objects.filter(
            pk__in=[pk for pk, _ in by_lead]
        ).values_list("pk", "name", "code")
    }
    top = sorted(by_lead, key=lambda row: (-row[1], orgs[row[0]][0]))
    starts = _month_starts(today, months)
    first = starts[0]

    def month(day: dt.date) -> dt.date:
        return day.replace(day=1)

    assigned: dict[dt.date, int] = {}
    for day, n in (
        tasks.filter(assigned_on__gte=first)
        .order_by()
        .values_list("assigned_on")
        .annotate(n=Count("*"))
    ):
        assigned[month(day)] = assigned.get(month(day), 0) + n
    done: dict[dt.date, list[int]] = {}
    for day, late, n in (
        tasks.filter(confirmed_on__gte=first, state=WorkState.DONE)
        .order_by()
        .values_list("confirmed_on", "completed_late")
        .annotate(n=Count("*"))
    ):
        done.setdefault(month(day), [0, 0])[1 if late else 0] += n
    return {
        "ages": {
            "labels": [label for label, _ in bounds],
            "counts": [ages[f"b{i}"] for i in range(len(bounds))],
        },
        "top": {
            "labels": [orgs[pk][0] for pk, _ in top],
            "codes": [orgs[pk][1] for pk, _ in top],
            "counts": [n for _, n in top],
        },
        "trend": {
            "labels": [f"{m:%m/%Y}" for m in starts],
            "assigned": [assigned.get(m, 0) for m in starts],
            "on_time": [done.get(m, [0, 0])[0] for m in starts],
            "late": [done.get(m, [0, 0])[1] for m in starts],
        },
    }


def lessons(user: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The leader's home (issue 18): the three causes given most this quarter against the last
    (from the explanations themselves: a small table), and the agencies whose tasks are past
    the explanation threshold with none in force (the owed-work index)."""
    today = today or workdays.today()
    quarter = periods.containing(today, "quarter", rule=periods.CALENDAR)
    before = quarter.previous()
    visible = perms.visible(user, Assignment.objects.all())
    given = Explanation.objects.filter(assignment__in=visible)

    def top(period: Period) -> dict[str, int]:
        rows = (
            given.filter(submitted_on__range=(period.start, period.end))
            .values_list("cause__name")
            .annotate(n=Count("*"))
            .order_by("-n", "cause__name")
        )
        return dict(rows)

    now, then = top(quarter), top(before)
    # The tasks that owe an explanation today: the rule's own filter (explanations.due_q).
    unexplained = (
        visible.filter(explanations.due_q(today))
        .order_by()
        .values_list("lead__code", "lead__name")
        .annotate(n=Count("*"))
        .order_by("-n", "lead__name")[:10]
    )
    return {
        "quarter": quarter.label,
        "previous": before.label,
        "top": [(name, n, then.get(name, 0)) for name, n in list(now.items())[:3]],
        "unexplained": list(unexplained),
    }
