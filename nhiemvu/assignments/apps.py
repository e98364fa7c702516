from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "nhiemvu.assignments"
    label = "assignments"
    verbose_name = _("Tasks")

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from nhiemvu.assignments import totals

        # Every write to the tables a list total reads raises the data version (totals.py).
        connection_created.connect(totals.install, dispatch_uid="nhiemvu.totals")
        for conn in connections.all(initialized_only=True):
            totals.install(conn)
        pre_migrate.connect(totals.before_migrate, sender=self, dispatch_uid="nhiemvu.totals")
        post_migrate.connect(totals.after_migrate, sender=self, dispatch_uid="nhiemvu.totals")
