from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from nhiemvu.assignments import selectors
from nhiemvu.assignments.status import Label
from nhiemvu.lib import workdays


@login_required
def home(request: HttpRequest) -> HttpResponse:
    tasks = selectors.tasks_for(request.user)
    counts = selectors.status_counts(tasks)
    urgent = tasks.filter(st_label__in=[Label.OVERDUE, Label.DUE_SOON, Label.REDO]).order_by(
        "deadline", "id"
    )[:20]
    awaiting = tasks.filter(st_label=Label.AWAITING).order_by("completion_date", "id")[:20]
    return render(
        request,
        "web/home.html",
        {
            "counts": counts,
            "rates": selectors.rates(counts),
            "urgent": urgent,
            "awaiting": awaiting,
            "extensions": selectors.pending_extensions_for(request.user)[:20],
            "today": workdays.today(),
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
