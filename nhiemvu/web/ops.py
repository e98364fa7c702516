"""The operator's routes (issue 31 item 3): `/healthz`, `/readyz` and `/metrics`.

No session, no login: a load balancer and Prometheus call them. `/healthz` and `/readyz` say
only ok or failed per check; `/metrics` answers a token or an allowed address (web/metrics.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nhiemvu.web import health, metrics

# The checks' names in the message a person reads (the "checks" keys stay as they are).
CHECK_NAMES = {
    "database": gettext_lazy("database"),
    "migrations": gettext_lazy("migrations"),
    "scheduler": gettext_lazy("scheduler"),
    "outbox": gettext_lazy("outbox"),
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers (a liveness probe): no database, so a database away does not get
    every node restarted."""
    return JsonResponse({"ok": True, "message": _("The service is running.")})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    verdicts = health.readiness()
    ok = all(verdicts.values())
    failed = [str(CHECK_NAMES[name]) for name, good in verdicts.items() if not good]
    message = _("Ready.") if ok else _("Not ready: %(checks)s.") % {"checks": ", ".join(failed)}
    response = JsonResponse(
        {
            "ok": ok,
            "checks": {name: "ok" if good else "failed" for name, good in verdicts.items()},
            "message": message,
        },
        status=200 if ok else 503,
    )
    # The failed checks are logged once, as warnings, by health.readiness(); a probe every few
    # seconds must not also write an ERROR line each time (Django's "Service Unavailable").
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    permitted = metrics.allowed(request)
    if permitted is None:
        return JsonResponse({"message": _("Metrics are not enabled on this server.")}, status=404)
    if not permitted:
        response = JsonResponse(
            {"message": _("A valid metrics token or an allowed address is required.")},
            status=403,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response
    return HttpResponse(metrics.render(), content_type=metrics.CONTENT_TYPE)
