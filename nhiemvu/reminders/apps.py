from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "nhiemvu.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from nhiemvu.assignments.signals import internal_reported, task_delegated, task_event
        from nhiemvu.reminders import events

        task_event.connect(events.on_task_event, dispatch_uid="reminders.on_task_event")
        task_delegated.connect(events.on_task_delegated, dispatch_uid="reminders.delegated")
        internal_reported.connect(events.on_internal_report, dispatch_uid="reminders.inside")
