from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from nhiemvu.assignments import selectors, status
from nhiemvu.assignments.models import Extension, ExtensionStatus
from nhiemvu.assignments.status import Label, label_q
from nhiemvu.lib import workdays
from nhiemvu.orgs.rules import scope_of
from nhiemvu.reminders.models import ReminderLog, RuleCode
from nhiemvu.reports import selectors as report_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    tasks = selectors.tasks_for(request.user)
    counts = selectors.status_counts(tasks)
    # Filters on stored columns (status.label_q), not on the annotated label: index-backed.
    urgent = tasks.filter(label_q([Label.OVERDUE, Label.DUE_SOON, Label.RETURNED])).order_by(
        "deadline", "id"
    )[:20]
    awaiting = tasks.filter(label_q([Label.AWAITING])).order_by("completion_date", "id")[:20]
    scope = scope_of(request.user)
    context = {
        "counts": counts,
        "rates": selectors.rates(counts),
        "urgent": urgent,
        "awaiting": awaiting if scope.confirms or not scope.province else [],
        "extensions": selectors.pending_extensions_for(request.user)[:20],
        "today": workdays.today(),
    }
    if scope.province:
        # The province's picture: backlog by age, agencies most overdue, month-by-month trend.
        board = report_selectors.dashboard(request.user, workdays.today())
        board["series"] = {
            "overdue": _("Open overdue tasks"),
            "assigned": _("Assigned"),
            "on_time": _("Completed on time"),
            "late": _("Completed late"),
        }
        context["dashboard"] = board
        context["age_rows"] = list(
            zip(board["ages"]["labels"], board["ages"]["counts"], strict=True)
        )
        context["top_rows"] = list(
            zip(board["top"]["labels"], board["top"]["codes"], board["top"]["counts"], strict=True)
        )
    if scope.is_office:
        # The office's inbox: what waits for it besides confirmations.
        context["to_advise"] = (
            Extension.objects.filter(status=ExtensionStatus.PENDING, office_advice="")
            .select_related("assignment", "assignment__lead")
            .order_by("requested_at")[:20]
        )
        context["refused"] = tasks.filter(label_q([Label.REFUSED])).order_by("id")[:20]
        # The founding letter's 3-monthly urging: tasks without deadline open for three months
        # or more whose last check is older than that (or that were never checked).
        months = _no_deadline_months()
        today = workdays.today()
        cutoff = status.quarterly_check_cutoff(today, months)
        checked = ReminderLog.objects.filter(
            task=OuterRef("pk"), rule=RuleCode.NO_DEADLINE, created_at__date__gt=cutoff
        )
        context["quarterly"] = (
            tasks.filter(status.quarterly_check_q(today, months))
            .exclude(Exists(checked))
            .order_by("assigned_on", "id")[:20]
            if months
            else []
        )
        context["flagged"] = tasks.filter(status.flagged_q()).order_by("id")[:20]
    if scope.lead_org_ids:
        # One-click reports on the agency's own open tasks.
        context["quick"] = scope.lead_org_ids
        # An agency sees apart the tasks it only coordinates.
        context["coordinated"] = (
            tasks.exclude(lead_id__in=scope.lead_org_ids)
            .filter(status.owed_q())
            .order_by("deadline", "id")[:20]
        )
    return render(request, "web/home.html", context)


def _no_deadline_months() -> int:
    """The months between checks of a task without deadline: the reminder rule's, so the
    office's list and the reminders agree (3 by default, the founding letter's rhythm; 0 when
    the administrators switched the rule off)."""
    from nhiemvu.reminders.schedule import rules

    return (rules().get(RuleCode.NO_DEADLINE) or [0])[0]


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
