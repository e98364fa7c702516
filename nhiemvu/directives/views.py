from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nhiemvu.assignments import selectors as task_selectors
from nhiemvu.assignments.services import TaskSpec, directive_register
from nhiemvu.directives import importing, selectors
from nhiemvu.directives.downloads import stored_file_response
from nhiemvu.directives.forms import HeaderForm, ReadForm, TaskFormSet
from nhiemvu.directives.models import Reading, ReadingStatus
from nhiemvu.directives.services import DirectiveSpec
from nhiemvu.extraction.files import FileError
from nhiemvu.orgs.rules import scope_of


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
    if not scope_of(request.user).is_office:
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
