"""manage.py backup [--output FILE]: a consistent copy while the system runs (web.backup);
`--drill [FILE]` restores a backup into a scratch database and compares it with its manifest
(web.drill); `--new-key` prints a key for NHIEMVU_BACKUP_KEY."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from nhiemvu.lib import sealed
from nhiemvu.web import health
from nhiemvu.web.backup import BackupError, backup
from nhiemvu.web.drill import drill
from nhiemvu.web.models import Duty


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (--drill: check a backup restores)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--output", type=Path, help="the database copy's path")
        group.add_argument(
            "--drill",
            nargs="?",
            const="newest",
            metavar="FILE",
            help="restore FILE (default: the newest backup) into a scratch database and compare",
        )
        group.add_argument("--new-key", action="store_true", help="print a new backup key")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(sealed.new_key())
            return
        if options["drill"]:
            source = None if options["drill"] == "newest" else Path(options["drill"])
            try:
                compared = drill(source)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            health.beat(Duty.BACKUP_DRILL, done=1)
            self.stdout.write(
                _(
                    "Restore drill passed: %(tables)s tables, %(rows)s rows and %(files)s files "
                    "match the manifest."
                )
                % compared
            )
            return
        try:
            written = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # /metrics shows the last good backup's age, whichever machine took it.
        health.beat(Duty.BACKUP, done=1)
        for path in written:
            self.stdout.write(str(path))
