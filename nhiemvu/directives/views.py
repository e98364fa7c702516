from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nhiemvu.assignments import selectors as task_selectors
from nhiemvu.directives import selectors


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
