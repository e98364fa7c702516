"""Registering tasks: one task, a group fanned out to its members, or a whole document with its
tasks (all or nothing). A deliverable without deadline needs its reason
(lib.deliverables.needs_deadline_reason)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments.models import (
    Assignment,
    AssignmentGroup,
    Coordination,
    DeadlineKind,
    DeliverableKind,
    EventKind,
    Recurrence,
    WorkState,
)
from nhiemvu.assignments.services.common import (
    DEADLINE_YEARS_AHEAD,
    REF_CHARS,
    SUMMARY_CHARS,
    _check_org_active,
    _deny,
    _happened,
    _summary,
    _text,
)
from nhiemvu.directives.models import Directive, Urgency
from nhiemvu.directives.services import DirectiveSpec, directive_create
from nhiemvu.lib.deliverables import needs_deadline_reason
from nhiemvu.lib.orgkinds import UPPER
from nhiemvu.lib.vntext import clean_line, fold, normalize
from nhiemvu.orgs.models import Organisation, OrgKind
from nhiemvu.orgs.rules import allows, is_office


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
    # The issuer's own code of a task received from above ("Nhiệm vụ số 12" of a resolution).
    external_code: str = ""
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
            external_code=data.get("external_code") or "",
        )


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
    too_far = directive.doc_date.year + DEADLINE_YEARS_AHEAD
    if spec.deadline is not None and spec.deadline.year > too_far:
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
    flagged = needs_deadline_reason(spec.deliverable_kind, spec.deadline, spec.recurrence)
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
        "deliverable_text": clean_line(spec.deliverable_text)[:SUMMARY_CHARS],
        "deadline_kind": kind,
        "original_deadline": spec.deadline,
        "deadline": spec.deadline,
        "deadline_time": spec.deadline_time,
        "recurrence": spec.recurrence,
        "recurrence_rule": clean_line(spec.recurrence_rule)[:REF_CHARS],
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
    upper: Assignment | None = None,
    assigned_on: dt.date | None = None,
    external_code: str = "",
) -> Assignment:
    _check_org_active(lead, "lead")
    # Work from above: a task in a document of the Government, the Prime Minister or a ministry
    # is received by the province itself, which splits it for its agencies (services/upward.py).
    received = upper is None and directive.issuer.kind in UPPER
    if received and lead.kind != OrgKind.PROVINCE:
        raise ValidationError(
            {
                "lead": _(
                    "A task from %(issuer)s is received by the Provincial People's Committee; "
                    "register it for the province, then split it into sub-tasks for agencies."
                )
                % {"issuer": directive.issuer.name}
            }
        )
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
        assigned_on=assigned_on or directive.doc_date,
        created_by=actor,
        received=received,
        external_code=clean_line(external_code)[:60] if received else "",
        upper=upper,
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
def assignment_create(
    *,
    actor: Any,
    directive: Directive,
    spec: TaskSpec,
    upper: Assignment | None = None,
    assigned_on: dt.date | None = None,
) -> list[Assignment]:
    """Add a task (or a group of tasks) to a registered document. Office only.

    With ``upper``: sub-tasks of a received task, assigned on ``assigned_on`` (the day the
    office splits it), not on the document's date."""
    if not allows(actor, is_office):
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
                upper=upper,
                assigned_on=assigned_on,
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
            upper=upper,
            assigned_on=assigned_on,
            external_code=spec.external_code,
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
