"""What would be sent: `remind --dry-run --now 2026-03-11T08:00 --format jsonl` changes nothing.

Without ``--dry-run`` it is one scheduler step (``scheduler --once``). It lives beside the
``scheduler`` command, not in ``reminders``: a step at an instant is the project scheduler's
(nhiemvu/scheduler.py), which calls each app's own part; no app schedules another's.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from nhiemvu import scheduler
from nhiemvu.assignments.models import Assignment
from nhiemvu.orgs.models import Organisation


class Command(BaseCommand):
    help = "List (--dry-run) or deliver the reminders due at an instant."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="print, change nothing")
        parser.add_argument("--now", help="ISO date-time (default: now)")
        parser.add_argument("--format", choices=["jsonl", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        now = scheduler.parse_now(options["now"])
        if not options["dry_run"]:
            result = scheduler.run_once(now)
            self.stdout.write(f"delivered: {result['delivered']}")
            return
        # Printed inside the preview: its rows (this period's reports of recurring tasks
        # among them) are rolled back when it ends.
        with scheduler.preview(now) as due:
            self._print(due, options["format"])

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
