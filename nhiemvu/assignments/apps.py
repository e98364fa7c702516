from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "nhiemvu.assignments"
    label = "assignments"
    verbose_name = _("Tasks")
