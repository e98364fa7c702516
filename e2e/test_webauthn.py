"""Issue 30 item 4 in the browser: a security key as the second factor. The office, asked to
enrol, adds a key (Chromium's virtual authenticator, driven through the DevTools protocol, stands
in for a USB key or the computer's passkey), then signs in with its password and the key. The
page's scripts are allauth's own, served from our origin under the site's strict CSP: a refused
script or a failed ceremony would show in the console."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from nhiemvu.test import PASSWORD, Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def authenticator(page: Any) -> Iterator[dict[str, Any]]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    made = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    yield {"cdp": cdp, "id": made["authenticatorId"]}
    cdp.send("WebAuthn.disable")


def test_the_office_adds_a_security_key_and_signs_in_with_it(
    live_server: Any, page: Any, settings: Any, authenticator: dict[str, Any]
) -> None:
    settings.NHIEMVU_MFA_REQUIRED_ROLES = ["office", "working_group", "admin"]
    # The live server is plain http: allauth checks the origin for https unless told (never in
    # production, settings_signin.py). The browser counts localhost as secure; an IP address
    # cannot be a WebAuthn relying party, hence localhost rather than 127.0.0.1.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    p = Province()
    base = live_server.url.replace("127.0.0.1", "localhost")

    def sign_in() -> None:
        page.goto(f"{base}/dang-nhap/")
        page.fill("#id_username", "office")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")

    sign_in()
    page.wait_for_url(f"{base}/tai-khoan/2fa/totp/activate/")
    page.click("text=Dùng khóa đó thay thế")
    page.wait_for_url(f"{base}/tai-khoan/2fa/webauthn/add/")
    assert "Thêm khóa bảo mật" in page.locator("h1").inner_text()
    page.fill("#id_name", "Khóa USB của văn phòng")
    page.click("#mfa_webauthn_add")
    # The first factor comes with recovery codes, shown once.
    page.wait_for_selector("#recovery-codes")
    assert "Đã thêm khóa bảo mật." in page.locator("main").inner_text()
    key = Authenticator.objects.get(user=p.office, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Khóa USB của văn phòng"
    credentials = authenticator["cdp"].send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator["id"]}
    )["credentials"]
    assert len(credentials) == 1
    page.goto(f"{base}/tai-khoan/2fa/webauthn/")
    assert "Khóa USB của văn phòng" in page.locator("main").inner_text()

    # Signed out, the password alone no longer opens the session: the key does.
    page.context.clear_cookies()
    sign_in()
    page.wait_for_url(f"{base}/tai-khoan/2fa/authenticate/")
    assert not page.locator("#account-menu").is_visible()
    assert "Hoặc nhập mã:" in page.locator("main").inner_text()
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_url(f"{base}/")
    assert page.locator("#account-menu").is_visible()
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert page.console_errors == []
