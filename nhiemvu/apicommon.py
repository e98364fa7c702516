"""What every app's ``api.py`` shares, in a leaf module: the one error body, the errors each
operation documents, the error to raise with a stable code, and keyset pages as cursors.

``nhiemvu/api.py`` (the root) only includes the apps' routers and turns these into responses;
the apps import this module, never the root, so there is no import circle between them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.security import APIKeyHeader, HttpBearer
from pydantic import BeforeValidator, Field, StringConstraints


class Error(Schema):
    """Every failure: a stable code, a message in Vietnamese, and per-field messages."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}


# The error responses every authenticated endpoint may give (documented on each operation).
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}
# An operation that takes a body may also be refused for its size before it is read (413).
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 413: Error}
# A step of the workflow may also find the task in a state where it cannot be taken (409).
STEP_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: Error}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.fields = fields or {}


# --- the key, then checks before the body is read ----------------------------------------

# ``check(request, **path)``: raises PermissionDenied, Http404 or ApiError, or returns None.
Check = Callable[..., None]
# How a presented key is found (accounts), installed by the root: the kit imports no app.
_find_key: list[Callable[[HttpRequest, str | None], Any]] = []


def install_key_lookup(find: Callable[[HttpRequest, str | None], Any]) -> None:
    _find_key[:] = [find]


def _authenticated(request: HttpRequest, token: str | None, check: Check | None) -> Any:
    if not _find_key:  # closed, never open, if the root did not install the lookup
        raise RuntimeError("nhiemvu.api did not install the API key lookup")
    key = _find_key[0](request, token)
    if key is not None and check is not None:
        match = request.resolver_match
        check(request, **(match.kwargs if match else {}))
    return key


class BearerKey(HttpBearer):
    """``Authorization: Bearer nv_…``; with ``check``, that check runs as soon as the key is
    known, before ninja reads the body."""

    def __init__(self, check: Check | None = None) -> None:
        super().__init__()
        self.check = check

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _authenticated(request, token, self.check)


class HeaderKey(APIKeyHeader):
    """``X-API-Key: nv_…``, the same key."""

    param_name = "X-API-Key"

    def __init__(self, check: Check | None = None) -> None:
        super().__init__()
        self.check = check

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _authenticated(request, key, self.check)


def checked_first(check: Check) -> list[Any]:
    """The ``auth`` of an operation whose permission (and state) is decided before its body is
    read: a key that may not take the step gets its 403 (a task in the wrong state its 409)
    whatever the body holds, and no body is parsed for a request refused anyway."""
    return [BearerKey(check), HeaderKey(check)]


def cursor_page(qs: Any, order: Any, *, size: int, after: str, before: str) -> dict[str, Any]:
    """A keyset page for a list endpoint, or a 400 ``bad_cursor`` for a forged cursor; the
    caller turns ``rows`` into ``items``."""
    from nhiemvu import keyset

    try:
        page = keyset.page(qs, order, size=size, after=after, before=before)
    except keyset.CursorError:
        raise ApiError(400, "bad_cursor", _("The page cursor is not valid.")) from None
    return {"rows": page.rows, "next": page.next, "previous": page.previous}


# --- field types shared by the apps' bodies and queries ---------------------------------------


NUL_MESSAGE = gettext_lazy("Must not contain the NUL character.")


def _no_nul(value: object) -> object:
    # PostgreSQL cannot store U+0000 in text; say so instead of failing at the database.
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(str(NUL_MESSAGE))
    return value


# Before the schema's own checks: the pattern below refuses the same text, but its error cannot
# say why (ninja drops the value from the error), so this one speaks first.
NO_NUL = BeforeValidator(_no_nul)
# The schema states the same rule as a pattern, so a request the schema allows is accepted.
NO_NUL_TEXT = r"^[^\x00]*$"
Clean = Annotated[str, StringConstraints(pattern=NO_NUL_TEXT), NO_NUL]


def _iso_date(value: object) -> object:
    # Pydantic alone also takes 0 or "1700000000" as a date (Unix time): only YYYY-MM-DD here.
    if isinstance(value, dt.date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        return value
    raise ValueError(_("Not a valid date (YYYY-MM-DD)."))


# A date as the API accepts it: ISO 8601, within the years the system handles. JSON Schema has
# no bounds for a "date" string, so the years and the days of each month are stated as a pattern:
# a client (or schemathesis) that follows the schema never sends a date the API then refuses.
_DAYS = (
    r"(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8])"
)


def _date_type(first: int, last: int, years: str, leap_years: str) -> Any:
    pattern = rf"^(({years})-({_DAYS})|({leap_years})-02-29)$"
    return Annotated[
        dt.date,
        BeforeValidator(_iso_date),
        Field(
            ge=dt.date(first, 1, 1),
            le=dt.date(last, 12, 31),
            json_schema_extra={"pattern": pattern},
            description=f"YYYY-MM-DD, years {first}-{last}",
        ),
    ]


IsoDate = _date_type(
    1900,
    2200,
    r"19[0-9]{2}|2[01][0-9]{2}|2200",
    r"19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26])"
    r"|21(0[48]|[2468][048]|[13579][26])",
)
# The dates the calendar and the report periods handle (lib/periods.py: 1990-2100).
ReportDate = _date_type(
    1990, 2100, r"199[0-9]|20[0-9]{2}|2100", r"199[26]|20([02468][048]|[13579][26])"
)


Code = Annotated[str, StringConstraints(max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]


# An organisation as a row of another object names it (a task's lead, a document's issuer).
class OrgRef(Schema):
    code: str
    name: str


# A stored PDF's digital signatures as every API that lists files gives them (the rows are
# directives.files.signatures_out).
class SignatureOut(Schema):
    state: str = Field(
        description="valid, changed (after signing), broken (not intact), untrusted (issuer "
        "not among the province's trusted CAs), expired, revoked, unreadable, too_complex "
        "(not checked: the file or signature exceeds the server's bounds on certificates, "
        "signature fields, updates or time)"
    )
    signer: str
    organisation: str
    signed_at: str | None = Field(description="the signing time the signature reports (ISO)")
    intact: bool
    whole_file: bool
    changed_after: bool
    trusted: bool
    valid_at_signing: bool
    revocation: str = Field(description="good, revoked, or not_checked")
    advice: str = Field(
        description="what must be done about this verdict, in the site's language: for an "
        "untrusted issuer, that an administrator trusts its certification authority; empty "
        "when nothing can be done"
    )
