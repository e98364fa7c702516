"""The lifecycle steps of DOMAIN.md §3 on one task: accept, refuse, reassign, report progress and
completion, confirm, return, pause, resume, comment. Each checks the workflow table first
(workflow.check) and takes its target state, timeline event and audit action from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments import explanations, workflow
from nhiemvu.assignments.models import (
    Assignment,
    AssignmentEvent,
    Coordination,
    EventKind,
    ExplanationTrigger,
    LeadChange,
    LeadChangeReason,
    WorkState,
)
from nhiemvu.assignments.services.common import (
    AUDIT_EXCERPT_CHARS,
    _actor_org,
    _attach,
    _check_org_active,
    _event,
    _locked,
    _output_document,
    _step_happened,
    _text,
)
from nhiemvu.assignments.services.delegation import delegation_end_with_lead
from nhiemvu.assignments.services.explanations import ExplanationSpec, explain_with
from nhiemvu.assignments.status import stamp_late
from nhiemvu.conf import setting
from nhiemvu.directives.files import report_signature_problem
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import Organisation


@transaction.atomic
def assignment_accept(*, actor: Any, task: Assignment) -> Assignment:
    task = _locked(task)
    step = workflow.check("accept", actor, task)
    task.accepted_at = workdays.now()
    task.save(update_fields=["accepted_at", "updated_at"])
    _step_happened(
        task,
        step,
        actor=actor,
    )
    return task


def _change_state(
    name: str, *, actor: Any, task: Assignment, reason: str, office: bool = False
) -> Assignment:
    """A step that only moves the work state, for a reason (refuse, pause): the table gives
    the target, the timeline event and the audit action. The state left is kept on the event
    (a paused task resumes to it)."""
    task = _locked(task)
    step = workflow.check(name, actor, task)
    reason = _text(reason, field_name="reason", required=True, label=_("The reason"))
    before = task.state
    task.state = step.leads_to
    task.save(update_fields=["state", "updated_at"])
    _step_happened(
        task,
        step,
        actor=actor,
        state_after=task.state,
        text=reason,
        data={"resume_to": before},
        before={"state": before},
        after={"state": task.state, "reason": reason},
        # The office acts for itself; an agency's step is signed by the lead agency.
        actor_org=_actor_org(actor) if office else None,
    )
    return task


@transaction.atomic
def assignment_refuse(*, actor: Any, task: Assignment, reason: str) -> Assignment:
    """The lead agency says the task is not its own; the office then reassigns it."""
    return _change_state("refuse", actor=actor, task=task, reason=reason)


@transaction.atomic
def assignment_reassign(
    *, actor: Any, task: Assignment, lead: Organisation, reason: str = ""
) -> Assignment:
    """The office gives a refused (or wrongly addressed) task to another lead agency."""
    task = _locked(task)
    step = workflow.check("reassign", actor, task)
    if lead.pk == task.lead_id:
        raise ValidationError({"lead": _("The task is already assigned to this agency.")})
    _check_org_active(lead, "lead")
    reason = _text(reason, field_name="reason", required=False, label=_("The reason"))
    before = {"lead": task.lead.code, "state": task.state}
    # The inside of the agency that led it ends with its lead (issue 24).
    delegation_end_with_lead(actor=actor, task=task, reason=LeadChangeReason.REASSIGN)
    LeadChange.objects.create(
        assignment=task,
        on=workdays.today(),
        from_org=task.lead,
        to_org=lead,
        reason=LeadChangeReason.REASSIGN,
    )
    task.lead = lead
    task.state = step.leads_to
    task.accepted_at = None
    task.save(update_fields=["lead", "state", "accepted_at", "updated_at"])
    Coordination.objects.filter(assignment=task, org=lead).delete()
    _step_happened(
        task,
        step,
        actor=actor,
        state_after=task.state,
        text=reason,
        data={"from": before["lead"], "to": lead.code},
        before=before,
        after={"lead": lead.code, "state": task.state, "reason": reason},
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
    step = workflow.check("progress", actor, task)
    text = _text(text, field_name="text", required=True, label=_("The progress report"))
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress must be between 0 and 100%.")})
    before = task.progress_percent
    if percent is not None:
        task.progress_percent = percent
        task.save(update_fields=["progress_percent", "updated_at"])
    event = _step_happened(
        task,
        step,
        actor=actor,
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
    explanation: ExplanationSpec | None = None,
) -> Assignment:
    """The lead agency reports the work done, with its output document; awaits confirmation.
    Dated after the deadline, it comes with the explanation of the delay (issue 18)."""
    task = _locked(task)
    step = workflow.check("complete", actor, task)
    output_ref = _output_document(task, output_ref, output_date)
    text = _text(text, field_name="text", required=False, label=_("The note"))
    late = explanations.required(
        ExplanationTrigger.LATE_COMPLETION,
        deadline=task.deadline,
        day=workdays.today(),
        output_date=output_date,
    )
    if late:
        explain_with(task, actor, explanation, ExplanationTrigger.LATE_COMPLETION)
    task.state = step.leads_to
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
    event = _step_happened(
        task,
        step,
        actor=actor,
        state_after=task.state,
        text=text,
        doc_date=output_date,
        data={"output_ref": output_ref},
        after={"output_ref": output_ref, "output_date": output_date},
    )
    _attach(task, event, actor, files)
    return task


# --- the office's and the Working Group's side ----------------------------------------------


def completion_files(task: Assignment) -> list[Any]:
    """The files sent with the latest completion report (the output document)."""
    event = task.events.filter(kind=EventKind.COMPLETION).order_by("-at", "-id").first()
    return list(event.attachments.all()) if event else []


@transaction.atomic
def assignment_confirm(*, actor: Any, task: Assignment, note: str = "") -> Assignment:
    """Confirm a reported completion. On time or late is stamped now, once."""
    task = _locked(task)
    step = workflow.check("confirm", actor, task)
    assert task.completion_date is not None  # the transition's condition
    note = _text(note, field_name="note", required=False, label=_("The note"))
    if setting("UNSIGNED_REPORT_POLICY") == "refuse":
        # The province counts only a report its agency signed (issue 17); by default the person
        # confirming is warned instead (the task page's confirm form).
        problem = report_signature_problem(completion_files(task), task.lead)
        if problem:
            raise ValidationError(problem)
    task.completed_late = stamp_late(
        completion_date=task.completion_date,
        deadline=task.deadline,
        original_deadline=task.original_deadline,
    )
    before = task.state
    task.state = step.leads_to
    task.confirmed_on = workdays.today()
    task.save(update_fields=["state", "completed_late", "confirmed_on", "updated_at"])
    _step_happened(
        task,
        step,
        actor=actor,
        state_after=task.state,
        text=note,
        data={"late": task.completed_late},
        before={"state": before},
        after={"state": task.state, "late": task.completed_late},
        actor_org=_actor_org(actor),
    )
    return task


@transaction.atomic
def assignment_return(*, actor: Any, task: Assignment, reason: str) -> Assignment:
    """Send a completion report back: the task is open again (Thực hiện lại)."""
    task = _locked(task)
    step = workflow.check("return", actor, task)
    reason = _text(reason, field_name="reason", required=True, label=_("The reason"))
    before = {
        "state": task.state,
        "completion_date": task.completion_date,
        "completion_ref": task.completion_ref,
    }
    task.state = step.leads_to
    task.completion_date = None
    task.completion_ref = ""
    task.save(update_fields=["state", "completion_date", "completion_ref", "updated_at"])
    _step_happened(
        task,
        step,
        actor=actor,
        state_after=task.state,
        text=reason,
        before=before,
        after={"state": task.state, "reason": reason},
        actor_org=_actor_org(actor),
    )
    return task


@transaction.atomic
def assignment_pause(*, actor: Any, task: Assignment, reason: str) -> Assignment:
    return _change_state("pause", actor=actor, task=task, reason=reason, office=True)


@transaction.atomic
def assignment_resume(*, actor: Any, task: Assignment, note: str = "") -> Assignment:
    task = _locked(task)
    step = workflow.check("resume", actor, task)
    last_pause = task.events.filter(kind=EventKind.PAUSED).order_by("-at", "-id").first()
    # The transition's target is "the state before the pause", kept on the pause event.
    resume_to = (last_pause.data.get("resume_to") if last_pause else None) or WorkState.OPEN
    note = _text(note, field_name="note", required=False, label=_("The note"))
    task.state = resume_to
    task.save(update_fields=["state", "updated_at"])
    _step_happened(
        task,
        step,
        actor=actor,
        state_after=resume_to,
        text=note,
        before={"state": WorkState.PAUSED},
        after={"state": resume_to},
        actor_org=_actor_org(actor),
    )
    return task


@transaction.atomic
def comment_add(
    *, actor: Any, task: Assignment, text: str, files: Iterable[UploadedFile] = ()
) -> AssignmentEvent:
    step = workflow.check("comment", actor, task)
    text = _text(text, field_name="text", required=True, label=_("The comment"))
    event = _step_happened(
        task,
        step,
        actor=actor,
        text=text,
        after={"text": text[:AUDIT_EXCERPT_CHARS]},
    )
    _attach(task, event, actor, files)
    return event


def reminder_noted(*, task: Assignment, text: str, data: dict[str, Any]) -> AssignmentEvent:
    """A reminder went out about this task: its timeline shows it. Called by the reminders app
    inside the transaction that logs the reminder; the audit trail is the reminder log itself."""
    return _event(task, actor=None, kind=EventKind.REMINDER, text=text, data=data, actor_org=None)


def reminders_noted(*, notes: list[tuple[int, str, dict[str, Any]]]) -> int:
    """Many reminders went out in one run (task id, text, data each): their timeline entries in
    one bulk insert, inside the reminders' transaction. A reminder changes no state, so nothing
    else of the task is touched (``_event`` would move ``history_on`` only for a state change).
    """
    now, today = workdays.now(), workdays.today()
    AssignmentEvent.objects.bulk_create(
        (
            AssignmentEvent(
                assignment_id=task_id,
                kind=EventKind.REMINDER,
                at=now,
                on=today,
                text=text,
                data=data,
            )
            for task_id, text, data in notes
        ),
        batch_size=2000,
    )
    return len(notes)
