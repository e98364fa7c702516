"""Who held a task on a date: the rule, once (DOMAIN.md §9, issue 16).

A task's holder on day D is the ``from_org`` of its first lead change (a transfer in a
reorganisation, a reassignment) dated after D; with no change after D, it is the task's lead.
Changes are dated by when they took effect, so a merger applied a week late still counts the
work for the old department up to the day before the merger, and for the new one from then.

Three forms, tested to agree (tests/test_reorganisation.py): the pure ``holder_from`` on a
list of changes, ``holder_on`` for one task, and ``holder_expr`` in SQL for reports, which
group a million tasks by it. A report as of a date after every change needs no subquery at
all: ``holder_column`` answers with the lead column itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import (
    BigIntegerField,
    Expression,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce

from nhiemvu.assignments.models import Assignment, LeadChange


def holder_from(lead_id: int, changes: Iterable[tuple[dt.date, int, int]], day: dt.date) -> int:
    """The holder on `day`, from the current lead and the task's changes as (on, id, from_org)."""
    later = sorted(change for change in changes if change[0] > day)
    return later[0][2] if later else lead_id


def holder_on(task: Assignment, day: dt.date) -> int:
    changes = task.lead_changes.values_list("on", "id", "from_org_id")
    return holder_from(task.lead_id, list(changes), day)


def holder_expr(day: dt.date) -> Expression:
    first_after = (
        LeadChange.objects.filter(assignment=OuterRef("pk"), on__gt=day)
        .order_by("on", "id")
        .values("from_org")[:1]
    )
    return Coalesce(Subquery(first_after), F("lead_id"), output_field=BigIntegerField())


def changed_after(day: dt.date) -> bool:
    return LeadChange.objects.filter(on__gt=day).exists()


def holder_column(day: dt.date) -> Expression:
    """The holder on `day` as a column to group by: the bare lead when nothing changed since."""
    if changed_after(day):
        return holder_expr(day)
    return ExpressionWrapper(F("lead_id"), output_field=BigIntegerField())
