from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "nhiemvu.directives"
    label = "directives"
    verbose_name = _("Directive documents")
