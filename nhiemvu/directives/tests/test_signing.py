"""A completion report counts as signed by the lead agency only when the certificate names the
agency by identity (issue 25): one of its O/OU values is a registered name or alias of the
agency, or one of its codes is the agency's code; a word of the agency's name never does."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from nhiemvu.assignments import services
from nhiemvu.lib import signatures
from nhiemvu.orgs import services as org_services
from nhiemvu.orgs.models import OrgAlias
from nhiemvu.test import BaseTestCase
from nhiemvu.tests import certs

CHAIN = certs.chain("CA Chính phủ thử")
WARNING = 'id="signature-warning"'


class SignedByTheAgencyTest(BaseTestCase):
    """The task is led by Sở Khoa học và Công nghệ (short name "Sở KH&CN")."""

    def setUp(self) -> None:
        super().setUp()
        org_services.trust_root_add(
            actor=self.p.admin, name="CA Chính phủ thử", data=CHAIN.root.pem
        )

    def report_signed_by(
        self, org: str, *, units: tuple[str, ...] = (), codes: tuple[str, ...] = ()
    ) -> str:
        """The lead agency reports with a PDF signed by a certificate of ``org`` (and the OUs
        and codes given); the task page the office then reads."""
        who = CHAIN.signer("Phạm Minh Tuấn", org, units=units, codes=codes)
        pdf = signatures.sign_pdf(
            certs.blank_pdf("Báo cáo kết quả"),
            CHAIN.pkcs12(who),
            certs.PASSPHRASE,
            reason="Báo cáo",
            location="Gia Lai",
        )
        services.assignment_report_completion(
            actor=self.p.lead_officer,
            task=self.task,
            output_ref="25/BC-SKHCN",
            output_date=dt.date(2026, 3, 11),
            text="Đã hoàn thành",
            files=[SimpleUploadedFile("bao-cao.pdf", pdf, content_type="application/pdf")],
        )
        self.login(self.p.office)
        return self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()

    def test_it_does_not_take_a_word_of_the_name_for_the_agency(self) -> None:
        page = self.report_signed_by("SỞ")
        self.assertIn(WARNING, page)
        self.assertIn("SỞ ký, không phải cơ quan chủ trì", page)

    def test_it_does_not_take_part_of_the_name_for_the_agency(self) -> None:
        self.assertIn(WARNING, self.report_signed_by("KHOA HỌC VÀ CÔNG NGHỆ"))

    def test_it_does_not_take_a_longer_name_containing_the_agency_for_it(self) -> None:
        # Another organisation whose name contains the agency's: a department's unit.
        page = self.report_signed_by("Trung tâm thuộc Sở Khoa học và Công nghệ")
        self.assertIn(WARNING, page)

    def test_it_takes_the_agency_name_in_capitals_or_its_short_name(self) -> None:
        self.assertNotIn(WARNING, self.report_signed_by("SỞ KHOA HỌC VÀ CÔNG NGHỆ"))

    def test_it_takes_the_short_name_written_another_way(self) -> None:
        self.assertNotIn(WARNING, self.report_signed_by("SỞ KH-CN"))

    def test_it_takes_the_agency_as_the_unit_under_the_province(self) -> None:
        page = self.report_signed_by("UBND tỉnh Gia Lai", units=("Sở Khoa học và Công nghệ",))
        self.assertNotIn(WARNING, page)

    def test_it_does_not_take_the_province_alone_for_the_agency(self) -> None:
        self.assertIn(WARNING, self.report_signed_by("UBND tỉnh Gia Lai"))

    def test_it_takes_a_name_the_agency_registered_as_an_alias(self) -> None:
        OrgAlias.objects.create(org=self.p.agency_a, alias="Sở Khoa học và Công nghệ tỉnh Gia Lai")
        page = self.report_signed_by("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH GIA LAI")
        self.assertNotIn(WARNING, page)

    def test_it_takes_the_agency_tax_code_in_the_certificate(self) -> None:
        self.p.agency_a.tax_code = "4100259211"
        self.p.agency_a.save()
        page = self.report_signed_by("SKHCN GL", codes=("MST:4100259211",))
        self.assertNotIn(WARNING, page)

    def test_it_takes_the_agency_electronic_identifier(self) -> None:
        self.p.agency_a.electronic_id = "000.00.12.H21"
        self.p.agency_a.save()
        page = self.report_signed_by("SKHCN GL", codes=("NTRVN-000.00.12.H21",))
        self.assertNotIn(WARNING, page)

    def test_it_does_not_take_another_code(self) -> None:
        self.p.agency_a.tax_code = "4100259211"
        self.p.agency_a.save()
        page = self.report_signed_by("SKHCN GL", codes=("MST:4100259212",))
        self.assertIn(WARNING, page)
