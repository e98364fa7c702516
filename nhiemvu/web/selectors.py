"""What the home pages list, for each role: reads only, every set from assignments/status.py.

The view only renders; the queries live here so the home page, its tests and the benchmark
ask the same functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value

from nhiemvu.assignments import rules as perms
from nhiemvu.assignments import status
from nhiemvu.assignments.models import Delegation, Extension, ExtensionStatus, WorkState
from nhiemvu.assignments.status import Label, label_q
from nhiemvu.lib.inputs import whole_number
from nhiemvu.reminders.models import ReminderLog, RuleCode

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
    new = led & Q(state=WorkState.OPEN, accepted_at__isnull=True)
    accepted = led & ~Q(state=WorkState.OPEN, accepted_at__isnull=True)
    shown = label_q([Label.RETURNED, Label.OVERDUE, Label.DUE_SOON])
    sets = {
        "new": new,
        "returned": accepted & label_q([Label.RETURNED]),
        "overdue": accepted & label_q([Label.OVERDUE]),
        "due_soon": accepted & label_q([Label.DUE_SOON]),
        "other": accepted & status.owed_q() & ~shown,
        "coordinated": ~led & status.owed_q(),
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
    cutoff = status.quarterly_check_cutoff(today, months)
    checked = ReminderLog.objects.filter(
        task=OuterRef("pk"), rule=RuleCode.NO_DEADLINE, created_at__date__gt=cutoff
    )
    return {
        "to_advise": Extension.objects.filter(status=ExtensionStatus.PENDING, office_advice="")
        .select_related("assignment", "assignment__lead")
        .order_by("requested_at")[:SECTION_ROWS],
        "refused": tasks.filter(label_q([Label.REFUSED])).order_by("id")[:SECTION_ROWS],
        "quarterly": (
            tasks.filter(status.quarterly_check_q(today, months))
            .exclude(Exists(checked))
            .order_by("assigned_on", "id")[:SECTION_ROWS]
            if months
            else []
        ),
        "flagged": tasks.filter(status.flagged_q()).order_by("id")[:SECTION_ROWS],
    }
