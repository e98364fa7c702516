"""The office's reorganisation pages: record a merger, split, renaming, dissolution or move, then
review its transfer plan line by line or in bulk and apply it all or nothing (issue 16). The
map of the feature is this package's __init__."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nhiemvu.assignments.models import TransferItem
from nhiemvu.assignments.reorganisation import plan, record
from nhiemvu.assignments.reorganisation.forms import PlanLinesForm, ReorganisationForm
from nhiemvu.lib import workdays
from nhiemvu.lib.inputs import PAGE_MAX, whole_number
from nhiemvu.orgs.models import Reorganisation
from nhiemvu.orgs.rules import can_reorganise

PLAN_PAGE = 200  # plan lines per page: a dissolved district can hand over hundreds of tasks


def _require_reorganiser(request: HttpRequest) -> None:
    if not can_reorganise(request.user):
        raise PermissionDenied


@login_required
def reorganisation_list(request: HttpRequest) -> HttpResponse:
    """Record a merger, split, renaming, dissolution or move; the ones recorded, newest first."""
    _require_reorganiser(request)
    form = ReorganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reorg = record.reorganisation_record(
                actor=request.user,
                kind=data["kind"],
                effective_date=data["effective_date"],
                legal_basis=data["legal_basis"],
                sources=list(data["sources"]),
                targets=list(data["targets"]),
                new_name=data["new_name"],
                new_short_name=data["new_short_name"],
                new_parent=data["new_parent"],
                split_rules=data["split_rules"],
                note=data["note"],
            )
            plan.transfer_plan_build(actor=request.user, reorg=reorg)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Recorded. Review the transfer plan, then apply it."))
            return redirect("reorganisation_detail", code=reorg.code)
    reorganisations = Reorganisation.objects.prefetch_related("parts__org").order_by(
        "-effective_date", "-id"
    )
    return render(
        request,
        "reorganisations/reorganisations.html",
        {"form": form, "reorganisations": reorganisations},
        status=400 if form.errors else 200,
    )


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.message_dict.items():
            target = field_name if field_name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def reorganisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The transfer plan: each open task of the ending organisations and who takes it over;
    changed line by line or in bulk, brought up to date, applied all or nothing."""
    _require_reorganiser(request)
    reorg = get_object_or_404(Reorganisation, code=code)
    items = TransferItem.objects.filter(reorganisation=reorg)
    status_code = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "build":
                plan.transfer_plan_build(actor=request.user, reorg=reorg)
                messages.success(request, _("The plan is up to date with the open work."))
            elif action == "set":
                chosen = PlanLinesForm(
                    request.POST, line_ids=list(items.values_list("pk", flat=True))
                )
                if not chosen.is_valid():
                    raise ValidationError([str(m) for e in chosen.errors.values() for m in e])
                changed = plan.transfer_plan_set(
                    actor=request.user,
                    reorg=reorg,
                    items=chosen.cleaned_data["lines"],
                    to_org=chosen.cleaned_data["to_org"],
                )
                messages.success(request, _("%(n)s line(s) of the plan changed.") % {"n": changed})
            elif action == "apply":
                result = plan.reorganisation_apply(actor=request.user, reorg=reorg)
                messages.success(
                    request,
                    _("Applied: %(tasks)s task(s) and %(coord)s coordination(s) transferred.")
                    % {"tasks": result["tasks"], "coord": result["coordinations"]},
                )
            elif action == "delete":
                record.reorganisation_delete(actor=request.user, reorg=reorg)
                messages.success(request, _("The reorganisation was deleted."))
                return redirect("reorganisations")
            else:
                raise Http404
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            status_code = 400
        else:
            return redirect("reorganisation_detail", code=reorg.code)
        reorg.refresh_from_db()
    lines = items.select_related("assignment", "from_org", "to_org").order_by(
        "role", "from_org__name", "assignment__deadline", "id"
    )
    # A page beyond the plan shows no line; one no number is the first.
    number = whole_number(request.GET.get("trang"), minimum=1, maximum=PAGE_MAX) or 1
    page = lines[(number - 1) * PLAN_PAGE : number * PLAN_PAGE]
    total = items.count()
    return render(
        request,
        "reorganisations/reorganisation_detail.html",
        {
            "reorg": reorg,
            "parts": reorg.parts.select_related("org").order_by("side", "org__name"),
            "lines": page,
            "total": total,
            "unassigned": items.filter(role="lead", to_org__isnull=True).count(),
            "page_number": number,
            "has_next": number * PLAN_PAGE < total,
            "today": workdays.today(),
        },
        status=status_code,
    )
