"""Security keys (WebAuthn) as a second factor (issue 30 item 4): allauth's pages, ours in
Vietnamese, with allauth's scripts from our own origin and no inline script (the site's CSP).
The ceremony itself runs in a browser: e2e/test_webauthn.py."""

from __future__ import annotations

import re

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from nhiemvu.accounts import twofactor
from nhiemvu.test import PASSWORD, BaseTestCase


@override_settings(NHIEMVU_MFA_REQUIRED_ROLES=["office", "working_group", "admin"])
class SecurityKeyPageTests(BaseTestCase):
    def setUp(self) -> None:
        for user in self.p.personas().values():
            user.__dict__.pop("_nhiemvu_scope", None)
        cache.clear()

    def sign_in(self) -> None:
        self.client.post(reverse("login"), {"username": "office", "password": PASSWORD})

    def scripts(self, html: str) -> list[str]:
        return re.findall(r"<script\b[^>]*>", html)

    def test_an_enrolling_office_may_add_a_key_instead_of_the_app(self) -> None:
        self.sign_in()
        enrol = self.client.get(reverse("mfa_activate_totp"))
        self.assertContains(enrol, "Dùng khóa đó thay thế")
        page = self.client.get(reverse("mfa_add_webauthn"))
        self.assertContains(page, '<h1 class="h3 mb-3" id="webauthn-add">Thêm khóa bảo mật</h1>')
        self.assertContains(page, "Tên khóa")
        html = page.content.decode()
        self.assertIn('src="/static/mfa/js/webauthn.js"', html)
        self.assertIn('src="/static/mfa/js/webauthn-json.js"', html)
        # Every script is a file of ours or a data block the browser does not run.
        for tag in self.scripts(html):
            self.assertTrue(" src=" in tag or 'type="application/json"' in tag, tag)
        # The browser is asked to create a credential for this site and this person.
        self.assertIn('"creation_options"', html)
        # Other pages still send them back to enrol.
        self.assertRedirects(
            self.client.get(reverse("task_list")),
            reverse("mfa_activate_totp"),
            fetch_redirect_response=False,
        )

    def test_a_key_the_browser_did_not_answer_for_is_refused_and_nothing_is_stored(self) -> None:
        self.sign_in()
        self.client.get(reverse("mfa_add_webauthn"))
        refused = self.client.post(
            reverse("mfa_add_webauthn"), {"name": "Khóa", "credential": '{"id": "x"}'}
        )
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "Không đọc được trả lời của khóa. Hãy thử lại.")
        self.assertNotContains(refused, "Incorrect")
        self.assertFalse(Authenticator.objects.filter(user=self.p.office).exists())

    def test_a_malformed_key_answer_at_sign_in_opens_no_session(self) -> None:
        TOTP.activate(self.p.office, generate_totp_secret())
        self.sign_in()
        self.assertFalse("_auth_user_id" in self.client.session)
        refused = self.client.post(reverse("mfa_authenticate"), {"credential": '{"id": "x"}'})
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "Xác thực hai lớp")
        self.assertFalse("_auth_user_id" in self.client.session)

    def test_the_list_and_the_removal_answer_in_vietnamese(self) -> None:
        # (The stored answer is not a real key's: these pages only show its name.)
        key = Authenticator.objects.create(
            user=self.p.office,
            type=Authenticator.Type.WEBAUTHN,
            data={"name": "Khóa USB văn phòng", "credential": {}},
        )
        self.sign_in()
        # (Being asked for the key at sign-in, and using it: e2e/test_webauthn.py.)
        self.client.force_login(self.p.office)
        listing = self.client.get(reverse("mfa_list_webauthn"))
        self.assertContains(listing, "Khóa bảo mật")
        self.assertContains(listing, "Khóa USB văn phòng")
        self.assertContains(listing, "Chưa dùng")
        index = self.client.get(reverse("mfa_index"))
        self.assertContains(index, "Đã thêm 1 khóa bảo mật.")
        url = reverse("mfa_remove_webauthn", kwargs={"code": twofactor.key_code(key.pk)})
        confirm = self.client.get(url)
        if confirm.status_code == 302:  # allauth asks for the password again first
            self.client.post(confirm["Location"].split("?")[0], {"password": PASSWORD})
            confirm = self.client.get(url)
        self.assertContains(confirm, "Gỡ khóa “Khóa USB văn phòng”?")
        with self.captureOnCommitCallbacks(execute=True):
            gone = self.client.post(url, follow=True)
        self.assertContains(gone, "Đã gỡ khóa bảo mật.")
        # Its last factor gone, the office is sent to set one up again.
        self.assertEqual(gone.redirect_chain[-1][0], reverse("mfa_activate_totp"))
        self.assertFalse(Authenticator.objects.filter(pk=key.pk).exists())

    def test_a_key_is_addressed_by_an_opaque_code_found_among_ones_own_keys_only(self) -> None:
        mine = Authenticator.objects.create(
            user=self.p.office,
            type=Authenticator.Type.WEBAUTHN,
            data={"name": "Khóa của văn phòng", "credential": {}},
        )
        theirs = Authenticator.objects.create(
            user=self.p.working_group,
            type=Authenticator.Type.WEBAUTHN,
            data={"name": "Khóa của tổ công tác", "credential": {}},
        )
        self.client.force_login(self.p.office)
        listing = self.client.get(reverse("mfa_list_webauthn")).content.decode()
        self.assertIn(twofactor.key_code(mine.pk), listing)
        self.assertNotIn(f"/{mine.pk}/", listing)
        # Another person's key, or a code made up, is not found; nothing is removed.
        for code in (twofactor.key_code(theirs.pk), "0" * 20, str(theirs.pk)):
            url = reverse("mfa_remove_webauthn", kwargs={"code": code})
            self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(Authenticator.objects.filter(pk=theirs.pk).exists())
