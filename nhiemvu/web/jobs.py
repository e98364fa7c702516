"""Background jobs whose worker died (issue 31): leases and the requeue.

django-tasks-db marks a job RUNNING when a worker claims it and keeps no lease on it: a worker
killed (kill -9, out of memory, a machine lost) leaves the job RUNNING for ever. Here each worker
(`manage.py worker`, web/management/commands/worker.py) keeps a lease row that a thread renews;
every living worker, at its start and at each renewal, gives up the lapsed leases and puts their
jobs back, so one worker on any machine is enough to clean up after the others.

What happens to a dead worker's job is each job's own answer (RERUN): run again at once when its
step is safe to repeat, after its domain row is set back for the ones whose step claims it (a
reading, a report file), and failed (never run twice) when the job is unknown here. A test holds
every job in the code to this table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from nhiemvu.directives import importing
from nhiemvu.reports import services as report_services
from nhiemvu.web.models import Beat, Duty, WorkerLease

log = logging.getLogger("nhiemvu.jobs")


def _again(*args: Any, **kwargs: Any) -> None:
    """The step is safe to run again as it stands."""


# A dead worker's job, by the path it was queued under: what must be done before it runs again.
RERUN: dict[str, Callable[..., None]] = {
    # The reading is claimed by a conditional update (PENDING, or RUNNING for STALE_AFTER):
    # set back to PENDING it is claimed at once, and read once, by the job run again.
    "nhiemvu.directives.importing.read_directive": importing.reading_requeued,
    "nhiemvu.directives.tasks.read_directive": importing.reading_requeued,
    # The report file is claimed when PENDING; a new file is written, the half-made one never
    # was saved (the row takes the file only at the end).
    "nhiemvu.reports.services.generate_report": report_services.report_requeued,
    # The import goes on from its checkpoint (each batch and its checkpoint in one transaction).
    "nhiemvu.directives.legacy.tasks.import_legacy": _again,
    # The dry run writes only its counts, replaced whole.
    "nhiemvu.directives.legacy.tasks.dry_run_legacy": _again,
    # Rechecking signatures: each file's verdict is set from its own bytes, the same twice.
    "nhiemvu.directives.tasks.recheck_signatures": _again,
}


def lease_seconds() -> int:
    return max(3, int(settings.WORKER_LEASE_SECONDS))


def lease_take(worker_id: str) -> None:
    now = timezone.now()
    WorkerLease.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "beat_at": now,
            "gone": False,
        },
    )


def lease_renew(worker_id: str) -> bool:
    """False when the lease was given up for dead meanwhile: the worker must stop at once (its
    job may already run elsewhere)."""
    return bool(
        WorkerLease.objects.filter(worker_id=worker_id, gone=False).update(beat_at=timezone.now())
    )


def job_give_back(job_id: Any) -> None:
    """A job claimed by a worker that then found itself given up for dead: back in the queue,
    untouched (the worker stops before running it)."""
    DBTaskResult.objects.filter(pk=job_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


def lease_release(worker_id: str) -> None:
    """A worker that stops on its own: it finished its job first, nothing to put back."""
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def requeue_dead(now: dt.datetime | None = None) -> int:
    """Give up the lapsed leases and put their workers' jobs back; the jobs handled."""
    now = now or timezone.now()
    lapsed_before = now - dt.timedelta(seconds=lease_seconds())
    with transaction.atomic():
        # Locked, so a late renewal waits and then finds its lease gone (lease_renew).
        dead = set(
            WorkerLease.objects.select_for_update()
            .filter(gone=False, beat_at__lt=lapsed_before)
            .values_list("worker_id", flat=True)
        )
        if dead:
            WorkerLease.objects.filter(worker_id__in=dead).update(gone=True)
        # Every lease's verdict, the ones given up earlier too (a job locked then is due now).
        gone = dict(WorkerLease.objects.values_list("worker_id", "gone"))
        unleased_before = now - dt.timedelta(hours=settings.WORKER_UNLEASED_HOURS)
        handled = 0
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for job in running.only("id", "task_path", "args_kwargs", "worker_ids", "started_at"):
            worker = job.worker_ids[-1] if job.worker_ids else ""
            verdict = gone.get(worker)
            if verdict is False:
                continue  # its worker lives
            if verdict is None and job.started_at and job.started_at >= unleased_before:
                continue  # claimed by a worker that keeps no lease: only after the long limit
            handled += _requeue(job, worker)
        if handled:
            Beat.objects.update_or_create(duty=Duty.JOB_REQUEUE, defaults={"last_ok_at": now})
            Beat.objects.filter(duty=Duty.JOB_REQUEUE).update(total=F("total") + handled)
        # Old given-up rows say nothing more (their jobs were handled above).
        WorkerLease.objects.filter(gone=True, beat_at__lt=now - dt.timedelta(days=1)).delete()
    return handled


def _requeue(job: DBTaskResult, worker: str) -> int:
    with contextlib.suppress(ImportError, SuspiciousOperation):
        # The job's module imported first: a job defined outside the apps (the tests' own)
        # adds itself to RERUN when its module is imported.
        job.task  # noqa: B018
    prepare = RERUN.get(job.task_path)
    if prepare is None:
        job.status = TaskResultStatus.FAILED
        job.finished_at = timezone.now()
        job.exception_class_path = "nhiemvu.web.jobs.WorkerGone"
        job.traceback = (
            f"The worker {worker} stopped during this job, and running it twice is not known "
            "to be safe (nhiemvu/web/jobs.py RERUN): it was not run again."
        )
        job.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        log.warning("job %s (%s): worker %s gone, failed", job.id, job.task_path, worker)
        return 1
    args = job.args_kwargs or {}
    prepare(*args.get("args", []), **args.get("kwargs", {}))
    DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    log.warning("job %s (%s): worker %s gone, queued again", job.id, job.task_path, worker)
    return 1


class Heartbeat(threading.Thread):
    """Renews the worker's lease, and gives up other workers' lapsed ones, every quarter of the
    lease. A worker that cannot renew in time (database unreachable) or finds itself given up
    stops the whole process: its job is, or soon will be, someone else's."""

    def __init__(self, worker_id: str, stop: Callable[[str], None] | None = None) -> None:
        super().__init__(name="nhiemvu-lease", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.stop_process = stop or stop_now

    def run(self) -> None:
        interval = lease_seconds() / 4
        renewed = timezone.now()
        while not self.stopping.wait(interval):
            try:
                close_old_connections()
                if not lease_renew(self.worker_id):
                    self.stop_process("lease given up by another worker")
                    return
                renewed = timezone.now()
                requeue_dead()
            except Exception:
                log.exception("worker %s: lease not renewed", self.worker_id)
                connection.close()
                if (timezone.now() - renewed).total_seconds() > lease_seconds() * 0.75:
                    self.stop_process("lease about to lapse")
                    return
        connection.close()


def stop_now(why: str) -> None:
    log.error("worker stopping at once: %s", why)
    os._exit(75)
