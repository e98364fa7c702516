"""The office's screens for the switch-over from the old tracker (issue 29): upload an export,
see how each column and each distinct value will be read, map what is unknown, dry-run, import
in the worker with its progress shown. Thin: validate, call runs/imports, render."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nhiemvu.assignments.services.historical import HISTORICAL_STATES
from nhiemvu.directives.files import generated_file_response
from nhiemvu.directives.legacy import imports, runs
from nhiemvu.directives.legacy.models import LegacyProfile, LegacyRun, LegacyRunStatus
from nhiemvu.directives.legacy.reading import FIELDS, ReadError, open_table
from nhiemvu.directives.legacy.reconcile_file import class_name
from nhiemvu.lib.inputs import whole_number
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import is_office

# The first screen reads the head of the file; the dry run (in the worker) reads all of it.
PREVIEW_ROWS = 5000
# The states a past task can arrive in, named as the task model names them.
OUR_STATES = [(s.value, s.label) for s in HISTORICAL_STATES]


def _office_only(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise PermissionDenied


@login_required
def legacy_home(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    context: dict[str, Any] = {
        "profiles": LegacyProfile.objects.order_by("name"),
        "runs": LegacyRun.objects.select_related("profile").order_by("-id")[:20],
    }
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose the exported file."))
            profile_id = whole_number(request.POST.get("profile"))
            profile = LegacyProfile.objects.filter(pk=profile_id).first() if profile_id else None
            if profile is None:
                profile = runs.profile_create(
                    actor=request.user,
                    name=request.POST.get("name", ""),
                    source=request.POST.get("source", ""),
                )
            run = runs.run_start(
                actor=request.user,
                profile=profile,
                upload=upload,
                checksum=imports.checksum_of(upload),
                bundle=request.FILES.get("bundle"),
            )
            return redirect("legacy_run", code=run.code)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, "directives/legacy_home.html", context, status=400)
    return render(request, "directives/legacy_home.html", context)


def _mapping_from(request: HttpRequest, headers: list[str]) -> dict[str, dict[str, str]]:
    columns = {
        key: request.POST.get(f"col-{key}", "")
        for key, *_rest in FIELDS
        if request.POST.get(f"col-{key}", "") in headers
    }
    states = {
        request.POST.get(f"word-{i}", ""): request.POST.get(f"state-{i}", "")
        for i in range(whole_number(request.POST.get("words"), maximum=200) or 0)
    }
    orgs = {
        request.POST.get(f"name-{i}", ""): request.POST.get(f"org-{i}", "")
        for i in range(whole_number(request.POST.get("names"), maximum=500) or 0)
    }
    return {"columns": columns, "states": states, "orgs": {k: v for k, v in orgs.items() if v}}


def _reconciliation(run: LegacyRun) -> dict[str, Any]:
    """The reconciliation's differing groups and rows with each class named as the office reads
    it (the workbook's words), not as stored."""
    found = (run.counts or {}).get("reconcile") or {}

    def named(counts: dict[str, int]) -> str:
        return "; ".join(f"{class_name(k)}: {v}" for k, v in counts.items())

    groups = [
        {**g, "file_named": named(g["file"]), "nhiemvu_named": named(g["nhiemvu"])}
        for g in found.get("groups", [])
        if g["differs"]
    ]
    rows = [
        {**r, "file_named": class_name(r["file"]), "nhiemvu_named": class_name(r["nhiemvu"])}
        for r in found.get("rows", [])
    ]
    return {"reconcile_groups": groups, "reconcile_rows": rows}


@login_required
def legacy_run(request: HttpRequest, code: str) -> HttpResponseBase:
    _office_only(request)
    run = LegacyRun.objects.select_related("profile").filter(code=code).first()
    if run is None:
        raise Http404
    if request.GET.get("tai") == "doi-chieu":  # the reconciliation workbook
        if not run.reconciliation:
            raise Http404
        return generated_file_response(run.reconciliation)
    try:
        headers = runs.headers_of(run)
    except ReadError as exc:
        raise Http404 from exc
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "map":
                runs.profile_save(
                    actor=request.user, profile=run.profile, **_mapping_from(request, headers)
                )
                messages.success(request, _("The mapping is saved."))
            elif step == "dry":
                runs.dry_enqueue(actor=request.user, run=run)
                messages.info(request, _("The dry run is in progress."))
            elif step == "import":
                runs.run_enqueue(actor=request.user, run=run)
                messages.info(request, _("The import is in progress."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("legacy_run", code=run.code)
    with run.file.open("rb") as stream:
        table = open_table(stream, run.file.name, run.file.size)
        table.rows = itertools.islice(table.rows, PREVIEW_ROWS)
        try:
            shown = imports.preview(table, run.profile)
        finally:
            table.close()
    fields = [
        (key, title, required, shown.columns.get(key, "")) for key, title, _u, required in FIELDS
    ]
    context = {
        "run": run,
        "shown": shown,
        "fields": fields,
        "samples": [(h, shown.samples.get(h, [])) for h in shown.headers],
        "states": list(shown.states.items()),
        "unknown": shown.unknown.most_common(),
        "our_states": OUR_STATES,
        "orgs": Organisation.objects.order_by("name").values_list("code", "name"),
        "dry": (run.counts or {}).get("dry"),
        "dry_rows": [
            {**r, "outcome_name": imports.OUTCOME_NAMES.get(r["outcome"], r["outcome"])}
            for r in ((run.counts or {}).get("dry") or {}).get("rows", [])
        ],
        "clean": runs.dry_is_clean(run),
        "busy": run.status in (LegacyRunStatus.RUNNING,)
        or (run.status == LegacyRunStatus.QUEUED and run.checkpoint > 0),
        "preview_rows": PREVIEW_ROWS,
        **_reconciliation(run),
    }
    return render(request, "directives/legacy_run.html", context)
