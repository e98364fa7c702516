"""What can be done to a task: the same table serves the task page and the API.

Each action names who may take it (a rules predicate), the form that validates its input
(the same Vietnamese messages in the browser and in API error bodies), the service it calls,
and in which states it makes sense.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhiemvu.assignments import forms as f
from nhiemvu.assignments import rules as perms
from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment, Extension, ExtensionStatus


@dataclass
class Action:
    """A button on the task page: who may see it, its form, and the service it calls."""

    label: Any
    form: type[forms.Form]
    allowed: Callable[[Any, Assignment], bool]
    run: Callable[[Any, Assignment, dict[str, Any], HttpRequest], object]
    danger: bool = False


def _files(request: HttpRequest) -> list[Any]:
    return [request.FILES["file"]] if "file" in request.FILES else []


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
        perms.can_act_as_lead,
        lambda u, t, d, r: services.assignment_accept(actor=u, task=t),
    ),
    "refuse": Action(
        gettext_lazy("Refuse"),
        f.ReasonForm,
        perms.can_act_as_lead,
        lambda u, t, d, r: services.assignment_refuse(actor=u, task=t, reason=d["reason"]),
        danger=True,
    ),
    "progress": Action(
        gettext_lazy("Report progress"),
        f.ProgressForm,
        perms.can_act_as_lead,
        lambda u, t, d, r: services.assignment_report_progress(
            actor=u, task=t, text=d["text"], percent=d["percent"], files=_files(r)
        ),
    ),
    "complete": Action(
        gettext_lazy("Report completion"),
        f.CompletionForm,
        perms.can_act_as_lead,
        lambda u, t, d, r: services.assignment_report_completion(
            actor=u,
            task=t,
            output_ref=d["output_ref"],
            output_date=d["output_date"],
            text=d["text"],
            files=_files(r),
        ),
    ),
    "extend": Action(
        gettext_lazy("Request extension"),
        f.ExtensionForm,
        perms.can_act_as_lead,
        lambda u, t, d, r: services.extension_request(
            actor=u, task=t, proposed_deadline=d["proposed_deadline"], reason=d["reason"]
        ),
    ),
    "confirm": Action(
        gettext_lazy("Confirm completion"),
        f.NoteForm,
        perms.can_confirm,
        lambda u, t, d, r: services.assignment_confirm(actor=u, task=t, note=d["note"]),
    ),
    "return": Action(
        gettext_lazy("Return for rework"),
        f.ReasonForm,
        perms.can_confirm,
        lambda u, t, d, r: services.assignment_return(actor=u, task=t, reason=d["reason"]),
        danger=True,
    ),
    "advise": Action(
        gettext_lazy("Advise on extension"),
        f.AdviceForm,
        perms.can_manage,
        lambda u, t, d, r: services.extension_advise(
            actor=u, extension=_pending(t, d["extension"]), advice=d["advice"]
        ),
    ),
    "decide": Action(
        gettext_lazy("Decide on extension"),
        f.DecisionForm,
        perms.can_decide_extension,
        lambda u, t, d, r: services.extension_decide(
            actor=u,
            extension=_pending(t, d["extension"]),
            approve=d["approve"],
            note=d["note"],
            new_deadline=d["new_deadline"],
        ),
    ),
    "pause": Action(
        gettext_lazy("Pause"),
        f.ReasonForm,
        perms.can_manage,
        lambda u, t, d, r: services.assignment_pause(actor=u, task=t, reason=d["reason"]),
        danger=True,
    ),
    "resume": Action(
        gettext_lazy("Resume"),
        f.NoteForm,
        perms.can_manage,
        lambda u, t, d, r: services.assignment_resume(actor=u, task=t, note=d["note"]),
    ),
    "reassign": Action(
        gettext_lazy("Reassign"),
        f.ReassignForm,
        perms.can_manage,
        lambda u, t, d, r: services.assignment_reassign(
            actor=u, task=t, lead=d["lead"], reason=d["reason"]
        ),
    ),
    "comment": Action(
        gettext_lazy("Comment"),
        f.CommentForm,
        perms.can_comment,
        lambda u, t, d, r: services.comment_add(actor=u, task=t, text=d["text"], files=_files(r)),
    ),
}


def applies(name: str, task: Assignment, pending: Extension | None) -> bool:
    """Show only the buttons that make sense in the task's current state."""
    state = task.state
    return {
        "accept": state == "open" and task.accepted_at is None,
        "refuse": state == "open" and task.accepted_at is None,
        "progress": state in ("open", "returned"),
        "complete": state in ("open", "returned"),
        "extend": state in ("open", "returned") and pending is None,
        "confirm": state == "reported",
        "return": state == "reported",
        "advise": pending is not None,
        "decide": pending is not None,
        "pause": state in ("open", "returned", "refused"),
        "resume": state == "paused",
        "reassign": state in ("open", "refused", "returned"),
        "comment": True,
    }[name]
