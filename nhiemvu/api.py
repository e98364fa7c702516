"""The REST API, /api/v1: other systems do through it what an agency officer does in the browser.

Each app keeps its endpoints in its own ``api.py`` (a ninja Router) mounted here. Everything an
endpoint answers is documented in the OpenAPI 3.1 schema (/api/v1/openapi.json; Swagger UI at
/api/v1/docs and Redoc at /api/v1/redoc, served from our own static files): the success body and
one error body for every failure, ``{"code", "message", "fields"}`` with a stable English code
for programs and a Vietnamese message for people.

Authentication is an API key (``Authorization: Bearer nv_…`` or ``X-API-Key: nv_…``). A key
acts through its service account, so the permission rules are exactly the browser's; a read key
may only read; each key has a per-minute rate limit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from nhiemvu.accounts.models import ApiKey, KeyScope
from nhiemvu.accounts.services import apikey_find, apikey_hit
from nhiemvu.apicommon import ApiError, BearerKey, HeaderKey, install_key_lookup
from nhiemvu.apiforms import NOT_BLANK

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _presented(request: HttpRequest) -> set[str]:
    tokens = set()
    bearer = request.headers.get("Authorization", "")
    if bearer.lower().startswith("bearer "):
        tokens.add(bearer[7:].strip())
    if request.headers.get("X-API-Key"):
        tokens.add(request.headers["X-API-Key"].strip())
    return tokens


def _key_for(request: HttpRequest, token: str | None) -> ApiKey | None:
    # Two different credentials in one request: refuse rather than pick the one that works.
    if len(_presented(request)) > 1:
        return None
    key = apikey_find(token or "")
    if key is None:
        return None
    if not apikey_hit(key):
        raise ApiError(
            429,
            "rate_limited",
            _("Too many requests for this key: at most %(n)s a minute.")
            % {"n": key.rate_per_minute},
            headers={"Retry-After": "60"},
        )
    if request.method not in SAFE_METHODS and key.scope != KeyScope.WRITE:
        raise ApiError(403, "read_only_key", _("This key may only read."))
    # The service account: permission rules (rules.py, scope_of) see a member of the org.
    request.user = key.user
    return key


install_key_lookup(_key_for)


api = NinjaAPI(
    title="nhiemvu — API theo dõi nhiệm vụ",
    version="1",
    description=__doc__ or "",
    urls_namespace="api",
    auth=[BearerKey(), HeaderKey()],
    docs=Swagger(),
    docs_url="/docs",
)


def error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    """The one error body: ``{"code", "message", "fields"}``."""
    body = {"code": code, "message": message, "fields": fields or {}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = error(request, exc.status, exc.code, exc.message, fields=exc.fields)
    for name, value in exc.headers.items():
        response[name] = value
    return response


# Pydantic's messages are fixed English sentences; the body says in the user's language (Vietnamese
# first) what was wrong with each field.
BAD_DATE = gettext_lazy("Not a valid date (YYYY-MM-DD).")
_PYDANTIC: dict[str, Any] = {
    "missing": gettext_lazy("This field is required."),
    "string_too_long": gettext_lazy("Too long."),
    "string_too_short": gettext_lazy("Must not be empty."),
    "string_type": gettext_lazy("Must be a string."),
    "int_parsing": gettext_lazy("Must be a whole number."),
    "int_type": gettext_lazy("Must be a whole number."),
    "bool_parsing": gettext_lazy("Must be true or false."),
    "bool_type": gettext_lazy("Must be true or false."),
    "date_from_datetime_parsing": BAD_DATE,
    "date_parsing": BAD_DATE,
    "date_type": BAD_DATE,
    "literal_error": gettext_lazy("Not one of the allowed values."),
    "enum": gettext_lazy("Not one of the allowed values."),
    "less_than_equal": gettext_lazy("Too large."),
    "greater_than_equal": gettext_lazy("Too small."),
    "list_type": gettext_lazy("Must be a list."),
    "too_long": gettext_lazy("The list is too long."),
    "model_attributes_type": gettext_lazy("Must be a JSON object."),
    "dict_type": gettext_lazy("Must be a JSON object."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
}


def _pattern_message(pattern: object) -> Any:
    # A text's NUL is refused before its pattern is tried (apicommon.NO_NUL, with its message);
    # a required text's pattern that still fails found nothing but spaces.
    if pattern == NOT_BLANK:
        return _PYDANTIC["string_too_short"]
    return gettext_lazy("Not a valid value.")


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        location = [
            str(part)
            for part in item.get("loc", ())
            if part not in ("body", "query", "path", "form", "payload")
        ]
        name = ".".join(location) or "_"
        kind = str(item.get("type"))
        if kind == "value_error":  # our own validators raise with a translated message
            message = str(item.get("msg", "")).removeprefix("Value error, ")
        elif kind == "string_pattern_mismatch":
            message = str(_pattern_message(item.get("ctx", {}).get("pattern")))
        else:
            message = str(_PYDANTIC.get(kind, gettext_lazy("Not a valid value.")))
        fields.setdefault(name, []).append(message)
    return error(request, 422, "invalid", _("Some fields are not valid."), fields=fields)


@api.exception_handler(DjangoValidationError)
def _rejected(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    fields = {k: list(v) for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
    return error(request, 400, "rejected", " ".join(exc.messages), fields=fields)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same answer for "does not exist" and "not yours": nothing leaks about other agencies.
    return error(request, 404, "not_found", _("Not found, or not visible to this key."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # The workflow and the services say who may (in Vietnamese); a bare denial says no more.
    message = str(exc) if exc.args and str(exc) else _("This key may not do that.")
    return error(request, 403, "forbidden", message)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(
        request,
        401,
        "unauthenticated",
        _("Missing or invalid API key: send “Authorization: Bearer nv_…” or “X-API-Key: nv_…”."),
    )


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
def _malformed(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A body the parser cannot read (a multipart without its boundary, a form not in UTF-8) is
    # the client's mistake: the API's body, and no traceback in the error log.
    return error(request, 400, "bad_request", _("The request is malformed."))


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Django's own limits on a body (its size in memory, the number of fields or files).
    if isinstance(exc, RequestDataTooBig):
        return error(request, 413, "too_large", _("The request is too large."))
    return error(request, 400, "bad_request", _("The request is malformed."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "error", str(exc))


def mount() -> NinjaAPI:
    from nhiemvu.assignments.api import router as tasks
    from nhiemvu.directives.api import router as directives
    from nhiemvu.orgs.api import router as orgs
    from nhiemvu.reports.api import router as reports

    api.add_router("/tasks", tasks)
    api.add_router("/directives", directives)
    api.add_router("/", orgs)
    api.add_router("/reports", reports)
    return api


@csp_override(
    {
        **settings.SECURE_CSP,
        # Redoc styles itself with injected <style> elements and searches in a blob: worker;
        # scripts stay our own files only, and only this documentation page is relaxed.
        "style-src": ["'self'", "'unsafe-inline'"],
        "worker-src": ["'self'", "blob:"],
    }
)
def redoc(request: HttpRequest) -> HttpResponse:
    """Redoc, from ninja's bundled copy; our template keeps the script out of the page."""
    from django.shortcuts import render
    from django.urls import reverse

    return render(request, "api/redoc.html", {"openapi_url": reverse("api:openapi-json")})
