"""Inside the lead agency: the head passes a task on to one of its people with an internal
deadline, and that person reports back to the head. The province sees none of it (no timeline
entry, no change of status); the agency still reports to the province through the usual steps.
Each write is audited like every other.

The inside belongs to the agency that wrote it: a change of lead (reassign, a reorganisation's
transfer plan) ends the agency's hand-over in the same transaction (delegation_end_with_lead),
kept in that agency's inside history, and the next lead never reads it (rules.sees_inside)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments import workflow
from nhiemvu.assignments.models import (
    Assignment,
    Delegation,
    DelegationEnd,
    InternalReport,
    LeadChangeReason,
)
from nhiemvu.assignments.services.common import AUDIT_EXCERPT_CHARS, _locked, _text
from nhiemvu.assignments.signals import internal_reported, task_delegated
from nhiemvu.audit.services import record
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line
from nhiemvu.orgs.selectors import acting_memberships

DIVISION_CHARS = 200


@transaction.atomic
def assignment_delegate(
    *,
    actor: Any,
    task: Assignment,
    assignee: Any,
    internal_deadline: dt.date | None = None,
    division: str = "",
    note: str = "",
) -> Delegation:
    """Pass the task on inside the agency (replacing an earlier hand-over, kept in history)."""
    task = _locked(task)
    step = workflow.check("delegate", actor, task)
    User = get_user_model()
    person = User.objects.filter(pk=getattr(assignee, "pk", assignee), is_active=True).first()
    works_there = (
        person is not None and acting_memberships([task.lead_id]).filter(user=person).exists()
    )
    if person is None or not works_there:
        raise ValidationError(
            {"assignee": _("Choose a person of %(agency)s.") % {"agency": task.lead.name}}
        )
    today = workdays.today()
    if internal_deadline is not None:
        if internal_deadline < today:
            raise ValidationError(
                {"internal_deadline": _("The internal deadline cannot be in the past.")}
            )
        if task.deadline is not None and internal_deadline > task.deadline:
            raise ValidationError(
                {
                    "internal_deadline": _(
                        "The internal deadline must be on or before the province's deadline "
                        "(%(deadline)s)."
                    )
                    % {"deadline": f"{task.deadline:%d/%m/%Y}"}
                }
            )
    note = _text(note, field_name="note", required=False, label=_("The instructions"))
    Delegation.objects.filter(assignment=task, active=True).update(
        active=False, ended_at=workdays.now(), ended_because=DelegationEnd.REPLACED
    )
    delegation = Delegation.objects.create(
        assignment=task,
        org=task.lead,
        assignee=person,
        division=clean_line(division)[:DIVISION_CHARS],
        internal_deadline=internal_deadline,
        note=note,
        delegated_by=actor,
        delegated_at=workdays.now(),
    )
    record(
        actor=actor,
        action=step.audit,
        target=task,
        after={
            "assignee": person.get_username(),
            "division": delegation.division,
            "internal_deadline": internal_deadline,
        },
    )
    task_delegated.send(sender=Assignment, task=task, delegation=delegation)
    return delegation


@transaction.atomic
def delegation_report(
    *, actor: Any, task: Assignment, text: str, percent: int | None = None
) -> InternalReport:
    """The person the task was passed to reports to the agency's head."""
    task = _locked(task)
    step = workflow.check("report_inside", actor, task)
    text = _text(text, field_name="text", required=True, label=_("The report"))
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress must be between 0 and 100%.")})
    delegation = Delegation.objects.get(assignment=task, active=True)
    report = InternalReport.objects.create(
        delegation=delegation, author=actor, at=workdays.now(), text=text, percent=percent
    )
    record(
        actor=actor,
        action=step.audit,
        target=task,
        after={"text": text[:AUDIT_EXCERPT_CHARS], "percent": percent},
    )
    internal_reported.send(sender=Assignment, task=task, delegation=delegation, report=report)
    return report


# A change of lead's reason → why the agency's hand-over ended.
_ENDED_BY_LEAD_CHANGE = {
    LeadChangeReason.REASSIGN: DelegationEnd.REASSIGN,
    LeadChangeReason.TRANSFER: DelegationEnd.TRANSFER,
}


def delegation_end_with_lead(*, actor: Any, task: Assignment, reason: str) -> Delegation | None:
    """The task leaves its lead agency (``reason``: a LeadChangeReason): the agency's hand-over
    ends now, in the caller's transaction, and stays in that agency's inside history (its
    people read why it ended; the next lead reads none of it). Called by every service that
    changes a task's lead, before the new lead is saved."""
    delegation = Delegation.objects.select_for_update().filter(assignment=task, active=True).first()
    if delegation is None:
        return None
    delegation.active = False
    delegation.ended_at = workdays.now()
    delegation.ended_because = _ENDED_BY_LEAD_CHANGE[LeadChangeReason(reason)]
    delegation.save(update_fields=["active", "ended_at", "ended_because"])
    record(
        actor=actor,
        action="assignment.delegation_end",
        target=task,
        before={"assignee": delegation.assignee.get_username(), "agency": delegation.org.code},
        after={"ended_because": delegation.ended_because},
    )
    return delegation
