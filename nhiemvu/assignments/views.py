"""Task pages: validate → service/selector → render (rule 3)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nhiemvu import keyset
from nhiemvu.assignments import forms as f
from nhiemvu.assignments import selectors, services
from nhiemvu.assignments.actions import (
    ACTIONS,
    notice_first,
    offered,
    pending_request,
    permitted,
)
from nhiemvu.assignments.models import (
    Assignment,
    Coordination,
    DeliverableKind,
    WorkState,
)
from nhiemvu.assignments.namedsets import owed_q
from nhiemvu.assignments.services.lifecycle import completion_files
from nhiemvu.assignments.status import (
    LABEL_NAMES,
    Facts,
    classify,
    due_soon_limit,
    label_rows,
)
from nhiemvu.assignments.workflow import NOTICE_PARAM
from nhiemvu.directives.files import report_signature_check, stored_file_response
from nhiemvu.lib import spreadsheets, workdays
from nhiemvu.lib.spreadsheets import csv_cell
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import is_office, scope_of
from nhiemvu.orgs.selectors import lineage


def _filtered(request: HttpRequest, form: f.TaskFilterForm) -> Any:
    if not form.is_valid():
        return selectors.visible_tasks(request.user).none()
    return selectors.filter_tasks(request.user, **form.filters())


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The filtered list, a page at a time by keyset (as fast deep in as on page one).

    An HTMX request (changing a filter, turning a page) gets only the results block."""
    form = f.TaskFilterForm(request.GET or {})
    qs = _filtered(request, form)
    valid = form.is_valid()
    sort = form.cleaned_data.get("sort") if valid else ""
    size = (form.cleaned_data.get("size") if valid else None) or f.PAGE_SIZES[0]
    order = selectors.SORTS[sort or "deadline"]
    try:
        page = keyset.page(
            qs,
            order,
            size=size,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
            read=selectors.list_rows,
        )
    except keyset.CursorError:
        messages.error(request, _("That page link is no longer valid: showing the first page."))
        page = keyset.page(qs, order, size=size, read=selectors.list_rows)
    label_rows(page.rows)
    # The coordinating agencies of the page's rows: one query for the page, not one per row.
    selectors.attach_coordinating(page.rows)
    query = request.GET.copy()
    for key in ("after", "before"):
        query.pop(key, None)
    context = {"form": form, "page": page, "query": query.urlencode(), "total": selectors.total(qs)}
    template = "assignments/task_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)


def _detail_context(request: HttpRequest, task: Assignment) -> dict[str, Any]:
    user = request.user
    pending = pending_request(task)
    actions = offered(user, task, pending)
    inside = selectors.inside_of(user, task)
    return {
        "task": task,
        "inside": inside,
        "files": selectors.files_of(task),
        "directive_files": task.directive.attachments.order_by("id"),
        "events": selectors.timeline(task),
        "extensions": selectors.extensions_of(task),
        "coordinators": task.coordinators.all(),
        "pending_extension": pending,
        "actions": actions,
        # Each action's form its own element ids: several forms on the page share field names
        # (a reason, the explanation's agency picker) and a label or picker must find its own.
        "forms": {
            name: a.form(
                initial={"extension": pending.code} if pending else None,
                task=task,
                auto_id=f"id_{name}_%s",
            )
            for name, a in actions.items()
        },
        **_upward_context(user, task),
        # Before confirming: is the output document the lead agency's own signed PDF?
        # (kind, sentence): the kinds are told apart on the page (issue 27).
        "signature_problem": report_signature_check(completion_files(task), task.lead)
        if "confirm" in actions
        else ("", ""),
    }


def _upward_context(user: Any, task: Assignment) -> dict[str, Any]:
    """A received task's sub-tasks and roll-up; a sub-task's received task."""
    if not task.received:
        return {"upper": task.upper if task.upper_id else None}
    subtasks = list(
        selectors.visible_tasks(user)
        .filter(upper=task)
        .select_related("lead")
        .order_by("deadline", "id")
    )
    label_rows(subtasks)
    # Splitting and reporting upward are the workflow's steps ("split", "report_upward"),
    # offered with the task's other actions.
    return {
        "subtasks": subtasks,
        "stage": services.stage_of(task),
        # The issuer's code, typed or corrected by the office (services.received_code_set).
        "code_form": f.ExternalCodeForm(initial={"external_code": task.external_code})
        if is_office(user)
        else None,
    }


@login_required
def task_detail(request: HttpRequest, code: str) -> HttpResponse:
    task = selectors.task_for(request.user, code)
    context = _detail_context(request, task)
    # "?thao-tac=complete" from a home page's one-click button opens that form.
    if request.GET.get("thao-tac") in context["actions"]:
        context["open_action"] = request.GET["thao-tac"]
    # "?thong-bao=returned" from a notice: the step it is about first, open (issue 32).
    context["actions"], step = notice_first(context["actions"], request.GET.get(NOTICE_PARAM))
    if step:
        context["open_action"] = step
    return render(request, "assignments/task_detail.html", context)


@login_required
def task_attachment(request: HttpRequest, code: str, sha256: str) -> FileResponse:
    """A file reported on a task (an output document, a progress report's annex), for whoever
    may see the task: the same rule as the task page, checked before the file is touched."""
    task = selectors.task_for(request.user, code)
    return stored_file_response(task.attachments.filter(sha256=sha256).order_by("id").first())


@login_required
@require_POST
def task_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    task = selectors.task_for(request.user, code)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not permitted(action, request.user, task):
        raise PermissionDenied
    form = spec.form(request.POST, request.FILES, task=task, auto_id=f"id_{action}_%s")
    if form.is_valid():
        try:
            spec.run(request.user, task, form.cleaned_data, request)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
            return redirect("task_detail", code=task.code)
    # Re-render with what the user typed and the errors beside it.
    task = selectors.task_for(request.user, code)
    context = _detail_context(request, task)
    context["forms"][action] = form
    context["open_action"] = action
    return render(request, "assignments/task_detail.html", context, status=400)


EXPORT_COLUMNS = [
    gettext_lazy("Code"),
    gettext_lazy("Task"),
    gettext_lazy("Lead agency"),
    gettext_lazy("Source document"),
    gettext_lazy("Assigned on"),
    gettext_lazy("Deadline"),
    gettext_lazy("Status"),
    gettext_lazy("Completed on"),
    gettext_lazy("Coordinating agencies"),
    gettext_lazy("Deliverable"),
]


def _export_rows(request: HttpRequest) -> Any:
    """The current filter's rows as plain values, streamed from one query in deadline order."""
    form = f.TaskFilterForm(request.GET or {})
    # The tasks in the model's order, which the index asg_export (deadline, id) gives as it is
    # read: nothing is sorted, so the first rows leave while the last are still being read and
    # a million rows stay flat. Each task's coordinating agencies are its ids, aggregated by a
    # probe of the coordinations' index. Grouping the tasks joined to their agencies instead
    # (issue 28's first answer) cannot be read from the index: the groups had to be sorted
    # again by deadline, all of them before the first row (12 MB spilled to disk at 100,000
    # tasks); joined without grouping, the tasks' rows came once per agency (200,000 rows of
    # the shared dataset) and cost more to read and fold than the probes. The organisations'
    # names are put in here from one read of the organisations. The filters never join the
    # coordinations (rules.visible and filter_tasks use "pk IN (…)").
    agencies = (
        Coordination.objects.filter(assignment=OuterRef("pk"))
        .order_by()
        .values("assignment_id")
        .annotate(ids=StringAgg(Cast("org_id", CharField()), Value(",")))
        .values("ids")
    )
    rows = (
        _filtered(request, form)
        .annotate(coordinating=Subquery(agencies))
        .order_by(*(Assignment._meta.ordering or ()))
        .values_list(
            "code",
            "summary",
            "lead_id",
            "directive__ref",
            "assigned_on",
            "deadline",
            "state",
            "completion_date",
            "completed_late",
            "coordinating",
            "deliverable_kind",
        )
    )
    org_names = dict(Organisation.objects.values_list("pk", "name"))

    # By name (code point order, alike on every database), each combination joined once.
    @functools.lru_cache(maxsize=4096)
    def coordinators(ids: str | None) -> str:
        return "; ".join(sorted(org_names[int(i)] for i in ids.split(","))) if ids else ""

    names = {k: str(v) for k, v in LABEL_NAMES.items()}
    kinds = {k: str(v) for k, v in DeliverableKind.choices}
    today = workdays.today()
    limit = due_soon_limit(today)
    with _reading():
        for row in rows.iterator(chunk_size=2000):
            code, summary, lead, ref, assigned, deadline, state, done, late, coord, kind = row
            label = classify(Facts(state, deadline, done, late), today, limit).label
            yield [
                code,
                summary,
                org_names[lead],
                ref,
                assigned,
                deadline,
                names.get(label, label),
                done if state == WorkState.DONE else None,
                coordinators(coord),
                kinds.get(kind, "") if kind else "",
            ]


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    """Where the export's rows are read. On PostgreSQL, a transaction: its cursor then hands
    rows over as the index gives them, while the file is written. Outside one, Django's cursor
    is declared WITH HOLD, and PostgreSQL runs the whole query and keeps every row before the
    first is sent. Without JIT: the probes make the query's estimate cross jit_above_cost, and
    compiling it took 0.6 s of a 1.5 s query. Not on SQLite, whose transactions begin
    IMMEDIATE and would keep writers waiting for the download."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


# Rows per piece of the streamed CSV: one piece per row cost more in the response's handling
# of each piece than in writing the row.
CSV_ROWS_PER_CHUNK = 500


@login_required
def task_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV, streamed; UTF-8 with a BOM so Excel reads Vietnamese right."""

    class Lines(list[str]):
        def write(self, value: str) -> None:
            self.append(value)

    @functools.lru_cache(maxsize=4096)  # a few thousand distinct dates among the rows
    def day(value: dt.date) -> str:
        return value.strftime("%d/%m/%Y")

    def lines() -> Any:
        out = Lines(["\ufeff"])
        writer = csv.writer(out)
        writer.writerow([str(c) for c in EXPORT_COLUMNS])
        text = csv_cell
        for code, summary, lead, ref, assigned, deadline, label, done, coord, kind in _export_rows(
            request
        ):
            writer.writerow(
                (
                    text(code),
                    text(summary),
                    text(lead),
                    text(ref),
                    assigned and day(assigned),
                    deadline and day(deadline),
                    text(label),
                    done and day(done),
                    text(coord),
                    text(kind),
                )
            )
            if len(out) >= CSV_ROWS_PER_CHUNK:
                yield "".join(out)
                out.clear()
        yield "".join(out)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nhiem-vu.csv"'
    return response


@login_required
def task_list_xlsx(request: HttpRequest) -> FileResponse:
    """The filtered list as XLSX: written row by row to a temporary file (constant memory)."""
    import tempfile

    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book = spreadsheets.workbook(handle.name, {"constant_memory": True})
    sheet = book.add_worksheet("Nhiệm vụ")
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2"})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [str(c) for c in EXPORT_COLUMNS], head)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(_export_rows(request), start=1):
        for col, value in enumerate(row):
            if hasattr(value, "strftime"):
                sheet.write_datetime(count, col, dt.datetime.combine(value, dt.time()), date)
            elif value is not None:
                sheet.write(count, col, value)
    sheet.autofilter(0, 0, max(count, 1), len(EXPORT_COLUMNS) - 1)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 3, 28)
    book.close()
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="nhiem-vu.xlsx")


@login_required
def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An organisation's tasks and rates: the province roles see any, an agency its own.

    Here, not in orgs: the page is about tasks, and orgs imports no other domain app."""
    org = get_object_or_404(Organisation.objects.select_related("successor", "parent"), code=code)
    scope = scope_of(request.user)
    if not scope.province and org.pk not in scope.org_ids:
        raise Http404
    led = selectors.tasks_for(request.user).filter(lead=org)
    counts = selectors.status_counts(led)
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "org": org,
            "counts": counts,
            "rates": selectors.rates(counts),
            "open_tasks": led.filter(owed_q()).order_by("deadline", "id")[:50],
            "coordinated": Coordination.objects.filter(org=org).count(),
            "lineage": lineage(org),
        },
    )


# --- work from above (issue 16) ---------------------------------------------------------------


@login_required
@require_POST
def subtask_add(request: HttpRequest, code: str) -> HttpResponse:
    """The office gives part of a received task to an agency: the workflow's ``split`` step
    (this address kept for links and bookmarks; the task page posts to the step's own)."""
    return task_action(request, code, "split")


@login_required
@require_POST
def received_code(request: HttpRequest, code: str) -> HttpResponse:
    """The office types or corrects the issuer's code of a received task (issue 27 item 3)."""
    task = selectors.task_for(request.user, code)
    form = f.ExternalCodeForm(request.POST)
    if form.is_valid():
        try:
            services.received_code_set(
                actor=request.user, task=task, code=form.cleaned_data["external_code"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The issuer's code is saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("task_detail", code=task.code)


@login_required
@require_POST
def report_upward(request: HttpRequest, code: str) -> HttpResponse:
    """The office records the province's report upward: the workflow's ``report_upward``."""
    return task_action(request, code, "report_upward")
