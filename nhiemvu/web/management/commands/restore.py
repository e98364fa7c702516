"""manage.py restore FILE --yes: replace the database (and uploaded files) with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nhiemvu.web.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`. Everything since the backup is lost."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the current data is replaced"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "Phục hồi sẽ thay toàn bộ dữ liệu hiện tại bằng bản sao lưu. "
                "Chạy lại với --yes để xác nhận."
            )
        try:
            restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã phục hồi từ {options['file']}")
