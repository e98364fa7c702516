from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "nhiemvu.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from nhiemvu.assignments.signals import task_event
        from nhiemvu.webhooks.services import on_task_event

        task_event.connect(on_task_event, dispatch_uid="webhooks.on_task_event")
