"""What every task service shares: the row lock, the timeline entry with its audit row, text
checks, attachments, the organisation in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext as _

from nhiemvu.assignments import rollup
from nhiemvu.assignments.models import (
    Assignment,
    AssignmentAttachment,
    AssignmentEvent,
    EventKind,
    WorkState,
)
from nhiemvu.assignments.signals import task_event
from nhiemvu.audit.services import record
from nhiemvu.directives.files import store_upload
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line, normalize
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import scope_of

MAX_TEXT = 20_000  # a task's content, a report, a reason: a long page, never a pasted book
# The columns' lengths, from the model, so a limit is stated once.
SUMMARY_CHARS = Assignment._meta.get_field("summary").max_length or 300
REF_CHARS = Assignment._meta.get_field("completion_ref").max_length or 120
# How far ahead a date may plausibly be (years): beyond is a typing error ("2206" for "2026").
DEADLINE_YEARS_AHEAD = 20
EXTENSION_YEARS_AHEAD = 10
# What the audit row keeps of a comment (the timeline keeps all of it).
AUDIT_EXCERPT_CHARS = 500


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _actor_org(actor: Any, task: Assignment | None = None) -> Organisation | None:
    scope = scope_of(actor)
    if task is not None and task.lead_id in scope.org_ids:
        return task.lead
    org_id = scope.primary_org_id
    return Organisation.objects.filter(pk=org_id).first() if org_id else None


def _locked(task: Assignment) -> Assignment:
    """Re-read the task under a row lock: the state we check is the state we change."""
    return Assignment.objects.select_for_update().select_related("lead").get(pk=task.pk)


def _event(
    task: Assignment,
    *,
    actor: Any,
    kind: str,
    state_after: str = "",
    text: str = "",
    percent: int | None = None,
    doc_date: dt.date | None = None,
    data: dict[str, Any] | None = None,
    actor_org: Organisation | None = None,
) -> AssignmentEvent:
    now = workdays.now()
    today = workdays.today()
    if state_after or kind == EventKind.EXTENSION_APPROVED:
        Assignment.objects.filter(pk=task.pk).filter(
            Q(history_on__isnull=True) | Q(history_on__lt=today)
        ).update(history_on=today)
    if task.upper_id and (state_after or percent is not None):
        # A sub-task moved: its received task's progress follows (rollup.progress).
        subs = Assignment.objects.filter(upper_id=task.upper_id).values_list(
            "state", "progress_percent"
        )
        Assignment.objects.filter(pk=task.upper_id).exclude(state=WorkState.DONE).update(
            progress_percent=rollup.progress(list(subs))
        )
    return AssignmentEvent.objects.create(
        assignment=task,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_org=actor_org if actor_org is not None else _actor_org(actor, task),
        at=now,
        on=today,
        state_after=state_after,
        text=text,
        percent=percent,
        doc_date=doc_date,
        data=data or {},
    )


def _happened(
    task: Assignment,
    *,
    actor: Any,
    kind: str,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_org: Organisation | None = None,
    **event: Any,
) -> AssignmentEvent:
    """What every lifecycle step leaves behind: the entry on the task's timeline and the audit
    row, in the caller's transaction, both naming the same actor and organisation."""
    entry = _event(task, actor=actor, kind=kind, actor_org=actor_org, **event)
    record(
        actor=actor,
        action=action,
        target=task,
        before=before,
        after=after,
        actor_org=entry.actor_org,
    )
    task_event.send(sender=Assignment, task=task, kind=kind, event=entry)
    return entry


def _step_happened(task: Assignment, step: Any, *, actor: Any, **event: Any) -> AssignmentEvent:
    """``_happened`` for a workflow step: its timeline event and audit action from the table."""
    return _happened(task, actor=actor, kind=step.event, action=step.audit, **event)


def _text(value: str, *, field_name: str, required: bool, label: str) -> str:
    value = normalize(value or "").strip()
    if required and not value:
        raise ValidationError({field_name: _("%(label)s is required.") % {"label": label}})
    if len(value) > MAX_TEXT:
        raise ValidationError(
            {
                field_name: _("%(label)s is too long (at most %(max)s characters).")
                % {"label": label, "max": MAX_TEXT}
            }
        )
    return value


def _attach(
    task: Assignment, event: AssignmentEvent, actor: Any, files: Iterable[UploadedFile]
) -> None:
    for upload in files:
        store_upload(AssignmentAttachment, actor=actor, upload=upload, assignment=task, event=event)


def _summary(content: str) -> str:
    line = clean_line(content)
    if len(line) <= SUMMARY_CHARS:
        return line
    return line[: SUMMARY_CHARS - 3].rstrip() + "…"


def _check_org_active(org: Organisation, field_name: str) -> None:
    today = workdays.today()
    if not org.is_active_on(today):
        successor = f" → {org.successor.name}" if org.successor_id and org.successor else ""
        raise ValidationError(
            {
                field_name: _("%(org)s no longer exists%(succ)s; choose the organisation in force.")
                % {"org": org.name, "succ": successor}
            }
        )


def _output_document(
    task: Assignment,
    ref: str,
    day: dt.date,
    *,
    ref_field: str = "output_ref",
    date_field: str = "output_date",
) -> str:
    """A report's output document (number/symbol and date), checked: given, not too long, not
    dated in the future nor before the task was assigned. Returns the cleaned reference."""
    ref = clean_line(ref)
    if not ref:
        raise ValidationError({ref_field: _("Give the number and symbol of the output document.")})
    if len(ref) > REF_CHARS:
        raise ValidationError({ref_field: _("The output document reference is too long.")})
    if day > workdays.today():
        raise ValidationError({date_field: _("The output document date cannot be in the future.")})
    if day < task.assigned_on:
        raise ValidationError(
            {date_field: _("The output document date is before the task was assigned.")}
        )
    return ref
