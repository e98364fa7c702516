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
by the worker, not in a request). gunicorn's own timeout cannot: a gthread worker tells the
arbiter it is alive from its main thread, which keeps looping while a request thread is stuck
(a signed PDF held one for 137 s under a 60 s timeout, issue 24). So each worker watches its
request threads itself (``pre_request``/``post_request`` below and a watchdog thread): a request
running past ``timeout`` ends the worker process (``os._exit``), the arbiter starts a new one,
and the client's connection closes. The requests sharing that process end with it, as under the
``sync`` worker's timeout. Every value can be changed from the environment.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# 0: a connection closes after its response (see above); a proxy in front keeps its own.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
# A process accepts a connection only when it has a free thread (without keep-alive a connection
# is one request): a process whose threads are all busy leaves the next request in the listen
# queue for a process that can answer it, instead of queueing it behind its own (/healthz stayed
# under 1 s while 8 uploads ran, nhiemvu/tests/test_hostile_files.py).
worker_connections = threads
graceful_timeout = 30
# The application is loaded once in the arbiter, every view and the API imported (when_ready
# below), and workers are forked warm from it: a worker that replaces one the watchdog ended, or
# one recycled after max_requests, answers at once instead of after its imports (a cold worker's
# first request took 25 s on the loaded 2-core test machine). GUNICORN_PRELOAD=0 turns it off.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Bounds on what a client may send before Django sees it.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Recycle a process now and then: memory stays flat over months.
max_requests = 2000
max_requests_jitter = 200
# "-" is standard output; an empty value turns the access log off (benchmarks). With JSON logs
# (NHIEMVU_LOG_FORMAT=json) the application writes one JSON access line a request, with its
# request id (web/middleware.py), so gunicorn's own text line is off unless asked for.
_json_logs = os.environ.get("NHIEMVU_LOG_FORMAT", "text") == "json"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "" if _json_logs else "-") or None
# Request metrics of every process, added up at each scrape (web/metrics.py): the folder holds
# one file per process and kind, emptied when the server starts and for each process that ends.
_metrics_dir = os.environ.get("NHIEMVU_METRICS_DIR", "")


def on_starting(server: Any) -> None:
    if _metrics_dir:
        # Files left by the last run's processes would be counted again (their pids reused).
        os.makedirs(_metrics_dir, exist_ok=True)
        for name in os.listdir(_metrics_dir):
            if name.endswith(".db"):
                os.unlink(os.path.join(_metrics_dir, name))


def child_exit(server: Any, worker: Any) -> None:
    if _metrics_dir:
        from prometheus_client import multiprocess

        # The process's gauges go; its counters stay counted (prometheus_client's docs).
        multiprocess.mark_process_dead(worker.pid)


# --- the per-request watchdog (see the docstring) -------------------------------------------

# thread id -> (monotonic start, "METHOD /path"); each entry is written and removed by its own
# request thread, read by the watchdog (dict operations are atomic under the GIL).
_running: dict[int, tuple[float, str]] = {}


def pre_request(worker: Any, req: Any) -> None:
    _running[threading.get_ident()] = (time.monotonic(), f"{req.method} {req.path}")


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    _running.pop(threading.get_ident(), None)


def when_ready(server: Any) -> None:
    if server.cfg.preload_app:
        import holidays.countries  # noqa: F401
        from django.urls import get_resolver

        # Every view and the API imported once; and the calendar's package, whose first use
        # imports every country (3.4 s of a cold worker's first API upload, measured with
        # cProfile on the loaded test machine).
        get_resolver().url_patterns  # noqa: B018


def post_worker_init(worker: Any) -> None:
    # Each web process checks signatures in children of its own fork server (lib/signatures).
    from django.urls import get_resolver

    from nhiemvu.lib import signatures

    # The worker accepts requests once its checker is ready; booting is not being stuck, so
    # the arbiter hears from it meanwhile (its timeout counts from the last notice).
    ready = threading.Thread(target=signatures.start_checker, name="checker", daemon=True)
    ready.start()
    while ready.is_alive():
        worker.notify()
        ready.join(0.5)
    # Every view and the API imported before the process accepts a request (done already in
    # the arbiter when the application is preloaded): else its first request pays for them.
    get_resolver().url_patterns  # noqa: B018
    if worker.cfg.timeout > 0:
        threading.Thread(target=_watch, args=(worker,), name="watchdog", daemon=True).start()
    worker.log.info("Worker ready (pid: %s)", worker.pid)


def _watch(worker: Any) -> None:
    limit = worker.cfg.timeout
    while True:
        time.sleep(min(1.0, limit / 4))
        now = time.monotonic()
        for started, what in list(_running.values()):
            if now - started > limit:
                worker.log.critical(
                    "Request %s ran %.0f s, past the %s s timeout: worker %s ends",
                    what,
                    now - started,
                    limit,
                    worker.pid,
                )
                # os._exit, not sys.exit: a stuck thread would keep the interpreter from
                # finishing, and pure-Python work cannot be interrupted in a thread.
                os._exit(1)
