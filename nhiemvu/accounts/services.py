"""API keys: created and revoked by administrators, shown once, stored as a digest."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nhiemvu.accounts.models import ApiKey, ApiKeyWindow, KeyScope, User
from nhiemvu.audit.services import record
from nhiemvu.lib import workdays
from nhiemvu.lib.codes import new_code
from nhiemvu.orgs.models import Membership, Organisation, Role, role_allowed

KEY_PREFIX = "nv_"
# A key's service account is named after the system that uses it, cut to the column.
_FULL_NAME_CHARS = User._meta.get_field("full_name").max_length or 150
# What a key may be: an agency's system acts as its officers; the office's document system
# as the office (it registers documents); a read-only reporting system as a viewer.
KEY_ROLES = (Role.OFFICER, Role.OFFICE, Role.VIEWER)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def apikey_create(
    *,
    actor: Any,
    org: Organisation,
    scope: str,
    name: str,
    role: str | None = None,
    rate_per_minute: int = 120,
) -> tuple[ApiKey, str]:
    """A new key and its plaintext, which is shown once and never stored."""
    if scope not in KeyScope.values:
        raise ValidationError(_("The scope must be “read” or “write”."))
    role = role or (Role.OFFICER if scope == KeyScope.WRITE else Role.VIEWER)
    if role not in KEY_ROLES:
        raise ValidationError(_("A key acts as an officer, the office or a viewer."))
    if not role_allowed(org, role):
        # A key labelled with an agency must never carry the Office's province-wide powers.
        raise ValidationError(
            _("A key of %(org)s cannot act as “%(role)s”: no one in that organisation may.")
            % {"org": org.name, "role": Role(role).label}
        )
    if not name.strip():
        raise ValidationError(_("Name the system that will use the key."))
    prefix = new_code(8)
    secret = secrets.token_urlsafe(32)
    user = User(username=f"api-{prefix}", full_name=f"API: {name.strip()}"[:_FULL_NAME_CHARS])
    user.set_unusable_password()  # a service account never logs in to the web
    user.save()
    Membership.objects.create(user=user, org=org, role=role)
    key = ApiKey(
        prefix=prefix,
        digest=_digest(secret),
        name=name.strip(),
        org=org,
        user=user,
        scope=scope,
        rate_per_minute=rate_per_minute,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    key.full_clean(exclude=["user", "digest"])
    key.save()
    record(
        actor=actor,
        action="apikey.create",
        target=key,
        after={"org": org.code, "scope": scope, "role": role, "name": key.name},
    )
    return key, f"{KEY_PREFIX}{prefix}_{secret}"


@transaction.atomic
def apikey_revoke(*, actor: Any, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = workdays.now()
        key.save(update_fields=["revoked_at"])
        User.objects.filter(pk=key.user_id).update(is_active=False)
        record(actor=actor, action="apikey.revoke", target=key)
    return key


def apikey_find(token: str) -> ApiKey | None:
    """The live key for a presented token, or None; constant-time on the secret."""
    if not token.startswith(KEY_PREFIX) or len(token) > 200:
        return None
    prefix, _sep, secret = token[len(KEY_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    key = (
        ApiKey.objects.select_related("user", "org")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.digest, _digest(secret)):
        return None
    return key


# --- The rate limit: a shared counter that readers do not queue on -----------------------------
# The per-minute row in the database is the limit every process shares (exact, whatever the
# number of web processes and machines). A process does not write it on every request: it
# reserves a slice of the minute's allowance with one conditional UPDATE and spends it in memory
# (issue 15: the UPDATE + COMMIT per request was half of every API read's queries and a hot row
# under concurrency). The sum of the slices never exceeds the limit, so no key gets more than
# its rate; a process that stops mid-minute leaves at most one slice unused, so a key may be
# refused up to (processes - 1) x slice requests early within that minute.

_SLICE_MAX = 50
_slices: dict[tuple[int, str, dt.datetime], int] = {}
_slices_lock = threading.Lock()


def _slice_size(rate: int) -> int:
    return max(1, min(_SLICE_MAX, rate // 10))


def _reserve(key: ApiKey, minute: dt.datetime, wanted: int) -> int:
    """Take up to ``wanted`` requests of the key's minute from the shared row; 0 when spent.

    Optimistic: read the count, then UPDATE only if nobody changed it meanwhile (a few retries
    under contention). Correct with any number of processes."""
    rate = key.rate_per_minute
    for _attempt in range(8):
        count = (
            ApiKeyWindow.objects.filter(key=key, minute=minute)
            .values_list("count", flat=True)
            .first()
        )
        if count is None:
            take = min(wanted, rate)
            try:
                with transaction.atomic():
                    ApiKeyWindow.objects.create(key=key, minute=minute, count=take)
            except IntegrityError:  # another process created the row first: count on it
                continue
            return take
        take = min(wanted, rate - count)
        if take <= 0:
            return 0
        if ApiKeyWindow.objects.filter(key=key, minute=minute, count=count).update(
            count=count + take
        ):
            return take
    return 0


def apikey_hit(key: ApiKey, now: dt.datetime | None = None) -> bool:
    """Count one request in the key's current minute; False when over its limit."""
    now = now or workdays.now()
    minute = now.replace(second=0, microsecond=0)
    slot = (key.pk, key.prefix, minute)
    with _slices_lock:
        left = _slices.get(slot, 0)
        if left:
            _slices[slot] = left - 1
            return True
    taken = _reserve(key, minute, _slice_size(key.rate_per_minute))
    if not taken:
        return False
    with _slices_lock:
        for old in [s for s in _slices if s[2] < minute]:
            del _slices[old]  # past minutes: their allowance is gone anyway
        _slices[slot] = _slices.get(slot, 0) + taken - 1
    if key.last_used_at is None or now - key.last_used_at > dt.timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        ApiKeyWindow.objects.filter(key=key, minute__lt=minute - dt.timedelta(hours=1)).delete()
    return True
