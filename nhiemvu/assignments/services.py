"""Writes for tasks: every lifecycle step of DOMAIN.md §3 (rule 1: only services change state).

Each service is keyword-only, checks who may act, validates (messages in Vietnamese through
gettext), locks the task row, writes the change, an AssignmentEvent for the task's timeline and
an AuditEvent, all in one transaction. A second identical submission finds the state already
changed and is refused, so double clicks never act twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nhiemvu.assignments import rules as perms
from nhiemvu.assignments.models import (
    ACTIVE_STATES,
    OPEN_STATES,
    Assignment,
    AssignmentAttachment,
    AssignmentEvent,
    AssignmentGroup,
    Coordination,
    DeadlineKind,
    DeliverableKind,
    EventKind,
    Extension,
    ExtensionKind,
    ExtensionStatus,
    Recurrence,
    WorkState,
)
from nhiemvu.assignments.signals import task_event
from nhiemvu.assignments.status import stamp_late
from nhiemvu.audit.services import record
from nhiemvu.conf import setting
from nhiemvu.directives.models import Directive, Urgency
from nhiemvu.directives.services import DirectiveSpec, directive_create, store_upload
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line, fold, normalize
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import scope_of

MAX_TEXT = 20_000


@dataclass
class TaskSpec:
    """One task as registered. With `group_orgs`, one task per organisation under a group."""

    content: str
    lead: Organisation | None = None
    summary: str = ""
    group_label: str = ""
    group_orgs: Sequence[Organisation] = ()
    coordinators: Sequence[Organisation] = ()
    deliverable_kind: str = ""
    deliverable_text: str = ""
    deadline: dt.date | None = None
    deadline_time: dt.time | None = None
    recurrence: str = ""
    recurrence_rule: str = ""
    recurrence_day: int | None = None
    no_deadline_reason: str = ""
    urgency: str = ""
    assigned_by: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_review(cls, data: dict[str, Any]) -> TaskSpec:
        """A task as reviewed on "Nhập văn bản" (or proposed to the import API): ``leads`` and
        ``coordinators`` are organisations; several leads fan out into one task each."""
        leads = list(data["leads"])
        several = len(leads) > 1
        return cls(
            content=data["content"],
            summary=data["summary"],
            lead=None if several else leads[0],
            group_orgs=leads if several else (),
            group_label=data["group_label"] if several else "",
            coordinators=[c for c in data["coordinators"] if c not in leads],
            deliverable_kind=data["deliverable_kind"] or "",
            deliverable_text=data["deliverable_text"],
            deadline=data["deadline"],
            recurrence=data["recurrence"] or "",
            recurrence_day=data.get("recurrence_day") if data["recurrence"] else None,
            no_deadline_reason=data["no_deadline_reason"],
        )


# --- helpers --------------------------------------------------------------------------------


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
    return line if len(line) <= 300 else line[:297].rstrip() + "…"


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


# --- register -------------------------------------------------------------------------------


def _validated_task_fields(spec: TaskSpec, directive: Directive) -> dict[str, Any]:
    content = _text(spec.content, field_name="content", required=True, label=_("The task content"))
    if spec.deliverable_kind not in DeliverableKind.values:
        raise ValidationError({"deliverable_kind": _("Unknown deliverable kind.")})
    if spec.recurrence and spec.recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": _("Unknown recurrence.")})
    if spec.urgency and spec.urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Unknown urgency.")})
    if spec.deadline is not None and spec.deadline < directive.doc_date:
        raise ValidationError(
            {
                "deadline": _("The deadline %(deadline)s is before the document date %(date)s.")
                % {
                    "deadline": f"{spec.deadline:%d/%m/%Y}",
                    "date": f"{directive.doc_date:%d/%m/%Y}",
                }
            }
        )
    if spec.deadline is not None and spec.deadline.year > directive.doc_date.year + 20:
        raise ValidationError({"deadline": _("The deadline is implausibly far in the future.")})
    if spec.deadline_time is not None and spec.deadline is None:
        raise ValidationError({"deadline_time": _("A deadline time needs a deadline date.")})
    if spec.recurrence:
        kind = DeadlineKind.RECURRING
    elif spec.deadline is not None:
        kind = DeadlineKind.FIXED
    else:
        kind = DeadlineKind.NONE
    reason = normalize(spec.no_deadline_reason or "").strip()
    has_deliverable = bool(spec.deliverable_kind)
    flagged = has_deliverable and spec.deadline is None and not spec.recurrence
    if flagged and not reason:
        # Công văn 1147/UBND-KSTT: never demand a work product without a completion time.
        raise ValidationError(
            {
                "no_deadline_reason": _(
                    "This task requires a deliverable but has no deadline. Set a deadline, or give "
                    "the reason why it has none (the task will stay flagged)."
                )
            }
        )
    return {
        "content": content,
        "summary": _summary(spec.summary or content),
        "deliverable_kind": spec.deliverable_kind,
        "deliverable_text": clean_line(spec.deliverable_text)[:300],
        "deadline_kind": kind,
        "original_deadline": spec.deadline,
        "deadline": spec.deadline,
        "deadline_time": spec.deadline_time,
        "recurrence": spec.recurrence,
        "recurrence_rule": clean_line(spec.recurrence_rule)[:120],
        "recurrence_day": _recurrence_day(spec),
        "no_deadline_reason": reason if flagged or kind == DeadlineKind.NONE else "",
        "flagged": flagged,
        "urgency": spec.urgency or directive.urgency,
    }


def _recurrence_day(spec: TaskSpec) -> int | None:
    """The due day of each period: given, or read from the rule ("trước ngày 20 hằng tháng")."""
    if spec.recurrence_day is not None:
        return spec.recurrence_day
    if spec.recurrence and spec.recurrence != "weekly":
        found = re.search(r"ngày\s*(\d{1,2})", spec.recurrence_rule or "")
        if found and 1 <= int(found.group(1)) <= 31:
            return int(found.group(1))
    return None


def _create_one(
    *,
    actor: Any,
    directive: Directive,
    fields: dict[str, Any],
    lead: Organisation,
    coordinators: Sequence[Organisation],
    group: AssignmentGroup | None,
    assigned_by: Any,
) -> Assignment:
    _check_org_active(lead, "lead")
    coordinator_ids = {c.pk for c in coordinators}
    if lead.pk in coordinator_ids:
        coordinators = [c for c in coordinators if c.pk != lead.pk]
    for org in coordinators:
        _check_org_active(org, "coordinators")
    task = Assignment(
        directive=directive,
        group=group,
        lead=lead,
        original_lead=lead,
        assigned_by=assigned_by,
        assigned_on=directive.doc_date,
        created_by=actor,
        **fields,
    )
    task.search_text = fold(f"{fields['content']} {directive.ref} {lead.name} {lead.short_name}")
    task.full_clean(exclude=["code"])
    task.save()
    Coordination.objects.bulk_create(
        [Coordination(assignment=task, org=org) for org in dict.fromkeys(coordinators)]
    )
    _happened(
        task,
        actor=actor,
        kind=EventKind.ASSIGNED,
        action="assignment.create",
        state_after=WorkState.OPEN,
        data={"lead": lead.code, "coordinators": [c.code for c in coordinators]},
        after={
            "lead": lead.code,
            "coordinators": [c.code for c in coordinators],
            "deadline": task.deadline,
            "deliverable": task.deliverable_kind,
            "flagged": task.flagged,
        },
    )
    return task


@transaction.atomic
def assignment_create(*, actor: Any, directive: Directive, spec: TaskSpec) -> list[Assignment]:
    """Add a task (or a group of tasks) to a registered document. Office only."""
    if not scope_of(actor).is_office:
        raise _deny(_("Only the Provincial Office registers tasks."))
    fields = _validated_task_fields(spec, directive)
    assigned_by = spec.assigned_by or directive.assigned_by
    coordinators = list(spec.coordinators)
    if spec.group_orgs:
        members = list(dict.fromkeys(spec.group_orgs))
        label = clean_line(spec.group_label) or _("Group")
        group = AssignmentGroup.objects.create(
            directive=directive, label=label[:255], content=fields["content"]
        )
        return [
            _create_one(
                actor=actor,
                directive=directive,
                fields=fields,
                lead=org,
                coordinators=coordinators,
                group=group,
                assigned_by=assigned_by,
            )
            for org in members
        ]
    if spec.lead is None:
        raise ValidationError({"lead": _("Each task needs exactly one lead agency.")})
    return [
        _create_one(
            actor=actor,
            directive=directive,
            fields=fields,
            lead=spec.lead,
            coordinators=coordinators,
            group=None,
            assigned_by=assigned_by,
        )
    ]


@transaction.atomic
def directive_register(
    *,
    actor: Any,
    spec: DirectiveSpec,
    tasks: Sequence[TaskSpec],
    files: Iterable[UploadedFile] = (),
) -> Directive:
    """Register a document with all its tasks: all or nothing."""
    directive = directive_create(actor=actor, spec=spec)
    from nhiemvu.directives.services import directive_attach

    for upload in files:
        directive_attach(actor=actor, directive=directive, upload=upload)
    errors: dict[str, list[str]] = {}
    for index, task_spec in enumerate(tasks, start=1):
        try:
            assignment_create(actor=actor, directive=directive, spec=task_spec)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                errors.setdefault(f"task{index}-{field_name}", []).extend(
                    _("Task %(n)s: %(msg)s") % {"n": index, "msg": m} for m in messages
                )
    if errors:
        raise ValidationError(errors)
    return directive


# --- the lead agency's side -----------------------------------------------------------------


@transaction.atomic
def assignment_accept(*, actor: Any, task: Assignment) -> Assignment:
    task = _locked(task)
    if not perms.can_act_as_lead(actor, task):
        raise _deny(_("Only the lead agency can accept this task."))
    if task.accepted_at is not None:
        raise ValidationError(_("This task has already been accepted."))
    if task.state != WorkState.OPEN:
        raise ValidationError(_("Only an open task can be accepted."))
    task.accepted_at = workdays.now()
    task.save(update_fields=["accepted_at", "updated_at"])
    _happened(
        task,
        actor=actor,
        kind=EventKind.ACCEPTED,
        action="assignment.accept",
    )
    return task


@transaction.atomic
def assignment_refuse(*, actor: Any, task: Assignment, reason: str) -> Assignment:
    """The lead agency says the task is not its own; the office then reassigns it."""
    task = _locked(task)
    if not perms.can_act_as_lead(actor, task):
        raise _deny(_("Only the lead agency can refuse this task."))
    reason = _text(reason, field_name="reason", required=True, label=_("The reason"))
    if task.state != WorkState.OPEN or task.accepted_at is not None:
        raise ValidationError(_("Only a task not yet accepted or reported can be refused."))
    task.state = WorkState.REFUSED
    task.save(update_fields=["state", "updated_at"])
    _happened(
        task,
        actor=actor,
        kind=EventKind.REFUSED,
        action="assignment.refuse",
        state_after=WorkState.REFUSED,
        text=reason,
        before={"state": "open"},
        after={"state": "refused", "reason": reason},
    )
    return task


@transaction.atomic
def assignment_reassign(
    *, actor: Any, task: Assignment, lead: Organisation, reason: str = ""
) -> Assignment:
    """The office gives a refused (or wrongly addressed) task to another lead agency."""
    task = _locked(task)
    if not perms.can_manage(actor, task):
        raise _deny(_("Only the Provincial Office reassigns tasks."))
    if task.state not in (WorkState.OPEN, WorkState.REFUSED, WorkState.RETURNED):
        raise ValidationError(_("Only an open or refused task can be reassigned."))
    if lead.pk == task.lead_id:
        raise ValidationError({"lead": _("The task is already assigned to this agency.")})
    _check_org_active(lead, "lead")
    reason = _text(reason, field_name="reason", required=False, label=_("The reason"))
    before = {"lead": task.lead.code, "state": task.state}
    task.lead = lead
    task.state = WorkState.OPEN
    task.accepted_at = None
    task.save(update_fields=["lead", "state", "accepted_at", "updated_at"])
    Coordination.objects.filter(assignment=task, org=lead).delete()
    _happened(
        task,
        actor=actor,
        kind=EventKind.REASSIGNED,
        action="assignment.reassign",
        state_after=WorkState.OPEN,
        text=reason,
        data={"from": before["lead"], "to": lead.code},
        before=before,
        after={"lead": lead.code, "state": "open", "reason": reason},
        actor_org=_actor_org(actor),
    )
    return task


@transaction.atomic
def assignment_report_progress(
    *,
    actor: Any,
    task: Assignment,
    text: str,
    percent: int | None = None,
    files: Iterable[UploadedFile] = (),
) -> AssignmentEvent:
    task = _locked(task)
    if not perms.can_act_as_lead(actor, task):
        raise _deny(_("Only the lead agency reports progress on this task."))
    if task.state not in OPEN_STATES or task.state == WorkState.REFUSED:
        raise ValidationError(_("Progress can only be reported on a task in progress."))
    text = _text(text, field_name="text", required=True, label=_("The progress report"))
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress must be between 0 and 100%.")})
    before = task.progress_percent
    if percent is not None:
        task.progress_percent = percent
        task.save(update_fields=["progress_percent", "updated_at"])
    event = _happened(
        task,
        actor=actor,
        kind=EventKind.PROGRESS,
        action="assignment.progress",
        text=text,
        percent=percent,
        before={"percent": before},
        after={"percent": task.progress_percent, "text": text},
    )
    _attach(task, event, actor, files)
    return event


@transaction.atomic
def assignment_report_completion(
    *,
    actor: Any,
    task: Assignment,
    output_ref: str,
    output_date: dt.date,
    text: str = "",
    files: Iterable[UploadedFile] = (),
) -> Assignment:
    """The lead agency reports the work done, with its output document; awaits confirmation."""
    task = _locked(task)
    if not perms.can_act_as_lead(actor, task):
        raise _deny(_("Only the lead agency can report completion of this task."))
    if task.state == WorkState.REPORTED:
        raise ValidationError(_("Completion has already been reported and awaits confirmation."))
    if task.state not in (WorkState.OPEN, WorkState.RETURNED):
        raise ValidationError(_("Completion can only be reported on a task in progress."))
    output_ref = clean_line(output_ref)
    if not output_ref:
        raise ValidationError(
            {"output_ref": _("Give the number and symbol of the output document.")}
        )
    if len(output_ref) > 120:
        raise ValidationError({"output_ref": _("The output document reference is too long.")})
    if output_date > workdays.today():
        raise ValidationError(
            {"output_date": _("The output document date cannot be in the future.")}
        )
    if output_date < task.assigned_on:
        raise ValidationError(
            {"output_date": _("The output document date is before the task was assigned.")}
        )
    text = _text(text, field_name="text", required=False, label=_("The note"))
    task.state = WorkState.REPORTED
    task.completion_date = output_date
    task.completion_ref = output_ref
    task.progress_percent = 100
    task.save(
        update_fields=[
            "state",
            "completion_date",
            "completion_ref",
            "progress_percent",
            "updated_at",
        ]
    )
    event = _happened(
        task,
        actor=actor,
        kind=EventKind.COMPLETION,
        action="assignment.report_completion",
        state_after=WorkState.REPORTED,
        text=text,
        doc_date=output_date,
        data={"output_ref": output_ref},
        after={"output_ref": output_ref, "output_date": output_date},
    )
    _attach(task, event, actor, files)
    return task


# --- the office's and the Working Group's side ----------------------------------------------


@transaction.atomic
def assignment_confirm(*, actor: Any, task: Assignment, note: str = "") -> Assignment:
    """Confirm a reported completion. On time or late is stamped now, once."""
    task = _locked(task)
    if not perms.can_confirm(actor, task):
        raise _deny(_("Only the Provincial Office or the Working Group confirms completion."))
    if task.state == WorkState.DONE:
        raise ValidationError(_("This task has already been confirmed."))
    if task.state != WorkState.REPORTED or task.completion_date is None:
        raise ValidationError(_("There is no completion report to confirm."))
    note = _text(note, field_name="note", required=False, label=_("The note"))
    task.completed_late = stamp_late(
        completion_date=task.completion_date,
        deadline=task.deadline,
        original_deadline=task.original_deadline,
    )
    task.state = WorkState.DONE
    task.confirmed_on = workdays.today()
    task.save(update_fields=["state", "completed_late", "confirmed_on", "updated_at"])
    _happened(
        task,
        actor=actor,
        kind=EventKind.CONFIRMED,
        action="assignment.confirm",
        state_after=WorkState.DONE,
        text=note,
        data={"late": task.completed_late},
        before={"state": "reported"},
        after={"state": "done", "late": task.completed_late},
        actor_org=_actor_org(actor),
    )
    return task


@transaction.atomic
def assignment_return(*, actor: Any, task: Assignment, reason: str) -> Assignment:
    """Send a completion report back: the task is open again (Thực hiện lại)."""
    task = _locked(task)
    if not perms.can_confirm(actor, task):
        raise _deny(
            _("Only the Provincial Office or the Working Group returns completion reports.")
        )
    if task.state != WorkState.REPORTED:
        raise ValidationError(_("Only a task awaiting confirmation can be returned."))
    reason = _text(reason, field_name="reason", required=True, label=_("The reason"))
    before = {
        "state": task.state,
        "completion_date": task.completion_date,
        "completion_ref": task.completion_ref,
    }
    task.state = WorkState.RETURNED
    task.completion_date = None
    task.completion_ref = ""
    task.save(update_fields=["state", "completion_date", "completion_ref", "updated_at"])
    _happened(
        task,
        actor=actor,
        kind=EventKind.RETURNED,
        action="assignment.return",
        state_after=WorkState.RETURNED,
        text=reason,
        before=before,
        after={"state": "returned", "reason": reason},
        actor_org=_actor_org(actor),
    )
    return task


@transaction.atomic
def assignment_pause(*, actor: Any, task: Assignment, reason: str) -> Assignment:
    task = _locked(task)
    if not perms.can_manage(actor, task):
        raise _deny(_("Only the Provincial Office pauses tasks."))
    if task.state not in OPEN_STATES:
        raise ValidationError(_("Only a task in progress can be paused."))
    reason = _text(reason, field_name="reason", required=True, label=_("The reason"))
    before = task.state
    task.state = WorkState.PAUSED
    task.save(update_fields=["state", "updated_at"])
    _happened(
        task,
        actor=actor,
        kind=EventKind.PAUSED,
        action="assignment.pause",
        state_after=WorkState.PAUSED,
        text=reason,
        data={"resume_to": before},
        before={"state": before},
        after={"state": "paused", "reason": reason},
        actor_org=_actor_org(actor),
    )
    return task


@transaction.atomic
def assignment_resume(*, actor: Any, task: Assignment, note: str = "") -> Assignment:
    task = _locked(task)
    if not perms.can_manage(actor, task):
        raise _deny(_("Only the Provincial Office resumes tasks."))
    if task.state != WorkState.PAUSED:
        raise ValidationError(_("This task is not paused."))
    last_pause = task.events.filter(kind=EventKind.PAUSED).order_by("-at", "-id").first()
    resume_to = (last_pause.data.get("resume_to") if last_pause else None) or WorkState.OPEN
    note = _text(note, field_name="note", required=False, label=_("The note"))
    task.state = resume_to
    task.save(update_fields=["state", "updated_at"])
    _happened(
        task,
        actor=actor,
        kind=EventKind.RESUMED,
        action="assignment.resume",
        state_after=resume_to,
        text=note,
        before={"state": "paused"},
        after={"state": resume_to},
        actor_org=_actor_org(actor),
    )
    return task


# --- extensions -----------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, actor: Any, task: Assignment, proposed_deadline: dt.date, reason: str
) -> Extension:
    """Ask to move the deadline (or, for a task without one, propose a completion date)."""
    task = _locked(task)
    if not perms.can_act_as_lead(actor, task):
        raise _deny(_("Only the lead agency can ask for an extension."))
    if task.state not in (WorkState.OPEN, WorkState.RETURNED):
        raise ValidationError(_("An extension can only be requested for a task in progress."))
    reason = _text(reason, field_name="reason", required=True, label=_("The reason"))
    today = workdays.today()
    if Extension.objects.filter(assignment=task, status=ExtensionStatus.PENDING).exists():
        raise ValidationError(_("An extension request for this task is already awaiting decision."))
    kind = ExtensionKind.EXTEND if task.deadline else ExtensionKind.SET
    if task.deadline is not None:
        if today > task.deadline and not setting("EXTENSION_AFTER_DEADLINE"):
            raise ValidationError(
                _("The deadline %(d)s has passed: an extension must be requested before it.")
                % {"d": f"{task.deadline:%d/%m/%Y}"}
            )
        if proposed_deadline <= task.deadline:
            raise ValidationError(
                {"proposed_deadline": _("The proposed date must be after the current deadline.")}
            )
    if proposed_deadline <= today:
        raise ValidationError({"proposed_deadline": _("The proposed date must be in the future.")})
    if proposed_deadline.year > today.year + 10:
        raise ValidationError(
            {"proposed_deadline": _("The proposed date is implausibly far away.")}
        )
    extension = Extension.objects.create(
        assignment=task,
        kind=kind,
        requested_by=actor,
        requested_at=workdays.now(),
        reason=reason,
        deadline_before=task.deadline,
        proposed_deadline=proposed_deadline,
    )
    _happened(
        task,
        actor=actor,
        kind=EventKind.EXTENSION_REQUESTED,
        action="extension.request",
        text=reason,
        data={"proposed": proposed_deadline.isoformat(), "extension": extension.code},
        after={"proposed": proposed_deadline, "reason": reason},
    )
    return extension


@transaction.atomic
def extension_advise(*, actor: Any, extension: Extension, advice: str) -> Extension:
    extension = (
        Extension.objects.select_for_update().select_related("assignment").get(pk=extension.pk)
    )
    task = extension.assignment
    if not perms.can_manage(actor, task):
        raise _deny(_("Only the Provincial Office advises on extension requests."))
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    advice = _text(advice, field_name="advice", required=True, label=_("The advice"))
    extension.office_advice = advice
    extension.advised_by = actor
    extension.save(update_fields=["office_advice", "advised_by"])
    _happened(
        task,
        actor=actor,
        kind=EventKind.EXTENSION_ADVISED,
        action="extension.advise",
        text=advice,
        data={"extension": extension.code},
        after={"advice": advice},
        actor_org=_actor_org(actor),
    )
    return extension


@transaction.atomic
def extension_decide(
    *,
    actor: Any,
    extension: Extension,
    approve: bool,
    note: str = "",
    new_deadline: dt.date | None = None,
) -> Extension:
    """The assigning leader's side approves (possibly another date) or denies."""
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    task = _locked(extension.assignment)
    # A completion date proposed for a task without deadline (the 3-monthly check) is approved
    # by the office (issue 5); moving an existing deadline is the assigning leader's decision.
    office_may = extension.kind == ExtensionKind.SET and perms.can_manage(actor, task)
    if not (office_may or perms.can_decide_extension(actor, task)):
        raise _deny(_("Only the assigning leader decides on this extension request."))
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    note = _text(note, field_name="note", required=not approve, label=_("The reason for denial"))
    today = workdays.today()
    extension.decided_by = actor
    extension.decided_at = workdays.now()
    extension.decided_on = today
    extension.decision_note = note
    before = {"deadline": task.deadline}
    if approve:
        date = new_deadline or extension.proposed_deadline
        if task.deadline is not None and date <= task.deadline:
            raise ValidationError(
                {"new_deadline": _("The new deadline must be after the current one.")}
            )
        if date < today:
            raise ValidationError({"new_deadline": _("The new deadline cannot be in the past.")})
        extension.status = ExtensionStatus.APPROVED
        extension.new_deadline = date
        task.deadline = date
        # A task without deadline that gets one keeps original_deadline empty: before the
        # approval it had none (status as of a past date), after it the approved date rules.
        task.deadline_kind = DeadlineKind.FIXED
        task.flagged = False
        task.save(
            update_fields=[
                "deadline",
                "original_deadline",
                "deadline_kind",
                "flagged",
                "updated_at",
            ]
        )
        kind = EventKind.EXTENSION_APPROVED
    else:
        extension.status = ExtensionStatus.DENIED
        kind = EventKind.EXTENSION_DENIED
    extension.save()
    _happened(
        task,
        actor=actor,
        kind=kind,
        action=f"extension.{extension.status}",
        text=note,
        data={
            "extension": extension.code,
            "deadline": task.deadline.isoformat() if task.deadline else None,
        },
        before=before,
        after={"deadline": task.deadline, "note": note},
        actor_org=_actor_org(actor),
    )
    return extension


# --- comments and transfers -----------------------------------------------------------------


@transaction.atomic
def comment_add(
    *, actor: Any, task: Assignment, text: str, files: Iterable[UploadedFile] = ()
) -> AssignmentEvent:
    if not perms.can_comment(actor, task):
        raise _deny(_("You cannot comment on this task."))
    text = _text(text, field_name="text", required=True, label=_("The comment"))
    event = _happened(
        task,
        actor=actor,
        kind=EventKind.COMMENT,
        action="assignment.comment",
        text=text,
        after={"text": text[:500]},
    )
    _attach(task, event, actor, files)
    return event


@transaction.atomic
def organisation_transfer_tasks(*, actor: Any, org: Organisation) -> int:
    """Move a dissolved organisation's open tasks to its successor (the 2025 mergers).

    The lead changes; `original_lead`, the timeline and the audit log keep who had it.
    Coordinations move too. Returns how many tasks were transferred.
    """
    scope = scope_of(actor)
    if not (scope.is_office or scope.is_admin):
        raise _deny(_("Only the Provincial Office or an administrator transfers tasks."))
    if org.successor_id is None or org.successor is None:
        raise ValidationError(_("%(org)s has no successor to transfer to.") % {"org": org.name})
    successor = org.successor
    _check_org_active(successor, "successor")
    moved = 0
    tasks = Assignment.objects.select_for_update().filter(
        lead=org, state__in=[*ACTIVE_STATES, WorkState.PAUSED]
    )
    actor_org = _actor_org(actor)
    for task in tasks.iterator(chunk_size=500):
        task.lead = successor
        task.save(update_fields=["lead", "updated_at"])
        Coordination.objects.filter(assignment=task, org=successor).delete()
        _event(
            task,
            actor=actor,
            kind=EventKind.TRANSFERRED,
            text="",
            data={"from": org.code, "to": successor.code},
            actor_org=actor_org,
        )
        moved += 1
    coordinations = (
        Coordination.objects.filter(
            org=org, assignment__state__in=[*ACTIVE_STATES, WorkState.PAUSED]
        )
        .exclude(assignment__coordinations__org=successor)
        .exclude(assignment__lead=successor)
    )
    switched = coordinations.update(org=successor)
    record(
        actor=actor,
        action="organisation.transfer_tasks",
        target=org,
        after={"to": successor.code, "tasks": moved, "coordinations": switched},
        actor_org=actor_org,
    )
    return moved


def reminder_noted(*, task: Assignment, text: str, data: dict[str, Any]) -> AssignmentEvent:
    """A reminder went out about this task: its timeline shows it. Called by the reminders app
    inside the transaction that logs the reminder; the audit trail is the reminder log itself."""
    return _event(task, actor=None, kind=EventKind.REMINDER, text=text, data=data, actor_org=None)


def occurrences_create(*, today: dt.date | None = None) -> int:
    """Create this period's report of every recurring task (once: a unique constraint guards
    it against a second scheduler). Each is an ordinary task with the period's date, so it is
    reminded, reported, confirmed and counted like any other. Returns how many were created."""
    from nhiemvu.assignments.recurrence import period_of

    today = today or workdays.today()
    created = 0
    parents = (
        Assignment.objects.filter(
            deadline_kind=DeadlineKind.RECURRING,
            recurring_parent__isnull=True,
            state__in=[WorkState.OPEN, WorkState.RETURNED],
        )
        .select_related("directive", "lead")
        .prefetch_related("coordinations")
    )
    for parent in parents.iterator(chunk_size=200):
        period = period_of(parent.recurrence, parent.recurrence_day, today)
        if period is None or period.due < parent.assigned_on:
            continue
        if Assignment.objects.filter(recurring_parent=parent, period=period.key).exists():
            continue
        try:
            with transaction.atomic():
                task = Assignment.objects.create(
                    directive=parent.directive,
                    recurring_parent=parent,
                    period=period.key,
                    content=f"{parent.content}\n\n(Kỳ báo cáo: {period.label})",
                    summary=_summary(f"{parent.summary} — {period.label}"),
                    lead=parent.lead,
                    original_lead=parent.lead,
                    deliverable_kind=parent.deliverable_kind,
                    deliverable_text=parent.deliverable_text,
                    deadline_kind=DeadlineKind.FIXED,
                    deadline=period.due,
                    original_deadline=period.due,
                    assigned_by=parent.assigned_by,
                    assigned_on=max(period.start, parent.assigned_on),
                    urgency=parent.urgency,
                    search_text=parent.search_text,
                    created_by=parent.created_by,
                )
                Coordination.objects.bulk_create(
                    [
                        Coordination(assignment=task, org_id=c.org_id)
                        for c in parent.coordinations.all()
                    ]
                )
                _event(
                    task,
                    actor=None,
                    kind=EventKind.ASSIGNED,
                    state_after=WorkState.OPEN,
                    data={"recurring": parent.code, "period": period.key},
                )
                record(
                    actor=None,
                    action="assignment.occurrence",
                    target=task,
                    after={"parent": parent.code, "period": period.key, "deadline": period.due},
                )
        except IntegrityError:
            continue  # created by another scheduler a moment ago
        created += 1
    return created
