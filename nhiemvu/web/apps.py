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


def static_files_collected(app_configs: Any, **kwargs: Any) -> list[Any]:
    """In production, `collectstatic` must have run: without it pages still load (plain names,
    nhiemvu/web/staticfiles.py) but nothing is compressed or cached for long."""
    from django.conf import settings
    from django.core.checks import Warning

    if not settings.PRODUCTION:
        return []
    if (settings.STATIC_ROOT / "staticfiles.json").exists():
        return []
    return [
        Warning(
            "Static files have not been collected.",
            hint="Run `manage.py collectstatic --no-input` after each upgrade.",
            id="nhiemvu.W001",
        )
    ]


class WebConfig(AppConfig):
    name = "nhiemvu.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from django.core.checks import Tags, register
        from django.tasks.signals import task_finished, task_started

        from nhiemvu.web import taskqueue

        post_migrate.connect(refresh_sqlite_statistics, sender=self)
        # In the worker: a job's log lines carry the id of the request that enqueued it.
        task_started.connect(taskqueue.job_started)
        task_finished.connect(taskqueue.job_finished)
        register(static_files_collected, Tags.staticfiles, deploy=True)
