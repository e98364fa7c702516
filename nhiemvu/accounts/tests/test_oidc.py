"""Signing in through the province's portal (issue 30 item 1), against a real OpenID Connect
provider running on the machine (django-oauth-toolkit, tests/oidc_provider)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import requests
from django.test import override_settings
from django.urls import reverse

from nhiemvu.accounts.models import ExternalAccount, User
from nhiemvu.accounts.oidc import ID_TOKEN_KEY
from nhiemvu.accounts.tests.oidc_provider import PEOPLE, Provider, path_of
from nhiemvu.orgs.models import Membership, Role
from nhiemvu.test import BaseTestCase

CALLBACK = "http://testserver/tai-khoan/oidc/tinh/login/callback/"
RULES = {"role_groups": {"cn=theo-doi,ou=vp": "office"}}


class PortalTestCase(BaseTestCase):
    provider: Provider

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.provider = Provider(PEOPLE, [CALLBACK], ["http://testserver/dang-nhap/"])
        cls.addClassCleanup(cls.provider.stop)

    def setUp(self) -> None:
        # Real time: the portal's tokens carry its clock, which a frozen day would contradict.
        for user in self.p.personas().values():
            user.__dict__.pop("_nhiemvu_scope", None)
        overrides = override_settings(**self.provider.settings(), NHIEMVU_ACCOUNT_RULES=RULES)
        overrides.enable()
        self.addCleanup(overrides.disable)

    def start(self) -> str:
        """Press the login page's button; returns the portal's authorization URL."""
        response = self.client.post(reverse("openid_connect_login", args=["tinh"]))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(self.provider.issuer))
        return str(response["Location"])

    def sign_in(self, username: str, *, tamper: dict[str, str] | None = None) -> Any:
        authorize = self.start()
        if tamper:
            parts = urlsplit(authorize)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()} | tamper
            authorize = urlunsplit(parts._replace(query=urlencode(query)))
        back = self.provider.authorize(authorize, username, PEOPLE[username]["password"])
        self.assertTrue(back.startswith(CALLBACK), back)
        return self.client.get(path_of(back))

    def assert_failed(self, response: Any) -> None:
        """The portal's sign-in error page (allauth answers it 401), in Vietnamese."""
        self.assertContains(response, "Đăng nhập qua cổng không thành công", status_code=401)

    def signed_in(self) -> bool:
        return "_auth_user_id" in self.client.session


class PortalSignInTests(PortalTestCase):
    def test_it_offers_the_portal_on_the_login_page_only_when_configured(self) -> None:
        page = self.client.get(reverse("login"))
        self.assertContains(page, "Đăng nhập bằng tài khoản một cửa của tỉnh")
        with override_settings(OIDC_ISSUER=""):
            page = self.client.get(reverse("login"))
        self.assertNotContains(page, "một cửa")
        # The local form stays beside it.
        self.assertContains(page, 'name="password"')

    def test_it_asks_for_pkce_state_and_a_nonce(self) -> None:
        query = parse_qs(urlsplit(self.start()).query)
        self.assertEqual(query["code_challenge_method"], ["S256"])
        self.assertTrue(query["state"][0] and query["nonce"][0] and query["code_challenge"][0])

    def test_an_agency_officer_lands_on_the_agency_home_with_its_tasks(self) -> None:
        response = self.sign_in("nguyenvana")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertTrue(self.signed_in())
        person = User.objects.get(username="nguyenvana")
        self.assertEqual(person.full_name, "Nguyễn Văn A")
        self.assertFalse(person.has_usable_password())
        self.assertTrue(
            Membership.objects.filter(user=person, org=self.p.agency_a, role=Role.OFFICER).exists()
        )
        self.assertTrue(ExternalAccount.objects.filter(user=person, source="oidc").exists())
        home = self.client.get(reverse("home"))
        self.assertContains(home, self.task.code)
        self.assertContains(home, "Nguyễn Văn A")

    def test_signing_in_again_is_the_same_person(self) -> None:
        self.sign_in("nguyenvana")
        self.client.post(reverse("logout"))
        self.sign_in("nguyenvana")
        self.assertTrue(self.signed_in())
        self.assertEqual(User.objects.filter(username="nguyenvana").count(), 1)

    def test_a_person_of_no_known_organisation_gets_the_page_and_no_session(self) -> None:
        response = self.sign_in("tranthib")
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Trần Thị B", status_code=403)
        self.assertContains(response, "Bạn chưa thể đăng nhập", status_code=403)
        self.assertFalse(self.signed_in())
        self.assertFalse(User.objects.filter(username="tranthib").exists())
        self.assertRedirects(
            self.client.get(reverse("home")),
            f"{reverse('login')}?next=/",
            fetch_redirect_response=False,
        )

    def test_a_forged_state_is_refused(self) -> None:
        self.start()
        response = self.client.get(
            reverse("openid_connect_callback", args=["tinh"]), {"state": "gia-mao", "code": "x"}
        )
        self.assert_failed(response)
        self.assertFalse(self.signed_in())

    def test_a_callback_replayed_is_refused(self) -> None:
        back = self.provider.authorize(self.start(), "nguyenvana", PEOPLE["nguyenvana"]["password"])
        self.client.get(path_of(back))
        self.client.post(reverse("logout"))
        again = self.client.get(path_of(back))
        self.assert_failed(again)
        self.assertFalse(self.signed_in())

    def test_an_id_token_with_another_nonce_is_refused(self) -> None:
        response = self.sign_in("nguyenvana", tamper={"nonce": "khong-phai-cua-minh"})
        self.assert_failed(response)
        self.assertFalse(self.signed_in())
        self.assertFalse(User.objects.filter(username="nguyenvana").exists())

    def test_logging_out_ends_the_portals_session_too(self) -> None:
        self.sign_in("nguyenvana")
        self.assertTrue(self.client.session[ID_TOKEN_KEY])
        response = self.client.post(reverse("logout"))
        self.assertFalse(self.signed_in())
        end = urlsplit(response["Location"])
        self.assertEqual(
            f"{end.scheme}://{end.netloc}{end.path}", f"{self.provider.issuer}/logout/"
        )
        query = parse_qs(end.query)
        self.assertEqual(query["post_logout_redirect_uri"], ["http://testserver/dang-nhap/"])
        self.assertIn("id_token_hint", query)
        # The portal accepts it and sends the browser back to our login page.
        answer = requests.get(response["Location"], allow_redirects=False, timeout=10)
        self.assertEqual(answer.status_code, 302, answer.text)
        self.assertEqual(answer.headers["Location"], "http://testserver/dang-nhap/")

    def test_a_local_logout_stays_local(self) -> None:
        self.login(self.p.lead_officer)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)

    def test_the_office_through_the_portal_is_not_asked_for_our_second_factor(self) -> None:
        response = self.sign_in("levanphong")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        person = User.objects.get(username="levanphong")
        self.assertTrue(Membership.objects.filter(user=person, role=Role.OFFICE).exists())
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_without_an_issuer_the_portal_urls_are_not_found(self) -> None:
        with override_settings(OIDC_ISSUER="", SOCIALACCOUNT_PROVIDERS={"openid_connect": {}}):
            response = self.client.post(reverse("openid_connect_login", args=["tinh"]))
        self.assertEqual(response.status_code, 404)
