"""What a hostile user, a careless clerk or another system may send, through the HTTP layer:
work refused before it is done, bombs refused before they are unpacked, parser failures as
Vietnamese 400s, exports without formulas, NUL and foreign charsets refused on every route."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from typing import Any
from unittest import mock

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment
from nhiemvu.directives.models import Directive
from nhiemvu.extraction import extract
from nhiemvu.extraction.files import FileError, read_bytes
from nhiemvu.test import PASSWORD, BaseTestCase, Province, api_key, make_user, travel

# --- files that attack the readers, made here --------------------------------------------


def docx_bomb(unpacked_mb: int = 150) -> bytes:
    """A small DOCX whose word/document.xml declares (and inflates to) unpacked_mb megabytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"<w:t>" + b"a" * (1024 * 1024 - 12) + b"</w:t>\n"
            for _ in range(unpacked_mb):
                part.write(chunk)
    return buffer.getvalue()


def xlsx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(150):
                part.write(b" " * 1024 * 1024)
    return buffer.getvalue()


def docx_with_broken_xml() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>unclosed")
    return buffer.getvalue()


def pdf_pages(count: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def text_pdf(pages: list[str]) -> bytes:
    """A PDF with a text layer, one page per string (WeasyPrint, as the reports use)."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">{page}</p>' for page in pages)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


# --- 1. extraction is linear in the text -------------------------------------------------

SHAPES = {
    # one assignment after another on a single line (a pasted PDF without line breaks)
    "assignments": (
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ, UBND các huyện, thị xã, thành phố "
        "báo cáo UBND tỉnh trước ngày 15/3/2022. "
    ),
    "agency list": "Sở Tài chính, Sở Nội vụ và ",
    "enumeration": "các Sở: Tài chính, Nội vụ, ",
    "bare heads": "Sở ",
    "list items": "\n- Sở Nội vụ báo cáo. ",
    "blank lines": "\n",
    "abbreviations": "TP. Quy Nhơn, Q. 1, TX. An Nhơn. ",
}


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        extract(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("shape", list(SHAPES))
def test_reading_ten_times_more_text_costs_about_ten_times_more(shape: str) -> None:
    """200,000 characters (the API's limit) cost ~10x what 20,000 cost, never ~100x: one request
    cannot hold a worker for a minute. Best of three runs each, so a busy machine does not
    decide; a quadratic step shows as a ratio near 100 (it was 51-260 before the fix)."""
    unit = SHAPES[shape]
    small = (unit * (20_000 // len(unit) + 1))[:20_000]
    large = (unit * (200_000 // len(unit) + 1))[:200_000]
    ratio = _seconds(large) / max(_seconds(small), 1e-3)
    assert ratio < 25, f"{shape}: 200k characters took {ratio:.1f}x the time of 20k"


# --- 2. bombs and broken files -------------------------------------------------------------


def test_a_docx_bomb_is_refused_before_it_is_unpacked() -> None:
    data = docx_bomb()
    assert len(data) < 1_000_000  # small on the wire, 150 MB unpacked
    with (
        mock.patch("docx.Document", side_effect=AssertionError("parsed a bomb")),
        pytest.raises(FileError, match="giải nén vượt quá"),
    ):
        read_bytes(data, "bom.docx")


def test_a_broken_docx_is_a_message_not_a_crash() -> None:
    with pytest.raises(FileError, match="bị hỏng"):
        read_bytes(docx_with_broken_xml(), "hong.docx")


def test_a_pdf_of_ten_thousand_pages_is_refused_quickly() -> None:
    data = pdf_pages(10_000)
    started = time.perf_counter()
    with pytest.raises(FileError, match="10000 trang"):
        read_bytes(data, "dai.pdf")
    assert time.perf_counter() - started < 5


def test_a_long_pdf_goes_to_the_worker_when_someone_waits() -> None:
    from nhiemvu.extraction.files import NeedsWorker

    with pytest.raises(NeedsWorker):
        read_bytes(pdf_pages(41), "dai.pdf", inline=True)


class UploadsTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.office_key = api_key(self.p.office_org, role="office")
        self.agency_key = api_key(self.p.agency_a)

    def api_import(self, key: str, **fields: Any) -> Any:
        data = {
            "issuer": self.p.province.code,
            "number": 91,
            "symbol": "UBND-KT",
            "doc_date": "2026-03-09",
            "subject": "Về việc thử",
            **fields,
        }
        return self.client.post(
            "/api/v1/directives/import", data, headers={"Authorization": f"Bearer {key}"}
        )

    def web_import(self, name: str, data: bytes) -> Any:
        self.login(self.p.office)
        return self.client.post(
            "/van-ban/nhap/", {"step": "read", "file": SimpleUploadedFile(name, data)}
        )

    def test_an_agency_key_is_refused_before_anything_is_read(self) -> None:
        long_text = "Giao Sở Tài chính báo cáo. " * 7_000
        with (
            mock.patch("nhiemvu.directives.importing.read_bytes") as reader,
            mock.patch("nhiemvu.directives.selectors.propose") as proposer,
        ):
            response = self.api_import(
                self.agency_key,
                text=long_text[:200_000],
                file=SimpleUploadedFile("a.pdf", pdf_pages(3)),
            )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["code"], "forbidden")
        reader.assert_not_called()
        proposer.assert_not_called()
        self.assertFalse(Directive.objects.filter(number=91).exists())

    def test_an_agency_officer_is_refused_the_web_import_before_reading(self) -> None:
        self.login(self.p.lead_officer)
        with mock.patch("nhiemvu.directives.importing.read_bytes") as reader:
            response = self.client.post(
                "/van-ban/nhap/",
                {"step": "read", "file": SimpleUploadedFile("a.pdf", pdf_pages(2))},
            )
        self.assertEqual(response.status_code, 403)
        reader.assert_not_called()

    def test_bombs_and_broken_files_are_400_with_a_message_everywhere(self) -> None:
        cases = [
            ("bom.docx", docx_bomb(), "giải nén vượt quá"),
            ("hong.docx", docx_with_broken_xml(), "bị hỏng"),
            ("dai.pdf", pdf_pages(400), "400 trang"),
            ("rac.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100, "bị hỏng"),
        ]
        for name, data, message in cases:
            with self.subTest(name, where="web"):
                response = self.web_import(name, data)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)
            with self.subTest(name, where="api"):
                response = self.api_import(
                    self.office_key, file=SimpleUploadedFile(name, data), number=92
                )
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(message, response.json()["message"])
        self.assertFalse(Directive.objects.filter(number=92).exists())

    def test_an_xlsx_bomb_is_refused_by_the_excel_import(self) -> None:
        self.login(self.p.office)
        response = self.client.post(
            "/bao-cao/nhap-excel/",
            {"step": "upload", "file": SimpleUploadedFile("bom.xlsx", xlsx_bomb())},
        )
        self.assertContains(response, "giải nén vượt quá", status_code=400)

    def test_a_bomb_is_refused_as_an_output_document(self) -> None:
        self.login(self.p.lead_officer)
        before = self.reload().state
        response = self.client.post(
            f"/nhiem-vu/{self.task.code}/complete/",
            {
                "output_ref": "12/BC-SKHCN",
                "output_date": "2026-03-10",
                "file": SimpleUploadedFile("bom.docx", docx_bomb()),
            },
        )
        self.assertIn(response.status_code, (200, 400))
        self.assertContains(response, "giải nén vượt quá", status_code=response.status_code)
        self.assertEqual(self.reload().state, before)

    def test_a_long_file_is_read_by_the_worker_then_reviewed(self) -> None:
        pages = [
            "Giao Sở Khoa học và Công nghệ báo cáo kết quả rà soát về UBND tỉnh trước ngày "
            "30/4/2026.",
            "Phụ lục.",
        ]
        with (
            mock.patch("nhiemvu.extraction.files.INLINE_PAGES", 1),
            self.captureOnCommitCallbacks(execute=True) as queued,
        ):
            response = self.web_import("dai.pdf", text_pdf(pages))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(queued), 1)  # the worker's job, enqueued once committed
        page = self.client.get(response["Location"])
        self.assertContains(page, "đọc ở chế độ nền")
        from nhiemvu.directives.importing import reading_run
        from nhiemvu.directives.models import Reading

        self.assertEqual(reading_run(reading_id=Reading.objects.get().pk), "done")
        review = self.client.get(response["Location"])
        self.assertContains(review, "báo cáo kết quả rà soát")
        self.assertContains(review, "30/04/2026")
        # Another agency may not follow an office reading.
        self.login(self.p.lead_officer)
        self.assertEqual(self.client.get(response["Location"]).status_code, 404)

    def test_the_api_answers_202_and_registers_the_tasks_after_the_reading(self) -> None:
        pages = ["Giao Sở Khoa học và Công nghệ báo cáo UBND tỉnh trước ngày 30/4/2026.", "x"]
        with (
            mock.patch("nhiemvu.extraction.files.INLINE_PAGES", 1),
            self.captureOnCommitCallbacks(execute=False) as queued,
        ):
            response = self.api_import(
                self.office_key,
                file=SimpleUploadedFile("dai.pdf", text_pdf(pages)),
                register_tasks="true",
            )
        self.assertEqual(response.status_code, 202, response.content)
        body = response.json()
        reading = body["reading"]["code"]
        self.assertEqual(body["reading"]["status"], "pending")
        directive = Directive.objects.get(code=body["directive"]["code"])
        self.assertEqual(directive.assignments.count(), 0)
        from nhiemvu.directives.importing import reading_run
        from nhiemvu.directives.models import Reading

        self.assertEqual(reading_run(reading_id=Reading.objects.get(code=reading).pk), "done")
        # A retried job does nothing twice.
        self.assertEqual(
            reading_run(reading_id=Reading.objects.get(code=reading).pk), "already handled"
        )
        self.assertEqual(len(queued), 1)
        follow = self.client.get(
            f"/api/v1/directives/readings/{reading}",
            headers={"Authorization": f"Bearer {self.office_key}"},
        )
        self.assertEqual(follow.json()["status"], "done")
        task = directive.assignments.get()
        self.assertEqual(task.lead, self.p.agency_a)
        self.assertEqual(str(task.deadline), "2026-04-30")
        outsider = self.client.get(
            f"/api/v1/directives/readings/{reading}",
            headers={"Authorization": f"Bearer {self.agency_key}"},
        )
        self.assertEqual(outsider.status_code, 404)


# --- 3. exports never carry formulas ----------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://example.invalid/","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
]


class ExportsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Overdue by the report's date, so their summaries are written into its sheets too.
        with travel(dt.date(2026, 3, 3)):
            for n, summary in enumerate(FORMULAS, start=1):
                services.assignment_create(
                    actor=cls.p.office,
                    directive=cls.directive,
                    spec=services.TaskSpec(
                        content=f"{summary} ({n})",
                        summary=summary,
                        lead=cls.p.agency_a,
                        deadline=dt.date(2026, 3, 6),
                    ),
                )

    def test_the_xlsx_export_holds_the_text_not_a_formula(self) -> None:
        self.login(self.p.office)
        response = self.client.get("/nhiem-vu/xuat.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
        cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
        self.assertFalse([c.coordinate for c in cells if c.data_type == "f"])
        values = {c.value for c in cells}
        for summary in FORMULAS:
            self.assertIn(summary, values)
        self.assertFalse(any(getattr(c, "hyperlink", None) for c in cells))

    def test_the_csv_export_neutralises_every_formula_start(self) -> None:
        self.login(self.p.office)
        response = self.client.get("/nhiem-vu/xuat.csv")
        text = response.getvalue().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        for row in rows:
            for cell in row:
                self.assertFalse(cell.startswith(("=", "+", "@", "\t", "\r")), cell)
                self.assertFalse(cell.startswith("-") and not cell[1:2].isdigit(), cell)
        summaries = {row[1] for row in rows[1:]}
        for summary in FORMULAS:
            self.assertIn("'" + summary, summaries)

    def test_the_report_xlsx_has_no_formula_from_user_text(self) -> None:
        # The tasks are overdue by the report's date: their summaries go into its sheets.
        self.login(self.p.office)
        response = self.client.get("/bao-cao/tai-ve/?period=2026-Q1&format=xlsx")
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
        mine = [c for c in cells if "HYPERLINK" in str(c.value)]
        self.assertTrue(mine, "the overdue task is listed in the report")
        self.assertEqual({c.data_type for c in mine}, {"s"})
        # Formulas the report writes itself (totals) may exist; none holds a user's text.
        self.assertFalse([c for c in cells if c.data_type == "f" and "HYPERLINK" in str(c.value)])


def test_every_formula_start_is_neutralised_in_a_csv_cell() -> None:
    from nhiemvu.lib.spreadsheets import csv_cell

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell("Sở Tài chính") == "Sở Tài chính"
    assert csv_cell(-3) == -3  # numbers are numbers


# --- 5. NUL and foreign charsets on every route --------------------------------------------


def _routes() -> list[str]:
    """Every URL of the site with each parameter filled by a NUL-bearing value."""
    found: list[str] = []

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                found.append(prefix + route)

    walk(get_resolver().url_patterns, "/")
    import re

    paths = []
    for route in found:
        if route.startswith("/quan-tri/") or "(?P" in route or route.startswith("/^"):
            continue  # the admin's regex routes; its own pages are covered by Django
        path = re.sub(r"<(?:\w+:)?\w+>", "a\x00b", route)
        paths.append(path)
    return sorted(set(paths))


class RequestGuardTest(BaseTestCase):
    def test_nul_in_any_path_or_query_is_a_400_never_a_500(self) -> None:
        self.login(self.p.office)
        key = api_key(self.p.office_org, role="office")
        routes = _routes()
        self.assertGreater(len(routes), 40)
        for path in routes:
            headers = {"Authorization": f"Bearer {key}"} if path.startswith("/api/") else {}
            urls = [path.replace("a\x00b", "ab") + "?kind=%00&after=%00&q=a%00b"]
            if "\x00" in path:
                urls.append(path)
            for url in urls:
                with self.subTest(url=url):
                    response = self.client.get(url, headers=headers)
                    self.assertIn(response.status_code, (400, 404), url)

    def test_a_form_in_utf7_is_a_400_on_every_route(self) -> None:
        self.login(self.p.office)
        before = Assignment.objects.count(), Directive.objects.count()
        for path in _routes():
            url = path.replace("a\x00b", self.task.code)
            with self.subTest(url=url):
                response = self.client.generic(
                    "POST",
                    url,
                    "text=%2BAGEAYgBj-&summary=x",
                    content_type="application/x-www-form-urlencoded; charset=utf-7",
                )
                self.assertEqual(response.status_code, 400, url)
        self.assertEqual((Assignment.objects.count(), Directive.objects.count()), before)

    def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(self) -> None:
        self.login(self.p.office)
        response = self.client.generic(
            "POST",
            "/van-ban/nhap/",
            b"x",
            content_type="application/octet-stream",
            CONTENT_LENGTH=str(200 * 1024 * 1024),
        )
        self.assertEqual(response.status_code, 413)
        self.assertContains(response, "quá lớn", status_code=413)

    @override_settings(MAX_UPLOAD_BYTES=1024 * 1024, LEGACY_UPLOAD_MAX_BYTES=4 * 1024 * 1024)
    def test_the_switch_over_page_takes_a_larger_body_from_the_office_only(self) -> None:
        # The old tracker's export and its zip of files come in one request: above a file's
        # bound, up to the switch-over's own, and only from the office; anyone else is refused
        # before the form is parsed, as is the office beyond the switch-over's bound.
        export = SimpleUploadedFile("xuat.csv", b"x" * (2 * 1024 * 1024), "text/csv")

        def post(data: dict[str, Any]) -> Any:
            return self.client.post("/van-ban/chuyen-doi/", data)

        self.login(self.p.lead_officer)
        refused = post({"file": export})
        self.assertContains(refused, "quá lớn", status_code=413)
        self.login(self.p.office)
        export.seek(0)
        taken = post({"file": export})
        self.assertNotEqual(taken.status_code, 413)
        self.assertNotContains(taken, "quá lớn", status_code=taken.status_code)
        beyond = SimpleUploadedFile("xuat.csv", b"x" * (5 * 1024 * 1024), "text/csv")
        self.assertContains(post({"file": beyond}), "4 MB", status_code=413)
        # Any other page keeps a file's bound, for the office too.
        export.seek(0)
        self.assertEqual(self.client.post("/van-ban/nhap/", {"file": export}).status_code, 413)


# --- 6. authority and identity --------------------------------------------------------------


class KeysAndLoginsTest(TestCase):
    p: Province

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()

    def test_an_agency_key_can_never_act_as_the_office(self) -> None:
        from io import StringIO

        from django.core.management import CommandError, call_command

        from nhiemvu.accounts.models import ApiKey
        from nhiemvu.accounts.services import apikey_create

        with self.assertRaisesMessage(ValidationError, "không ai trong tổ chức đó"):
            apikey_create(
                actor=None, org=self.p.agency_a, scope="write", name="QLVB", role="office"
            )
        with self.assertRaises((CommandError, SystemExit)):
            call_command(
                "apikey",
                "create",
                "--org",
                self.p.agency_a.code,
                "--scope",
                "write",
                "--role",
                "office",
                stdout=StringIO(),
                stderr=StringIO(),
            )
        self.assertFalse(ApiKey.objects.exists())
        _key, secret = apikey_create(
            actor=None, org=self.p.office_org, scope="write", name="QLVB VP", role="office"
        )
        self.assertTrue(secret.startswith("nv_"))

    def test_password_spraying_from_one_address_is_paused(self) -> None:
        victims = [make_user(f"nguoi{n}", self.p.agency_a, "officer") for n in range(12)]
        for user in victims[:10]:
            response = self.client.post(
                "/dang-nhap/", {"username": user.username, "password": "Mua-he-2026"}
            )
            self.assertEqual(response.status_code, 200)  # the form again, with its error
        # The 11th account, even with its right password, is refused from this address…
        response = self.client.post(
            "/dang-nhap/", {"username": victims[10].username, "password": PASSWORD}
        )
        self.assertContains(response, "nhiều tài khoản khác nhau", status_code=429)
        # …and accepted from another one.
        response = self.client.post(
            "/dang-nhap/",
            {"username": victims[11].username, "password": PASSWORD},
            REMOTE_ADDR="10.9.8.7",
        )
        self.assertEqual(response.status_code, 302)

    def test_message_ids_are_unique_and_survive_a_restore(self) -> None:
        from nhiemvu.reminders.models import Outbox

        def message() -> Outbox:
            from django.utils import timezone

            now = timezone.now()
            return Outbox.objects.create(
                to="a@example.invalid", subject="s", text="t", created_at=now, next_attempt_at=now
            )

        first = message()
        self.assertRegex(first.message_id, r"^<[0-9a-f]{32}@[\w.-]+>$")
        # A restore puts the row counter back: the next row gets a used primary key, but never a
        # used Message-ID (mail systems drop a repeated id as a duplicate).
        pk = first.pk
        first.delete()
        again = message()
        again.pk = pk
        self.assertNotEqual(again.message_id, first.message_id)
        ids = {message().message_id for _ in range(50)}
        self.assertEqual(len(ids), 50)

    def test_pg_dump_gets_the_password_through_the_environment(self) -> None:
        # The PostgreSQL tools are started with the connection's password in their environment
        # (libpq's PGPASSWORD), never on a command line another user's `ps` would show.
        import io

        from nhiemvu.web import backup

        settings = {"NAME": "nv", "USER": "u", "PASSWORD": "s3cret-pw", "HOST": "h", "PORT": 5}
        with (
            mock.patch.object(backup.connection, "settings_dict", settings),
            mock.patch("nhiemvu.web.backup.subprocess.Popen") as popen,
        ):
            process = popen.return_value
            process.stdout, process.stderr = io.BytesIO(b"dump"), io.BytesIO(b"")
            process.wait.return_value = 0
            out = io.BytesIO()
            backup._pipe_out(["pg_dump", "--format=custom", "--snapshot=1-2"], out)
        command, kwargs = popen.call_args.args[0], popen.call_args.kwargs
        self.assertEqual(out.getvalue(), b"dump")
        self.assertFalse([part for part in command if "s3cret-pw" in part])
        self.assertEqual(kwargs["env"]["PGPASSWORD"], "s3cret-pw")
        self.assertEqual(kwargs["env"]["PGDATABASE"], "nv")


# --- 7. the schema states the limits -------------------------------------------------------


class SchemaLimitsTest(TestCase):
    def test_dates_periods_and_percent_are_bounded_in_the_schema(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        text = str(schema)
        self.assertIn("(19[0-9]{2}|2[01][0-9]{2}|2200)", text)
        params = schema["paths"]["/api/v1/reports/summary"]["get"]["parameters"]
        period = next(p for p in params if p["name"] == "period")["schema"]["pattern"]
        import re

        self.assertTrue(re.search(period, "2026-Q3"))
        self.assertFalse(re.search(period, "2101"))
        self.assertFalse(re.search(period, "1989-Q1"))
        upload = schema["paths"]["/api/v1/tasks/{code}/progress/upload"]["post"]
        form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
        percent = form["properties"]["percent"]
        self.assertEqual(percent.get("type"), "integer", percent)


def test_a_huge_plain_text_is_refused_for_its_length_not_sent_to_the_worker() -> None:
    data = ("Giao Sở Tài chính báo cáo. " * 120_000).encode()  # ~3.4 MB, 3.2 million characters
    with pytest.raises(FileError, match="ký tự"):
        read_bytes(data, "dai.txt", inline=True)
