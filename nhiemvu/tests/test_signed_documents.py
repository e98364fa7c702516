"""Signed documents through the product (issue 17): an agency's signed completion report shows
its signer and validity to the office; an unsigned one, or one signed by another organisation,
warns (or, by setting, refuses) the confirmation; the office's urging letter and periodic report
come out signed with its certificate and read as valid by the same verifier."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from nhiemvu.assignments import services
from nhiemvu.assignments.models import AssignmentAttachment
from nhiemvu.directives.files import office_block
from nhiemvu.lib import periods, signatures, workdays
from nhiemvu.lib.signatures import State
from nhiemvu.orgs import services as org_services
from nhiemvu.reports import services as report_services
from nhiemvu.test import BaseTestCase, api_key, at
from nhiemvu.tests import certs

CHAIN = certs.chain("CA Chính phủ thử")
SKHCN = CHAIN.signer("Phạm Minh Tuấn", "Sở Khoa học và Công nghệ")
OTHER = CHAIN.signer("Võ Thị Lan", "Sở Tài chính")
OFFICE = CHAIN.signer("Văn phòng UBND tỉnh", "Văn phòng UBND tỉnh Gia Lai")


def signed_report(who: certs.Issued) -> bytes:
    return signatures.sign_pdf(
        certs.blank_pdf("Báo cáo kết quả"),
        CHAIN.pkcs12(who),
        certs.PASSPHRASE,
        reason="Báo cáo",
        location="Gia Lai",
    )


def nhiemvu_settings(**extra: object) -> dict[str, object]:
    return {**settings.NHIEMVU, **extra}


class SignedReportTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        org_services.trust_root_add(
            actor=self.p.admin, name="CA Chính phủ thử", data=CHAIN.root.pem
        )

    def report(self, pdf: bytes) -> None:
        services.assignment_report_completion(
            actor=self.p.lead_officer,
            task=self.task,
            output_ref="25/BC-SKHCN",
            output_date=dt.date(2026, 3, 11),
            text="Đã hoàn thành",
            files=[SimpleUploadedFile("bao-cao.pdf", pdf, content_type="application/pdf")],
        )

    def test_the_office_sees_who_signed_and_confirms_without_warning(self) -> None:
        self.report(signed_report(SKHCN))
        stored = AssignmentAttachment.objects.get()
        self.assertEqual(stored.signature_state, State.VALID)
        self.login(self.p.office)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn("Ký số bởi Sở Khoa học và Công nghệ — Phạm Minh Tuấn", page)
        self.assertIn("hợp lệ", page)
        self.assertNotIn('id="signature-warning"', page)
        key = api_key(self.p.office_org, scope="read", role="office")
        body = self.client.get(
            f"/api/v1/tasks/{self.task.code}", HTTP_AUTHORIZATION=f"Bearer {key}"
        ).json()
        (signature,) = body["files"][0]["signatures"]
        self.assertEqual(
            (signature["state"], signature["organisation"]), ("valid", "Sở Khoa học và Công nghệ")
        )
        self.assertEqual(signature["advice"], "")

    def test_an_unsigned_report_warns_and_by_setting_is_refused(self) -> None:
        self.report(certs.blank_pdf())
        self.login(self.p.office)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn("Chưa ký số", page)
        self.assertIn('id="signature-warning"', page)
        with override_settings(NHIEMVU=nhiemvu_settings(UNSIGNED_REPORT_POLICY="refuse")):
            with self.assertRaises(ValidationError) as raised:
                services.assignment_confirm(actor=self.p.office, task=self.task)
            self.assertIn("chưa được ký số", " ".join(raised.exception.messages))
        services.assignment_confirm(actor=self.p.office, task=self.task)  # warn: allowed

    def test_a_report_signed_by_another_organisation_warns(self) -> None:
        self.report(signed_report(OTHER))
        self.login(self.p.office)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn("Sở Tài chính ký, không phải cơ quan chủ trì", page)

    def test_an_untrusted_issuer_is_said_plainly(self) -> None:
        stranger = certs.chain("CA lạ")
        pdf = signatures.sign_pdf(
            certs.blank_pdf(),
            stranger.pkcs12(stranger.signer("X", "Sở Khoa học và Công nghệ")),
            certs.PASSPHRASE,
            reason="r",
            location="l",
        )
        self.report(pdf)
        self.login(self.p.office)
        self.assertContains(
            self.client.get(f"/nhiem-vu/{self.task.code}/"), "chưa xác định được nơi cấp"
        )

    def test_an_unknown_issuer_says_what_an_administrator_must_do(self) -> None:
        stranger = certs.chain("CA lạ")
        head = stranger.signer("X", "Sở Khoa học và Công nghệ")
        self.report(
            signatures.sign_pdf(
                certs.blank_pdf(), stranger.pkcs12(head), certs.PASSPHRASE, reason="r", location="l"
            )
        )
        self.login(self.p.office)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn("quản trị viên cần thêm chứng thư gốc", page)
        self.assertIn('data-problem="untrusted"', page)
        self.assertIn("do Sở Khoa học và Công nghệ ký, nhưng chưa thể xác nhận", page)
        self.assertNotIn("không hợp lệ", page)
        self.assertNotIn("data-trust-root-link", page)  # the office cannot take the step
        self.login(self.p.admin)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn('href="/quan-tri/orgs/trustroot/add/" data-trust-root-link', page)
        # A system reading the task through the API gets the same words.
        key = api_key(self.p.office_org, scope="read", role="office")
        body = self.client.get(
            f"/api/v1/tasks/{self.task.code}", HTTP_AUTHORIZATION=f"Bearer {key}"
        ).json()
        (signature,) = body["files"][0]["signatures"]
        self.assertEqual(signature["state"], "untrusted")
        self.assertIn("quản trị viên cần thêm chứng thư gốc", signature["advice"])

    def test_reports_waiting_for_an_authority_read_valid_once_it_is_trusted(self) -> None:
        stranger = certs.chain("CA chưa biết")
        head = stranger.signer("Phạm Minh Tuấn", "Sở Khoa học và Công nghệ")
        self.report(
            signatures.sign_pdf(
                certs.blank_pdf(), stranger.pkcs12(head), certs.PASSPHRASE, reason="r", location="l"
            )
        )
        self.assertEqual(AssignmentAttachment.objects.get().signature_state, State.UNTRUSTED)
        immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
        with override_settings(TASKS=immediate), self.captureOnCommitCallbacks(execute=True):
            org_services.trust_root_add(
                actor=self.p.admin, name="CA chưa biết", data=stranger.root.pem
            )
        self.assertEqual(AssignmentAttachment.objects.get().signature_state, State.VALID)
        self.login(self.p.working_group)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn('data-signature="valid"', page)
        self.assertNotIn('id="signature-warning"', page)

    def test_another_organisation_under_an_unknown_issuer_is_not_called_invalid(self) -> None:
        stranger = certs.chain("CA lạ")
        other = stranger.signer("Võ Thị Lan", "Sở Tài chính")
        self.report(
            signatures.sign_pdf(
                certs.blank_pdf(),
                stranger.pkcs12(other),
                certs.PASSPHRASE,
                reason="r",
                location="l",
            )
        )
        self.login(self.p.working_group)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn('data-problem="other_org"', page)
        self.assertIn("Sở Tài chính ký, không phải cơ quan chủ trì", page)
        self.assertIn('data-signer="other"', page)  # beside the file too
        self.assertNotIn("không hợp lệ", page)

    def test_a_broken_signature_never_fails_the_upload(self) -> None:
        data = signed_report(SKHCN)
        start = data.index(b"/Contents <") + len(b"/Contents <")
        self.report(data[:start] + b"0" * 200 + data[start + 200 :])
        stored = AssignmentAttachment.objects.get()
        self.assertTrue(stored.signature_error)
        self.login(self.p.office)
        self.assertContains(self.client.get(f"/nhiem-vu/{self.task.code}/"), "Không đọc được")

    def test_a_trust_root_must_be_a_certificate(self) -> None:
        with self.assertRaises(ValidationError):
            org_services.trust_root_add(actor=self.p.admin, name="x", data=b"not a certificate")
        with self.assertRaises(ValidationError):  # already trusted
            org_services.trust_root_add(actor=self.p.admin, name="y", data=CHAIN.root.pem)


class OfficeSignsTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        folder = Path(tempfile.mkdtemp())
        key = folder / "van-phong.p12"
        key.write_bytes(CHAIN.pkcs12(OFFICE))
        self.signing = override_settings(
            NHIEMVU=nhiemvu_settings(
                SIGNING_PKCS12=str(key), SIGNING_PASSWORD=certs.PASSPHRASE.decode()
            )
        )

    def test_it_dates_the_office_signature_block_by_the_one_clock(self) -> None:
        # A history replayed on the system's clock (the demo) signs at its own time.
        with self.signing, workdays.clock(at(dt.date(2026, 4, 24), 9)):
            block = office_block()
        assert block is not None
        self.assertEqual(block["at"].date(), dt.date(2026, 4, 24))

    def test_the_urging_letter_pdf_is_signed_by_the_office(self) -> None:
        self.login(self.p.office)
        unsigned = self.client.get("/don-doc/so-khcn/cong-van.pdf")
        self.assertFalse(signatures.verify(unsigned.content, [CHAIN.root.pem]).signed)
        self.assertContains(self.client.get("/don-doc/"), "chưa được ký số")
        with self.signing:
            response = self.client.get("/don-doc/so-khcn/cong-van.pdf")
        (verdict,) = signatures.verify(response.content, [CHAIN.root.pem]).signatures
        self.assertEqual(verdict.state, State.VALID)
        self.assertEqual(verdict.organisation, "Văn phòng UBND tỉnh Gia Lai")
        # A visible signature in the letter's signature block (right half, lower part).
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(response.content))
        widget = next(
            a.get_object()
            for page in reader.pages
            for a in page.get("/Annots", [])
            if a.get_object().get("/FT") == "/Sig"
        )
        x1, _y1, x2, _y2 = (float(v) for v in widget["/Rect"])
        self.assertGreater(x1, 250)
        self.assertGreater(x2 - x1, 100)

    def test_the_periodic_report_pdf_is_signed(self) -> None:
        with self.signing:
            made = report_services.report_file(
                user=self.p.chairman, period=periods.parse("2026-Q1"), fmt="pdf"
            )
        (verdict,) = signatures.verify(made.content, [CHAIN.root.pem]).signatures
        self.assertEqual((verdict.state, verdict.signer), (State.VALID, "Văn phòng UBND tỉnh"))
