"""Named sets of tasks: each a pure predicate on a task's stored columns and its queryset filter.

Every page, e-mail, letter, file and API that names one of these sets ("owed", "overdue", "due
soon", "to remind", "to urge", "checked without deadline", "flagged", "to accept") asks for it
here, so a leader reads the same number wherever it is shown. The statuses they are built on
(labels, timings, `classify` and its SQL twin `label_q`) live in `status.py`; this module only
names sets over them. NAMED_SETS pairs each predicate with its filter, and tests/test_status.py
checks that they agree on random tasks (tests/test_agreement.py checks the surfaces: home page,
digest, report, API, urging letter).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from nhiemvu.assignments.models import DeadlineKind, WorkState
from nhiemvu.assignments.status import Label, classify, facts_of, label_q, open_overdue_q
from nhiemvu.conf import setting
from nhiemvu.lib import workdays
from nhiemvu.lib.deliverables import needs_deadline_reason

# Work still owed: not confirmed done, not paused (the "chưa hoàn thành" of national reports;
# a reported task is owed until its report is confirmed, DOMAIN.md §4).
OWED_STATES = (WorkState.OPEN, WorkState.REFUSED, WorkState.RETURNED, WorkState.REPORTED)


def is_owed(task: Any, today: dt.date | None = None) -> bool:
    return task.state in OWED_STATES


def owed_q(today: dt.date | None = None) -> Q:
    return Q(state__in=OWED_STATES)


# The lists' status filter offers every label and, first, "open" (chưa hoàn thành): the owed
# set, so "one agency's open work with its total" is one request, not one per label.
OPEN_FILTER = "open"


def status_filter_q(name: str, today: dt.date | None = None) -> Q:
    """A list's status filter: ``OPEN_FILTER`` (the owed set) or one label."""
    return owed_q(today) if name == OPEN_FILTER else label_q([name], today)


def is_open_overdue(task: Any, today: dt.date | None = None) -> bool:
    return classify(facts_of(task), today or workdays.today()).is_open_overdue


def is_due_soon(task: Any, today: dt.date | None = None) -> bool:
    return classify(facts_of(task), today or workdays.today()).label == Label.DUE_SOON


def due_soon_q(today: dt.date | None = None) -> Q:
    """Open work whose deadline falls within the setting's working days, today included."""
    return label_q([Label.DUE_SOON], today)


# Work states in which the agency is the one to act, so reminders and urging go to it: a refused
# task waits for the office, a reported one for confirmation.
REMINDED_STATES = (WorkState.OPEN, WorkState.RETURNED)


def is_remindable(task: Any, today: dt.date | None = None) -> bool:
    return task.state in REMINDED_STATES


def remindable_q(today: dt.date | None = None) -> Q:
    """Work the agency is the one to act on (reminders and urging go to it)."""
    return Q(state__in=REMINDED_STATES)


def urging_limit(today: dt.date) -> dt.date:
    return workdays.add_working_days(today, int(setting("URGING_WORKING_DAYS")))


def in_urging_window(task: Any, today: dt.date | None = None) -> bool:
    today = today or workdays.today()
    return (
        is_remindable(task) and task.deadline is not None and task.deadline <= urging_limit(today)
    )


def urging_q(today: dt.date | None = None) -> Q:
    """What an urging letter lists: remindable work overdue or due within the urging window."""
    today = today or workdays.today()
    return remindable_q() & Q(deadline__lte=urging_limit(today))


def is_checked_without_deadline(task: Any, today: dt.date | None = None) -> bool:
    """The founding letter's 3-monthly check applies: remindable, no deadline, not periodic."""
    return (
        is_remindable(task)
        and task.deadline is None
        and task.deadline_kind != DeadlineKind.RECURRING
    )


def checked_without_deadline_q(today: dt.date | None = None) -> Q:
    return remindable_q() & Q(deadline__isnull=True) & ~Q(deadline_kind=DeadlineKind.RECURRING)


def quarterly_check_cutoff(today: dt.date, months: int) -> dt.date:
    """Tasks without deadline assigned on or before this date are due their check: whole
    calendar months back, as the reminder planner counts its cycles (not 91 days)."""
    return workdays.add_months(today, -months)


def quarterly_check_q(today: dt.date, months: int) -> Q:
    """Tasks without deadline open for ``months`` months or more (the office's list; the
    reminder planner sends each its check on the anniversaries)."""
    cutoff = quarterly_check_cutoff(today, months)
    return checked_without_deadline_q() & Q(assigned_on__lte=cutoff)


def is_flagged(task: Any, today: dt.date | None = None) -> bool:
    """Owed work whose required deliverable has no deadline (and no period)."""
    return is_owed(task) and needs_deadline_reason(
        task.deliverable_kind, task.deadline, task.deadline_kind == DeadlineKind.RECURRING
    )


def flagged_q(today: dt.date | None = None) -> Q:
    """``is_flagged`` over the columns. The stored ``flagged`` column is the same rule kept at
    registration and cleared when a deadline is approved (the agreement test checks it)."""
    return (
        owed_q()
        & ~Q(deliverable_kind="")
        & Q(deadline__isnull=True)
        & ~Q(deadline_kind=DeadlineKind.RECURRING)
    )


def is_moving(task: Any, today: dt.date | None = None) -> bool:
    """Work a reorganisation hands over: owed or paused (a paused task resumes with its new
    holder)."""
    return is_owed(task) or task.state == WorkState.PAUSED


def moving_q(today: dt.date | None = None) -> Q:
    return owed_q() | Q(state=WorkState.PAUSED)


def is_to_accept(task: Any, today: dt.date | None = None) -> bool:
    """New work its lead agency has not accepted yet: the state and condition of the table's
    ``accept`` step (workflow.py; test_workflow holds the two together), named for the agency's
    home page."""
    return task.state == WorkState.OPEN and task.accepted_at is None


def to_accept_q(today: dt.date | None = None) -> Q:
    return Q(state=WorkState.OPEN, accepted_at__isnull=True)


@dataclass(frozen=True)
class NamedSet:
    holds: Any  # (task, today) -> bool, on the stored columns
    q: Any  # (today) -> Q


NAMED_SETS = {
    "owed": NamedSet(is_owed, owed_q),
    "open_overdue": NamedSet(is_open_overdue, open_overdue_q),
    "due_soon": NamedSet(is_due_soon, due_soon_q),
    "remindable": NamedSet(is_remindable, remindable_q),
    "urging": NamedSet(in_urging_window, urging_q),
    "checked_without_deadline": NamedSet(is_checked_without_deadline, checked_without_deadline_q),
    "flagged": NamedSet(is_flagged, flagged_q),
    "moving": NamedSet(is_moving, moving_q),
    "to_accept": NamedSet(is_to_accept, to_accept_q),
}
