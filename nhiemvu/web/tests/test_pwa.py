"""The installable app's files (issue 32): the manifest in Vietnamese with the province's name,
the service worker from the site's root, the offline page that names no one; the strict CSP
still holds on all of them (the browser test e2e/test_pwa.py runs them)."""

from __future__ import annotations

from django.test import override_settings

from nhiemvu.test import BaseTestCase


class PwaTest(BaseTestCase):
    @override_settings(NHIEMVU={"PROVINCE_NAME": "Quảng Ngãi"})
    def test_the_manifest_names_the_province_in_vietnamese_with_its_icons(self) -> None:
        response = self.client.get("/manifest.webmanifest")
        self.assertEqual(response["Content-Type"], "application/manifest+json")
        manifest = response.json()
        self.assertEqual(manifest["name"], "Theo dõi nhiệm vụ · Quảng Ngãi")
        self.assertIn("UBND tỉnh Quảng Ngãi", manifest["description"])
        self.assertEqual((manifest["lang"], manifest["start_url"]), ("vi", "/"))
        self.assertEqual(manifest["display"], "standalone")
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        self.assertEqual(sizes, {"192x192", "512x512"})
        for icon in manifest["icons"]:
            self.assertTrue(icon["src"].startswith("/static/icons/"), icon)
            self.assertFalse(icon["src"].startswith("http"))  # no CDN, our own files

    def test_the_worker_is_served_from_the_root_always_fresh_and_under_the_csp(self) -> None:
        response = self.client.get("/sw.js")
        self.assertEqual(response["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(response["Service-Worker-Allowed"], "/")
        self.assertIn("no-cache", response["Cache-Control"])
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        text = response.content.decode()
        self.assertIn('"offline_url": "/ngoai-tuyen/"', text)
        self.assertIn("/static/js/pwa.js", text)
        self.assertIn("Đang ngoại tuyến", text)
        self.assertNotIn("__VERSION__", text)
        # The version follows what the worker says: the same text, the same version.
        self.assertEqual(text, self.client.get("/sw.js").content.decode())

    def test_the_offline_page_says_it_is_offline_and_names_no_one(self) -> None:
        self.login(self.p.lead_officer)
        page = self.client.get("/ngoai-tuyen/")
        self.assertContains(page, "Bạn đang ngoại tuyến")
        self.assertNotContains(page, self.p.lead_officer.username)
        self.assertNotContains(page, "<script>")  # no inline script: the CSP holds
        self.client.logout()
        self.assertEqual(self.client.get("/ngoai-tuyen/").status_code, 200)

    def test_pages_link_the_manifest_and_offer_the_install_only_to_people_signed_in(self) -> None:
        signed_out = self.client.get("/dang-nhap/").content.decode()
        self.assertIn('rel="manifest" href="/manifest.webmanifest"', signed_out)
        self.assertIn('name="nhiemvu-signed-out"', signed_out)  # the kept pages are dropped
        self.assertNotIn("install-offer", signed_out)
        self.login(self.p.lead_officer)
        home = self.client.get("/").content.decode()
        self.assertIn('id="install-offer" hidden', home)
        self.assertIn("Thêm vào màn hình chính", home)
        self.assertNotIn('name="nhiemvu-signed-out"', home)
