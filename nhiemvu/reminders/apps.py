from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "nhiemvu.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from nhiemvu.assignments.signals import task_event
        from nhiemvu.reminders.events import on_task_event

        task_event.connect(on_task_event, dispatch_uid="reminders.on_task_event")
