"""Web Push (issue 32): the devices a person subscribed, what a notice says on them, and sending
one message (RFC 8291 encryption, RFC 8292 VAPID; pywebpush does both).

A push goes through the e-mail's outbox (outbox.py: the same leases, retries and back-off):
``queue`` writes one Outbox row per notice and device in the notice's own transaction (unique
per notice and device), and the sender calls ``send`` for it. A push service that answers 404
or 410 says the device unsubscribed: the subscription, and what still waited for it, is removed.

The server POSTs only to https endpoints of the push services named in settings.PUSH_HOSTS, on
the standard port, and follows no redirect: a subscription cannot make it reach anything else.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from nhiemvu.reminders.models import (
    PUSH_ENDPOINT_CHARS,
    NotificationPreference,
    Outbox,
    PushSubscription,
)

# A device that was offline gets the notice when it comes back within a day; later it is stale.
TTL_SECONDS = 24 * 3600
TIMEOUT_SECONDS = 10
GONE = (404, 410)
DEVICE_CHARS = 120
BODY_CHARS = 300


def enabled() -> bool:
    """Whether this installation can push: both VAPID keys are configured."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def new_keys() -> tuple[str, str]:
    """A new VAPID key pair: (public key as browsers take it, private key), both base64url of
    the raw P-256 values (the uncompressed point, the 32-byte scalar)."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        encoding=serialization.Encoding.X962,
        format=serialization.PublicFormat.UncompressedPoint,
    )
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return _b64encode(public), _b64encode(private)


def _host_allowed(host: str) -> bool:
    if not host:
        return False
    for allowed in settings.PUSH_HOSTS:
        if allowed in ("", "."):
            continue  # an empty item of the setting ("a,,b") allows nothing
        if allowed.startswith("."):
            if host.endswith(allowed) and len(host) > len(allowed):
                return True
        elif host == allowed:
            return True
    return False


def endpoint_problem(endpoint: str) -> str | None:
    """Why the server will not send to this endpoint, in words; None when it may."""
    if not endpoint or len(endpoint) > PUSH_ENDPOINT_CHARS:
        return _("The device's push address is missing or too long.")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return _("The device's push address is not a valid address.")
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        return _("The device's push address must be an https address on the standard port.")
    if not _host_allowed(host):
        return _("This server does not send to the push service at %(host)s.") % {"host": host}
    return None


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _keys_problem(p256dh: str, auth: str) -> str | None:
    try:
        point, secret = _b64(p256dh), _b64(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (binascii.Error, ValueError, TypeError):
        return _("The device's encryption keys are not valid.")
    if len(point) != 65 or len(secret) != 16:
        return _("The device's encryption keys are not valid.")
    return None


@transaction.atomic
def subscription_add(
    *, user: Any, endpoint: str, p256dh: str, auth: str, device: str = "", now: dt.datetime
) -> PushSubscription:
    """Tell ``user`` on this device from now on. A device that a person subscribed before is
    theirs now (a shared phone, a new login): one endpoint is one device, told to one person."""
    problem = endpoint_problem(endpoint) or _keys_problem(p256dh, auth)
    if problem:
        raise ValidationError(problem)
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "device": " ".join(device.split())[:DEVICE_CHARS],
            "created_at": now,
        },
    )
    return subscription


@transaction.atomic
def subscription_remove(*, user: Any, pk: int | None = None, endpoint: str | None = None) -> int:
    """Stop telling ``user`` on one of their devices (by its row or its endpoint)."""
    mine = PushSubscription.objects.filter(user=user)
    if pk is not None:
        mine = mine.filter(pk=pk)
    elif endpoint:
        mine = mine.filter(endpoint=endpoint)
    else:
        return 0
    deleted, _by_model = mine.delete()
    return int(deleted > 0)


def payload(title: str, detail: str, url: str, tag: str) -> str:
    """What the device shows: the notice's title, its one fact (the reason of a return) and the
    page it opens (the task, at the step the notice is about)."""
    return json.dumps(
        {"title": title[:BODY_CHARS], "body": detail[:BODY_CHARS], "url": url, "tag": tag},
        ensure_ascii=False,
    )


def queue(notifications: Iterable[Any], now: dt.datetime) -> list[Outbox]:
    """The push messages for these new notices (not saved): one per notice and subscribed
    device of its person, unless the person turned push off for the notice's kind. Two queries
    whatever the number of notices."""
    notices = list(notifications)
    if not notices or not enabled():
        return []
    users = {n.user_id for n in notices}
    devices: dict[int, list[PushSubscription]] = {}
    for sub in PushSubscription.objects.filter(user__in=users).order_by("id"):
        devices.setdefault(sub.user_id, []).append(sub)
    if not devices:
        return []
    off = set(
        NotificationPreference.objects.filter(user__in=list(devices), push=False).values_list(
            "user_id", "rule"
        )
    )
    rows = []
    for notice in notices:
        if (notice.user_id, notice.rule) in off:
            continue
        body = payload(notice.title, notice.detail, notice.url or "/", f"n{notice.log_id or 0}")
        for sub in devices.get(notice.user_id, []):
            rows.append(
                Outbox(
                    subscription=sub,
                    subject=notice.title[:300],
                    text=body,
                    log=notice.log,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    return rows


class _NoRedirects(requests.Session):
    """A push service answers; it does not send the server on elsewhere (SSRF)."""

    def post(self, url: Any, data: Any = None, json: Any = None, **kwargs: Any) -> Any:
        kwargs["allow_redirects"] = False
        return super().post(url, data=data, json=json, **kwargs)


def _session() -> requests.Session:
    return _NoRedirects()


def send(message: Outbox) -> bool:
    """Send one push message; True when the push service says the device is gone (the caller
    removes it). Raises on any other failure, for the outbox to retry."""
    sub = message.subscription
    assert sub is not None
    problem = endpoint_problem(sub.endpoint)  # the setting may have narrowed since
    if problem:
        raise ValueError(problem)
    if not enabled():
        raise RuntimeError("Web Push keys are not configured (NHIEMVU_VAPID_*)")
    try:
        response = webpush(
            {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
            data=message.text,
            vapid_private_key=Vapid02.from_raw(settings.VAPID_PRIVATE_KEY.encode()),
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
            requests_session=_session(),
        )
    except WebPushException as exc:
        if exc.response is not None and exc.response.status_code in GONE:
            return True
        raise
    if not 200 <= response.status_code < 300:  # a redirect, followed by no one
        raise WebPushException(f"Push answered {response.status_code}", response=response)
    return False


def subscription_gone(pk: int) -> None:
    """The push service forgot the device: forget it too (and what still waited for it)."""
    PushSubscription.objects.filter(pk=pk).delete()
