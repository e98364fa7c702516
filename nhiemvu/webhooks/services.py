"""Webhooks: enqueue in the change's transaction, deliver signed with retries.

Each delivery is POSTed as JSON with these headers:

    X-Nhiemvu-Event: task.confirmed
    X-Nhiemvu-Delivery: <delivery code, the same on every retry: deduplicate on it>
    X-Nhiemvu-Timestamp: <Unix seconds>
    X-Nhiemvu-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>

A receiver recomputes the HMAC over the raw body, compares in constant time and rejects old
timestamps (replays). Any 2xx is success; anything else is retried with back-off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import urllib.error
import urllib.request
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nhiemvu.assignments import status
from nhiemvu.assignments.models import Assignment, EventKind
from nhiemvu.lib import workdays
from nhiemvu.webhooks.models import Delivery, DeliveryStatus, EventName, Webhook

KINDS = {
    EventKind.ASSIGNED: EventName.CREATED,
    EventKind.COMPLETION: EventName.COMPLETED,
    EventKind.CONFIRMED: EventName.CONFIRMED,
    EventKind.EXTENSION_APPROVED: EventName.EXTENSION_DECIDED,
    EventKind.EXTENSION_DENIED: EventName.EXTENSION_DECIDED,
}
BACKOFF = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = dt.timedelta(minutes=5)
TIMEOUT_SECONDS = 10


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _subscribed(name: str) -> list[Webhook]:
    return [h for h in Webhook.objects.filter(active=True) if name in (h.events or [])]


def _receivers(task: Assignment, hooks: list[Webhook]) -> list[Webhook]:
    """Of the hooks subscribed to an event, those that follow this task."""
    if any(h.org_id for h in hooks):
        involved = {task.lead_id, *task.coordinations.values_list("org_id", flat=True)}
        hooks = [h for h in hooks if h.org_id is None or h.org_id in involved]
    return hooks


def _payload(task: Assignment, name: str, occurred_at: dt.datetime) -> dict[str, Any]:
    row = status.annotate(Assignment.objects.filter(pk=task.pk)).values("st_label").first()
    return {
        "event": name,
        "occurred_at": occurred_at.isoformat(),
        "task": {
            "code": task.code,
            "summary": task.summary,
            "lead": task.lead.code,
            "directive": task.directive.code,
            "directive_ref": task.directive.ref,
            "deadline": task.deadline.isoformat() if task.deadline else None,
            "state": task.state,
            "status": row["st_label"] if row else None,
        },
    }


def _enqueue(task: Assignment, name: str, key: str, now: dt.datetime, hooks: list[Webhook]) -> int:
    if not hooks:
        return 0
    payload = _payload(task, name, now)
    rows = [
        Delivery(
            webhook=h,
            event=name,
            key=key,
            payload=payload,
            next_attempt_at=now,
            created_at=now,
        )
        for h in hooks
    ]
    # ignore_conflicts: an event already enqueued for a receiver stays enqueued once.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def on_task_event(sender: Any, *, task: Assignment, kind: str, event: Any, **kwargs: Any) -> None:
    name = KINDS.get(kind)  # type: ignore[call-overload]
    if name is not None:
        hooks = _receivers(task, _subscribed(name))
        _enqueue(task, name, f"{name}:{task.code}:{event.pk}", event.at, hooks)


def overdue_enqueue(today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Tell subscribers about tasks that became overdue in the last week (the scheduler may
    have been down a few days); once per task and deadline, whatever the number of runs.

    Runs every scheduler minute: the receivers already told are read once per 500 tasks, so a
    task announced before costs nothing (no payload, no insert)."""
    today = today or workdays.today()
    now = now or workdays.now()
    subscribed = _subscribed(EventName.OVERDUE)
    if not subscribed:
        return 0
    recent = Assignment.objects.filter(
        status.open_overdue_q(today), deadline__gte=today - dt.timedelta(days=7)
    ).select_related("lead", "directive")
    count = 0
    for chunk in itertools.batched(recent.iterator(chunk_size=500), 500):
        keys = {task.pk: f"overdue:{task.code}:{task.deadline}" for task in chunk}
        told = set(Delivery.objects.filter(key__in=keys.values()).values_list("key", "webhook_id"))
        for task in chunk:
            key = keys[task.pk]
            hooks = [h for h in _receivers(task, subscribed) if (key, h.pk) not in told]
            with transaction.atomic():
                count += _enqueue(task, EventName.OVERDUE, key, now, hooks)
    return count


def _claim(now: dt.datetime) -> Delivery | None:
    candidate = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    if candidate is None:
        return None
    # Conditional UPDATE: of several schedulers, exactly one wins the row.
    won = (
        Delivery.objects.filter(pk=candidate, status=DeliveryStatus.PENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE)
    )
    return Delivery.objects.select_related("webhook").get(pk=candidate) if won else None


def deliver_one(now: dt.datetime | None = None) -> bool:
    """Send one due delivery; False when none is due."""
    now = now or workdays.now()
    delivery = _claim(now)
    if delivery is None:
        return False
    body = json.dumps(
        {**delivery.payload, "delivery": delivery.code}, cls=DjangoJSONEncoder, ensure_ascii=False
    ).encode()
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "nhiemvu-webhooks/1",
            "X-Nhiemvu-Event": delivery.event,
            "X-Nhiemvu-Delivery": delivery.code,
            "X-Nhiemvu-Timestamp": timestamp,
            "X-Nhiemvu-Signature": sign(delivery.webhook.secret, timestamp, body),
        },
    )
    code: int | None = None
    error = ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(exc)[:1000]
    attempts = delivery.attempts + 1
    fields: dict[str, Any] = {"attempts": attempts, "lease_until": None, "response_status": code}
    if code is not None and 200 <= code < 300:
        fields.update(status=DeliveryStatus.SENT, sent_at=now, last_error="")
    elif attempts >= MAX_ATTEMPTS:
        fields.update(status=DeliveryStatus.FAILED, last_error=error)
    else:
        fields.update(next_attempt_at=now + BACKOFF[attempts - 1], last_error=error)
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
    return True


def run_once(now: dt.datetime | None = None) -> int:
    """The scheduler's webhook step: enqueue new overdue events, then send what is due."""
    now = now or workdays.now()
    overdue_enqueue(now=now, today=timezone.localdate(now))
    sent = 0
    while deliver_one(now):
        sent += 1
    return sent
