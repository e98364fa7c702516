"""A job whose worker died is not RUNNING for ever (issue 31): workers keep a lease
(web/jobs.py); a lapsed lease's job is queued again when repeating it is safe, else failed."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pkgutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.files.base import ContentFile
from django.tasks import Task, task
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import nhiemvu
from nhiemvu.directives.models import Reading, ReadingStatus
from nhiemvu.test import BaseTestCase
from nhiemvu.web import jobs
from nhiemvu.web.models import Beat, Duty, WorkerLease
from nhiemvu.web.tests.test_ops import TOKEN, metric

ROOT = Path(settings.BASE_DIR)


@task
def slow_job(marker: str) -> str:
    """The first run marks its start and hangs (it is killed); the second finishes."""
    path = Path(marker)
    if path.exists():
        return "second run"
    path.write_text("started")
    time.sleep(120)
    return "first run"


@task
def unknown_job() -> None:
    """A job nobody said is safe to repeat."""


jobs.RERUN[slow_job.module_path] = jobs._again


def running_job(task_obj: Task, worker: str, *args: object, started: dt.datetime) -> DBTaskResult:
    result = task_obj.enqueue(*args)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=started, worker_ids=[worker]
    )
    return DBTaskResult.objects.get(pk=result.id)


def lease(worker: str, beat: dt.datetime) -> None:
    WorkerLease.objects.create(worker_id=worker, started_at=beat, beat_at=beat)


@override_settings(WORKER_LEASE_SECONDS=60, WORKER_UNLEASED_HOURS=6)
class RequeueTest(BaseTestCase):
    def test_a_lapsed_workers_job_is_queued_again_and_a_living_ones_is_left(self) -> None:
        now = timezone.now()
        lease("dead", now - dt.timedelta(seconds=61))
        lease("alive", now - dt.timedelta(seconds=10))
        dead_job = running_job(slow_job, "dead", "/nonexistent", started=now)
        alive_job = running_job(slow_job, "alive", "/nonexistent", started=now)

        self.assertEqual(jobs.requeue_dead(now), 1)

        dead_job.refresh_from_db()
        alive_job.refresh_from_db()
        self.assertEqual(dead_job.status, "READY")
        self.assertIn(dead_job, DBTaskResult.objects.ready())
        self.assertEqual(alive_job.status, "RUNNING")
        self.assertTrue(WorkerLease.objects.get(worker_id="dead").gone)
        self.assertEqual(Beat.objects.get(duty=Duty.JOB_REQUEUE).total, 1)
        # Nothing more to do the second time.
        self.assertEqual(jobs.requeue_dead(now), 0)

    def test_a_worker_given_up_for_dead_cannot_renew_and_must_stop(self) -> None:
        now = timezone.now()
        lease("late", now - dt.timedelta(seconds=120))
        jobs.requeue_dead(now)
        self.assertFalse(jobs.lease_renew("late"))
        lease("fine", now)
        self.assertTrue(jobs.lease_renew("fine"))

    def test_a_job_left_by_a_worker_given_up_earlier_is_still_put_back(self) -> None:
        # Given up at a moment its job row was locked (skipped): the next pass takes it.
        now = timezone.now()
        WorkerLease.objects.create(worker_id="old", started_at=now, beat_at=now, gone=True)
        job = running_job(slow_job, "old", "/x", started=now)
        self.assertEqual(jobs.requeue_dead(now), 1)
        job.refresh_from_db()
        self.assertEqual(job.status, "READY")

    def test_a_worker_given_up_for_dead_gives_back_the_job_it_claimed_unrun(self) -> None:
        from nhiemvu.web.management.commands.worker import LeasedWorker

        now = timezone.now()
        WorkerLease.objects.create(worker_id="stalled", started_at=now, beat_at=now, gone=True)
        job = running_job(unknown_job, "stalled", started=now)
        worker = LeasedWorker(
            queue_names=["default"],
            interval=1,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="stalled",
            excluded_queue_names=[],
        )
        with (
            mock.patch.object(jobs, "stop_now", side_effect=SystemExit(75)),
            self.assertRaises(SystemExit),
        ):
            worker.run_task(job)
        job.refresh_from_db()
        self.assertEqual((job.status, job.finished_at), ("READY", None))

    def test_a_job_not_known_to_be_safe_twice_is_failed_not_run_again(self) -> None:
        now = timezone.now()
        lease("dead", now - dt.timedelta(minutes=5))
        job = running_job(unknown_job, "dead", started=now - dt.timedelta(minutes=5))
        jobs.requeue_dead(now)
        job.refresh_from_db()
        self.assertEqual(job.status, "FAILED")
        self.assertIn("not run again", job.traceback)

    def test_a_job_of_a_worker_without_lease_waits_the_long_limit(self) -> None:
        now = timezone.now()
        job = running_job(slow_job, "plain-db-worker", "/x", started=now - dt.timedelta(hours=5))
        self.assertEqual(jobs.requeue_dead(now), 0)
        self.assertEqual(jobs.requeue_dead(now + dt.timedelta(hours=1, seconds=1)), 1)
        job.refresh_from_db()
        self.assertEqual(job.status, "READY")

    def test_a_reading_cut_off_is_read_again_at_once_by_the_job_run_again(self) -> None:
        from nhiemvu.directives.importing import read_directive, reading_run

        reading = Reading.objects.create(
            original_name="chi-thi.txt",
            size=10,
            uploaded_by=self.p.office,
            uploaded_at=timezone.now(),
            status=ReadingStatus.RUNNING,
            started_at=timezone.now(),
        )
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        self.enterContext(override_settings(MEDIA_ROOT=media.name))
        reading.file.save("chi-thi.txt", ContentFile("1. Sở Tài chính rà soát.".encode()))
        now = timezone.now()
        lease("dead", now - dt.timedelta(minutes=2))
        running_job(read_directive, "dead", reading.pk, started=now)
        # Before: the job run again would find the reading claimed, for STALE_AFTER.
        self.assertEqual(jobs.requeue_dead(now), 1)
        reading.refresh_from_db()
        self.assertEqual(reading.status, ReadingStatus.PENDING)
        # The job's step claims it now and reads it (before: "already handled").
        self.assertEqual(reading_run(reading_id=reading.pk), "done")
        reading.refresh_from_db()
        self.assertIn("Sở Tài chính", reading.text)

    def test_every_job_in_the_code_says_whether_it_may_run_twice(self) -> None:
        found = set()
        for module in pkgutil.walk_packages(nhiemvu.__path__, "nhiemvu."):
            if ".tests" in module.name or module.name.startswith("nhiemvu.web.management"):
                continue
            try:
                loaded = importlib.import_module(module.name)
            except Exception:
                continue
            for value in vars(loaded).values():
                if isinstance(value, Task) and value.module_path.startswith("nhiemvu."):
                    found.add(value.module_path)
        self.assertGreaterEqual(len(found), 5)
        self.assertEqual(found - set(jobs.RERUN), set())


class KilledWorkerTest(TransactionTestCase):
    """A real `manage.py worker` killed with SIGKILL mid-job; a second worker puts the job back
    and runs it; /metrics counts it."""

    def worker(self, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        handle = log.open("ab")
        self.addCleanup(handle.close)
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "worker",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--no-reload",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        self.addCleanup(process.kill)
        return process

    def wait(self, what: str, check: object, log: Path, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not check():  # type: ignore[operator]
            assert time.monotonic() < deadline, f"{what}: {log.read_text(errors='replace')}"
            time.sleep(0.2)

    def test_a_job_whose_worker_was_killed_runs_again_on_another_worker(self) -> None:
        from nhiemvu.tests.test_hostile_files import database_env

        marker = Path(settings.VAR_DIR) / f"slow-{uuid.uuid4().hex[:8]}"
        log = Path(settings.VAR_DIR) / f"worker-{uuid.uuid4().hex[:8]}.log"
        self.addCleanup(marker.unlink, missing_ok=True)
        self.addCleanup(log.unlink, missing_ok=True)
        env = {
            **os.environ,
            **database_env(),
            "NHIEMVU_WORKER_LEASE_SECONDS": "3",
            "NHIEMVU_VAR_DIR": str(settings.VAR_DIR),
        }
        job = slow_job.enqueue(str(marker))
        first = self.worker(env, log)
        self.wait("first worker starts the job", marker.exists, log)
        row = DBTaskResult.objects.get(pk=job.id)
        self.assertEqual(row.status, "RUNNING")

        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        second = self.worker(env, log)

        def finished() -> bool:
            return DBTaskResult.objects.get(pk=job.id).status == "SUCCESSFUL"

        self.wait("the job runs again on the second worker", finished, log)
        row = DBTaskResult.objects.get(pk=job.id)
        self.assertEqual(row.return_value, "second run")
        self.assertEqual(len(row.worker_ids), 2)
        self.assertNotEqual(row.worker_ids[0], row.worker_ids[1])
        self.assertTrue(WorkerLease.objects.get(worker_id=row.worker_ids[0]).gone)

        with override_settings(METRICS_TOKEN=TOKEN):
            body = self.client.get(
                "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
            ).content.decode()
        self.assertEqual(metric(body, "nhiemvu_jobs_requeued_total"), 1)
        self.assertEqual(metric(body, "nhiemvu_workers_alive"), 1)
        self.assertEqual(metric(body, "nhiemvu_task_queue_running"), 0)

        # Stopped on its own, the second worker gives its lease back.
        second.send_signal(signal.SIGTERM)
        second.wait(15)
        self.assertFalse(WorkerLease.objects.filter(worker_id=row.worker_ids[1]).exists())


class LeaseSettingTest(TestCase):
    @override_settings(WORKER_LEASE_SECONDS=0)
    def test_a_lease_never_shorter_than_three_seconds(self) -> None:
        self.assertEqual(jobs.lease_seconds(), 3)
