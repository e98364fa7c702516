"""What would be sent: `remind --dry-run --now 2026-03-11T08:00 --format jsonl` changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services import occurrences_create
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import Organisation
from nhiemvu.reminders.schedule import pending
from nhiemvu.reminders.services import remind


class Command(BaseCommand):
    help = "List (--dry-run) or deliver the reminders due at an instant."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="print, change nothing")
        parser.add_argument("--now", help="ISO date-time (default: now)")
        parser.add_argument("--format", choices=["jsonl", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        now = _now(options["now"]) or workdays.now()
        if not options["dry_run"]:
            occurrences_create(today=timezone.localdate(now))
            delivered, _already = remind(now)
            self.stdout.write(f"delivered: {delivered}")
            return
        # A dry run sees what a real run would: this period's reports of recurring tasks are
        # created inside a transaction that is rolled back, so nothing changes.
        with transaction.atomic():
            occurrences_create(today=timezone.localdate(now))
            self._print(pending(now), options["format"])
            transaction.set_rollback(True)

    def _print(self, due: list[Any], fmt: str) -> None:
        tasks = dict(
            Assignment.objects.filter(pk__in=[d.task_id for d in due if d.task_id]).values_list(
                "pk", "code"
            )
        )
        orgs = dict(
            Organisation.objects.filter(
                pk__in=[due_item.org_id for due_item in due if due_item.org_id]
            ).values_list("pk", "code")
        )
        users = dict(
            get_user_model()
            .objects.filter(pk__in={u for due_item in due for u in due_item.recipients})
            .values_list("pk", "username")
        )
        for due_item in due:
            row: dict[str, Any] = {
                "task": tasks.get(due_item.task_id) if due_item.task_id else None,
                "organisation": orgs.get(due_item.org_id) if due_item.org_id else None,
                "rule": due_item.rule,
                "period": due_item.period,
                "recipients": [users[u] for u in due_item.recipients if u in users],
                "title": due_item.title,
            }
            if fmt == "jsonl":
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{row['rule']:16} {row['task'] or row['organisation'] or ''}"
                    f"  {', '.join(row['recipients'])}  {row['title']}"
                )


def _now(value: str | None) -> dt.datetime | None:
    try:
        return workdays.parse_instant(value)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
