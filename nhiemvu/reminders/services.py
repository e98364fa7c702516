"""Delivering reminders exactly once, and sending e-mail through the outbox.

deliver(): one transaction writes the log row (unique key), the in-app notifications, the
outbox messages and the task's timeline entry. A second scheduler racing for the same reminder
fails on the unique key and rolls back: nothing is doubled. A crash before the commit leaves
nothing, and the next run plans the reminder again: nothing is lost.

send_one(): claims one due message with a conditional UPDATE (a lease), sends it, marks it sent.
A sender killed after claiming leaves a lease that expires; the message is then sent by the next
run. Each message has a random Message-ID stored with it (unique across installations and
restores), so the rare resend after a crash between the SMTP
server's acceptance and our commit is recognisable as the same message by mail systems.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services import reminder_noted
from nhiemvu.lib import workdays
from nhiemvu.reminders.models import (
    DeliveryMode,
    Notification,
    NotificationPreference,
    Outbox,
    ReminderLog,
    RuleCode,
)
from nhiemvu.reminders.schedule import Due, digest_counts, pending

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 8
DIGEST_RULES = {RuleCode.DAILY_DIGEST, RuleCode.WEEKLY_DIGEST}


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes, at most 4 hours."""
    return dt.timedelta(minutes=min(2 ** max(0, attempts - 1), 240))


def _render(due: Due, user: Any, now: dt.datetime) -> tuple[str, str, str]:
    context = {
        "due": due,
        "user": user,
        "url": f"{settings.SITE_URL.rstrip('/')}{due.url}" if due.url else settings.SITE_URL,
        "counts": digest_counts(user, timezone.localdate(now))
        if due.rule in DIGEST_RULES
        else None,
        "province_name": settings.NHIEMVU["PROVINCE_NAME"],
    }
    with translation.override("vi"):
        subject = render_to_string("emails/reminder_subject.txt", context).strip()
        text = render_to_string("emails/reminder.txt", context)
        html = render_to_string("emails/reminder.html", context)
    return " ".join(subject.split())[:300], text, html


def deliver(due: Due, now: dt.datetime) -> bool:
    """Deliver one planned reminder; False when it had already been delivered."""
    try:
        with transaction.atomic():
            entry = ReminderLog.objects.create(
                key=due.key,
                rule=due.rule,
                period=due.period,
                task_id=due.task_id,
                org_id=due.org_id,
                created_at=now,
                recipients=list(due.recipients),
            )
            users = get_user_model().objects.filter(pk__in=due.recipients, is_active=True)
            modes = dict(
                NotificationPreference.objects.filter(
                    user__in=due.recipients, rule=due.rule
                ).values_list("user_id", "mode")
            )
            for user in users:
                Notification.objects.create(
                    user=user,
                    log=entry,
                    rule=due.rule,
                    title=due.title[:300],
                    body=due.body,
                    url=due.url,
                    created_at=now,
                )
                digest_only = modes.get(user.pk) == DeliveryMode.DIGEST
                if user.email and (due.rule in DIGEST_RULES or not digest_only):
                    subject, text, html = _render(due, user, now)
                    Outbox.objects.create(
                        to=user.email,
                        subject=subject,
                        text=text,
                        html=html,
                        log=entry,
                        created_at=now,
                        next_attempt_at=now,
                    )
            if due.task_id and due.on_timeline:
                task = Assignment.objects.get(pk=due.task_id)
                reminder_noted(
                    task=task,
                    text=due.title,
                    data={
                        "rule": due.rule,
                        "period": due.period,
                        "recipients": len(due.recipients),
                    },
                )
    except IntegrityError:
        return False  # another scheduler delivered it first
    return True


def _claim(now: dt.datetime) -> Outbox | None:
    due = Q(sent_at__isnull=True, failed=False, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    for candidate in (
        Outbox.objects.filter(due)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:5]
    ):
        # The conditional UPDATE is the claim: of two senders, exactly one changes the row.
        won = Outbox.objects.filter(due, pk=candidate).update(
            claimed_until=now + LEASE, attempts=F("attempts") + 1
        )
        if won:
            return Outbox.objects.get(pk=candidate)
    return None


def send_one(now: dt.datetime | None = None) -> bool:
    """Send one due message. True when one was claimed (sent or not), False when none is due."""
    now = now or workdays.now()
    message = _claim(now)
    if message is None:
        return False
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message.message_id},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    try:
        email.send()
    except Exception as exc:  # any transport error: record it and retry later
        failed = message.attempts >= MAX_ATTEMPTS
        Outbox.objects.filter(pk=message.pk).update(
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            claimed_until=None,
            next_attempt_at=now + backoff(message.attempts),
            failed=failed,
        )
        log.warning(
            "e-mail %s to %s failed (attempt %s): %s", message.pk, message.to, message.attempts, exc
        )
        return True
    Outbox.objects.filter(pk=message.pk).update(sent_at=now, claimed_until=None, last_error="")
    return True


def remind(now: dt.datetime) -> tuple[int, int]:
    """The reminders due now, each delivered once: (delivered, already done by another step)."""
    delivered = skipped = 0
    for due in pending(now):
        if deliver(due, now):
            delivered += 1
        else:
            skipped += 1
    return delivered, skipped


def send_outbox(now: dt.datetime) -> int:
    """Try every e-mail whose time has come; returns how many were tried."""
    sent = 0
    while send_one(now):
        sent += 1
    return sent


@transaction.atomic
def notifications_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=workdays.now())


@transaction.atomic
def preference_set(*, user: Any, rule: str, mode: str) -> NotificationPreference:
    if rule not in RuleCode.values or mode not in DeliveryMode.values:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("Unknown reminder kind or delivery mode."))
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, rule=rule, defaults={"mode": mode}
    )
    return pref


@transaction.atomic
def urging_letter_register(*, actor: Any, org: Any, ref: str, doc_date: dt.date) -> Any:
    """The urging letter was signed and sent: register it as a document of the province."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from nhiemvu.directives.services import DirectiveSpec, directive_create
    from nhiemvu.orgs.models import Organisation, OrgKind
    from nhiemvu.orgs.rules import scope_of
    from nhiemvu.reminders.letters import tasks_to_urge

    if not scope_of(actor).is_office:
        raise PermissionDenied(_("Only the Provincial Office sends urging letters."))
    issuer = Organisation.objects.filter(kind=OrgKind.PROVINCE).order_by("id").first()
    if issuer is None:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("The province itself is missing from the organisations."))
    lines = [
        f"- {t.summary} ({t.directive.ref}, hạn {t.deadline:%d/%m/%Y})"
        for t in tasks_to_urge(org, doc_date)
        if t.deadline
    ]
    return directive_create(
        actor=actor,
        spec=DirectiveSpec(
            issuer=issuer,
            ref=ref,
            doc_date=doc_date,
            subject=f"V/v đôn đốc {org.name} thực hiện nhiệm vụ được giao",
            text="\n".join([f"Kính gửi: {org.name}", *lines]),
        ),
    )
