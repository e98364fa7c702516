"""The background queue: django-tasks-db's backend, also storing the enqueuing request's id
with each job (issue 31 item 3), so the worker's log lines for that job carry it.

The id rides in the job's stored ``args_kwargs`` beside the arguments (the backend reads only
its ``args`` and ``kwargs`` keys back); the worker sets it for the job's run from the signal
django.tasks sends when a job starts, whose result carries the stored row.
"""

from __future__ import annotations

import logging
from typing import Any

from django_tasks_db import backend

from nhiemvu.lib import logs

log = logging.getLogger("nhiemvu.jobs")


class DatabaseBackend(backend.DatabaseBackend):
    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        row = super()._task_to_db_task(task, args, kwargs)
        current = logs.request_id.get()
        if current:
            # One more UPDATE of the row just written, in the same transaction: the backend
            # builds the row in one create() we cannot reach into.
            row.args_kwargs = {**row.args_kwargs, "request_id": current}
            row.save(update_fields=["args_kwargs"])
        return row


def job_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """In the worker: the job's log lines carry the id of the request that enqueued it (a job
    enqueued outside a request, by the scheduler, gets its own)."""
    stored = getattr(getattr(task_result, "db_result", None), "args_kwargs", None) or {}
    logs.request_id.set(logs.sane(stored.get("request_id")))
    # django.tasks' own "started" line is written before this receiver runs (receivers run in
    # the order they were connected), so the job's start is said again, with the id.
    log.info("job %s started: %s", task_result.id, task_result.task.module_path)


def job_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    logs.request_id.set("")
