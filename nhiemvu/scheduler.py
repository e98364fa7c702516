"""The scheduler's step: everything that runs on the clock, in one place.

Each app owns its step and none imports another's to be scheduled: the periodic reports of
recurring tasks (assignments), the reminders (reminders), the periodic report files
(reports; the scheduler hands their "ready" notices to reminders), the e-mail outbox
(reminders) and the webhook deliveries (webhooks). ``manage.py scheduler`` runs this once (cron)
or in a loop (a service, any number of them: every step is idempotent).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nhiemvu.assignments.services import occurrences_create
from nhiemvu.lib import workdays
from nhiemvu.reminders import services as reminders
from nhiemvu.reminders.models import RuleCode
from nhiemvu.reminders.schedule import Due
from nhiemvu.reports.services import scheduled_reports_run
from nhiemvu.webhooks.services import run_once as webhooks_run


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
    return {
        "delivered": delivered,
        "already_done": skipped,
        "reports_queued": queued,
        "messages_tried": reminders.send_outbox(now),
        "webhooks_tried": webhooks_run(now),
    }
