from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def refresh_sqlite_statistics(using: str = "default", **kwargs: Any) -> None:
    """After migrations on SQLite, refresh the planner's statistics.

    SQLite plans with the statistics of its last ANALYZE: an index added by a migration is
    unknown to it until then, and the status counts of the home page (a covering-index scan,
    bench/pages.py) fall back to reading whole rows. PostgreSQL gathers these by itself.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class WebConfig(AppConfig):
    name = "nhiemvu.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        post_migrate.connect(refresh_sqlite_statistics, sender=self)
