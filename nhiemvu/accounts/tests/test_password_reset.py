"""Password reset by e-mail: a Vietnamese e-mail with a one-time link; nothing leaks."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from nhiemvu.test import BaseTestCase


class PasswordResetTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.p.lead_officer
        self.user.email = "can.bo@skhcn.gov.vn"
        self.user.save()

    def test_the_link_sets_a_new_password_once(self) -> None:
        response = self.client.post(reverse("password_reset"), {"email": "CAN.BO@skhcn.gov.vn"})
        self.assertRedirects(response, reverse("password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["can.bo@skhcn.gov.vn"])
        self.assertIn("mật khẩu mới", message.subject)
        self.assertIn(f"Tên đăng nhập của bạn là {self.user.username}", message.body)
        link = re.search(r"http://testserver(/quen-mat-khau/\S+/)", str(message.body))
        assert link is not None
        form = self.client.get(link.group(1), follow=True)
        set_url = form.redirect_chain[-1][0]
        self.assertContains(form, "Lưu mật khẩu mới")
        done = self.client.post(
            set_url,
            {"new_password1": "Mot-mat-khau-moi-2026", "new_password2": "Mot-mat-khau-moi-2026"},
        )
        self.assertRedirects(done, reverse("password_reset_complete"))
        self.client.logout()
        login = self.client.post(
            reverse("login"), {"username": self.user.username, "password": "Mot-mat-khau-moi-2026"}
        )
        self.assertRedirects(login, reverse("home"))
        self.client.logout()
        # Used once: the same link now says so, and changes nothing.
        again = self.client.get(link.group(1), follow=True)
        self.assertContains(again, "Liên kết này không còn hiệu lực")

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self) -> None:
        response = self.client.post(reverse("password_reset"), {"email": "ai.do@example.com"})
        self.assertRedirects(response, reverse("password_reset_done"))
        self.assertEqual(mail.outbox, [])

    def test_a_malformed_address_gets_a_vietnamese_message(self) -> None:
        response = self.client.post(reverse("password_reset"), {"email": "không-phải-thư"})
        self.assertContains(response, "Nhập một địa chỉ thư điện tử hợp lệ")
        self.assertEqual(mail.outbox, [])

    def test_the_login_page_links_to_it(self) -> None:
        self.client.logout()
        self.assertContains(self.client.get(reverse("login")), reverse("password_reset"))
