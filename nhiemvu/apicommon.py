"""What every app's ``api.py`` shares, in a leaf module: the one error body, the errors each
operation documents, the error to raise with a stable code, and keyset pages as cursors.

``nhiemvu/api.py`` (the root) only includes the apps' routers and turns these into responses;
the apps import this module, never the root, so there is no import circle between them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema


class Error(Schema):
    """Every failure: a stable code, a message in Vietnamese, and per-field messages."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}


# The error responses every authenticated endpoint may give (documented on each operation).
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def cursor_page(qs: Any, order: Any, *, size: int, after: str, before: str) -> dict[str, Any]:
    """A keyset page for a list endpoint, or a 400 ``bad_cursor`` for a forged cursor; the
    caller turns ``rows`` into ``items``."""
    from nhiemvu.assignments import keyset

    try:
        page = keyset.page(qs, order, size=size, after=after, before=before)
    except keyset.CursorError:
        raise ApiError(400, "bad_cursor", _("The page cursor is not valid.")) from None
    return {"rows": page.rows, "next": page.next, "previous": page.previous}
