"""The status engine: one set of rules (DOMAIN.md §4), written once in Python and once in SQL.

`classify()` is the reference: a pure function of a task's facts as of a date. `annotate()` puts
the same rules into a queryset (Case/When), so lists and reports are single aggregate queries.
A hypothesis test (tests/test_status.py) checks that the two agree on random tasks and dates.

Two axes come out: the timing (within, due soon, overdue, no deadline; on time or late once
done) and the label users see, which also says where the work is.

Choices made where DOMAIN.md leaves room, kept here so they are made once:
- A deadline is inclusive: a task is overdue from the day after it. "Due soon" when the
  deadline falls within the next N working days (N = settings.NHIEMVU["DUE_SOON_WORKING_DAYS"]),
  today included.
- A completion awaiting confirmation is timed by its reported completion date: reported on or
  before the deadline it is "within", so a slow confirmation never makes the agency look late.
- Done is decided by the stamp written at confirmation (completed_late), so later changes to
  settings or extensions never rewrite a past result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from nhiemvu.assignments.models import (
    AssignmentEvent,
    EventKind,
    Extension,
    ExtensionStatus,
    WorkState,
)
from nhiemvu.conf import setting
from nhiemvu.lib import workdays


class Timing:
    WITHIN = "within"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NO_DEADLINE = "no_deadline"
    ON_TIME = "on_time"
    LATE = "late"


class Label:
    WITHIN = "within"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NO_DEADLINE = "no_deadline"
    AWAITING = "awaiting"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    DONE_NO_DEADLINE = "done_no_deadline"
    RETURNED = "returned"
    PAUSED = "paused"
    REFUSED = "refused"


# Old names still understood in links and API filters: the label of a returned task was "redo"
# until it took the work state's name (one name for one thing).
LABEL_ALIASES = {"redo": Label.RETURNED}

LABEL_NAMES = {
    Label.WITHIN: _("In progress, within deadline"),
    Label.DUE_SOON: _("In progress, due soon"),
    Label.OVERDUE: _("In progress, overdue"),
    Label.NO_DEADLINE: _("In progress, no deadline"),
    Label.AWAITING: _("Awaiting confirmation"),
    Label.DONE_ON_TIME: _("Completed on time"),
    Label.DONE_LATE: _("Completed late"),
    Label.DONE_NO_DEADLINE: _("Completed, no deadline"),
    Label.RETURNED: _("Returned for rework"),
    Label.PAUSED: _("Paused"),
    Label.REFUSED: _("Refused, awaiting reassignment"),
}
# Colour rule of the UI: red overdue, orange due soon, black no deadline, green done on time.
LABEL_COLOURS = {
    Label.WITHIN: "primary",
    Label.DUE_SOON: "warning",
    Label.OVERDUE: "danger",
    Label.NO_DEADLINE: "dark",
    Label.AWAITING: "info",
    Label.DONE_ON_TIME: "success",
    Label.DONE_LATE: "secondary",
    Label.DONE_NO_DEADLINE: "success",
    Label.RETURNED: "danger",
    Label.PAUSED: "light",
    Label.REFUSED: "warning",
}


@dataclass(frozen=True)
class Facts:
    """What the rules need about one task, as of one date."""

    state: str
    deadline: dt.date | None  # effective deadline as of the date
    completion_date: dt.date | None = None  # reported output document's date
    completed_late: bool | None = None  # stamp written at confirmation


@dataclass(frozen=True)
class Status:
    label: str
    timing: str

    @property
    def name(self) -> str:
        return str(LABEL_NAMES[self.label])

    @property
    def colour(self) -> str:
        return LABEL_COLOURS[self.label]

    @property
    def is_open_overdue(self) -> bool:
        return self.label in OPEN_LABELS and self.timing == Timing.OVERDUE


# Labels of work still owed (the "chưa hoàn thành" of national reports).
OPEN_LABELS = frozenset(
    {
        Label.WITHIN,
        Label.DUE_SOON,
        Label.OVERDUE,
        Label.NO_DEADLINE,
        Label.AWAITING,
        Label.RETURNED,
        Label.REFUSED,
    }
)
DONE_LABELS = frozenset({Label.DONE_ON_TIME, Label.DONE_LATE, Label.DONE_NO_DEADLINE})


@dataclass(kw_only=True)
class Tally:
    """The figures behind the rates, counted once for the home pages, the dashboard, the
    reports and the API: every task lands in exactly one of done (on time or late), paused, or
    open (overdue, without deadline, or within it)."""

    total: int = 0
    done: int = 0
    done_on_time: int = 0
    done_late: int = 0
    open: int = 0
    open_within: int = 0
    open_overdue: int = 0
    no_deadline: int = 0
    paused: int = 0

    def add(self, label: str, timing: str, count: int) -> None:
        self.total += count
        if label in DONE_LABELS:
            self.done += count
            if label == Label.DONE_LATE:
                self.done_late += count
            else:  # on time, or completed without a deadline to miss
                self.done_on_time += count
        elif label == Label.PAUSED:
            self.paused += count
        else:
            self.open += count
            if timing == Timing.OVERDUE:
                self.open_overdue += count
            elif timing == Timing.NO_DEADLINE:
                self.no_deadline += count
            else:
                self.open_within += count

    def merge(self, other: Tally) -> None:
        for name in Tally.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def minus(self, part: Tally) -> Tally:
        """The rest once `part` (a subset of the same tasks) is taken out."""
        rest = Tally()
        for name in Tally.__dataclass_fields__:
            setattr(rest, name, getattr(self, name) - getattr(part, name))
        return rest

    @property
    def completion_rate(self) -> Decimal | None:
        return completion_rate(completed=self.done, open_overdue=self.open_overdue)

    @property
    def on_time_rate(self) -> Decimal | None:
        return on_time_rate(
            on_time=self.done_on_time, completed=self.done, open_overdue=self.open_overdue
        )


def due_soon_days() -> int:
    return int(setting("DUE_SOON_WORKING_DAYS"))


def due_soon_limit(as_of: dt.date) -> dt.date:
    """The last deadline that counts as "due soon" on `as_of`."""
    return workdays.add_working_days(as_of, due_soon_days())


def stamp_late(
    *, completion_date: dt.date, deadline: dt.date | None, original_deadline: dt.date | None
) -> bool | None:
    """At confirmation: was the work late? None when the task had no deadline."""
    reference = deadline if setting("EXTENSION_COUNTS_ON_TIME") else original_deadline or deadline
    if reference is None:
        return None
    return completion_date > reference


def _open_timing(deadline: dt.date | None, as_of: dt.date, limit: dt.date) -> str:
    if deadline is None:
        return Timing.NO_DEADLINE
    if as_of > deadline:
        return Timing.OVERDUE
    if deadline <= limit:
        return Timing.DUE_SOON
    return Timing.WITHIN


def classify(facts: Facts, as_of: dt.date, limit: dt.date | None = None) -> Status:
    """The status of a task with these facts on `as_of` (the reference implementation)."""
    limit = limit if limit is not None else due_soon_limit(as_of)
    state = facts.state
    if state == WorkState.DONE:
        if facts.completed_late is None:
            return Status(Label.DONE_NO_DEADLINE, Timing.NO_DEADLINE)
        if facts.completed_late:
            return Status(Label.DONE_LATE, Timing.LATE)
        return Status(Label.DONE_ON_TIME, Timing.ON_TIME)
    if state == WorkState.REPORTED:
        if (
            facts.deadline is not None
            and facts.completion_date is not None
            and facts.completion_date <= facts.deadline
        ):
            return Status(Label.AWAITING, Timing.WITHIN)
        return Status(Label.AWAITING, _open_timing(facts.deadline, as_of, limit))
    timing = _open_timing(facts.deadline, as_of, limit)
    if state == WorkState.PAUSED:
        return Status(Label.PAUSED, timing)
    if state == WorkState.REFUSED:
        return Status(Label.REFUSED, timing)
    if state == WorkState.RETURNED:
        return Status(Label.RETURNED, timing)
    return Status(timing, timing)  # open: the label is the timing


def label_rows(rows: Iterable[Any], today: dt.date | None = None) -> None:
    """Set ``st_label`` and ``st_timing`` on fetched tasks, by ``classify`` over their stored
    columns: what ``annotate`` computes in SQL (the agreement is tested), without a CASE in the
    query. A list page classifies its rows after reading them; compiling and evaluating the
    CASE for them cost more than the page's index range."""
    today = today or workdays.today()
    limit = due_soon_limit(today)
    for row in rows:
        found = classify(facts_of(row), today, limit)
        row.st_label, row.st_timing = found.label, found.timing


def facts_of(task: Any) -> Facts:
    return Facts(task.state, task.deadline, task.completion_date, task.completed_late)


# --- The same rules in SQL ------------------------------------------------------------------


def _open_timing_sql(deadline: Any, as_of: dt.date, limit: dt.date) -> Case:
    return Case(
        When(**{f"{deadline}__isnull": True}, then=Value(Timing.NO_DEADLINE)),
        When(**{f"{deadline}__lt": as_of}, then=Value(Timing.OVERDUE)),
        When(**{f"{deadline}__lte": limit}, then=Value(Timing.DUE_SOON)),
        default=Value(Timing.WITHIN),
        output_field=CharField(),
    )


def _timing_sql(state: str, deadline: str, completion: str, as_of: dt.date, limit: dt.date) -> Case:
    """classify()'s timing over the named state, deadline and completion columns."""
    reported_in_time = Q(
        **{
            f"{deadline}__isnull": False,
            f"{completion}__isnull": False,
            f"{completion}__lte": F(deadline),
        }
    )
    return Case(
        When(
            Q(**{state: WorkState.DONE, "completed_late__isnull": True}),
            then=Value(Timing.NO_DEADLINE),
        ),
        When(Q(**{state: WorkState.DONE, "completed_late": True}), then=Value(Timing.LATE)),
        When(Q(**{state: WorkState.DONE}), then=Value(Timing.ON_TIME)),
        When(Q(**{state: WorkState.REPORTED}) & reported_in_time, then=Value(Timing.WITHIN)),
        default=_open_timing_sql(deadline, as_of, limit),
        output_field=CharField(),
    )


def _label_sql(state: str, timing: Any) -> Case:
    """classify()'s label over the named state column and a timing expression."""
    return Case(
        When(
            Q(**{state: WorkState.DONE, "completed_late__isnull": True}),
            then=Value(Label.DONE_NO_DEADLINE),
        ),
        When(Q(**{state: WorkState.DONE, "completed_late": True}), then=Value(Label.DONE_LATE)),
        When(Q(**{state: WorkState.DONE}), then=Value(Label.DONE_ON_TIME)),
        When(Q(**{state: WorkState.REPORTED}), then=Value(Label.AWAITING)),
        When(Q(**{state: WorkState.PAUSED}), then=Value(Label.PAUSED)),
        When(Q(**{state: WorkState.REFUSED}), then=Value(Label.REFUSED)),
        When(Q(**{state: WorkState.RETURNED}), then=Value(Label.RETURNED)),
        default=timing,
        output_field=CharField(),
    )


def label_q(labels: Iterable[str], today: dt.date | None = None) -> Q:
    """Tasks whose label today is one of ``labels``, over the stored columns only.

    The same rules as ``classify`` and the annotated ``st_label`` (tested for agreement), but
    as plain comparisons the database can answer from an index: filtering on the annotated
    CASE reads every row. Only for today's status; a past date needs ``annotate(qs, as_of)``.
    """
    today = today or workdays.today()
    limit = due_soon_limit(today)
    open_ = Q(state=WorkState.OPEN)
    parts = {
        Label.OVERDUE: open_ & Q(deadline__lt=today),
        Label.DUE_SOON: open_ & Q(deadline__gte=today, deadline__lte=limit),
        Label.WITHIN: open_ & Q(deadline__gt=limit),
        Label.NO_DEADLINE: open_ & Q(deadline__isnull=True),
        Label.AWAITING: Q(state=WorkState.REPORTED),
        Label.PAUSED: Q(state=WorkState.PAUSED),
        Label.REFUSED: Q(state=WorkState.REFUSED),
        Label.RETURNED: Q(state=WorkState.RETURNED),
        Label.DONE_ON_TIME: Q(state=WorkState.DONE, completed_late=False),
        Label.DONE_LATE: Q(state=WorkState.DONE, completed_late=True),
        Label.DONE_NO_DEADLINE: Q(state=WorkState.DONE, completed_late__isnull=True),
    }
    matching = Q(pk__in=[])
    for label in labels:
        matching |= parts[label]
    return matching


def open_overdue_q(today: dt.date | None = None) -> Q:
    """Work still owed and past its deadline today (``Status.is_open_overdue``), as ``label_q``.

    A reported task counts while its output document is dated after the deadline or missing:
    its report does not stop the clock until it is confirmed (DOMAIN.md §4)."""
    today = today or workdays.today()
    owed = Q(state__in=[WorkState.OPEN, WorkState.REFUSED, WorkState.RETURNED])
    reported_late = Q(state=WorkState.REPORTED) & (
        Q(completion_date__isnull=True) | Q(completion_date__gt=F("deadline"))
    )
    return (owed | reported_late) & Q(deadline__lt=today)


def annotate(qs: QuerySet[Any], as_of: dt.date | None = None, prefix: str = "st_") -> QuerySet[Any]:
    """Add `st_state`, `_deadline`, `_completion`, `_timing` and `_label` to a task queryset.

    Without `as_of` (or with today) the stored current columns are used. For a past date the
    state is the one left by the last state-changing event on or before it, and the deadline
    the last extension approved on or before it, so a past period's figures can be regenerated.
    Tasks assigned after `as_of` should be filtered out by the caller (see `as_of_filter`).
    Another ``prefix`` names the columns apart: several dates' statuses in one query (trend).
    """
    today = workdays.today()
    current = ("state", "deadline", "completion_date")
    if as_of is None or as_of >= today:
        as_of = as_of or today
        limit = due_soon_limit(as_of)
        qs = qs.annotate(
            **{
                f"{prefix}state": F("state"),
                f"{prefix}deadline": F("deadline"),
                f"{prefix}completion": F("completion_date"),
                f"{prefix}timing": _timing_sql(*current, as_of, limit),
            }
        )
        return qs.annotate(**{f"{prefix}label": _label_sql("state", F(f"{prefix}timing"))})
    limit = due_soon_limit(as_of)
    last_state = (
        AssignmentEvent.objects.filter(assignment=OuterRef("pk"), on__lte=as_of)
        .exclude(state_after="")
        .order_by("-on", "-at", "-id")
        .values("state_after")[:1]
    )
    last_extension = (
        Extension.objects.filter(
            assignment=OuterRef("pk"), status=ExtensionStatus.APPROVED, decided_on__lte=as_of
        )
        .order_by("-decided_on", "-decided_at", "-id")
        .values("new_deadline")[:1]
    )
    last_completion = (
        AssignmentEvent.objects.filter(
            assignment=OuterRef("pk"), on__lte=as_of, kind=EventKind.COMPLETION
        )
        .order_by("-on", "-at", "-id")
        .values("doc_date")[:1]
    )
    head = "" if prefix == "st_" else prefix
    past = (f"{head}past_state", f"{head}past_deadline", f"{head}past_completion")
    qs = qs.annotate(
        # No state event yet (assigned before it was registered): the task was open.
        **{
            past[0]: Coalesce(
                Subquery(last_state, output_field=CharField()),
                Value(WorkState.OPEN.value),
                output_field=CharField(),
            ),
            past[1]: Case(
                # Never extended (an approval always moves the deadline): the original one.
                When(Q(deadline=F("original_deadline")), then=F("original_deadline")),
                default=Coalesce(
                    Subquery(last_extension, output_field=DateField()),
                    F("original_deadline"),
                    output_field=DateField(),
                ),
                output_field=DateField(),
            ),
            past[2]: Subquery(last_completion, output_field=DateField()),
        }
    )
    # Nothing decisive happened after `as_of`: the current columns are the answer. Only the
    # tasks whose history moved on since pay for the correlated subqueries, and the settled
    # ones are classified over plain columns.
    settled = Q(history_on__isnull=False, history_on__lte=as_of)

    def either(now: Any, then: Any, field: Any) -> Case:
        return Case(When(settled, then=now), default=then, output_field=field)

    return qs.annotate(
        **{
            f"{prefix}state": either(F("state"), F(past[0]), CharField()),
            f"{prefix}deadline": either(F("deadline"), F(past[1]), DateField()),
            f"{prefix}completion": either(F("completion_date"), F(past[2]), DateField()),
            f"{prefix}timing": either(
                _timing_sql(*current, as_of, limit), _timing_sql(*past, as_of, limit), CharField()
            ),
            f"{prefix}label": either(
                _label_sql("state", _timing_sql(*current, as_of, limit)),
                _label_sql(past[0], _timing_sql(*past, as_of, limit)),
                CharField(),
            ),
        }
    )


def as_of_filter(qs: QuerySet[Any], as_of: dt.date) -> QuerySet[Any]:
    """Only the tasks that existed on `as_of`."""
    return qs.filter(assigned_on__lte=as_of)


# --- Rates (DOMAIN.md §4) -------------------------------------------------------------------


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    # Truncated, not rounded: the national report gives 16,051 ÷ 16,274 = 98.6297… as 98.62 %,
    # and a rate must never show 100 % while a single task is overdue.
    value = Decimal(numerator * 100) / Decimal(denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def completion_rate(*, completed: int, open_overdue: int) -> Decimal | None:
    """completed ÷ (completed + open overdue): open work within its deadline is not counted.

    National check (Báo cáo 1270/BC-TCTTTg): 16,051 ÷ (16,051 + 223) = 98.62 %.
    """
    return _percent(completed, completed + open_overdue)


def on_time_rate(*, on_time: int, completed: int, open_overdue: int) -> Decimal | None:
    """On-time share; the denominator is a provincial setting (DOMAIN.md §4)."""
    if setting("ON_TIME_RATE_BASE") == "completed":
        return _percent(on_time, completed)
    return _percent(on_time, completed + open_overdue)
