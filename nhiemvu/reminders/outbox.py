"""Sending e-mail and Web Push through the outbox: the messages the reminders, notices and
digests wrote (a push is a row for one device: reminders/push.py says what it is).

send_batch(): claims due messages with a conditional UPDATE (a lease), then for each one renews
its own lease, sends it and marks it sent at once. A sender killed after claiming leaves leases
that expire; those messages are then sent by the next run, and only the one in flight at the
kill can go out twice. Each message has a random Message-ID stored with it (unique across
installations and restores), so the rare resend after a crash between the SMTP server's
acceptance and our commit is recognisable as the same message by mail systems.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Count, F, Min, Q

from nhiemvu.lib import workdays
from nhiemvu.reminders import push
from nhiemvu.reminders.models import Outbox

log = logging.getLogger(__name__)

# How long a sender holds the messages it claimed. Renewed before each message, whose sending
# the SMTP timeout bounds (20 s, settings.MAILERS), so two minutes is ample; it is also how long
# the mail a sender held when it died waits for another one (it was five minutes: the two-node
# test, which kills a scheduler mid-way, found a batch held past its two-minute wait).
LEASE = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 8
SEND_BATCH = 50


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes, at most 4 hours."""
    return dt.timedelta(minutes=min(2 ** max(0, attempts - 1), 240))


# Waiting to go out: not sent yet, not given up on (the sender's partial index, outbox_due).
UNSENT_Q = Q(sent_at__isnull=True, failed=False)


def backlog() -> tuple[int, dt.datetime | None]:
    """How many messages wait to go out, and when the oldest of them was written (/readyz,
    /metrics): one aggregate over the unsent rows, few while mail flows."""
    row = Outbox.objects.filter(UNSENT_Q).aggregate(n=Count("*"), oldest=Min("created_at"))
    return row["n"], row["oldest"]


def _due_q(now: dt.datetime) -> Q:
    return (
        UNSENT_Q
        & Q(next_attempt_at__lte=now)
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )


def _claim_batch(now: dt.datetime, size: int) -> list[Outbox]:
    """Claim up to ``size`` due messages with a lease. ``FOR UPDATE SKIP LOCKED`` lets several
    senders claim disjoint batches at once; the conditional UPDATE is the claim itself."""
    with transaction.atomic():
        ids = list(
            Outbox.objects.select_for_update(skip_locked=True)
            .filter(_due_q(now))
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return []
        Outbox.objects.filter(_due_q(now), pk__in=ids).update(
            claimed_until=now + LEASE, attempts=F("attempts") + 1
        )
    return list(
        Outbox.objects.filter(pk__in=ids, claimed_until=now + LEASE)
        .select_related("subscription")
        .order_by("id")
    )


def _claim(now: dt.datetime) -> Outbox | None:
    claimed = _claim_batch(now, 1)
    return claimed[0] if claimed else None


def send_batch(now: dt.datetime | None = None, size: int = SEND_BATCH) -> int:
    """Send up to ``size`` due messages over one mail connection; returns how many were claimed
    (sent or not). A failed one is retried later.

    Each message is marked sent the moment the server accepts it, not at the end of the batch:
    a sender killed between two messages re-sends at most the one in flight (issue 28: marking
    the batch at its end re-sent every message already delivered). Before each message the
    sender renews its lease on that message alone, and only while the lease is still its own: a
    batch that outlives its lease (a slow mail server, a scheduler whose clock runs ahead) skips
    a message another sender has claimed since instead of sending it a second time."""
    now = now or workdays.now()
    claimed = _claim_batch(now, size)
    if not claimed:
        return 0
    # Pushes first, each its own request; the e-mails then over one connection, opened only
    # when there is one (a mail server that is down does not hold up the pushes).
    emails = [m for m in claimed if m.subscription_id is None]
    for message in claimed:
        if message.subscription_id is not None and _renew_lease(message, now):
            _push(message, now)
    if emails:
        _send_emails(emails, now)
    return len(claimed)


def _push(message: Outbox, now: dt.datetime) -> None:
    """Send one push, marked sent the moment the push service accepts it (like an e-mail)."""
    try:
        gone = push.send(message)
    except Exception as exc:  # any transport or service error: record it, retry later
        _failed(message, exc, now)
        return
    if gone:
        assert message.subscription_id is not None
        push.subscription_gone(message.subscription_id)
        log.info("push subscription %s is gone: removed", message.subscription_id)
    else:
        _sent(message, now)


def _sent(message: Outbox, now: dt.datetime) -> None:
    Outbox.objects.filter(pk=message.pk, sent_at__isnull=True).update(
        sent_at=now, claimed_until=None, last_error=""
    )
    message.sent_at = now


def _send_emails(claimed: list[Outbox], now: dt.datetime) -> None:
    try:
        connection = mailers.create_connection("default")
        with connection:
            for message in claimed:
                if not _renew_lease(message, now):
                    continue  # the lease lapsed and another sender holds this message now
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
                    connection.send_messages([email])
                except Exception as exc:  # any transport error: record it, retry later
                    _failed(message, exc, now)
                else:
                    _sent(message, now)
    except Exception as exc:  # the connection itself failed: every unsent one retries
        for message in claimed:
            if message.sent_at is None:
                _failed(message, exc, now)


def _renew_lease(message: Outbox, now: dt.datetime) -> bool:
    """Extend this message's lease from the later of the run's instant and the clock, if the
    lease is still the one this sender took; False when another sender has claimed it since."""
    renewed = max(now, workdays.now()) + LEASE
    held = Outbox.objects.filter(
        pk=message.pk, sent_at__isnull=True, claimed_until=message.claimed_until
    ).update(claimed_until=renewed)
    if held:
        message.claimed_until = renewed
    return held == 1


def _failed(message: Outbox, exc: BaseException, now: dt.datetime) -> None:
    # Only while the lease is ours: a message another sender took over is theirs to record.
    Outbox.objects.filter(
        pk=message.pk, sent_at__isnull=True, claimed_until=message.claimed_until
    ).update(
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        claimed_until=None,
        next_attempt_at=now + backoff(message.attempts),
        failed=message.attempts >= MAX_ATTEMPTS,
    )
    log.warning(
        "%s %s to %s failed (attempt %s): %s",
        "push" if message.subscription_id else "e-mail",
        message.pk,
        message.to or f"device {message.subscription_id}",
        message.attempts,
        exc,
    )


def send_one(now: dt.datetime | None = None) -> bool:
    """Send one due message. True when one was claimed (sent or not), False when none is due."""
    return bool(send_batch(now, 1))


def send_outbox(now: dt.datetime) -> int:
    """Try every e-mail whose time has come, a batch per connection; returns how many."""
    tried = 0
    while batch := send_batch(now):
        tried += batch
    return tried
