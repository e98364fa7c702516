from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from nhiemvu.assignments import selectors as task_selectors
from nhiemvu.assignments.models import Coordination
from nhiemvu.assignments.status import DONE_LABELS
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import scope_of


@login_required
def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An organisation's tasks and rates: the province roles see any, an agency its own."""
    org = get_object_or_404(Organisation.objects.select_related("successor", "parent"), code=code)
    scope = scope_of(request.user)
    if not scope.province and org.pk not in scope.org_ids:
        raise Http404
    led = task_selectors.tasks_for(request.user).filter(lead=org)
    counts = task_selectors.status_counts(led)
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "org": org,
            "counts": counts,
            "rates": task_selectors.rates(counts),
            "open_tasks": led.exclude(st_label__in=list(DONE_LABELS)).order_by("deadline", "id")[
                :50
            ],
            "coordinated": Coordination.objects.filter(org=org).count(),
        },
    )
