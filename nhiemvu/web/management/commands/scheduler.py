"""The scheduler: `--loop` for a service (any number, on any machines), `--once` for cron.

Each step delivers the reminders due now (each exactly once, whoever runs it) and drains the
e-mail outbox. `--now` runs a step as of another instant (testing, catching up after downtime).
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from nhiemvu.scheduler import parse_now, run_once


class Command(BaseCommand):
    help = "Deliver due reminders and send queued e-mail (--once, or --loop as a service)."
    # Run by cron every minute: the system checks (URLs, models, settings) belong to the deploy
    # (`check --deploy`), not to each step; they were a third of a step's wall time.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--once", action="store_true", help="one step, then exit (cron)")
        group.add_argument("--loop", action="store_true", help="run until stopped")
        parser.add_argument("--now", help="ISO date-time to run as (with --once)")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between steps")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            result = run_once(parse_now(options["now"]))
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.items()))
            return
        stopping = False

        def stop(*_args: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            close_old_connections()
            try:
                result = run_once()
                if result["delivered"] or result["messages_tried"]:
                    self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.items()))
            except Exception as exc:  # a bad step must not stop the service; it retries
                self.stderr.write(f"scheduler step failed: {exc}")
            slept = 0.0
            while not stopping and slept < options["interval"]:
                time.sleep(0.5)
                slept += 0.5
