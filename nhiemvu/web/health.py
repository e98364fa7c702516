"""Is this node alive, is the system ready (issue 31 item 3): what `/healthz` and `/readyz`
answer, and the background duties' beats that `/readyz` and `/metrics` read.

`/healthz` touches nothing (the process answers: a load balancer's liveness probe, which must
not restart every node when the database is away). `/readyz` checks what a node needs to serve
and what the province relies on happening behind it: the database answers, every migration is
applied, a scheduler stepped recently (on any machine), and the outbox is not stuck. Each check
says only ok or failed; why is written to the log, never to an unauthenticated caller.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.models import F

from nhiemvu.lib import workdays
from nhiemvu.reminders import outbox
from nhiemvu.web.models import Beat, Duty

log = logging.getLogger(__name__)


def beat(duty: Duty, done: int = 0) -> None:
    """Record that ``duty`` succeeded now (one UPDATE; an INSERT the first time), adding
    ``done`` to what it has done in all."""
    at = workdays.now()
    if Beat.objects.filter(duty=duty).update(last_ok_at=at, total=F("total") + done):
        return
    # Two processes' first beats at once: the unique duty keeps one row, the other updates it.
    _row, created = Beat.objects.get_or_create(
        duty=duty, defaults={"last_ok_at": at, "total": done}
    )
    if not created:
        Beat.objects.filter(duty=duty).update(last_ok_at=at, total=F("total") + done)


def beats() -> dict[str, Beat]:
    return {row.duty: row for row in Beat.objects.all()}


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


# Once every migration is applied, it stays so until the code changes, which restarts the
# process: the plan (every migration file read) is computed until it is first empty, not again.
_migrated = False


def _migrations() -> bool:
    global _migrated
    if not _migrated:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _scheduler() -> bool:
    row = Beat.objects.filter(duty=Duty.SCHEDULER).first()
    limit = dt.timedelta(minutes=settings.HEALTH_SCHEDULER_MINUTES)
    return row is not None and workdays.now() - row.last_ok_at <= limit


def _outbox() -> bool:
    _count, oldest = outbox.backlog()
    limit = dt.timedelta(minutes=settings.HEALTH_OUTBOX_MINUTES)
    return oldest is None or workdays.now() - oldest <= limit


CHECKS: dict[str, Callable[[], bool]] = {
    "database": _database,
    "migrations": _migrations,
    "scheduler": _scheduler,
    "outbox": _outbox,
}


def readiness() -> dict[str, bool]:
    """Each check's verdict. A check that raises has failed (the database away fails them all);
    the reason goes to the log for the operator."""
    verdicts: dict[str, bool] = {}
    for name, check in CHECKS.items():
        try:
            verdicts[name] = bool(check())
        except Exception:
            log.warning("readiness check %s failed", name, exc_info=True)
            verdicts[name] = False
        else:
            if not verdicts[name]:
                log.warning("readiness check %s failed", name)
    return verdicts
