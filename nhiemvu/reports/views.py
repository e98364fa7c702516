from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from nhiemvu.assignments.selectors import task_for
from nhiemvu.conf import setting
from nhiemvu.directives.files import generated_file_response
from nhiemvu.forms import DATE_FORMATS, DATE_WIDGET, StyledForm, VnDateField
from nhiemvu.lib import periods, workdays
from nhiemvu.orgs.models import Membership, OrgKind, Role
from nhiemvu.orgs.rules import scope_of
from nhiemvu.reports import page, selectors, services, upward
from nhiemvu.reports import trend as trends
from nhiemvu.reports.causes import delay_causes
from nhiemvu.reports.exporters.lines import summary_lines
from nhiemvu.reports.models import GeneratedReport


class ReportForm(StyledForm):
    # Chosen from a list ("Quý IV năm 2026"); any period key ("2019-Q2", a date range) is still
    # understood in the address, as the API takes it.
    period = forms.CharField(label=_("Period"), max_length=30, widget=forms.Select)
    rule = forms.ChoiceField(
        label=_("Period rule"),
        required=False,
        choices=[
            (periods.DECREE_09, _("Decree 09 (15th to 14th)")),
            (periods.CALENDAR, _("Calendar months and quarters")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Organisation kind"),
        required=False,
        choices=[("", _("All kinds")), *OrgKind.choices],
    )
    leader: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Assigning leader"),
        required=False,
        queryset=Membership.objects.none(),
        empty_label=_("All leaders"),
    )
    as_of = VnDateField(
        label=_("Status as of"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        rule = self.data.get("rule") or setting("PERIOD_RULE")
        if rule not in (periods.DECREE_09, periods.CALENDAR):
            rule = periods.DECREE_09
        groups = {
            "month": _("Months"),
            "quarter": _("Quarters"),
            "half": _("Half-years"),
            "year": _("Years"),
        }
        recent = periods.recent(workdays.today(), rule=rule)
        choices: list[Any] = [
            (groups[kind], [(p.key, p.label) for p in found]) for kind, found in recent.items()
        ]
        known = {p.key for found in recent.values() for p in found}
        typed = self.data.get("period")
        if typed and typed not in known:
            try:
                choices.insert(0, (typed, periods.parse(typed, rule=rule).label))
            except periods.PeriodError:
                choices.insert(0, (typed, typed))
        self.fields["period"].widget.choices = choices

        self.fields["leader"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(memberships__role=Role.LEADER).distinct()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period"):
            try:
                data["parsed"] = periods.parse(
                    data["period"], rule=data.get("rule") or periods.DECREE_09
                )
            except periods.PeriodError as exc:
                self.add_error("period", str(exc))
        return data


def _form(request: HttpRequest) -> ReportForm:
    today = workdays.today()
    rule = setting("PERIOD_RULE")
    default = periods.containing(today, "quarter", rule=rule).key
    data = (request.POST if request.method == "POST" else request.GET).copy()
    data.setdefault("period", default)
    data.setdefault("rule", rule)
    return ReportForm(data)


# The page shows the first rows of its long lists; the files list them all.
OVERDUE_ROWS = 200
LIST_ROWS = 50
DOCUMENT_ROWS = 50


def _figures(request: HttpRequest, form: ReportForm) -> dict[str, Any]:
    """Every figure of the page (issue 27 item 6): the tables by organisation, leader and
    origin folded from one GROUP BY, the lists' counts, the late count and the backlog by age
    from one aggregate, and only the rows shown read."""
    data = form.cleaned_data
    user, period, as_of = request.user, data["parsed"], data.get("as_of")
    leader = data.get("leader")
    counts = selectors.summary_counts(user, period, as_of)
    summary = selectors.summary_by_org(
        user,
        period,
        as_of,
        kind=data.get("kind") or None,
        leader_id=leader.pk if leader else None,
        counts=counts,
    )
    tallied = page.page_counts(user, period, as_of)
    lists = selectors.special_lists(user, period, as_of)
    return {
        "summary": summary,
        "overdue": list(selectors.overdue_pending(user, period, as_of, limit=OVERDUE_ROWS)),
        "buckets": tallied["buckets"],
        # The page says how many were completed late, not which: a count (the files list them).
        "late_count": tallied["late"],
        "by_origin": selectors.summary_by_origin(user, period, as_of, counts=counts),
        "by_leader": selectors.summary_by_leader(user, period, as_of, counts=counts),
        "by_document": page.first_documents(user, period, as_of, DOCUMENT_ROWS),
        "lists": [(key, tallied[key], list(qs[:LIST_ROWS])) for key, qs in lists.items()],
        "causes": _with_widths(delay_causes(user, period, as_of)),
    }


def _with_widths(causes: Any) -> Any:
    """Each cause's bar, as a share of the largest (the page's chart, drawn without script)."""
    top = max((row.total for row in causes.by_cause), default=0) or 1
    for row in causes.by_cause:
        row.width = round(100 * row.total / top)
    return causes


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The summary by organisation, ranking, backlog by age and the late list, for any period;
    figures limited to what the user may see (leaders and the office: the province)."""
    form = _form(request)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        figures = _figures(request, form)
        context.update(figures)
        context.update(
            lines=summary_lines(figures["summary"]),
            ranking=selectors.ranking(list(figures["summary"].rows)),
            query=request.GET.urlencode(),
            trend_org=request.GET.get("org") or None,
        )
    return render(request, "reports/report.html", context, status=200 if form.is_valid() else 400)


@login_required
def report_trend(request: HttpRequest) -> JsonResponse:
    """The trend chart's figures, asked by the report page once it is shown (issue 27 item 6).

    Six periods' statuses as of each one's end cost six past-date queries whose SQL alone takes
    longer to build than the rest of the page; the page answers first and draws the chart when
    these arrive."""
    form = _form(request)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    trend = trends.trend(
        request.user, form.cleaned_data["parsed"], count=6, org_code=request.GET.get("org") or None
    )
    return JsonResponse(
        {
            "labels": [k for k, _c, _o in trend],
            "completion": [float(c) if c is not None else None for _k, c, _o in trend],
            "on_time": [float(o) if o is not None else None for _k, _c, o in trend],
        }
    )


@login_required
def report_download(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    fmt = request.GET.get("format", "xlsx")
    if not form.is_valid() or fmt not in ("xlsx", "docx", "pdf", "json"):
        return render(request, "reports/report.html", {"form": form}, status=400)
    data = form.cleaned_data
    leader = data.get("leader")
    made = services.report_file(
        user=request.user,
        period=data["parsed"],
        fmt=fmt,
        as_of=data.get("as_of"),
        kind=data.get("kind") or None,
        leader_id=leader.pk if leader else None,
    )
    response = HttpResponse(made.content, content_type=made.mime)
    period = made.summary.period.key.replace("..", "_")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{period}.{made.ext}"'
    return response


# --- report files made in the worker -------------------------------------------------------


def _files_for(request: HttpRequest) -> Any:
    qs = GeneratedReport.objects.filter(requested_by=request.user.pk)
    if scope_of(request.user).province:
        # The province's roles also see the scheduled reports of each period.
        qs = GeneratedReport.objects.filter(Q(requested_by=request.user.pk) | Q(scheduled=True))
    return qs.order_by("-created_at", "-id")


@login_required
def report_files(request: HttpRequest) -> HttpResponse:
    """Files being made or made: progress while the worker runs, then the download."""
    if request.method == "POST":
        form = _form(request)
        fmt = request.POST.get("format", "xlsx")
        if form.is_valid() and fmt in ("xlsx", "docx", "pdf", "json"):
            services.report_request(
                actor=request.user,
                period=form.cleaned_data["parsed"],
                fmt=fmt,
                as_of=form.cleaned_data.get("as_of"),
            )
            messages.success(request, _("The report is being generated; it will appear below."))
        return redirect("report_files")
    files = list(_files_for(request)[:50])
    template = "reports/files.html#rows" if request.htmx else "reports/files.html"  # type: ignore[attr-defined]
    busy = any(f.status in ("pending", "running") for f in files)
    return render(request, template, {"files": files, "busy": busy})


@login_required
def report_file_download(request: HttpRequest, code: str) -> HttpResponseBase:
    report = _files_for(request).filter(code=code, status="done").first()
    if report is None:
        raise Http404
    return generated_file_response(report.file)


UPWARD_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def upward_file(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The report upward on one received task (Decree 30 DOCX, or XLSX): the province's bodies
    (leaders, office, working group) only; the permission check comes before any work."""
    if fmt not in UPWARD_TYPES:
        raise Http404
    if not scope_of(request.user).province:
        raise PermissionDenied
    task = task_for(request.user, code)
    if not task.received:
        raise Http404
    content = upward.to_docx(task) if fmt == "docx" else upward.to_xlsx(task)
    response = HttpResponse(content, content_type=UPWARD_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{upward.filename(task, fmt)}"'
    return response
