"""Urging that runs itself: rules (data, editable), the log that makes each reminder happen once,
in-app notifications, and the e-mail outbox that retries until the message is sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nhiemvu.assignments.models import QUARTERLY_CHECK_RULE, Assignment
from nhiemvu.lib.codes import new_message_id
from nhiemvu.orgs.models import Organisation


class RuleCode(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    ON_DAY = "on_day", _("On the deadline")
    OVERDUE = "overdue", _("Overdue, repeated")
    ESCALATE_HEAD = "escalate_head", _("Escalation to the agency head")
    ESCALATE_OFFICE = "escalate_office", _("Escalation to the Provincial Office")
    NO_DEADLINE = QUARTERLY_CHECK_RULE, _("Task without deadline: 3-monthly check")
    MONTHLY_REQUEST = "monthly_request", _("Monthly progress-report request")
    DAILY_DIGEST = "daily_digest", _("Daily digest for the office")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest for heads and leaders")
    SCHEDULED_REPORT = "scheduled_report", _("Periodic report ready")
    # What happened to a task (reminders/events.py), told as it happens.
    EVENT_ASSIGNED = "ev_assigned", _("A task assigned to my agency")
    EVENT_RETURNED = "ev_returned", _("A report of my agency returned for rework")
    EVENT_CONFIRMED = "ev_confirmed", _("A completion of my agency confirmed")
    EVENT_EXTENSION = "ev_extension", _("Extension requests and decisions")
    EVENT_REASSIGNED = "ev_reassigned", _("A task reassigned or transferred")
    EVENT_COMMENT = "ev_comment", _("A comment on a task")
    EVENT_REFUSED = "ev_refused", _("A task refused by an agency")
    EVENT_INSIDE = "ev_inside", _("Inside my agency: tasks passed on to me, reports to me")


# Defaults of issue 5: before the deadline 7, 3 and 1 working days; every 3 working days while
# overdue; the head after 5 working days, the office after 10; every 3 months without deadline;
# the monthly request on the 20th; digests daily and on Mondays.
DEFAULT_RULES: dict[str, list[int]] = {
    RuleCode.BEFORE: [7, 3, 1],
    RuleCode.ON_DAY: [0],
    RuleCode.OVERDUE: [3],
    RuleCode.ESCALATE_HEAD: [5],
    RuleCode.ESCALATE_OFFICE: [10],
    RuleCode.NO_DEADLINE: [3],
    RuleCode.MONTHLY_REQUEST: [20],
    RuleCode.DAILY_DIGEST: [1],
    RuleCode.WEEKLY_DIGEST: [1],
}


class ReminderRule(models.Model):
    """One rule's numbers (working days, months or a day of the month, as its kind says)."""

    code = models.CharField(_("rule"), max_length=20, choices=RuleCode.choices, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    values = models.JSONField(
        _("values"), default=list, help_text=_("Working days, months or day of month, by rule.")
    )

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.values}"


class ReminderLog(models.Model):
    """A reminder that happened. The unique key (rule, task or organisation, period) is what
    makes a second scheduler, a retry or a restart unable to send it again."""

    key = models.CharField(max_length=120, unique=True)
    rule = models.CharField(max_length=20, choices=RuleCode.choices)
    period = models.CharField(max_length=60)
    task = models.ForeignKey(
        Assignment, models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    org = models.ForeignKey(
        Organisation, models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    created_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders sent")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["task", "created_at"], name="remlog_task")]

    def __str__(self) -> str:
        return self.key


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("In the digest")


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preferences"
    )
    rule = models.CharField(max_length=20, choices=RuleCode.choices)
    mode = models.CharField(
        max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )
    # Told on the person's subscribed devices too (issue 32); a device is the opt-in, so on
    # unless turned off for this kind.
    push = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "rule"], name="pref_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.rule} {self.mode}"


class Notification(models.Model):
    """In the app: the bell, its unread count, the list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    log = models.ForeignKey(
        ReminderLog, models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    rule = models.CharField(max_length=20, choices=RuleCode.choices)
    title = models.CharField(max_length=300)
    # The one fact the person needs beside the title (issue 27): why it was returned, the new
    # deadline, the decision (reminders/events.py detail_of).
    detail = models.CharField(max_length=300, blank=True, default="")
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell: a user's unread notifications.
            models.Index(
                fields=["user", "created_at"],
                name="notif_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["user", "-created_at"], name="notif_user"),
        ]

    def __str__(self) -> str:
        return self.title


# A push service's endpoint URL: long enough for every browser's (FCM ~ 180, Mozilla ~ 250,
# Apple ~ 200 characters), bounded so a subscription cannot store a novel.
PUSH_ENDPOINT_CHARS = 500


class PushSubscription(models.Model):
    """One device of a person that asked to be told by Web Push (issue 32): the browser's
    endpoint at its push service and the keys the messages are encrypted for (RFC 8291)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=PUSH_ENDPOINT_CHARS, unique=True)
    p256dh = models.CharField(max_length=100)  # the device's public key, base64url (65 bytes)
    auth = models.CharField(max_length=50)  # the shared authentication secret (16 bytes)
    device = models.CharField(_("device"), max_length=120, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["user", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.user}: {self.device or self.endpoint[:60]}"


class Outbox(models.Model):
    """An e-mail, or a Web Push message to one device (``subscription`` set, ``text`` its JSON
    payload), to send. Claimed with a lease by a conditional UPDATE; retried with back-off."""

    to = models.EmailField(blank=True)
    # A push to this device; removing the device (gone at its push service, unsubscribed)
    # removes what still waited for it. The outbox is a big table: the column comes without a
    # database constraint (validating one reads every row with writes held; Django cascades the
    # delete itself) and its index is built concurrently, only over the push rows (0007_push).
    subscription = models.ForeignKey(
        PushSubscription,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        db_index=False,
        db_constraint=False,
    )
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    log = models.ForeignKey(
        ReminderLog, models.CASCADE, null=True, blank=True, related_name="messages"
    )
    message_id = models.CharField(max_length=200, unique=True, default=new_message_id)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        indexes = [
            # Read by the sender loop: unsent messages whose attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=Q(sent_at__isnull=True, failed=False),
            ),
            # A device's messages, found when it is removed (the cascade): push rows only.
            models.Index(
                fields=["subscription"],
                name="outbox_push_device",
                condition=Q(subscription__isnull=False),
            ),
        ]
        constraints = [
            # One push per notice and device: a second delivery of the same event cannot queue
            # it twice.
            models.UniqueConstraint(
                fields=["log", "subscription"],
                name="outbox_push_once",
                condition=Q(log__isnull=False, subscription__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to or self.subscription_id}: {self.subject}"
