"""manage.py backup [--output FILE]: a consistent copy while the system runs (web.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nhiemvu.web import health
from nhiemvu.web.backup import BackupError, backup
from nhiemvu.web.models import Duty


class Command(BaseCommand):
    help = "Back up the database and the uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="the database copy's path")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # /metrics shows the last good backup's age, whichever machine took it.
        health.beat(Duty.BACKUP, done=1)
        for path in written:
            self.stdout.write(str(path))
