"""Two machines' worth of processes on one PostgreSQL, one of each kind killed mid-way (issue 31
item 4): two gunicorn web processes, two schedulers, two workers. Writes go through both web
processes; then a web process, a scheduler and a worker are killed with SIGKILL (their whole
process group, as a machine that dies). Afterwards every acknowledged write is in the database,
every e-mail went out exactly once to a real SMTP server (aiosmtpd), every background job ran,
and /metrics says so. Marker ``cluster``: CI's own step on PostgreSQL (make test-cluster)."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase
from django_tasks_db.models import DBTaskResult

from nhiemvu.accounts.models import User
from nhiemvu.accounts.services import apikey_create
from nhiemvu.assignments.models import AssignmentEvent, EventKind
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.lib import periods
from nhiemvu.reminders import outbox
from nhiemvu.reminders.models import Outbox
from nhiemvu.reports.models import GeneratedReport, ReportStatus
from nhiemvu.reports.services import report_request
from nhiemvu.test import Province, register
from nhiemvu.tests.test_hostile_files import database_env, free_port
from nhiemvu.web.models import WorkerLease
from nhiemvu.web.tests.test_stuck_jobs import slow_job

ROOT = Path(settings.BASE_DIR)
TOKEN = "cluster-metrics-token-0123456789"
WRITES = 24  # comments, half before the kills, half after


class Sink:
    """An SMTP server that keeps each message's Message-ID."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.ids: list[str] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                from email import message_from_bytes

                sink.ids.append(str(message_from_bytes(envelope.content)["Message-ID"]))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def request(port: int, method: str, path: str, body: Any = None, key: str = "") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0  # refused or cut off: not acknowledged
    finally:
        conn.close()


@pytest.mark.cluster
class TwoNodesTest(TransactionTestCase):
    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.fail("This test needs PostgreSQL: DATABASE_URL=postgres://… make test-cluster")
        self.logs = Path(settings.VAR_DIR) / f"cluster-{uuid.uuid4().hex[:8]}"
        self.logs.mkdir(parents=True)
        self.addCleanup(shutil.rmtree, self.logs, ignore_errors=True)  # last: after the processes
        self.sink = Sink()
        self.addCleanup(self.sink.stop)
        self.env = {
            **os.environ,
            **database_env(),
            "NHIEMVU_VAR_DIR": str(settings.VAR_DIR),
            "MEDIA_ROOT": str(self.logs / "media"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.sink.port),
            "NHIEMVU_METRICS_TOKEN": TOKEN,
            "NHIEMVU_WORKER_LEASE_SECONDS": "4",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "2",
            "GUNICORN_ACCESS_LOG": "",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def start(self, name: str, command: list[str], **extra: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        self.addCleanup(log.close)
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole, as a machine dies
        )

        def stop() -> None:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

        self.addCleanup(stop)
        return process

    def web(self, name: str) -> tuple[subprocess.Popen[bytes], int]:
        port = free_port()
        process = self.start(
            name,
            [sys.executable, "-m", "gunicorn", "nhiemvu.wsgi"],
            GUNICORN_BIND=f"127.0.0.1:{port}",
        )
        return process, port

    def wait(self, what: str, check: Any, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while not check():
            if time.monotonic() > deadline:
                logs = "\n".join(
                    f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                    for p in sorted(self.logs.glob("*.log"))
                )
                self.fail(f"{what} within {seconds} s\n{logs}")
            time.sleep(0.5)

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def test_killing_one_of_each_loses_nothing_acknowledged_and_sends_each_mail_once(
        self,
    ) -> None:
        p = Province()
        directive = register(
            p,
            tasks=[
                TaskSpec(content=f"Nhiệm vụ {i}", lead=p.agency_a, deadline=dt.date(2027, 6, 1))
                for i in range(4)
            ],
        )
        for person in User.objects.all():  # everyone told by e-mail
            person.email = f"{person.username}@example.gov.vn"
            person.save(update_fields=["email"])
        codes = list(directive.assignments.order_by("pk").values_list("code", flat=True))
        _key, secret = apikey_create(actor=p.office, org=p.agency_a, scope="write", name="QLVB")
        manage = [sys.executable, "manage.py"]
        web_a, port_a = self.web("web-a")
        _web_b, port_b = self.web("web-b")
        loop = [*manage, "scheduler", "--loop", "--interval", "1"]
        scheduler_1 = self.start("scheduler-1", loop)
        self.start("scheduler-2", loop)
        # The first worker is made to be mid-job when it dies: it alone is up when a job that
        # hangs on its first run (test_stuck_jobs.slow_job) is queued.
        marker = self.logs / "slow-job-started"
        slow = slow_job.enqueue(str(marker))
        work = [*manage, "worker", "--no-startup-delay", "--interval", "0.5", "--no-reload"]
        worker_1 = self.start("worker-1", work)
        self.wait("the first worker runs the slow job", marker.exists)
        self.start("worker-2", work)
        for port in (port_a, port_b):
            self.wait("web answers", lambda port=port: request(port, "GET", "/healthz") == 200)

        acknowledged: list[str] = []
        by_port: Counter[int] = Counter()
        period = periods.containing(dt.date(2026, 11, 15), "month")
        for _n in range(3):  # jobs for the workers, one of which will die
            report_request(actor=p.office, period=period, fmt="xlsx")

        def write(i: int, port: int) -> None:
            text = f"Ghi nhận số {i}"
            path = f"/api/v1/tasks/{codes[i % len(codes)]}/comment"
            if request(port, "POST", path, {"text": text}, key=secret) == 200:
                acknowledged.append(text)
                by_port[port] += 1

        for i in range(WRITES // 2):
            write(i, port_a if i % 2 else port_b)
        # One machine's worth dies: a web process, a scheduler, a worker, with no warning.
        self.kill(web_a)
        self.kill(scheduler_1)
        self.kill(worker_1)
        for i in range(WRITES // 2, WRITES):
            write(i, port_a if i % 2 else port_b)  # those sent to the dead node fail

        self.assertGreaterEqual(len(acknowledged), WRITES // 2 + WRITES // 4)
        kept = set(
            AssignmentEvent.objects.filter(kind=EventKind.COMMENT).values_list("text", flat=True)
        )
        self.assertEqual(set(acknowledged) - kept, set(), "acknowledged writes lost")

        def outbox_empty() -> bool:
            return not Outbox.objects.filter(sent_at__isnull=True, failed=False).exists()

        def jobs_done() -> bool:
            return not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()

        def dead_worker_given_up() -> bool:
            return WorkerLease.objects.filter(gone=True).count() == 1

        # A scheduler killed while sending held its batch: another sends it once the lease
        # lapses, so the wait is the lease and then some.
        self.wait("every e-mail sent", outbox_empty, seconds=outbox.LEASE.total_seconds() + 60)
        self.wait("the dead worker's lease given up", dead_worker_given_up)
        self.wait("every job done", jobs_done, seconds=180)
        sent = set(
            Outbox.objects.filter(sent_at__isnull=False).values_list("message_id", flat=True)
        )
        self.assertTrue(sent, "the comments told nobody")
        received = Counter(self.sink.ids)
        self.assertEqual({m for m, n in received.items() if n > 1}, set(), "sent twice")
        self.assertEqual(set(received), sent)
        self.assertEqual(GeneratedReport.objects.exclude(status=ReportStatus.DONE).count(), 0)
        # The job the dead worker held ran again, once, on the other worker.
        slow_row = DBTaskResult.objects.get(pk=slow.id)
        self.assertEqual((slow_row.return_value, len(slow_row.worker_ids)), ("second run", 2))

        metrics = http.client.HTTPConnection("127.0.0.1", port_b, timeout=30)
        metrics.request("GET", "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        body = metrics.getresponse().read().decode()
        metrics.close()
        self.assertIn("nhiemvu_outbox_unsent 0.0", body)
        self.assertIn("nhiemvu_task_queue_ready 0.0", body)
        self.assertIn("nhiemvu_task_queue_running 0.0", body)
        self.assertIn("nhiemvu_workers_alive 1.0", body)
        self.assertIn("nhiemvu_jobs_requeued_total 1.0", body)
        # Each web process counts what it answered (its own memory: one process per node here).
        self.assertIn(
            'nhiemvu_http_requests_total{method="POST",route="api:task_comment",status="200"} '
            f"{float(by_port[port_b])}",
            body,
        )
