from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from nhiemvu.assignments import selectors
from nhiemvu.assignments.status import Label, label_q
from nhiemvu.lib import workdays
from nhiemvu.orgs.rules import is_office, scope_of
from nhiemvu.reminders.models import RuleCode
from nhiemvu.web import selectors as home_selectors
from nhiemvu.web.selectors import SECTION_ROWS


@login_required
def home(request: HttpRequest) -> HttpResponse:
    tasks = selectors.tasks_for(request.user)
    counts = selectors.status_counts(tasks)
    scope = scope_of(request.user)
    today = workdays.today()
    context: dict[str, Any] = {
        "counts": counts,
        "rates": selectors.rates(counts),
        "extensions": selectors.pending_extensions_for(request.user)[:SECTION_ROWS],
        "today": today,
    }
    if scope.lead_org_ids:
        # An agency's home: its work in the order it acts on it, with one-click reports.
        context.update(
            home_selectors.agency_home(tasks, scope.lead_org_ids, request.GET.get("trang"))
        )
        context["quick"] = scope.lead_org_ids
        context["passed_on"] = home_selectors.passed_on_to(request.user, tasks)
    else:
        # Filters on stored columns (status.label_q), not on the annotated label: index-backed.
        urgent = [Label.OVERDUE, Label.DUE_SOON, Label.RETURNED]
        context["urgent"] = tasks.filter(label_q(urgent)).order_by("deadline", "id")[:SECTION_ROWS]
    if scope.confirms or not scope.province:
        context["awaiting"] = tasks.filter(label_q([Label.AWAITING])).order_by(
            "completion_date", "id"
        )[:SECTION_ROWS]
    if scope.province:
        # The province's picture: backlog by age, agencies most overdue, month-by-month trend.
        board = home_selectors.dashboard(request.user, today)
        board["series"] = {
            "overdue": _("Open overdue tasks"),
            "assigned": _("Assigned"),
            "on_time": _("Completed on time"),
            "late": _("Completed late"),
        }
        context["dashboard"] = board
        context["lessons"] = home_selectors.lessons(request.user, today)
        # Work from above apart from the province's own (issue 16): the received tasks through
        # their small partial index, the province's as the rest of the counts already made.
        received = selectors.status_counts(tasks.filter(received=True)).tally
        context["origins"] = [
            (_("Tasks from the Government, the Prime Minister"), "received", received),
            (
                _("Tasks the provincial People's Committee assigns"),
                "province",
                counts.tally.minus(received),
            ),
        ]
        context["age_rows"] = list(
            zip(board["ages"]["labels"], board["ages"]["counts"], strict=True)
        )
        context["top_rows"] = list(
            zip(board["top"]["labels"], board["top"]["codes"], board["top"]["counts"], strict=True)
        )
    if is_office(request.user):
        context.update(home_selectors.office_inbox(tasks, today, _no_deadline_months()))
    return render(request, "web/home.html", context)


def _no_deadline_months() -> int:
    """The months between checks of a task without deadline: the reminder rule's, so the
    office's list and the reminders agree (3 by default, the founding letter's rhythm; 0 when
    the administrators switched the rule off)."""
    from nhiemvu.reminders.schedule import rules

    return (rules().get(RuleCode.NO_DEADLINE) or [0])[0]
