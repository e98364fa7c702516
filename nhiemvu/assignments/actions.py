"""The task page's and the API's actions: for each workflow transition, its button label, the
form that validates its input (the same Vietnamese messages in the browser and in API error
bodies) and the service it calls.

Who may take an action and in which states is not decided here: ``workflow.py`` says it, for
these buttons, the API, the home pages and the services alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhiemvu.assignments import forms as f
from nhiemvu.assignments import services, workflow
from nhiemvu.assignments.models import Assignment, EventKind, Extension, ExtensionStatus
from nhiemvu.directives.files import check_signatures
from nhiemvu.forms import StyledForm
from nhiemvu.lib.deliverables import kind_of


@dataclass
class Action:
    """A button on the task page: who may see it, its form, and the service it calls."""

    label: Any
    form: type[StyledForm]
    run: Callable[[Any, Assignment, dict[str, Any], HttpRequest], object]
    danger: bool = False


def _files(request: HttpRequest) -> list[Any]:
    upload = request.FILES.get("file")
    if upload is None:
        return []
    check_signatures(upload)  # here, before the service's transaction and its locks
    return [upload]


def _explanation(data: dict[str, Any]) -> services.ExplanationSpec | None:
    """The explanation fields of a form, when any was given (the service says if one is due)."""
    if not (data.get("cause") or data.get("explanation")):
        return None
    return services.ExplanationSpec(
        cause=data.get("cause"),
        text=data.get("explanation", ""),
        remedy=data.get("remedy", ""),
        other_org=data.get("other_org"),
    )


def _pending(task: Assignment, code: str) -> Extension:
    extension = Extension.objects.filter(
        assignment=task, code=code, status=ExtensionStatus.PENDING
    ).first()
    if extension is None:
        raise ValidationError(_("This request has already been decided."))
    return extension


ACTIONS: dict[str, Action] = {
    "accept": Action(
        gettext_lazy("Accept"),
        f.NoteForm,
        lambda actor, task, data, request: services.assignment_accept(actor=actor, task=task),
    ),
    "refuse": Action(
        gettext_lazy("Refuse"),
        f.ReasonForm,
        lambda actor, task, data, request: services.assignment_refuse(
            actor=actor, task=task, reason=data["reason"]
        ),
        danger=True,
    ),
    "progress": Action(
        gettext_lazy("Report progress"),
        f.ProgressForm,
        lambda actor, task, data, request: services.assignment_report_progress(
            actor=actor,
            task=task,
            text=data["text"],
            percent=data["percent"],
            files=_files(request),
        ),
    ),
    "complete": Action(
        gettext_lazy("Report completion"),
        f.CompletionForm,
        lambda actor, task, data, request: services.assignment_report_completion(
            actor=actor,
            task=task,
            output_ref=data["output_ref"],
            output_date=data["output_date"],
            text=data["text"],
            files=_files(request),
            explanation=_explanation(data),
        ),
    ),
    "extend": Action(
        gettext_lazy("Request extension"),
        f.ExtensionForm,
        lambda actor, task, data, request: services.extension_request(
            actor=actor,
            task=task,
            proposed_deadline=data["proposed_deadline"],
            reason=data["reason"],
            explanation=_explanation(data),
        ),
    ),
    "explain": Action(
        gettext_lazy("Explain the delay"),
        f.ExplainForm,
        lambda actor, task, data, request: services.assignment_explain(
            actor=actor,
            task=task,
            spec=_explanation(data),  # type: ignore[arg-type]
        ),
    ),
    "return_explanation": Action(
        gettext_lazy("Return the explanation"),
        f.ReasonForm,
        lambda actor, task, data, request: services.explanation_return(
            actor=actor, task=task, reason=data["reason"]
        ),
        danger=True,
    ),
    "confirm": Action(
        gettext_lazy("Confirm completion"),
        f.NoteForm,
        lambda actor, task, data, request: services.assignment_confirm(
            actor=actor, task=task, note=data["note"]
        ),
    ),
    "return": Action(
        gettext_lazy("Return for rework"),
        f.ReasonForm,
        lambda actor, task, data, request: services.assignment_return(
            actor=actor, task=task, reason=data["reason"]
        ),
        danger=True,
    ),
    "advise": Action(
        gettext_lazy("Advise on extension"),
        f.AdviceForm,
        lambda actor, task, data, request: services.extension_advise(
            actor=actor, extension=_pending(task, data["extension"]), advice=data["advice"]
        ),
    ),
    "decide": Action(
        gettext_lazy("Decide on extension"),
        f.DecisionForm,
        lambda actor, task, data, request: services.extension_decide(
            actor=actor,
            extension=_pending(task, data["extension"]),
            approve=data["approve"],
            note=data["note"],
            new_deadline=data["new_deadline"],
        ),
    ),
    "pause": Action(
        gettext_lazy("Pause"),
        f.ReasonForm,
        lambda actor, task, data, request: services.assignment_pause(
            actor=actor, task=task, reason=data["reason"]
        ),
        danger=True,
    ),
    "resume": Action(
        gettext_lazy("Resume"),
        f.NoteForm,
        lambda actor, task, data, request: services.assignment_resume(
            actor=actor, task=task, note=data["note"]
        ),
    ),
    "reassign": Action(
        gettext_lazy("Reassign"),
        f.ReassignForm,
        lambda actor, task, data, request: services.assignment_reassign(
            actor=actor, task=task, lead=data["lead"], reason=data["reason"]
        ),
    ),
    "delegate": Action(
        gettext_lazy("Pass on inside the agency"),
        f.DelegateForm,
        lambda actor, task, data, request: services.assignment_delegate(
            actor=actor,
            task=task,
            assignee=data["assignee"],
            internal_deadline=data["internal_deadline"],
            division=data["division"],
            note=data["note"],
        ),
    ),
    "report_inside": Action(
        gettext_lazy("Report to the head"),
        f.InternalReportForm,
        lambda actor, task, data, request: services.delegation_report(
            actor=actor, task=task, text=data["text"], percent=data["percent"]
        ),
    ),
    "split": Action(
        gettext_lazy("Assign a sub-task"),
        f.SubtaskForm,
        lambda actor, task, data, request: services.subtask_create(
            actor=actor,
            upper=task,
            spec=services.TaskSpec(
                content=data["content"],
                lead=data["lead"],
                coordinators=list(data["coordinators"]),
                deadline=data["deadline"],
                deliverable_kind=kind_of(data["deliverable_text"]),
                deliverable_text=data["deliverable_text"],
            ),
        ),
    ),
    "report_upward": Action(
        gettext_lazy("Record the report upward"),
        f.UpwardReportForm,
        lambda actor, task, data, request: services.received_report_upward(
            actor=actor,
            task=task,
            ref=data["ref"],
            report_date=data["report_date"],
            text=data["text"],
        ),
    ),
    "comment": Action(
        gettext_lazy("Comment"),
        f.CommentForm,
        lambda actor, task, data, request: services.comment_add(
            actor=actor, task=task, text=data["text"], files=_files(request)
        ),
    ),
}


def pending_request(task: Assignment) -> Extension | None:
    return task.extensions.filter(status=ExtensionStatus.PENDING).first()


def offered(actor: Any, task: Assignment, pending: Extension | None) -> dict[str, Action]:
    """The actions this actor may take on this task now, as the workflow table says."""
    return {name: ACTIONS[name] for name in workflow.available(actor, task, pending)}


def permitted(name: str, actor: Any, task: Assignment) -> bool:
    """Whether the actor may take this kind of step on this task at all (in some state): a
    form posted in the wrong state gets the workflow's message, one posted by the wrong person
    a 403."""
    return bool(workflow.TRANSITIONS[name].may(actor, task, pending_request(task)))


def notice_first(actions: dict[str, Action], kind: str | None) -> tuple[dict[str, Action], str]:
    """The page opened from a notice about a ``kind`` of timeline entry (issue 32): the step the
    notice asks for first (workflow.step_of_notice), named for what it is now: after a return,
    the completion report is "report again". ("", the actions as they were) when none."""
    step = workflow.step_of_notice(kind, list(actions))
    if step is None:
        return actions, ""
    first = actions[step]
    if step == "complete" and kind == EventKind.RETURNED:
        first = replace(first, label=gettext_lazy("Report again"))
    return {step: first, **{n: a for n, a in actions.items() if n != step}}, step
