from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nhiemvu.web import demo


class Command(BaseCommand):
    help = "Load the demo province (idempotent): organisations, users, the founding letter, tasks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--documents", type=int, default=70)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = demo.load(documents=options["documents"])
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
