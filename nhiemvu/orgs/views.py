from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from nhiemvu.orgs import picker


@login_required
@require_GET
def organisation_search(request: HttpRequest) -> JsonResponse:
    """The searchable organisation picker's results: what was typed → organisations and groups
    (the directory is the province's public list; any signed-in person may search it)."""
    results = picker.search(request.GET.get("q", ""))
    response = JsonResponse({"results": [choice.as_dict() for choice in results]})
    response["Cache-Control"] = "private, max-age=60"
    return response
