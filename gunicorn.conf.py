"""gunicorn's settings for nhiemvu (read from the working directory: `gunicorn nhiemvu.wsgi`).

Measured with bench/peer.py (100,000 tasks, 2 cores, the task list under wrk -c8 and -c32):

- gthread with 4 threads and keep-alive collapsed under 32 connections (13 req/s against 27 at
  8): kept-alive connections stay with the process that accepted them, so one process queued
  most of the load while the other idled. Without keep-alive each request is accepted by a
  process with a free thread again: 31–33 req/s at 32 connections, no errors.
- More threads do not add throughput on these pages (they are CPU-bound in Python, one core a
  process); 2 threads let a process answer while another request waits on the database or on a
  slow client. ``sync`` workers measured the same throughput; gthread is kept because it parks a
  connection that has sent nothing yet instead of holding a worker on it.

The timeout ends a request that runs away (the heavy work — long files, report files — is done
by the worker, not in a request). Every value can be changed from the environment.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# 0: a connection closes after its response (see above); a proxy in front keeps its own.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
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
