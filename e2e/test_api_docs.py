"""The API documentation renders in the browser from our own files, under our CSP."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_and_redoc_render(live_server: Any, page: Any) -> None:
    # Redoc's footer asks cdn.redoc.ly for its logo: the CSP (img-src 'self') blocks it, so no
    # answer from outside ever arrives; that is what must hold on an offline intranet.
    answered: list[str] = []
    page.on("response", lambda r: answered.append(f"{r.status} {r.url}"))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector("[data-path='/api/v1/tasks']", timeout=15000)
    page.goto(f"{live_server.url}/api/v1/redoc")
    heading = "Import a document from a document-management system (idempotent)"
    page.get_by_role("heading", name=heading).wait_for(timeout=15000)
    outside = [
        u
        for u in answered
        if not u.split(" ", 1)[1].startswith((live_server.url, "blob:", "data:"))
    ]
    assert outside == []
    # The one expected complaint: the browser reporting that our CSP blocked Redoc's logo.
    blocked_logo = [e for e in page.console_errors if "cdn.redoc.ly" in e]
    assert [e for e in page.console_errors if e not in blocked_logo] == []
