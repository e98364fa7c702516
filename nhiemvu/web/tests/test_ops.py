"""What an operator watches (issue 31 item 3): /healthz, /readyz, /metrics, the request id that
follows a request into the jobs it enqueued, and JSON log lines."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from unittest import mock

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.tasks import task
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import path
from django_tasks_db.models import DBTaskResult

from nhiemvu.lib import logs, workdays
from nhiemvu.reminders.models import Outbox
from nhiemvu.scheduler import run_once
from nhiemvu.web import health
from nhiemvu.web.models import Beat, Duty

TOKEN = "s3cret-metrics-token-for-the-tests"
job_log = logging.getLogger("nhiemvu.tests.job")


@task
def noted_job(word: str) -> None:
    job_log.warning("job ran with %s", word)


def enqueue_view(request: HttpRequest) -> HttpResponse:
    noted_job.enqueue("hello")
    return HttpResponse("queued")


urlpatterns = [path("enqueue", enqueue_view, name="enqueue")]


def metric(body: str, name: str, **labels: str) -> float | None:
    """One sample's value in an exposition, or None when absent."""
    for line in body.splitlines():
        if line.startswith("#"):
            continue
        head, _sep, value = line.rpartition(" ")
        metric_name, _brace, rest = head.partition("{")
        if metric_name != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return None


def unsent(age: dt.timedelta) -> Outbox:
    written = workdays.now() - age
    return Outbox.objects.create(
        to="van.phong@example.gov.vn",
        subject="Nhắc việc",
        text="Nhiệm vụ sắp đến hạn",
        created_at=written,
        next_attempt_at=written,
    )


class HealthTest(TestCase):
    def setUp(self) -> None:
        health._migrated = False

    def test_healthz_answers_without_touching_the_database(self) -> None:
        with self.assertNumQueries(0):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["ok"], True)
        self.assertEqual(response.json()["message"], "Dịch vụ đang chạy.")

    def test_readyz_fails_until_a_scheduler_has_stepped_then_passes(self) -> None:
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(
            body["checks"],
            {"database": "ok", "migrations": "ok", "scheduler": "failed", "outbox": "ok"},
        )
        self.assertEqual(body["message"], "Chưa sẵn sàng: bộ lập lịch.")
        run_once()
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["message"], "Sẵn sàng.")

    @override_settings(HEALTH_SCHEDULER_MINUTES=5)
    def test_a_scheduler_silent_past_the_setting_fails_readyz(self) -> None:
        Beat.objects.create(
            duty=Duty.SCHEDULER, last_ok_at=workdays.now() - dt.timedelta(minutes=6)
        )
        self.assertEqual(self.client.get("/readyz").json()["checks"]["scheduler"], "failed")
        health.beat(Duty.SCHEDULER)
        self.assertEqual(self.client.get("/readyz").status_code, 200)

    @override_settings(HEALTH_OUTBOX_MINUTES=30)
    def test_a_stuck_outbox_fails_readyz_and_a_young_one_does_not(self) -> None:
        health.beat(Duty.SCHEDULER)
        unsent(dt.timedelta(minutes=10))
        self.assertEqual(self.client.get("/readyz").status_code, 200)
        old = unsent(dt.timedelta(minutes=45))
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["outbox"], "failed")
        # Sent at last (or given up on): the outbox is no longer stuck.
        Outbox.objects.filter(pk=old.pk).update(sent_at=workdays.now())
        self.assertEqual(self.client.get("/readyz").status_code, 200)

    def test_unapplied_migrations_fail_readyz(self) -> None:
        health.beat(Duty.SCHEDULER)
        with mock.patch(
            "django.db.migrations.executor.MigrationExecutor.migration_plan",
            return_value=[("assignments", False)],
        ):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["migrations"], "failed")

    def test_a_failing_database_says_failed_and_nothing_of_why(self) -> None:
        def broken() -> bool:
            raise OperationalError('password authentication failed for user "nhiemvu_prod"')

        with (
            mock.patch.dict(health.CHECKS, {"database": broken}),
            self.assertLogs("nhiemvu.web.health", "WARNING") as logged,
        ):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["database"], "failed")
        self.assertNotIn("nhiemvu_prod", response.content.decode())
        self.assertNotIn("password", response.content.decode())
        # The operator finds the reason in the log.
        self.assertIn("nhiemvu_prod", "\n".join(logged.output))

    def test_the_scheduler_step_counts_the_reminders_it_delivered(self) -> None:
        with mock.patch("nhiemvu.reminders.services.remind", return_value=(3, 1)):
            run_once()
            run_once()
        row = Beat.objects.get(duty=Duty.SCHEDULER)
        self.assertEqual(row.total, 6)


class MetricsTest(TestCase):
    def scrape(self, **extra: str) -> str:
        response = self.client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain; version=0.0.4"))
        return response.content.decode()

    def test_metrics_are_off_until_a_token_or_an_allow_list_is_set(self) -> None:
        response = self.client.get("/metrics")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["message"], "Máy chủ này chưa bật số liệu giám sát.")

    @override_settings(METRICS_TOKEN=TOKEN)
    def test_a_wrong_or_missing_token_is_refused(self) -> None:
        for header in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            response = self.client.get("/metrics", headers=header)
            self.assertEqual(response.status_code, 403, header)
            self.assertNotIn("nhiemvu_http_requests_total", response.content.decode())
        self.assertEqual(
            response.json()["message"],
            "Cần mã truy cập số liệu hợp lệ hoặc một địa chỉ được phép.",
        )

    @override_settings(METRICS_ALLOW=["10.0.0.0/8", "192.0.2.7"])
    def test_an_allowed_address_reads_metrics_and_another_does_not(self) -> None:
        self.assertEqual(self.client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code, 200)
        self.assertEqual(self.client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code, 200)
        self.assertEqual(self.client.get("/metrics", REMOTE_ADDR="192.0.2.8").status_code, 403)

    @override_settings(METRICS_TOKEN=TOKEN)
    def test_a_request_is_counted_by_route_and_status_and_timed(self) -> None:
        before = self.scrape()
        labels = {"route": "healthz", "method": "GET", "status": "200"}
        count = metric(before, "nhiemvu_http_requests_total", **labels) or 0
        timed = metric(before, "nhiemvu_http_request_duration_seconds_count", route="healthz") or 0
        self.client.get("/healthz")
        self.client.get("/healthz")
        self.client.get("/nhiem-vu/")  # not signed in: sent to the login page
        after = self.scrape()
        self.assertEqual(metric(after, "nhiemvu_http_requests_total", **labels), count + 2)
        self.assertEqual(
            metric(after, "nhiemvu_http_request_duration_seconds_count", route="healthz"),
            timed + 2,
        )
        self.assertGreaterEqual(
            metric(
                after, "nhiemvu_http_requests_total", route="task_list", method="GET", status="302"
            )
            or 0,
            1,
        )

    @override_settings(METRICS_TOKEN=TOKEN)
    def test_the_outbox_queue_scheduler_and_backup_are_read_from_the_database(self) -> None:
        body = self.scrape()
        self.assertEqual(metric(body, "nhiemvu_outbox_unsent"), 0)
        self.assertEqual(metric(body, "nhiemvu_task_queue_ready"), 0)
        self.assertIsNone(metric(body, "nhiemvu_scheduler_last_success_age_seconds"))
        unsent(dt.timedelta(minutes=20))
        unsent(dt.timedelta(minutes=2))
        noted_job.enqueue("later")
        with mock.patch("nhiemvu.reminders.services.remind", return_value=(4, 0)):
            run_once()
        Beat.objects.create(duty=Duty.BACKUP, last_ok_at=workdays.now() - dt.timedelta(hours=26))
        body = self.scrape()
        # run_once's sender tried the two messages with the console mailer: sent.
        self.assertEqual(metric(body, "nhiemvu_outbox_unsent"), 0)
        self.assertEqual(metric(body, "nhiemvu_task_queue_ready"), 1)
        self.assertLess(metric(body, "nhiemvu_scheduler_last_success_age_seconds") or 99, 60)
        self.assertEqual(metric(body, "nhiemvu_reminders_delivered_total"), 4)
        age = metric(body, "nhiemvu_backup_last_success_age_seconds") or 0
        self.assertAlmostEqual(age, 26 * 3600, delta=120)
        Outbox.objects.update(sent_at=None)
        body = self.scrape()
        self.assertEqual(metric(body, "nhiemvu_outbox_unsent"), 2)
        oldest = metric(body, "nhiemvu_outbox_oldest_unsent_age_seconds") or 0
        self.assertAlmostEqual(oldest, 20 * 60, delta=120)


class RequestIdTest(TestCase):
    def test_a_sane_request_id_is_kept_and_an_unsafe_one_replaced(self) -> None:
        response = self.client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
        self.assertEqual(response["X-Request-ID"], "lb-7f3a.42")
        for bad in ('x" injected="1', "a" * 65, "line\nbreak"):
            response = self.client.get("/healthz", headers={"X-Request-ID": bad})
            self.assertNotEqual(response["X-Request-ID"], bad)
            self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")
        one = self.client.get("/healthz")["X-Request-ID"]
        self.assertNotEqual(one, self.client.get("/healthz")["X-Request-ID"])

    def test_each_request_is_one_access_line_with_its_id(self) -> None:
        with self.assertLogs("nhiemvu.access", "INFO") as logged:
            self.client.get("/healthz", headers={"X-Request-ID": "abc-1"})
        (record,) = logged.records
        self.assertEqual(
            (record.route, record.status, record.method),  # type: ignore[attr-defined]
            ("healthz", 200, "GET"),
        )
        line = json.loads(logs.JsonFormatter().format(record))
        self.assertEqual(line["request_id"], "abc-1")
        self.assertEqual(line["route"], "healthz")
        self.assertEqual(line["level"], "INFO")

    def test_json_lines_carry_the_current_id_and_the_traceback(self) -> None:
        token = logs.request_id.set("req-9")
        try:
            try:
                raise ValueError("Sai định dạng")
            except ValueError:
                record = logging.LogRecord(
                    "nhiemvu.x", logging.ERROR, __file__, 1, "Lỗi %s", ("đọc tệp",), None
                )
                import sys

                record.exc_info = sys.exc_info()
            logs.RequestIdFilter().filter(record)
        finally:
            logs.request_id.reset(token)
        line = json.loads(logs.JsonFormatter().format(record))
        self.assertEqual(line["message"], "Lỗi đọc tệp")
        self.assertEqual(line["request_id"], "req-9")
        self.assertIn("ValueError: Sai định dạng", line["exception"])


@override_settings(ROOT_URLCONF=__name__)
class RequestIdInTheWorkerTest(TransactionTestCase):
    def test_a_job_enqueued_by_a_request_logs_with_that_requests_id(self) -> None:
        from django.core.management import call_command

        response = self.client.get("/enqueue", headers={"X-Request-ID": "req-from-proxy-1"})
        self.assertEqual(response.status_code, 200)
        row = DBTaskResult.objects.get()
        self.assertEqual(row.args_kwargs["request_id"], "req-from-proxy-1")
        self.assertEqual(row.task_result.args, ["hello"])
        # The id is put on a line when it is written (the console handler's filter in
        # production; the logger's own here, as assertLogs replaces the handlers).
        stamp = logs.RequestIdFilter()
        job_log.addFilter(stamp)
        try:
            with self.assertLogs("nhiemvu.tests.job", "WARNING") as logged:
                call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        finally:
            job_log.removeFilter(stamp)
        self.assertEqual(logged.records[0].getMessage(), "job ran with hello")
        self.assertEqual(logged.records[0].request_id, "req-from-proxy-1")  # type: ignore[attr-defined]
        self.assertEqual(DBTaskResult.objects.get().status, "SUCCESSFUL")


class MultiProcessMetricsTest(TransactionTestCase):
    """Under gunicorn's several processes, a scrape answered by any one counts every request."""

    def test_requests_answered_by_two_processes_are_all_counted(self) -> None:
        import http.client
        import tempfile
        import uuid
        from pathlib import Path

        from django.conf import settings

        from nhiemvu.tests.test_hostile_files import database_env, get, gunicorn

        log = Path(settings.VAR_DIR) / f"gunicorn-{uuid.uuid4().hex[:8]}.log"
        self.addCleanup(log.unlink, missing_ok=True)
        with tempfile.TemporaryDirectory() as folder:
            env = {
                **database_env(),
                "NHIEMVU_VAR_DIR": str(settings.VAR_DIR),
                "WEB_CONCURRENCY": "2",
                "NHIEMVU_METRICS_DIR": folder,
                "NHIEMVU_METRICS_TOKEN": TOKEN,
            }
            with gunicorn(env, log) as port:
                pids = {get(port, "/test-slow/0/")[1] for _ in range(30)}
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
                response = conn.getresponse()
                body = response.read().decode()
                conn.close()
        self.assertEqual(response.status, 200, body[:500])
        # The 30 above and the one gunicorn() asks before handing the port over.
        route = {"route": "nhiemvu.tests.gunicorn_urls.slow", "method": "GET", "status": "200"}
        self.assertEqual(metric(body, "nhiemvu_http_requests_total", **route), 31, pids)


class ClientAddressTest(TestCase):
    @override_settings(TRUSTED_PROXIES={"127.0.0.1"}, METRICS_ALLOW=["10.0.0.0/8"])
    def test_behind_the_trusted_proxy_the_forwarded_client_is_the_address(self) -> None:
        # The proxy appends the real peer last; what the client wrote before it is not believed.
        get = self.client.get
        ok = get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9")
        self.assertEqual(ok.status_code, 200)
        forged = get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9, 8.8.8.8")
        self.assertEqual(forged.status_code, 403)
        # From an address that is not the proxy, the header is ignored.
        direct = get("/metrics", REMOTE_ADDR="8.8.8.8", HTTP_X_FORWARDED_FOR="10.0.0.9")
        self.assertEqual(direct.status_code, 403)

    @override_settings(METRICS_ALLOW=["127.0.0.1"])
    def test_without_trusted_proxies_the_header_is_never_believed(self) -> None:
        response = self.client.get(
            "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9"
        )
        self.assertEqual(response.status_code, 200)
        response = self.client.get(
            "/metrics", REMOTE_ADDR="8.8.8.8", HTTP_X_FORWARDED_FOR="127.0.0.1"
        )
        self.assertEqual(response.status_code, 403)

    @override_settings(TRUSTED_PROXIES={"127.0.0.1"}, AXES_FAILURE_LIMIT=2)
    def test_the_login_lockout_counts_the_client_not_the_proxy(self) -> None:
        from nhiemvu.test import Province

        user = Province().lead_officer
        for _ in range(2):
            self.client.post(
                "/dang-nhap/",
                {"username": user.username, "password": "sai-mat-khau"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.5",
            )
        from axes.models import AccessAttempt

        self.assertEqual(
            set(AccessAttempt.objects.values_list("ip_address", flat=True)), {"203.0.113.5"}
        )


class BackupBeatTest(TransactionTestCase):
    @override_settings(METRICS_TOKEN=TOKEN)
    def test_a_good_backup_is_what_the_metrics_age_counts_from(self) -> None:
        import io
        import tempfile
        from pathlib import Path

        from django.core.management import call_command

        def age() -> float | None:
            body = self.client.get(
                "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
            ).content.decode()
            return metric(body, "nhiemvu_backup_last_success_age_seconds")

        self.assertIsNone(age())  # never backed up: absent, for an alert on absent()
        with tempfile.TemporaryDirectory() as tmp, override_settings(MEDIA_ROOT=Path(tmp) / "m"):
            call_command("backup", output=Path(tmp) / "b.sqlite3", stdout=io.StringIO())
        self.assertLess(age() or 99, 30)
        self.assertEqual(Beat.objects.get(duty=Duty.BACKUP).total, 1)


class ErrorLineTest(TestCase):
    def test_a_refused_request_is_logged_with_its_request_id(self) -> None:
        # The id is stamped when the line is written (the console handler's filter in
        # production; the logger's here): Django's own line, after the middleware, had none.
        stamp = logs.RequestIdFilter()
        logging.getLogger("django.request").addFilter(stamp)
        self.addCleanup(logging.getLogger("django.request").removeFilter, stamp)
        with self.assertLogs("django.request", "WARNING") as logged:
            self.client.get("/khong-co-trang-nay/", headers={"X-Request-ID": "rid-404"})
        (record,) = logged.records
        self.assertIn("Not Found", record.getMessage())
        line = json.loads(logs.JsonFormatter().format(record))
        self.assertEqual(line["request_id"], "rid-404")
