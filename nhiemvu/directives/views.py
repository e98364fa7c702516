from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nhiemvu.assignments import selectors as task_selectors
from nhiemvu.assignments.services import TaskSpec, directive_register
from nhiemvu.directives import excel, importing, selectors
from nhiemvu.directives.files import UploadError, check_upload, stored_file_response
from nhiemvu.directives.forms import HeaderForm, ReadForm, TaskFormSet
from nhiemvu.directives.models import Reading, ReadingStatus
from nhiemvu.directives.services import DirectiveSpec, reader_example_keep
from nhiemvu.extraction.files import FileError
from nhiemvu.lib.codes import new_code
from nhiemvu.lib.inputs import whole_number
from nhiemvu.orgs.rules import is_office


@login_required
def directive_detail(request: HttpRequest, code: str) -> HttpResponse:
    directive = selectors.directive_for(request.user, code)
    tasks = (
        task_selectors.tasks_for(request.user)
        .filter(directive=directive)
        .select_related("group")
        .order_by("group_id", "id")
    )
    return render(
        request,
        "directives/directive_detail.html",
        {"directive": directive, "tasks": tasks, "attachments": directive.attachments.all()},
    )


@login_required
def directive_attachment(request: HttpRequest, code: str, sha256: str) -> FileResponse:
    """A document's file, for whoever may see the document (404 for anyone else)."""
    directive = selectors.directive_for(request.user, code)
    return stored_file_response(directive.attachments.filter(sha256=sha256).order_by("id").first())


@login_required
def directive_import(request: HttpRequest) -> HttpResponse:
    """ "Nhập văn bản": paste or upload → review the proposed tasks → one save registers all.

    Nothing is created until the officer saves the reviewed form; a rejected save shows every
    field as typed with the errors beside it."""
    if not is_office(request.user):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("step") == "save":
        return _import_save(request)
    if request.method == "GET" and "thu-cong" in request.GET:
        # By hand: the same review form, empty, with one blank task to fill.
        tasks = TaskFormSet(initial=[{"keep": True}], prefix="task")
        blank = {"evidence": "", "lead_text": "", "deadline_how": ""}
        return render(
            request,
            "directives/import_review.html",
            {
                "header": HeaderForm(),
                "tasks": tasks,
                "rows": selectors.review_rows(tasks.forms, [blank for _form in tasks.forms]),
                "proposal": None,
                "by_hand": True,
            },
        )
    form = ReadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"] or ""
        upload = form.cleaned_data.get("file")
        doc_date = form.cleaned_data.get("doc_date")
        if upload:
            try:
                read = importing.read_upload(actor=request.user, upload=upload, doc_date=doc_date)
            except FileError as exc:
                form.add_error("file", str(exc))
            else:
                if isinstance(read, Reading):
                    # Long: the worker reads it; its page shows the review when it is done.
                    return redirect("directive_reading", code=read.code)
                text = read
        if not form.errors:
            return _review(request, text, doc_date)
    return render(
        request, "directives/import.html", {"form": form}, status=400 if form.errors else 200
    )


def _review(request: HttpRequest, text: str, doc_date: Any) -> HttpResponse:
    proposal = selectors.propose(text, doc_date)
    header = HeaderForm(initial=proposal.header)
    tasks = TaskFormSet(initial=proposal.tasks, prefix="task")
    return render(
        request,
        "directives/import_review.html",
        {
            "header": header,
            "tasks": tasks,
            "proposal": proposal,
            "rows": selectors.review_rows(tasks.forms, proposal.tasks),
        },
    )


@login_required
def directive_reading(request: HttpRequest, code: str) -> HttpResponse:
    """A long file read by the worker: its progress (the page asks again every few seconds),
    then the same review screen as a short one."""
    reading = selectors.reading_for(request.user, code)
    if reading.status == ReadingStatus.DONE and not request.htmx:  # type: ignore[attr-defined]
        return _review(request, reading.text, reading.doc_date)
    if reading.status == ReadingStatus.DONE:
        # htmx asked for the progress: send the browser to the review (a full page).
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    template = "directives/reading.html#status" if request.htmx else "directives/reading.html"  # type: ignore[attr-defined]
    return render(request, template, {"reading": reading})


def _import_save(request: HttpRequest) -> HttpResponse:
    header = HeaderForm(request.POST)
    tasks = TaskFormSet(request.POST, prefix="task")
    if header.is_valid() and tasks.is_valid():
        data = header.cleaned_data
        spec = DirectiveSpec(
            issuer=data["issuer"],
            ref=data["ref"],
            doc_date=data["doc_date"],
            subject=data["subject"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            authority=data["authority"] or "",
            assigned_by=data["assigned_by"],
            urgency=data["urgency"],
            text=data["text"],
        )
        specs = [
            TaskSpec.from_review(f.cleaned_data) for f in tasks.forms if f.cleaned_data.get("keep")
        ]
        try:
            directive = directive_register(actor=request.user, spec=spec, tasks=specs)
        except ValidationError as exc:
            for message in exc.messages:
                header.add_error(None, message)
        else:
            if directive.text:
                # What the office registered from the reader's proposals teaches the reader
                # (issue 26 item 4): kept, edited, dropped and added rows as one example.
                proposed, version = selectors.reader_proposals(directive.text, directive.doc_date)
                reader_example_keep(
                    directive=directive,
                    tasks=[f.cleaned_data for f in tasks.forms if f.cleaned_data.get("keep")],
                    proposed=proposed,
                    model_version=request.POST.get("reader_model", "")[:40] or version,
                )
            messages.success(
                request,
                _("Registered %(ref)s with %(n)s task(s).")
                % {"ref": directive.ref, "n": directive.assignments.count()},
            )
            return redirect("directive_detail", code=directive.code)
    proposal_tasks = [
        {
            "evidence": f["evidence"].value() or "",
            "lead_text": f["group_label"].value() or "",
            "deadline_how": "",
        }
        for f in tasks.forms
    ]
    return render(
        request,
        "directives/import_review.html",
        {
            "header": header,
            "tasks": tasks,
            "rows": selectors.review_rows(tasks.forms, proposal_tasks),
            "proposal": None,
        },
        status=400,
    )


@login_required
def directive_import_sentence(request: HttpRequest) -> JsonResponse:
    """The review screen's "a missed task costs one action": the sentence the office selected
    in the text pane, read by the field readers, as the fields of a new proposal row."""
    _office_only(request)
    if request.method != "POST":
        return JsonResponse({"error": _("Select a sentence in the text.")}, status=405)
    sentence = (request.POST.get("sentence") or "").strip()
    if len(sentence) < 10:
        return JsonResponse({"error": _("Select a sentence in the text.")}, status=400)
    try:
        doc_date = dt.date.fromisoformat(request.POST.get("doc_date") or "")
    except ValueError:
        doc_date = None
    return JsonResponse(selectors.sentence_proposal(sentence, doc_date))


# --- import of a task list from Excel (intake, like the document import above) -------------


def _imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _office_only(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise PermissionDenied


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    response = HttpResponse(
        excel.template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-nhiem-vu.xlsx"'
    return response


@login_required
def import_excel(request: HttpRequest) -> HttpResponse:
    """Upload → map columns → preview with each row's errors → commit all or nothing."""
    _office_only(request)
    context: dict[str, Any] = {"fields": excel.FIELDS}
    if request.method != "POST":
        return render(request, "directives/excel_import.html", context)
    step = request.POST.get("step")
    headers: list[str] | None = None  # until the workbook has been read
    try:
        if step == "upload":
            upload = request.FILES.get("file")
            if upload is None:
                raise excel.ImportError_(_("Choose the Excel file."))
            try:
                check_upload(upload)
            except UploadError as exc:
                raise excel.ImportError_(str(exc)) from exc
            data = upload.read()
            token = f"{request.user.pk}-{new_code(16)}"
            (_imports_dir() / f"{token}.xlsx").write_bytes(data)
            headers, rows = excel.read_rows(data)
            mapping = excel.guess_mapping(headers)
        else:
            token = request.POST.get("token", "")
            if not re.fullmatch(rf"{request.user.pk}-[a-z0-9]{{16}}", token):
                raise PermissionDenied
            path = _imports_dir() / f"{token}.xlsx"
            if not path.exists():
                raise excel.ImportError_(_("The uploaded file has expired: upload it again."))
            headers, rows = excel.read_rows(path.read_bytes())
            # A column of the file, or not chosen (a required one is then asked for again).
            mapping = {
                key: whole_number(request.POST.get(f"map-{key}"), maximum=max(len(headers) - 1, 0))
                for key, _t, _r in excel.FIELDS
            }
        parsed = excel.validate(headers, rows, mapping)
        if step == "commit":
            created, skipped = excel.commit(actor=request.user, rows=parsed)
            (_imports_dir() / f"{token}.xlsx").unlink(missing_ok=True)
            messages.success(
                request,
                _("Imported %(created)s task(s); %(skipped)s already present.")
                % {"created": created, "skipped": skipped},
            )
            return redirect("task_list")
    except excel.ImportError_ as exc:
        context["error"] = str(exc)
        if headers is None:
            return render(request, "directives/excel_import.html", context, status=400)
        parsed = []
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        parsed = excel.validate(headers or [], rows, mapping)
    context.update(
        token=token,
        headers=list(enumerate(headers or [])),
        mapping=mapping,
        rows=parsed,
        bad=sum(1 for r in parsed if r.errors),
    )
    return render(
        request,
        "directives/excel_import.html",
        context,
        status=400 if context.get("error") or context["bad"] else 200,
    )
