"""The administrator keeps the organisations' reference data, but ends none of them: an
organisation ends (its end date, its successor) only through a reorganisation, whose transfer
plan moves its open tasks (issue 25). Its codes are edited there and shown on its page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from nhiemvu.orgs.models import Organisation
from nhiemvu.test import BaseTestCase


class OrganisationAdminTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
        self.client.force_login(root)

    def change(self, org: Organisation, **fields: str) -> int:
        data = {
            "code": org.code,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind,
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            **fields,
        }
        url = f"/quan-tri/orgs/organisation/{org.pk}/change/"
        return self.client.post(url, data).status_code

    def test_it_cannot_end_an_organisation_in_the_admin(self) -> None:
        org = self.p.agency_a  # it leads an open task
        page = self.client.get(f"/quan-tri/orgs/organisation/{org.pk}/change/")
        self.assertNotContains(page, 'name="valid_to"')
        self.assertNotContains(page, 'name="successor"')
        self.assertContains(page, 'href="/co-quan/sap-xep/"')
        status = self.change(org, valid_to="2026-03-01", successor=str(self.p.agency_b.pk))
        self.assertEqual(status, 302)
        org.refresh_from_db()
        self.assertIsNone(org.valid_to)
        self.assertIsNone(org.successor)
        self.assertTrue(org.is_active_on(dt.date(2026, 12, 31)))

    def test_it_records_the_codes_and_the_organisation_page_shows_them(self) -> None:
        org = self.p.agency_b
        status = self.change(org, electronic_id=" 000.00.12.H21 ", tax_code="4100259211")
        self.assertEqual(status, 302)
        org.refresh_from_db()
        self.assertEqual((org.electronic_id, org.tax_code), ("000.00.12.H21", "4100259211"))
        self.login(self.p.office)
        page = self.client.get(f"/co-quan/{org.code}/")
        self.assertContains(page, "Mã định danh điện tử: 000.00.12.H21")
        self.assertContains(page, "Mã số thuế/mã quan hệ ngân sách: 4100259211")

    def test_two_organisations_cannot_share_a_code(self) -> None:
        self.assertEqual(self.change(self.p.agency_a, tax_code="4100259211"), 302)
        page = self.client.post(
            f"/quan-tri/orgs/organisation/{self.p.agency_b.pk}/change/",
            {
                "code": "so-tc",
                "name": "Sở Tài chính",
                "short_name": "",
                "kind": self.p.agency_b.kind,
                "tax_code": "4100259211",
                "aliases-TOTAL_FORMS": "0",
                "aliases-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(page.status_code, 200)  # the form again, with the error
        self.p.agency_b.refresh_from_db()
        self.assertEqual(self.p.agency_b.tax_code, "")
