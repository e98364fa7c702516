"""manage.py report --period 2022-Q1 --format xlsx|docx|pdf|json --output FILE [--as-of DATE]
[--calendar]: the province's report, as the Chairman reads it (all organisations)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nhiemvu.lib import periods
from nhiemvu.orgs.models import Membership, Role
from nhiemvu.reports.services import report_file


class Command(BaseCommand):
    help = "Write the periodic report (Decree 09 periods by default) to a file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", required=True, help="2022-03, 2022-Q1, 2022-H1, 2022")
        parser.add_argument("--format", choices=["xlsx", "docx", "pdf", "json"], default="xlsx")
        parser.add_argument("--output", required=True)
        parser.add_argument("--as-of", help="status as of this date (YYYY-MM-DD)")
        parser.add_argument(
            "--calendar",
            action="store_true",
            help="calendar months and quarters instead of Decree 09 windows",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = periods.parse(
                options["period"],
                rule=periods.CALENDAR if options["calendar"] else periods.DECREE_09,
            )
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else None
        except (periods.PeriodError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        # The command speaks for the province: it reads as a leader does.
        leader = Membership.objects.filter(role=Role.LEADER).select_related("user").first()
        if leader is None:
            raise CommandError("Chưa có tài khoản lãnh đạo UBND tỉnh để lập báo cáo.")
        made = report_file(user=leader.user, period=period, fmt=options["format"], as_of=as_of)
        Path(options["output"]).write_bytes(made.content)
        self.stdout.write(
            f"{options['output']}: {len(made.content):,} bytes; "
            f"{made.summary.total.total} tasks, {made.overdue} overdue pending, "
            f"{made.late} completed late"
        )
