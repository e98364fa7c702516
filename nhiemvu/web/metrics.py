"""`/metrics` in Prometheus' text format (issue 31 item 3), with prometheus_client.

Two kinds of numbers, each measured where it is true:

- What a web process saw (requests by route and status, their latency): counters and a
  histogram in the process. Under gunicorn's several processes each writes its own to files in
  NHIEMVU_METRICS_DIR (prometheus_client's multiprocess mode) and a scrape, answered by any one
  of them, adds every process's files up; without the folder (one process, tests) they stay in
  memory. Counters are not written to the database: that would be a write per request.
- What the system is doing (the outbox, the job queue, the scheduler's and the backup's last
  success, the reminders delivered, the database's connections): read from the shared database
  at scrape time, so every node answers the same and a scheduler or a backup on another machine
  is seen.
- A process's own database pool (DB_POOL=1): gauges per process (a pid label under gunicorn),
  set after each request and at each scrape.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, connections
from django.db.models import Count, Min
from django.http import HttpRequest
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from nhiemvu.lib import workdays
from nhiemvu.reminders import outbox
from nhiemvu.web import jobs
from nhiemvu.web.health import beats
from nhiemvu.web.models import Duty, WorkerLease

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REQUESTS = Counter(
    "nhiemvu_http_requests",
    "HTTP requests answered, by route name, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "nhiemvu_http_request_duration_seconds",
    "Time to answer a request (to the first byte of a streamed file), by route name.",
    ["route"],
    # Interactive pages aim under 0.2 s; files and reports take seconds; 60 s is the timeout.
    buckets=(0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)

# psycopg_pool's statistics, by its names. "liveall": one value per live process, each process's
# dropped when gunicorn reports it gone (gunicorn.conf.py's child_exit).
POOL = {
    key: Gauge(f"nhiemvu_db_{key}", text, ["database"], multiprocess_mode="liveall")
    for key, text in (
        ("pool_size", "Connections this process's pool holds open (DB_POOL=1)."),
        ("pool_available", "Of those, idle in the pool and ready for a request."),
        ("pool_max", "Most connections this process's pool may open."),
        ("requests_waiting", "Requests of this process waiting for a connection from the pool."),
    )
}


def record_pools() -> None:
    """This process's pools, as they are now (nothing without DB_POOL: no pool to read)."""
    for wrapper in connections.all():
        # Django's PostgreSQL connection has a pool when OPTIONS["pool"] is set, else None;
        # other databases have none.
        pool = getattr(wrapper, "pool", None)
        if pool is None:
            continue
        stats = pool.get_stats()
        for key, gauge in POOL.items():
            gauge.labels(wrapper.alias).set(stats.get(key, 0))


def route_of(request: HttpRequest) -> str:
    """The route's name (a bounded set of labels, never the path with its codes)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return str(match.view_name)
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return "unmatched"


def observe(route: str, method: str, status: int, seconds: float) -> None:
    # Methods outside the usual set are folded so a client cannot grow the label set.
    if method not in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}:
        method = "other"
    REQUESTS.labels(route, method, str(status)).inc()
    LATENCY.labels(route).observe(seconds)
    # Read while this request still holds its connection: a pool that is all in use shows so.
    record_pools()


def allowed(request: HttpRequest) -> bool | None:
    """None when /metrics is off (neither a token nor an allow-list set); else whether this
    caller may read it: the Bearer token, or the connecting address in the allow-list."""
    token = settings.METRICS_TOKEN
    allow = settings.METRICS_ALLOW
    if not token and not allow:
        return None
    import hmac

    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, given = header.partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    for entry in allow:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


class StateCollector(Collector):
    """The system's state, read from the database at each scrape (a few small queries)."""

    def collect(self) -> Iterator[Metric]:
        from django_tasks_db.models import DBTaskResult

        now = workdays.now()
        unsent, oldest = outbox.backlog()
        yield GaugeMetricFamily(
            "nhiemvu_outbox_unsent", "E-mail messages waiting to go out.", value=unsent
        )
        yield GaugeMetricFamily(
            "nhiemvu_outbox_oldest_unsent_age_seconds",
            "Age of the oldest message waiting to go out (0 when none waits).",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )
        ready = DBTaskResult.objects.ready().aggregate(n=Count("*"), oldest=Min("enqueued_at"))
        yield GaugeMetricFamily(
            "nhiemvu_task_queue_ready", "Background jobs waiting for a worker.", value=ready["n"]
        )
        yield GaugeMetricFamily(
            "nhiemvu_task_queue_oldest_ready_age_seconds",
            "Age of the oldest job waiting for a worker (0 when none waits).",
            value=(now - ready["oldest"]).total_seconds() if ready["oldest"] else 0.0,
        )
        running = DBTaskResult.objects.running().count()
        yield GaugeMetricFamily(
            "nhiemvu_task_queue_running", "Background jobs a worker is running.", value=running
        )
        alive = WorkerLease.objects.filter(
            gone=False, beat_at__gte=now - dt.timedelta(seconds=jobs.lease_seconds())
        ).count()
        yield GaugeMetricFamily(
            "nhiemvu_workers_alive",
            "Background workers whose lease is current (web/jobs.py).",
            value=alive,
        )
        rows = beats()
        for duty, name in (
            (Duty.SCHEDULER, "scheduler"),
            (Duty.BACKUP, "backup"),
            (Duty.BACKUP_DRILL, "backup_drill"),
        ):
            row = rows.get(duty)
            # Absent until the duty first succeeds: an alert on absent() says "never ran".
            if row is None:
                continue
            yield GaugeMetricFamily(
                f"nhiemvu_{name}_last_success_timestamp_seconds",
                f"Unix time of the last successful {name.replace('_', ' ')}.",
                value=row.last_ok_at.timestamp(),
            )
            yield GaugeMetricFamily(
                f"nhiemvu_{name}_last_success_age_seconds",
                f"Seconds since the last successful {name.replace('_', ' ')}.",
                value=(now - row.last_ok_at).total_seconds(),
            )
        yield from database_connections()
        scheduler = rows.get(Duty.SCHEDULER)
        yield CounterMetricFamily(
            "nhiemvu_reminders_delivered",
            "Reminders delivered by the scheduler's steps, on every machine.",
            value=scheduler.total if scheduler else 0,
        )
        requeue = rows.get(Duty.JOB_REQUEUE)
        yield CounterMetricFamily(
            "nhiemvu_jobs_requeued",
            "Jobs whose worker died, put back in the queue (or failed when not safe to repeat).",
            value=requeue.total if requeue else 0,
        )


def database_connections() -> Iterator[Metric]:
    """PostgreSQL's connections to this database from every node and process (web, workers,
    scheduler, pooled or persistent), by state: what max_connections is spent on."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() GROUP BY 1"
        )
        rows = cursor.fetchall()
    family = GaugeMetricFamily(
        "nhiemvu_db_connections",
        "Connections to the database server, from every node, by state.",
        labels=["state"],
    )
    for state, count in rows:
        family.add_metric([state], count)
    yield family


def render() -> bytes:
    """The exposition: every web process's request metrics, then the system's state."""
    record_pools()  # the answering process's pool as it is now, not after its last request
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        requests = generate_latest(processes)
    else:
        requests = generate_latest(REGISTRY)
    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector())
    return requests + generate_latest(state)
