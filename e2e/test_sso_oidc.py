"""Issue 30 in the browser: signing in through the province's portal (a real OpenID Connect
provider on the machine, django-oauth-toolkit) as an agency officer, and the office asked to set
up its second factor, which it does with a code worked out here as a phone would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from nhiemvu.accounts.tests.factors import totp
from nhiemvu.accounts.tests.oidc_provider import PEOPLE, Provider
from nhiemvu.assignments.models import Assignment
from nhiemvu.test import PASSWORD, Province, register, travel

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(live_server: Any, settings: Any) -> Iterator[Provider]:
    base = live_server.url
    provider = Provider(
        PEOPLE, [f"{base}/tai-khoan/oidc/tinh/login/callback/"], [f"{base}/dang-nhap/"]
    )
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    # As settings.py does for a configured issuer: our forms may end at the portal.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(provider.issuer))
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], origin],
    }
    yield provider
    provider.stop()


def through_portal(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.click("#sso-login")
    page.wait_for_selector("#portal-login")  # the portal's own login page
    page.fill("#id_username", username)
    page.fill("#id_password", PEOPLE[username]["password"])
    page.click("#portal-login")


def test_an_agency_officer_signs_in_through_the_portal_and_sees_the_agencys_tasks(
    live_server: Any, page: Any, portal: Provider
) -> None:
    p = Province()
    with travel(dt.date(2026, 3, 3)):
        directive = register(p)
    task = Assignment.objects.get(directive=directive)
    base = live_server.url
    through_portal(page, base, "nguyenvana")
    page.wait_for_url(f"{base}/")
    assert "Nguyễn Văn A" in page.locator("#account-menu").inner_text()
    assert page.locator(f"a[href='/nhiem-vu/{task.code}/']").count() >= 1
    # Logging out ends the portal's session too: the button leads to its login page again.
    page.click("#account-menu")
    page.click("#account form button[type=submit]")
    page.wait_for_url(f"{base}/dang-nhap/")
    page.click("#sso-login")
    page.wait_for_selector("#portal-login")
    assert page.console_errors == []


def test_a_person_of_no_known_organisation_is_told_whom_to_ask(
    live_server: Any, page: Any, portal: Provider
) -> None:
    Province()
    base = live_server.url
    through_portal(page, base, "tranthib")
    page.wait_for_selector("#sso-refused")
    assert "Trần Thị B" in page.locator("main").inner_text()
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/dang-nhap/?next=/")


def test_the_office_without_a_second_factor_is_asked_to_enrol_and_does(
    live_server: Any, page: Any, settings: Any
) -> None:
    settings.NHIEMVU_MFA_REQUIRED_ROLES = ["office", "working_group", "admin"]
    Province()
    base = live_server.url
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/tai-khoan/2fa/totp/activate/")
    assert "Thiết lập xác thực hai lớp" in page.locator("h1").inner_text()
    # Any other page sends them back here.
    page.goto(f"{base}/nhiem-vu/")
    page.wait_for_url(f"{base}/tai-khoan/2fa/totp/activate/")
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", totp(secret))
    page.click("form[action$='/activate/'] button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    assert "Đã bật xác thực hai lớp." in page.locator("main").inner_text()
    assert len(page.locator("#codes").inner_text().split()) == 10
    page.click("text=Tiếp tục")
    page.wait_for_url(f"{base}/")
    assert page.locator("#account-menu").is_visible()
    assert page.console_errors == []
