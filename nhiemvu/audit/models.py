from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One state change: who (and for which organisation), what, on which object, before/after.

    Written by services in the same transaction as the change, so a rolled-back change leaves
    no audit row and a committed one always has one.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # A string reference: the record of changes sits below the organisations that use it (orgs'
    # services write audit rows), so it imports none of them.
    actor_org = models.ForeignKey(
        "orgs.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor's organisation"),
    )
    action = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(_("object type"), max_length=60)
    target_id = models.BigIntegerField(_("object id"))
    target_repr = models.CharField(_("object"), max_length=255)
    before = models.JSONField(_("old values"), default=dict, blank=True)
    after = models.JSONField(_("new values"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target"),
            models.Index(fields=["actor", "at"], name="audit_actor"),
            models.Index(fields=["action", "at"], name="audit_action"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.target_repr}"
