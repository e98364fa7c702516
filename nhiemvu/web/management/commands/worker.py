"""`manage.py worker`: django-tasks-db's `db_worker` with a lease (web/jobs.py).

The same options as `db_worker`. At its start the worker takes its lease and puts back the
jobs of workers that died; while it runs a thread renews the lease and does the same for the
others; when it stops on its own (SIGTERM after its job, --batch, --max-tasks) it gives the
lease back. Run this, not `db_worker`, so a killed worker's job does not stay RUNNING for ever.
"""

from __future__ import annotations

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from nhiemvu.web import jobs


class LeasedWorker(db_worker.Worker):
    def run(self) -> None:
        jobs.lease_take(self.worker_id)
        jobs.requeue_dead()
        heartbeat = jobs.Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stopping.set()
            heartbeat.join(timeout=5)
            jobs.lease_release(self.worker_id)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # Between the renewals, a worker that stalled past its lease may still claim a job: it
        # checks before running it, so the job is never run by a worker given up for dead.
        if not jobs.lease_renew(self.worker_id):
            jobs.job_give_back(db_task_result.pk)
            jobs.stop_now("lease given up by another worker")
        super().run_task(db_task_result)


class Command(db_worker.Command):
    help = "Run a background worker that keeps a lease, so its jobs are put back if it dies."

    def handle(self, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        reload = options["reload"] and not options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            # Only the reloader's child runs jobs (and so keeps the lease); its own id comes
            # from its own parse of the arguments.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
