"""Outbound events for other systems: who receives what, and each delivery as an outbox row."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nhiemvu.lib.codes import new_code


class EventName(models.TextChoices):
    CREATED = "task.created", _("Task created")
    COMPLETED = "task.completed", _("Completion reported")
    CONFIRMED = "task.confirmed", _("Completion confirmed")
    OVERDUE = "task.overdue", _("Task became overdue")
    EXTENSION_DECIDED = "extension.decided", _("Extension decided")


def _all_events() -> list[str]:
    return list(EventName.values)


def _secret() -> str:
    return new_code(32)


class Webhook(models.Model):
    """A receiving system: its URL, the shared secret that signs each delivery (HMAC-SHA256),
    the events it wants and, optionally, the one organisation whose tasks it follows."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("receiving system"), max_length=150)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=64, default=_secret)
    events = models.JSONField(_("events"), default=_all_events)
    org = models.ForeignKey(
        "orgs.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only tasks of"),
        help_text=_("Empty: every task of the province."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")


class Delivery(models.Model):
    """One event for one receiver. Written in the transaction of the change (exactly the
    changes that happened), sent by the scheduler with retries and a lease (like the e-mail
    outbox), unique per (webhook, event key) so no event is enqueued twice."""

    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    webhook = models.ForeignKey(Webhook, models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=EventName.choices)
    key = models.CharField(max_length=120)
    payload = models.JSONField()
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["webhook", "key"], name="delivery_once_per_event")
        ]
        indexes = [
            # Read by services.deliver_one: the next pending delivery that is due.
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook}"
