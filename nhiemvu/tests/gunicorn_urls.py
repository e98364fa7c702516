"""The project's URLs and a slow page, for the gunicorn the tests start (gunicorn_site.py)."""

from __future__ import annotations

import os
import time

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def slow(request: HttpRequest, seconds: int) -> HttpResponse:
    """Holds its thread ``seconds`` (a request stuck in work), then names its process."""
    time.sleep(seconds)
    return HttpResponse(str(os.getpid()))


urlpatterns = [
    path("test-slow/<int:seconds>/", slow),
    path("", include("nhiemvu.urls")),
]
