"""The second factor (issue 30 item 4): required for the office, the Working Group and
administrators who sign in with a password, asked before the session opens, enrolment first."""

from __future__ import annotations

import re
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from nhiemvu.accounts.tests.factors import totp
from nhiemvu.audit.models import AuditEvent
from nhiemvu.test import PASSWORD, BaseTestCase


# Production's default (the demo asks nobody: settings_signin.py).
@override_settings(NHIEMVU_MFA_REQUIRED_ROLES=["office", "working_group", "admin"])
class TwoFactorTests(BaseTestCase):
    def setUp(self) -> None:
        # Real time (no frozen day): the codes follow the clock, and allauth remembers the codes
        # used and the attempts in the cache, which each test starts without.
        for user in self.p.personas().values():
            user.__dict__.pop("_nhiemvu_scope", None)
        cache.clear()

    def password_sign_in(self, username: str) -> Any:
        return self.client.post(reverse("login"), {"username": username, "password": PASSWORD})

    def signed_in(self) -> bool:
        return "_auth_user_id" in self.client.session

    def test_the_office_without_a_factor_is_sent_to_enrol_before_any_page(self) -> None:
        self.password_sign_in("office")
        self.assertTrue(self.signed_in())
        for url in (reverse("home"), reverse("task_list"), f"/nhiem-vu/{self.task.code}/"):
            self.assertRedirects(
                self.client.get(url), reverse("mfa_activate_totp"), fetch_redirect_response=False
            )
        page = self.client.get(reverse("mfa_activate_totp"))
        self.assertContains(page, "Thiết lập xác thực hai lớp")
        secret = page.context["form"].secret
        wrong = self.client.post(reverse("mfa_activate_totp"), {"code": "000000"})
        self.assertContains(wrong, "Mã không đúng.")
        self.assertFalse(Authenticator.objects.filter(user=self.p.office).exists())
        with self.captureOnCommitCallbacks(execute=True):  # allauth's signal waits for it
            done = self.client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
        self.assertRedirects(
            done, reverse("mfa_view_recovery_codes"), fetch_redirect_response=False
        )
        codes = self.client.get(reverse("mfa_view_recovery_codes"))
        self.assertContains(codes, "Mã khôi phục")
        # (allauth's "turned on" message waits for the transaction's commit: e2e/test_sso_oidc.)
        shown = re.search(r'<pre[^>]*id="codes">(.*?)</pre>', codes.content.decode(), re.S)
        assert shown is not None
        self.assertEqual(len(re.findall(r"\b\d{8}\b", shown[1])), 10)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        # Audited, as every change to how a person signs in.
        added = AuditEvent.objects.filter(action="account.factor_add", actor=self.p.office)
        self.assertIn({"type": "totp"}, list(added.values_list("after", flat=True)))

    def test_the_working_group_and_administrators_must_enrol_too(self) -> None:
        for username in ("wg", "admin"):
            self.client.logout()
            self.password_sign_in(username)
            self.assertRedirects(
                self.client.get(reverse("home")),
                reverse("mfa_activate_totp"),
                fetch_redirect_response=False,
            )

    def test_an_agency_officer_is_not_required(self) -> None:
        self.password_sign_in("lead")
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_the_roles_are_a_setting(self) -> None:
        with override_settings(NHIEMVU_MFA_REQUIRED_ROLES=["officer"]):
            self.password_sign_in("office")
            self.assertEqual(self.client.get(reverse("home")).status_code, 200)
            self.client.logout()
            self.password_sign_in("lead")
            self.assertRedirects(
                self.client.get(reverse("home")),
                reverse("mfa_activate_totp"),
                fetch_redirect_response=False,
            )

    def test_a_person_with_a_factor_is_asked_for_it_before_the_session_opens(self) -> None:
        secret = generate_totp_secret()
        TOTP.activate(self.p.office, secret)
        response = self.password_sign_in("office")
        self.assertRedirects(response, reverse("mfa_authenticate"), fetch_redirect_response=False)
        self.assertFalse(self.signed_in())
        self.assertRedirects(
            self.client.get(reverse("home")), "/dang-nhap/?next=/", fetch_redirect_response=False
        )
        wrong = self.client.post(reverse("mfa_authenticate"), {"code": "123456"})
        self.assertContains(wrong, "Mã không đúng.")
        self.assertFalse(self.signed_in())
        right = self.client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
        self.assertRedirects(right, reverse("home"), fetch_redirect_response=False)
        self.assertTrue(self.signed_in())
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_a_recovery_code_stands_in_for_the_phone_once(self) -> None:
        TOTP.activate(self.p.office, generate_totp_secret())
        code = RecoveryCodes.activate(self.p.office).get_unused_codes()[0]
        self.password_sign_in("office")
        self.client.post(reverse("mfa_authenticate"), {"code": code})
        self.assertTrue(self.signed_in())
        self.client.logout()
        self.password_sign_in("office")
        again = self.client.post(reverse("mfa_authenticate"), {"code": code})
        self.assertContains(again, "Mã không đúng.")
        self.assertFalse(self.signed_in())

    def test_the_next_page_survives_the_second_factor(self) -> None:
        secret = generate_totp_secret()
        TOTP.activate(self.p.office, secret)
        self.client.post(
            reverse("login"),
            {"username": "office", "password": PASSWORD, "next": reverse("task_list")},
        )
        right = self.client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
        self.assertRedirects(right, reverse("task_list"), fetch_redirect_response=False)

    def test_a_wrong_password_still_counts_towards_the_lockout(self) -> None:
        for _ in range(5):
            self.client.post(reverse("login"), {"username": "office", "password": "sai"})
        locked = self.password_sign_in("office")
        self.assertEqual(locked.status_code, 429)
        self.assertFalse(self.signed_in())

    def test_the_admin_sites_login_is_ours(self) -> None:
        response = self.client.get("/quan-tri/login/?next=/quan-tri/")
        self.assertRedirects(response, "/dang-nhap/?next=/quan-tri/", fetch_redirect_response=False)

    def test_an_enrolling_person_may_still_log_out(self) -> None:
        self.password_sign_in("office")
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertFalse(self.signed_in())

    def test_the_enrolment_page_shows_the_key_as_a_qr_code_and_text(self) -> None:
        self.password_sign_in("office")
        page = self.client.get(reverse("mfa_activate_totp")).content.decode()
        self.assertIn('src="data:image/svg+xml;base64,', page)
        self.assertTrue(re.search(r'id="authenticator_secret" value="[A-Z2-7]{16,}"', page))
