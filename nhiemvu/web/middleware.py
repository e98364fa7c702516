from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose English (language cookie set by /i18n/setlang/).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office PCs
    run an English browser: the province's system speaks Vietnamese first (house rule 8)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _forget_language(**kwargs: object) -> None:
    """The thread goes back to the default language once a response is closed (a streamed file
    is closed after its last piece, so it is written in the person's language to the end):
    otherwise the next work on this thread (a test, a job run in-process) would speak whatever
    language the last request chose — a page in English for an English cookie left the backup
    drill's report in English in the suite."""
    translation.deactivate()


request_finished.connect(_forget_language, dispatch_uid="nhiemvu-forget-language")


# Encodings a form may declare; browsers send UTF-8. Any other (utf-7, utf-16…) is refused: the
# form parser would read it one way and every later re-read another way.
_FORM_CHARSETS = {"utf-8", "utf8", "us-ascii", "ascii"}
# Room for the multipart envelope and the other fields beside the largest file allowed.
_BODY_MARGIN = 1024 * 1024


class RequestGuardMiddleware:
    """Requests no page can answer are refused here, for every route, before any view, form
    parser or database sees them, with a clear message (JSON under /api/):

    - a NUL character in the path or the query (PostgreSQL cannot store or compare it: the
      query failed with a 500) → 400;
    - a form body declaring a charset other than UTF-8 → 400;
    - a body larger than the largest upload allowed → 413, before it is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        if refusal is not None:
            return _refuse(request, *refusal)
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> tuple[int, str] | None:
        from django.utils.translation import gettext as _

        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return 400, _("The address contains a character that is not allowed (NUL).")
        content_type = request.META.get("CONTENT_TYPE", "")
        charset = ""
        for part in content_type.split(";")[1:]:
            key, _sep, value = part.strip().partition("=")
            if key.lower() == "charset":
                charset = value.strip().strip('"').lower()
        if charset and charset not in _FORM_CHARSETS:
            return 400, _("The request is not encoded in UTF-8.")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 400, _("The request is malformed.")
        if length > settings.MAX_UPLOAD_BYTES + _BODY_MARGIN:
            if _takes_large_body(request) and length <= settings.LEGACY_UPLOAD_MAX_BYTES:
                # Who sends it is known only after the session: LargeBodyGuardMiddleware.
                request.large_body = True  # type: ignore[attr-defined]
                return None
            return _too_large(request)
        return None


def _takes_large_body(request: HttpRequest) -> bool:
    # The one page that takes more than a file: the switch-over's export with its zip.
    from django.urls import reverse

    return request.method == "POST" and request.path_info == reverse("legacy_home")


def _too_large(request: HttpRequest) -> tuple[int, str]:
    from django.utils.translation import gettext as _

    bound = settings.MAX_UPLOAD_BYTES
    if _takes_large_body(request):
        bound = settings.LEGACY_UPLOAD_MAX_BYTES
    return 413, _("The request is too large: a file may be at most %(max)s MB.") % {
        "max": bound // 1048576
    }


class LargeBodyGuardMiddleware:
    """A body above a file's bound was let through RequestGuardMiddleware for the switch-over
    page only; here, with the person known from the session and before any middleware's
    ``process_view`` (CSRF reads the form) or the view parses it, anyone but the office is
    refused with the ordinary 413: no one else makes the server spool hundreds of MB."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "large_body", False):
            from nhiemvu.orgs.rules import is_office

            if not is_office(request.user):
                return _refuse(request, *_too_large(request))
        return self.get_response(request)


def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        from django.http import JsonResponse

        code = "too_large" if status == 413 else "bad_request"
        return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    from django.template.loader import render_to_string

    # No context processors or user: the request was not parsed and must not be.
    body = render_to_string("400.html", {"message": message, "status": status})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def _client_address(request: HttpRequest) -> None:
    """Behind a proxy listed in NHIEMVU_TRUSTED_PROXIES, the client's address is the last one
    the proxy appended to X-Forwarded-For, not the proxy's own: the login lockout by address
    (django-axes, accounts/views.py) and the metrics allow-list see the real client. Entries
    before the last were written by the client and are never believed. Without the setting,
    REMOTE_ADDR is the peer that connected (gunicorn reached directly)."""
    import ipaddress

    proxies = settings.TRUSTED_PROXIES
    peer = request.META.get("REMOTE_ADDR", "")
    if not proxies or peer not in proxies:
        return
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    try:
        request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded))
    except ValueError:
        return


class ObserveMiddleware:
    """Every request gets an id (the proxy's X-Request-ID when sane, else a new one), sent back
    in the answer's X-Request-ID and carried by every log line and every job it enqueues; when
    it ends, it is counted and timed by route for /metrics and written as one access line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import logging
        import time

        from nhiemvu.lib import logs
        from nhiemvu.web import metrics

        _client_address(request)
        rid = logs.sane(request.META.get("HTTP_X_REQUEST_ID"))
        token = logs.request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = rid
            if response.status_code >= 400:
                # Django logs a refused or failed request after the last middleware returns,
                # when the id is gone: logged here, in the request, Django skips its own line.
                from django.utils.log import log_response

                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
            elapsed = time.perf_counter() - started
            route = metrics.route_of(request)
            metrics.observe(route, request.method or "", response.status_code, elapsed)
            logging.getLogger("nhiemvu.access").info(
                "%s %s %s %.0f ms",
                request.method,
                route,
                response.status_code,
                elapsed * 1000,
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                    "request_id": rid,
                },
            )
            return response
        finally:
            logs.request_id.reset(token)
