"""manage.py push keys: a new VAPID key pair for Web Push (issue 32), printed as the environment
variables the server reads. The keys live in the environment, never in the database: a new pair
makes every device subscribe again (push services refuse messages signed by another key)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from nhiemvu.reminders import push


class Command(BaseCommand):
    help = "Web Push: 'keys' prints a new VAPID key pair for the environment."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["keys"])

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = push.new_keys()
        self.stdout.write(f"NHIEMVU_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"NHIEMVU_VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"NHIEMVU_VAPID_SUBJECT={settings.VAPID_SUBJECT}")
