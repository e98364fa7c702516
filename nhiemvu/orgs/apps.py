from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "nhiemvu.orgs"
    label = "orgs"
    verbose_name = _("Organisations and calendar")

    def ready(self) -> None:
        from nhiemvu.lib import workdays
        from nhiemvu.orgs.selectors import calendar_overrides

        # lib/workdays.py stays model-free; it reads the override table through this loader.
        workdays.set_override_loader(calendar_overrides)
