"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Never downloads a browser: the executable is /usr/bin/chromium (CHROMIUM to override).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are ordinary synchronous calls, so Django's guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.wait_for_function = _function_only(page.wait_for_function)
    yield page
    context.close()


def _function_only(wait: Any) -> Any:
    """Playwright re-runs an expression string through the page's own eval on every poll, which
    the site's CSP (script-src 'self') forbids: such a wait passes only while its condition is
    already true at the first check, and fails when the page is a moment late. A function is
    compiled by the driver, outside the CSP, so every wait must be given one."""

    def checked(expression: str, *args: Any, **kwargs: Any) -> Any:
        if not expression.lstrip().startswith(("() =>", "(", "function")):
            raise AssertionError(f"wait_for_function needs a function, not {expression!r}")
        return wait(expression, *args, **kwargs)

    return checked


@pytest.fixture(autouse=True)
def _second_factor_off(settings: Any) -> None:
    """The other browser tests sign in as the office, the Working Group or an administrator
    with a password, which would first ask them to set up a second factor (issue 30):
    test_sso_oidc.py turns it back on and walks that enrolment itself."""
    settings.NHIEMVU_MFA_REQUIRED_ROLES = []
