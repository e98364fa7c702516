"""Explanations of delay (issue 18): the lead agency explains, the office may return it as
insufficient (which asks for it again). The rules of when: assignments/explanations.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments import explanations, workflow
from nhiemvu.assignments.models import (
    Assignment,
    DelayCause,
    EventKind,
    Explanation,
    ExplanationTrigger,
)
from nhiemvu.assignments.services.common import (
    _actor_org,
    _happened,
    _locked,
    _step_happened,
    _text,
)
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import Organisation

# The list a new installation starts with (migration 0011 seeds the same); administrators edit it.
DEFAULT_CAUSES = [
    ("cho-co-quan-khac", "Chờ ý kiến, số liệu của cơ quan khác", True),
    ("vuong-mac-phap-ly", "Vướng mắc pháp lý, thủ tục", False),
    ("chua-bo-tri-von", "Chưa được bố trí kinh phí, vốn", False),
    ("giai-phong-mat-bang", "Vướng mắc giải phóng mặt bằng", False),
    ("thay-doi-pham-vi", "Nội dung, phạm vi nhiệm vụ thay đổi", False),
    ("khoi-luong-lon", "Khối lượng công việc lớn, thiếu nhân lực", False),
    ("khong-ro-nguyen-nhan", "Chưa rõ nguyên nhân, chủ quan", False),
]


def delay_causes_ensure() -> None:
    """The default causes, where missing (a database emptied and loaded again, a test flush);
    an administrator's edits are kept."""
    for position, (code, name, names_org) in enumerate(DEFAULT_CAUSES, 1):
        DelayCause.objects.get_or_create(
            code=code, defaults={"name": name, "names_org": names_org, "position": position}
        )


@dataclass
class ExplanationSpec:
    """What the lead agency says of a delay."""

    cause: DelayCause | None
    text: str
    remedy: str = ""
    other_org: Organisation | None = None


def _record(
    task: Assignment, actor: Any, spec: ExplanationSpec | None, trigger: str
) -> Explanation:
    """Check and store an explanation; the caller writes the timeline entry (its own step's, or
    the explanation's)."""
    if spec is None or spec.cause is None:
        raise ValidationError(
            {"cause": _("The task is late: choose the cause of the delay and explain it.")}
        )
    if not spec.cause.active:
        raise ValidationError({"cause": _("This cause is no longer in use: choose another.")})
    text = _text(spec.text, field_name="explanation", required=True, label=_("The explanation"))
    remedy = _text(spec.remedy, field_name="remedy", required=False, label=_("The remedy"))
    other = spec.other_org if spec.cause.names_org else None
    if spec.cause.names_org and other is None:
        raise ValidationError(
            {"other_org": _("Name the organisation whose input the task waited for.")}
        )
    if other is not None and other.pk == task.lead_id:
        raise ValidationError(
            {"other_org": _("Name another organisation than the lead agency itself.")}
        )
    author_org = _actor_org(actor, task)
    assert author_org is not None  # workflow: the lead agency's people
    return Explanation.objects.create(
        assignment=task,
        trigger=trigger,
        cause=spec.cause,
        other_org=other,
        text=text,
        remedy=remedy,
        author=actor,
        author_org=author_org,
        submitted_at=workdays.now(),
        submitted_on=workdays.today(),
    )


def _event_data(explanation: Explanation) -> dict[str, Any]:
    return {
        "explanation": explanation.code,
        "cause": explanation.cause.code,
        "other": explanation.other_org.code if explanation.other_org else None,
        "trigger": explanation.trigger,
    }


def explain_with(
    task: Assignment, actor: Any, spec: ExplanationSpec | None, trigger: str
) -> Explanation:
    """An explanation given with another step (a late completion, a late extension request):
    stored, and on the timeline as its own entry."""
    explanation = _record(task, actor, spec, trigger)
    _happened(
        task,
        actor=actor,
        kind=EventKind.EXPLAINED,
        action="assignment.explain",
        text=f"{explanation.cause.name}: {explanation.text}",
        data=_event_data(explanation),
        after=_event_data(explanation),
    )
    return explanation


@transaction.atomic
def assignment_explain(*, actor: Any, task: Assignment, spec: ExplanationSpec) -> Explanation:
    """The lead agency explains why an open task is past its deadline."""
    task = _locked(task)
    step = workflow.check("explain", actor, task)
    explanation = _record(task, actor, spec, ExplanationTrigger.OVERDUE)
    _step_happened(
        task,
        step,
        actor=actor,
        text=f"{explanation.cause.name}: {explanation.text}",
        data=_event_data(explanation),
        after=_event_data(explanation),
    )
    return explanation


@transaction.atomic
def explanation_return(*, actor: Any, task: Assignment, reason: str) -> Explanation:
    """The office finds the explanation insufficient: it stops counting, and is asked again."""
    task = _locked(task)
    step = workflow.check("return_explanation", actor, task)
    reason = _text(reason, field_name="reason", required=True, label=_("The reason"))
    today = workdays.today()
    # The one in force today (the rule's, not "the latest not returned": an older explanation
    # never stands in for a returned newer one). The task row is locked, so none is added now.
    explanation = explanations.explanation_in_force(task, today)
    if explanation is None:
        raise ValidationError(_("There is no explanation to return."))
    explanation.return_reason = reason
    explanation.returned_on = today
    explanation.save(update_fields=["return_reason", "returned_on"])
    _step_happened(
        task,
        step,
        actor=actor,
        text=reason,
        data={"explanation": explanation.code},
        after={"explanation": explanation.code, "reason": reason},
        actor_org=_actor_org(actor),
    )
    return explanation
