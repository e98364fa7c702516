"""/api/v1/tasks: the list with the web list's filters, the task, creating one, and every action.

Actions run through the same table as the task page (``actions.ACTIONS``): the same permission
predicate, the same form (so the same Vietnamese messages), the same service.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from nhiemvu.apicommon import ERRORS, ApiError, cursor_page, signatures_out
from nhiemvu.assignments import schemas as s
from nhiemvu.assignments import selectors, services
from nhiemvu.assignments.actions import ACTIONS, offered, pending_request, permitted
from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.rollup import Stage
from nhiemvu.assignments.services import TaskSpec, assignment_create
from nhiemvu.assignments.status import LABEL_ALIASES, LABEL_NAMES, label_rows
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
    total = qs.count() if filters.count else None
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
        "may_report_upward": stage == Stage.READY,
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


@router.post("", response={201: s.TaskDetail, **ERRORS}, summary="Add a task to a document")
def task_create(request: HttpRequest, payload: s.TaskIn) -> Any:
    """Only for keys acting as the office (as in the browser). A deliverable without a
    deadline needs ``no_deadline_reason`` and stays flagged."""
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


def _act(request: HttpRequest, code: str, name: str, data: dict[str, Any]) -> dict[str, Any]:
    task: Assignment = selectors.task_for(request.user, code)
    action = ACTIONS[name]
    if not permitted(name, request.user, task):
        raise PermissionDenied
    form = action.form({k: ("" if v is None else v) for k, v in data.items()}, task=task)
    if not form.is_valid():
        raise DjangoValidationError({k: list(v) for k, v in form.errors.items()})
    action.run(request.user, task, form.cleaned_data, request)
    return _detail(request, code)


def _route(name: str, schema: type[Schema] | None, summary: str) -> None:
    """One POST /tasks/{code}/<name> endpoint per action, each with its documented body."""
    path = f"/{{code}}/{name}"
    responses = {200: s.TaskDetail, **ERRORS}
    if schema is None:

        def bare(request: HttpRequest, code: str) -> Any:
            return _act(request, code, name, {})

        endpoint: Any = bare
    else:

        def with_body(request: HttpRequest, code: str, payload: Any) -> Any:
            return _act(request, code, name, payload.dict())

        # The body's schema is chosen per action: give ninja the real class, not a string
        # (this module's annotations are postponed).
        with_body.__annotations__["payload"] = schema
        endpoint = with_body

    endpoint.__name__ = f"task_{name}"
    router.post(path, response=responses, summary=summary, operation_id=f"task_{name}")(endpoint)
    if name in WITH_FILE and schema is not None:
        # The same action as multipart form fields plus the file, as the browser sends it
        # (the output document of a completion, a progress report's annex).
        def upload(request: HttpRequest, code: str, payload: Any, file: Any = None) -> Any:
            return _act(request, code, name, payload.dict())

        upload.__annotations__["payload"] = Form[schema]  # type: ignore[misc, valid-type]
        upload.__annotations__["file"] = File[UploadedFile]
        upload.__name__ = f"task_{name}_upload"
        router.post(
            f"{path}/upload",
            response=responses,
            summary=f"{summary}, with a file (PDF, DOCX)",
            operation_id=f"task_{name}_upload",
        )(upload)


# Actions whose browser form takes a file: each has a multipart twin at …/<action>/upload.
WITH_FILE = {"progress", "complete", "comment"}


_route("accept", None, "Accept the task (lead agency)")
_route("refuse", s.Reason, "Refuse the task, with the reason (lead agency)")
_route("progress", s.Progress, "Report progress (lead agency)")
_route("complete", s.Completion, "Report completion with the output document (lead agency)")
_route("extend", s.ExtensionIn, "Ask for a later deadline (lead agency)")
_route("confirm", s.Note, "Confirm the reported completion (office, working group)")
_route("return", s.Reason, "Return the report for rework (office, working group)")
_route("comment", s.Comment, "Comment on the task")
_route("delegate", s.Delegate, "Pass the task on inside the lead agency (its head)")
_route(
    "report_inside", s.InternalReport, "Report to the agency's head (the person it was passed to)"
)
_route("pause", s.Reason, "Pause the task (office)")
_route("resume", s.Note, "Resume a paused task (office)")
_route("reassign", s.Reassign, "Give the task to another lead agency (office)")


@router.post(
    "/{code}/extensions/{extension}/advise",
    response={200: s.TaskDetail, **ERRORS},
    summary="The office's advice on an extension request",
)
def extension_advise(request: HttpRequest, code: str, extension: str, payload: s.Advice) -> Any:
    return _act(request, code, "advise", {"extension": extension, "advice": payload.advice})


@router.post(
    "/{code}/extensions/{extension}/decision",
    response={200: s.TaskDetail, **ERRORS},
    summary="Approve or deny an extension request (the assigning leader)",
)
def extension_decide(request: HttpRequest, code: str, extension: str, payload: s.Decision) -> Any:
    data = {
        "extension": extension,
        "approve": "yes" if payload.approve else "no",
        "note": payload.note,
        "new_deadline": payload.new_deadline,
    }
    return _act(request, code, "decide", data)
