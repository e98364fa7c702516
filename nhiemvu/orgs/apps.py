from __future__ import annotations

from typing import Any

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
        from django.conf import settings

        # holidays.VN's years, worked out once and kept for the next processes (a cron step).
        workdays.set_year_cache(settings.VAR_DIR / "cache")

        from django.db.models.signals import post_delete, post_save

        from nhiemvu.orgs.models import Membership

        # Every way a membership is written (the services, the admin site's forms and inlines,
        # a fixture) keeps the Administrator role and the admin site's access together.
        post_save.connect(_admin_access, sender=Membership, dispatch_uid="orgs-admin-access")
        post_delete.connect(_admin_access, sender=Membership, dispatch_uid="orgs-admin-access")

        from nhiemvu.orgs.selectors import forget_leaders

        # The task list's leaders filter is kept per process (selectors.leaders): any write of
        # a membership or of a person (a renamed leader) forgets it here at once.
        for sender in (Membership, settings.AUTH_USER_MODEL):
            post_save.connect(forget_leaders, sender=sender, dispatch_uid="orgs-leaders")
            post_delete.connect(forget_leaders, sender=sender, dispatch_uid="orgs-leaders")


def _admin_access(sender: Any, instance: Any, **kwargs: Any) -> None:
    from django.contrib.auth import get_user_model

    from nhiemvu.orgs.services import admin_access_sync

    if kwargs.get("raw"):  # loaddata: the fixture carries its own groups
        return
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is not None:  # None: the membership went with its person
        admin_access_sync(user)
