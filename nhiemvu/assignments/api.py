"""/api/v1/tasks: the list with the web list's filters, the task, creating one, and every action.

Actions run through the same table as the task page (``actions.ACTIONS``): the same permission
predicate, the same form (so the same Vietnamese messages), the same service.
"""

from __future__ import annotations

import inspect
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from nhiemvu import apiforms
from nhiemvu.apicommon import (
    ERRORS,
    STEP_ERRORS,
    WRITE_ERRORS,
    ApiError,
    checked_first,
    cursor_page,
)
from nhiemvu.assignments import rules, selectors, services, workflow
from nhiemvu.assignments import schemas as s
from nhiemvu.assignments.actions import ACTIONS, offered, pending_request
from nhiemvu.assignments.models import Assignment, Extension, ExtensionStatus
from nhiemvu.assignments.services import TaskSpec, assignment_create
from nhiemvu.assignments.status import LABEL_ALIASES, LABEL_NAMES, label_rows
from nhiemvu.directives.files import signatures_out
from nhiemvu.directives.selectors import directive_for
from nhiemvu.orgs.models import Organisation

router = Router(tags=["tasks"])


class TaskFilters(Schema):
    q: s.Clean = Field(default="", max_length=200, description="words, diacritics optional")
    status: s.StatusLabel | Literal["open", "redo"] | None = Field(
        default=None,
        description='a status label; "open": not yet completed (the owed work: open, returned, '
        'refused, reported and not yet confirmed); "redo" is the former name of "returned"',
    )
    org: s.Code | None = None
    role: Literal["", "lead", "coord"] = ""
    doc: s.Clean = Field(default="", max_length=80, description="document code or number/symbol")
    leader: s.Clean = Field(default="", max_length=150, description="assigning leader's user name")
    deliverable: s.Deliverable | Literal["yes", "no"] = ""
    flagged: bool = False
    origin: Literal["", "received", "province"] = Field(
        default="",
        description="received: tasks from the Government, the PM or a ministry; province: the "
        "provincial People's Committee's own",
    )
    deadline_from: s.IsoDate | None = None
    deadline_to: s.IsoDate | None = None
    sort: s.Sort = "deadline"
    after: str = Field(default="", max_length=200)
    before: str = Field(default="", max_length=200)
    limit: int = Field(default=50, ge=1, le=200)
    count: bool = Field(
        default=False, description="also give the total number of matching tasks (`count`)"
    )


def _out(task: Any) -> dict[str, Any]:
    return {
        "code": task.code,
        "summary": task.summary,
        "lead": {"code": task.lead.code, "name": task.lead.name},
        "directive": task.directive.code,
        "directive_ref": task.directive.ref,
        "assigned_on": task.assigned_on,
        "deadline": task.deadline,
        "state": task.state,
        "status": task.st_label,
        "status_name": str(LABEL_NAMES[task.st_label]),
        "deliverable_kind": task.deliverable_kind,
        "flagged": task.flagged,
    }


@router.get("", response={200: s.TaskPage, **ERRORS}, summary="Tasks visible to this key")
def task_list(request: HttpRequest, filters: Query[TaskFilters]) -> Any:
    """The web task list's filters; keyset pages (``next``/``previous`` cursors), 1–200 rows."""
    if (
        filters.deadline_from
        and filters.deadline_to
        and filters.deadline_from > filters.deadline_to
    ):
        raise ApiError(400, "bad_range", _("“Deadline from” is after “Deadline to”."))
    qs = selectors.filter_tasks(
        request.user,
        q=filters.q,
        status=LABEL_ALIASES.get(filters.status or "", filters.status or ""),
        org=filters.org or "",
        role=filters.role,
        doc=filters.doc,
        leader=filters.leader,
        deliverable=filters.deliverable,
        flagged=filters.flagged,
        deadline_from=filters.deadline_from,
        deadline_to=filters.deadline_to,
        origin=filters.origin,
    )
    page = cursor_page(
        qs,
        selectors.SORTS[filters.sort],
        size=filters.limit,
        after=filters.after,
        before=filters.before,
    )
    rows = page.pop("rows")
    label_rows(rows)
    # Counted only when asked: the total is the one part of a page whose cost grows with the
    # number of matches (an index-only count; the page itself is one index range).
    total = selectors.total(qs) if filters.count else None
    return {**page, "count": total, "items": [_out(t) for t in rows]}


def _rollup(user: Any, task: Any) -> dict[str, Any]:
    subs = list(
        selectors.visible_tasks(user)
        .filter(upper=task)
        .select_related("lead")
        .order_by("deadline", "id")
    )
    label_rows(subs)
    stage = services.stage_of(task)
    return {
        "stage": stage.value,
        "stage_name": str(stage.label),
        # The workflow table decides (every sub-task confirmed, and the caller may take the
        # step): the same question the task page asks for its button.
        "may_report_upward": "report_upward" in workflow.available(user, task),
        "progress_percent": task.progress_percent,
        "subtasks": [
            {
                "code": t.code,
                "summary": t.summary,
                "lead": {"code": t.lead.code, "name": t.lead.name},
                "deadline": t.deadline,
                "state": t.state,
                "status": t.st_label,
            }
            for t in subs
        ],
    }


def _detail(request: HttpRequest, code: str) -> dict[str, Any]:
    task = selectors.task_for(request.user, code)
    pending = pending_request(task)
    return {
        **_out(task),
        "content": task.content,
        "received": task.received,
        "external_code": task.external_code,
        "upper": task.upper.code if task.upper_id and task.upper else None,
        "rollup": _rollup(request.user, task) if task.received else None,
        "coordinators": [{"code": o.code, "name": o.name} for o in task.coordinators.all()],
        "deliverable_text": task.deliverable_text,
        "original_deadline": task.original_deadline,
        "no_deadline_reason": task.no_deadline_reason,
        "progress_percent": task.progress_percent,
        "completion_date": task.completion_date,
        "completion_ref": task.completion_ref,
        "confirmed_on": task.confirmed_on,
        "completed_late": task.completed_late,
        "actions": list(offered(request.user, task, pending)),
        "files": [
            {
                "name": f["file"].original_name,
                "sha256": f["file"].sha256,
                "content_type": f["file"].content_type,
                "size": f["file"].size,
                "kind": str(f["kind"]),
                "signatures": signatures_out(f["file"]),
                "signature_error": f["file"].signature_error,
            }
            for f in selectors.files_of(task)
        ],
        "timeline": [
            {
                "kind": e.kind,
                "at": e.at,
                "actor": e.actor.display_name if e.actor else None,
                "organisation": e.actor_org.code if e.actor_org else None,
                "state_after": e.state_after,
                "text": e.text,
            }
            for e in selectors.timeline(task)
        ],
        "extensions": [
            {
                "code": x.code,
                "status": x.status,
                "requested_at": x.requested_at,
                "reason": x.reason,
                "deadline_before": x.deadline_before,
                "proposed_deadline": x.proposed_deadline,
                "office_advice": x.office_advice,
                "new_deadline": x.new_deadline,
            }
            for x in selectors.extensions_of(task)
        ],
    }


@router.get("/{code}", response={200: s.TaskDetail, **ERRORS}, summary="One task")
def task_detail(request: HttpRequest, code: str) -> Any:
    """Every field, the timeline, extension requests, and the actions this key may take now."""
    return _detail(request, code)


def _may_register(request: HttpRequest, **path: Any) -> None:
    # Who asks, before what they sent: a key that may not register tasks learns nothing about
    # the documents or organisations its body names.
    if not rules.can_manage(request.user):
        raise PermissionDenied(_("Only the Provincial Office registers tasks."))


@router.post(
    "",
    response={201: s.TaskDetail, **WRITE_ERRORS},
    summary="Add a task to a document",
    auth=checked_first(_may_register),
)
def task_create(request: HttpRequest, payload: s.TaskIn) -> Any:
    """Only for keys acting as the office (as in the browser): any other key gets 403 whatever
    the body. A deliverable without a deadline needs ``no_deadline_reason`` and stays flagged."""
    directive = directive_for(request.user, payload.directive)
    codes = [payload.lead, *payload.coordinators]
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in orgs]
    if unknown:
        raise DjangoValidationError(
            {
                "lead" if payload.lead in unknown else "coordinators": [
                    _("Unknown organisation: %(codes)s.") % {"codes": ", ".join(unknown)}
                ]
            }
        )
    spec = TaskSpec(
        content=payload.content,
        summary=payload.summary,
        lead=orgs[payload.lead],
        coordinators=[orgs[c] for c in payload.coordinators if c != payload.lead],
        deliverable_kind=payload.deliverable_kind,
        deliverable_text=payload.deliverable_text,
        deadline=payload.deadline,
        no_deadline_reason=payload.no_deadline_reason,
    )
    created = assignment_create(actor=request.user, directive=directive, spec=spec)
    return Status(201, _detail(request, created[0].code))


# --- the workflow's steps, one route each, made from the table --------------------------------
#
# Every step of ``workflow.TRANSITIONS`` that has a form and a service in ``actions.ACTIONS`` is
# a POST /tasks/{code}/<step> (…/extensions/{extension}/<step> for a step on an extension
# request), its body the step's form read by ``apiforms`` (the browser's fields, limits and
# messages), and a multipart twin …/<step>/upload when the form takes a file. Routes are made
# when this module is imported, from the table as it is then: a step added to the table (with its
# action) is in the API without an edit here; tests/test_api_steps.py fails if one is not.
#
# The order of the answers: the key (401), who may take the step on this task (404 for a task
# the key cannot see, 403), whether the task is in a state for it (409, with the workflow's
# reason), then the body (422 for its shape, 400 for the form's and the service's rules).

# A form field the path names instead of the body.
PATH_FIELDS = ("extension",)
_BODIES: dict[type[Any], type[Schema] | None] = {}


def _body(form: type[Any]) -> type[Schema] | None:
    if form not in _BODIES:
        name = form.__name__.removesuffix("Form")
        _BODIES[form] = apiforms.schema_from_form(form, name, Schema, skip=PATH_FIELDS)
    return _BODIES[form]


def _extension_of(task: Assignment, code: str) -> Extension:
    extension = Extension.objects.filter(assignment=task, code=code).first()
    if extension is None:
        raise Http404
    if extension.status != ExtensionStatus.PENDING:
        raise ApiError(409, "wrong_state", _("This request has already been decided."))
    return extension


def _step_check(name: str) -> Any:
    transition = workflow.TRANSITIONS[name]

    def check(request: HttpRequest, code: str = "", extension: str = "", **path: Any) -> None:
        task = selectors.task_for(request.user, code)
        pending = pending_request(task)
        if not transition.may(request.user, task, pending):
            raise PermissionDenied(str(transition.denied))
        if extension:
            pending = _extension_of(task, extension)
        refusal = transition.refusal(task, pending)
        if refusal is not None:
            raise ApiError(409, "wrong_state", str(refusal))

    return check


def _act(request: HttpRequest, name: str, code: str, data: dict[str, Any]) -> dict[str, Any]:
    task: Assignment = selectors.task_for(request.user, code)
    action = ACTIONS[name]
    form = action.form({k: ("" if v is None else v) for k, v in data.items()}, task=task)
    if not form.is_valid():
        raise _form_refusal(form)
    try:
        action.run(request.user, task, form.cleaned_data, request)
    except DjangoValidationError:
        # Another request changed the task since the check: its state, not this body, is why.
        task.refresh_from_db()
        refusal = workflow.TRANSITIONS[name].refusal(task, pending_request(task))
        if refusal is not None:
            raise ApiError(409, "wrong_state", str(refusal)) from None
        raise
    return _detail(request, code)


# A form's refusal of a code that names nothing (an organisation, a cause, a person of the
# agency): a fact about the data the schema cannot state. Every other refusal by the form is a
# limit the schema states too (422, as the schema's own checks answer).
UNKNOWN_CHOICE = {"invalid_choice", "invalid_pk_value", "invalid_list"}


def _form_refusal(form: Any) -> ApiError:
    fields = {k: list(v) for k, v in form.errors.items()}
    codes = {e.code for errors in form.errors.as_data().values() for e in errors}
    if codes <= UNKNOWN_CHOICE:
        return ApiError(
            400, "unknown", _("Some of the codes sent match nothing registered."), fields=fields
        )
    return ApiError(422, "invalid", _("Some fields are not valid."), fields=fields)


def _describe(name: str) -> tuple[str, str]:
    transition = workflow.TRANSITIONS[name]
    states = ", ".join(sorted(transition.states))
    return str(ACTIONS[name].label), (
        f"{transition.denied} Allowed in the states: {states}"
        + (f"; {transition.unmet}" if transition.unmet else "")
        + ". In another state: 409 with the reason."
    )


def _view(name: str, params: list[tuple[str, Any, Any]]) -> Any:
    """A view taking the request and ``params`` (name, type, default), as ninja reads them."""

    def view(request: HttpRequest, **values: Any) -> Any:
        payload = values.pop("payload", None)
        data = payload.dict() if payload is not None else {}
        if values.get("extension"):
            data["extension"] = values["extension"]
        return _act(request, name, values["code"], data)

    view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
            for key, kind, default in params
        ]
    )
    return view


def _route(name: str) -> None:
    form = ACTIONS[name].form
    schema = _body(form)
    path_params: list[tuple[str, Any, Any]] = [("code", str, inspect.Parameter.empty)]
    path = f"/{{code}}/{name}"
    if "extension" in form.base_fields:
        path_params.append(("extension", str, inspect.Parameter.empty))
        path = f"/{{code}}/extensions/{{extension}}/{name}"
    summary, description = _describe(name)
    options = {
        "response": {200: s.TaskDetail, **STEP_ERRORS},
        "summary": summary,
        "description": description,
        "auth": checked_first(_step_check(name)),
    }
    body: list[tuple[str, Any, Any]] = []
    if schema is not None:
        # A body whose fields are all optional may be left out (``{}`` is the same).
        body = [("payload", schema, None if _optional(schema) else inspect.Parameter.empty)]
    _register(path, _view(name, path_params + body), f"task_{name}", options)
    if schema is not None and apiforms.has_file(form):
        # The same step as multipart form fields plus the file, as the browser sends it.
        parts: list[tuple[str, Any, Any]] = [
            ("payload", Form[schema], inspect.Parameter.empty),  # type: ignore[misc, valid-type]
            ("file", File[UploadedFile], None),
        ]
        upload = {**options, "summary": f"{summary}, with a file (PDF, DOCX)"}
        _register(f"{path}/upload", _view(name, path_params + parts), f"task_{name}_upload", upload)


def _optional(schema: type[Schema]) -> bool:
    return not any(f.is_required() for f in schema.model_fields.values())


def _register(path: str, view: Any, operation_id: str, options: dict[str, Any]) -> None:
    view.__name__ = operation_id
    router.post(path, operation_id=operation_id, **options)(view)


def routed_steps() -> list[str]:
    """The workflow's steps that have a form and a service: each gets its route."""
    return [name for name in workflow.TRANSITIONS if name in ACTIONS]


# The documentation is in English, as the rest of the schema (labels are translated lazily).
with translation.override("en"):
    for _step in routed_steps():
        _route(_step)
