"""The scheduler's step: everything that runs on the clock, in one place.

Each app owns its step and none imports another's to be scheduled: the periodic reports of
recurring tasks (assignments), the reminders (reminders), the periodic report files
(reports; the scheduler hands their "ready" notices to reminders), the e-mail outbox
(reminders) and the webhook deliveries (webhooks). ``manage.py scheduler`` runs this once (cron)
or in a loop (a service, any number of them: every step is idempotent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from nhiemvu.assignments.services import occurrences_create
from nhiemvu.lib import workdays
from nhiemvu.reminders import outbox
from nhiemvu.reminders import services as reminders
from nhiemvu.reminders.models import RuleCode
from nhiemvu.reminders.schedule import Due, pending
from nhiemvu.reports.services import scheduled_reports_run
from nhiemvu.web import health
from nhiemvu.web.models import Duty
from nhiemvu.webhooks.services import run_once as webhooks_run


def parse_now(value: str | None) -> dt.datetime | None:
    """A command's ``--now`` as an aware instant (a command-line error, in Vietnamese, when it
    is not one); ``None`` when not given. Shared by ``scheduler`` and ``remind``."""
    try:
        return workdays.parse_instant(value)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


@contextmanager
def preview(now: dt.datetime | None = None) -> Iterator[list[Due]]:
    """What a step at ``now`` would deliver, changing nothing (``remind --dry-run``).

    The step's own preparation (this period's reports of recurring tasks) runs too, so the list
    is what a real step would see; all of it inside a transaction rolled back on leaving the
    block, which is why the caller reads the rows (task codes included) inside it.
    """
    now = now or workdays.now()
    with transaction.atomic():
        occurrences_create(today=timezone.localdate(now))
        yield pending(now)
        transaction.set_rollback(True)


def run_once(now: dt.datetime | None = None) -> dict[str, int]:
    """One step, as of ``now``: what is due is done once, whoever runs it."""
    now = now or workdays.now()
    occurrences_create(today=timezone.localdate(now))
    delivered, skipped = reminders.remind(now)
    queued, announcements = scheduled_reports_run(now)
    for ready in announcements:
        # Keyed by period: told once, however many steps or schedulers see it.
        reminders.deliver(
            Due(
                RuleCode.SCHEDULED_REPORT,
                f"p{ready.period}",
                ready.rule,
                ready.recipients,
                ready.title,
                ready.body,
                ready.url,
            ),
            now,
        )
    result = {
        "delivered": delivered,
        "already_done": skipped,
        "reports_queued": queued,
        "messages_tried": outbox.send_outbox(now),
        "webhooks_tried": webhooks_run(now),
    }
    # Seen by /readyz and /metrics on every node: a step that got here succeeded.
    health.beat(Duty.SCHEDULER, done=delivered)
    return result
