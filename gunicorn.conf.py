"""gunicorn's settings for nhiemvu (read from the working directory: `gunicorn nhiemvu.wsgi`).

Threads beside processes: a request that waits on the database or on a slow client does not hold
a whole process. The timeout ends a request that runs away (the heavy work — long files, report
files — is done by the worker, not in a request). Every value can be changed from the
environment without editing this file.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Bounds on what a client may send before Django sees it.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Recycle a process now and then: memory stays flat over months.
max_requests = 2000
max_requests_jitter = 200
# "-" is standard output; an empty value turns the access log off (benchmarks).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
