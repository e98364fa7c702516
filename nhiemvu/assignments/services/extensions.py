"""Extension requests: the lead agency asks, the office advises, the assigning leader decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments import explanations, workflow
from nhiemvu.assignments.models import (
    Assignment,
    DeadlineKind,
    ExplanationTrigger,
    Extension,
    ExtensionKind,
    ExtensionStatus,
)
from nhiemvu.assignments.services.common import (
    EXTENSION_YEARS_AHEAD,
    _actor_org,
    _happened,
    _locked,
    _step_happened,
    _text,
)
from nhiemvu.assignments.services.explanations import ExplanationSpec, explain_with
from nhiemvu.conf import setting
from nhiemvu.lib import workdays


def _if_pending(extension: Extension) -> Extension | None:
    """The request as the workflow sees it: awaiting decision, or none."""
    return extension if extension.status == ExtensionStatus.PENDING else None


@transaction.atomic
def extension_request(
    *,
    actor: Any,
    task: Assignment,
    proposed_deadline: dt.date,
    reason: str,
    explanation: ExplanationSpec | None = None,
) -> Extension:
    """Ask to move the deadline (or, for a task without one, propose a completion date). Asked
    after the deadline (where the province allows it), with the explanation of the delay."""
    task = _locked(task)
    pending = Extension.objects.filter(assignment=task, status=ExtensionStatus.PENDING).first()
    step = workflow.check("extend", actor, task, pending)
    reason = _text(reason, field_name="reason", required=True, label=_("The reason"))
    today = workdays.today()
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
    if explanations.required(ExplanationTrigger.LATE_EXTENSION, deadline=task.deadline, day=today):
        explain_with(task, actor, explanation, ExplanationTrigger.LATE_EXTENSION)
    if proposed_deadline.year > today.year + EXTENSION_YEARS_AHEAD:
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
    _step_happened(
        task,
        step,
        actor=actor,
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
    step = workflow.check("advise", actor, task, _if_pending(extension))
    advice = _text(advice, field_name="advice", required=True, label=_("The advice"))
    extension.office_advice = advice
    extension.advised_by = actor
    extension.save(update_fields=["office_advice", "advised_by"])
    _step_happened(
        task,
        step,
        actor=actor,
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
    step = workflow.check("decide", actor, task, _if_pending(extension))
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
        kind, action = step.event, step.audit
    else:
        extension.status = ExtensionStatus.DENIED
        assert step.otherwise is not None
        kind, action = step.otherwise
    extension.save()
    _happened(
        task,
        actor=actor,
        kind=kind,
        action=action,
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
