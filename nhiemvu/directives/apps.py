from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "nhiemvu.directives"
    label = "directives"
    verbose_name = _("Directive documents")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from nhiemvu.orgs.models import TrustRoot

        # A newly trusted authority: the stored reports signed under it are checked again by
        # the worker (orgs, which records the authority, knows no stored files).
        post_save.connect(_trusted, sender=TrustRoot, dispatch_uid="directives-recheck")


def _trusted(sender: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    from django.db import transaction

    from nhiemvu.directives.tasks import recheck_signatures

    if created and not raw:
        transaction.on_commit(lambda: recheck_signatures.enqueue())
