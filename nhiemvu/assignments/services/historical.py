"""Registering tasks with their past (issue 29: the switch-over from an old tracker).

A task carried over keeps its history so that past quarters' figures stay right: its stored
status columns are set exactly as the lifecycle would have left them (a confirmed task has its
completion date, its confirmation day and its on-time stamp from ``status.stamp_late``), and its
timeline holds the dated state events ``status.annotate`` reads for a past date (assigned on the
assignment date, completion reported and confirmed on the completion date). An open task whose
lead has since been reorganised away is carried to the successor in force today, with the dated
transfer on its timeline. Idempotent by (``legacy_source``, ``legacy_id``): a row seen before is
"unchanged" or "updated", never created twice. Office only, audited, one transaction per call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments.models import (
    Assignment,
    AssignmentEvent,
    Coordination,
    DeadlineKind,
    EventKind,
    Extension,
    WorkState,
)
from nhiemvu.assignments.services.common import REF_CHARS, _deny, _summary
from nhiemvu.assignments.services.pasts import (
    PastExtension,
    PastFile,
    PastNote,
    at,
    attach_files,
    check_past,
    deadlines,
    history_keys,
    missing,
    past_rows,
)
from nhiemvu.assignments.status import stamp_late
from nhiemvu.audit.services import record
from nhiemvu.directives.models import Directive
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line, fold
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import allows, is_office

# The states a past task can be in when it arrives (the old trackers know no others).
HISTORICAL_STATES = (WorkState.OPEN, WorkState.REPORTED, WorkState.DONE, WorkState.PAUSED)
NEW, UNCHANGED, UPDATED = "new", "unchanged", "updated"
__all__ = ["HISTORICAL_STATES", "HistoricalTask", "PastExtension", "PastFile", "PastNote"]


@dataclass
class HistoricalTask:
    legacy_id: str
    directive: Directive
    content: str
    lead: Organisation
    assigned_on: dt.date
    state: str
    coordinators: Sequence[Organisation] = ()
    deadline: dt.date | None = None
    original_deadline: dt.date | None = None
    completion_date: dt.date | None = None
    completion_ref: str = ""
    extensions: Sequence[PastExtension] = ()
    notes: Sequence[PastNote] = ()
    files: Sequence[PastFile] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def check(item: HistoricalTask, today: dt.date) -> None:
    """Refuse what cannot have happened; the messages name the fact in Vietnamese."""
    if item.state not in HISTORICAL_STATES:
        raise ValidationError(_("Unknown state “%(state)s”.") % {"state": item.state})
    if not clean_line(item.content):
        raise ValidationError(_("The task content is empty."))
    if item.assigned_on > today:
        raise ValidationError(_("The assignment date is in the future."))
    for day in deadlines(item):
        if day is not None and day < item.assigned_on:
            raise ValidationError(_("The deadline is before the assignment date."))
    done = item.state in (WorkState.DONE, WorkState.REPORTED)
    if done and item.completion_date is None:
        raise ValidationError(_("A completed task needs its completion date."))
    if item.completion_date is not None:
        if not done:
            raise ValidationError(_("A task still in progress has a completion date."))
        if item.completion_date < item.assigned_on:
            raise ValidationError(_("The completion date is before the assignment date."))
        if item.completion_date > today:
            raise ValidationError(_("The completion date is in the future."))
    if len(clean_line(item.completion_ref)) > REF_CHARS:
        raise ValidationError(_("The output document reference is too long."))
    if not item.lead.is_active_on(item.assigned_on):
        raise ValidationError(
            _("%(org)s was not in force on %(day)s.")
            % {"org": item.lead.name, "day": f"{item.assigned_on:%d/%m/%Y}"}
        )
    check_past(item, today)


def holder_today(org: Organisation, today: dt.date) -> list[tuple[Organisation, dt.date]]:
    """The successors an open task passed to since ``org`` ceased, each with the day it passed
    (the day after its holder's last day), by the recorded reorganisations' successor links."""
    chain: list[tuple[Organisation, dt.date]] = []
    current = org
    while not current.is_active_on(today) and current.successor_id and len(chain) < 20:
        assert current.successor is not None
        day = (current.valid_to or today) + dt.timedelta(days=1)
        current = current.successor
        chain.append((current, day))
    return chain


def _columns(item: HistoricalTask) -> dict[str, Any]:
    """The stored columns of a task with this past, as the lifecycle would have left them."""
    original, deadline = deadlines(item)
    late = None
    if item.state == WorkState.DONE:
        assert item.completion_date is not None
        late = stamp_late(
            completion_date=item.completion_date,
            deadline=deadline,
            original_deadline=original,
        )
    return {
        "state": item.state,
        "deadline": deadline,
        "original_deadline": original,
        "deadline_kind": DeadlineKind.FIXED if deadline else DeadlineKind.NONE,
        "completion_date": item.completion_date,
        "completion_ref": clean_line(item.completion_ref),
        "confirmed_on": item.completion_date if item.state == WorkState.DONE else None,
        "completed_late": late,
        "progress_percent": 100 if item.state == WorkState.DONE else 0,
    }


def _events(
    task: Assignment, item: HistoricalTask, chain: list[tuple[Organisation, dt.date]]
) -> list[AssignmentEvent]:
    events = [
        AssignmentEvent(
            assignment=task,
            kind=EventKind.ASSIGNED,
            at=at(item.assigned_on),
            on=item.assigned_on,
            state_after=WorkState.OPEN,
            data={"legacy": True},
        )
    ]
    if item.completion_date is not None:
        events.append(
            AssignmentEvent(
                assignment=task,
                kind=EventKind.COMPLETION,
                at=at(item.completion_date),
                on=item.completion_date,
                state_after=WorkState.REPORTED,
                doc_date=item.completion_date,
                text=clean_line(item.completion_ref),
                data={"legacy": True},
            )
        )
    if item.state == WorkState.DONE:
        assert item.completion_date is not None
        events.append(
            AssignmentEvent(
                assignment=task,
                kind=EventKind.CONFIRMED,
                at=at(item.completion_date) + dt.timedelta(minutes=1),
                on=item.completion_date,
                state_after=WorkState.DONE,
                data={"legacy": True, "late": task.completed_late},
            )
        )
    holder = item.lead
    for successor, day in chain:
        if item.state in (WorkState.OPEN, WorkState.REPORTED, WorkState.PAUSED):
            events.append(
                AssignmentEvent(
                    assignment=task,
                    kind=EventKind.TRANSFERRED,
                    at=at(day),
                    on=day,
                    data={"from": holder.code, "to": successor.code, "effective": day.isoformat()},
                )
            )
        holder = successor
    return events


def changes(known: Assignment, item: HistoricalTask) -> dict[str, Any]:
    """The stored columns a task already carried over would change to for ``item`` (empty: the
    row is unchanged). The dry run and the real run decide by this one function."""
    return {k: v for k, v in _columns(item).items() if getattr(known, k) != v}


@dataclass
class Carried:
    task: Assignment
    keys: set[tuple[str, str, str]]  # its extensions and notes (history_keys)


def carried(source: str, legacy_ids: Sequence[str]) -> dict[str, Carried]:
    """The tasks of ``source`` already carried over, by their legacy identifier."""
    tasks = list(Assignment.objects.filter(legacy_source=source, legacy_id__in=list(legacy_ids)))
    keys = history_keys([t.pk for t in tasks])
    return {t.legacy_id: Carried(t, keys[t.pk]) for t in tasks}


def outcome(item: HistoricalTask, known: Carried | None) -> str:
    if known is None:
        return NEW
    return UPDATED if changes(known.task, item) or missing(item, known.keys) else UNCHANGED


@transaction.atomic
def historical_tasks_register(
    *, actor: Any, source: str, items: Sequence[HistoricalTask], checksum: str = ""
) -> dict[str, str]:
    """Register (or bring up to date) a batch of carried-over tasks. Returns each legacy id's
    outcome: new, unchanged or updated. A refused item raises ValidationError: nothing of the
    batch is written."""
    if not allows(actor, is_office):
        raise _deny(_("Only the Provincial Office imports from the old tracker."))
    source = clean_line(source)[:60]
    if not source:
        raise ValidationError(_("Name the old tracker (the source)."))
    today = workdays.today()
    for item in items:
        check(item, today)
    existing = carried(source, [i.legacy_id for i in items])
    outcomes: dict[str, str] = {}
    new_tasks: list[tuple[Assignment, HistoricalTask, list[tuple[Organisation, dt.date]]]] = []
    for item in items:
        columns = _columns(item)
        chain = holder_today(item.lead, today) if item.state != WorkState.DONE else []
        lead = chain[-1][0] if chain else item.lead
        found = existing.get(item.legacy_id)
        if found is not None:
            known = found.task
            changed = changes(known, item)
            added = missing(item, found.keys)
            if not changed and not added:
                outcomes[item.legacy_id] = UNCHANGED
                continue
            # A later export of the same tracker moved the task on: the columns follow, the
            # extensions and notes it did not have are added, and the timeline notes it
            # (history_on: the past before today is read from the events).
            Assignment.objects.filter(pk=known.pk).update(**changed, history_on=today)
            extensions, events = past_rows(known, item, found.keys, actor)
            Extension.objects.bulk_create(extensions)
            AssignmentEvent.objects.bulk_create(events)
            attach_files(known, item, found.keys, actor)
            AssignmentEvent.objects.create(
                assignment=known,
                kind=EventKind.COMMENT,
                at=workdays.now(),
                on=today,
                state_after=columns["state"] if "state" in changed else "",
                text=_("Updated from the old tracker's export."),
                data={"legacy": True, "changed": sorted(changed) + added},
            )
            outcomes[item.legacy_id] = UPDATED
            continue
        content = clean_line(item.content)
        task = Assignment(
            directive=item.directive,
            content=content,
            summary=_summary(content),
            lead=lead,
            original_lead=item.lead,
            assigned_by=item.directive.assigned_by,
            assigned_on=item.assigned_on,
            urgency=item.directive.urgency,
            created_by=actor,
            legacy_source=source,
            legacy_id=item.legacy_id,
            search_text=fold(f"{content} {item.directive.ref} {lead.name} {lead.short_name}"),
            **columns,
        )
        # The last dated state event: before it a past date reads the timeline, after it the
        # stored columns (status.annotate's "settled").
        last = [item.assigned_on, item.completion_date or item.assigned_on]
        last += [day for _org, day in chain]
        # An extension moves the deadline on its day: before it, a past date reads the
        # approvals (status.annotate's past_deadline).
        last += [e.decided_on for e in item.extensions]
        task.history_on = max(last)
        new_tasks.append((task, item, chain))
        outcomes[item.legacy_id] = NEW
    if new_tasks:
        Assignment.objects.bulk_create([t for t, _i, _c in new_tasks], batch_size=500)
        Coordination.objects.bulk_create(
            [
                Coordination(assignment=task, org=org)
                for task, item, _c in new_tasks
                for org in dict.fromkeys(item.coordinators)
                if org.pk != item.lead.pk
            ],
            batch_size=1000,
        )
        for task, item, _c in new_tasks:
            attach_files(task, item, set(), actor)
        histories = [past_rows(task, item, set(), actor) for task, item, _c in new_tasks]
        Extension.objects.bulk_create([x for exts, _e in histories for x in exts], batch_size=1000)
        AssignmentEvent.objects.bulk_create(
            [e for task, item, chain in new_tasks for e in _events(task, item, chain)]
            + [e for _x, events in histories for e in events],
            batch_size=1000,
        )
    if new_tasks or UPDATED in outcomes.values():
        record(
            actor=actor,
            action="assignment.import_legacy",
            target=new_tasks[0][0] if new_tasks else existing[next(iter(existing))].task,
            after={
                "source": source,
                "checksum": checksum,
                "new": [k for k, v in outcomes.items() if v == NEW],
                "updated": [k for k, v in outcomes.items() if v == UPDATED],
            },
        )
    return outcomes
