from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models, transaction

from nhiemvu.audit.models import AuditEvent
from nhiemvu.lib import workdays


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_org: Any = None,
) -> AuditEvent:
    """Write the audit row for a change. Must run inside the change's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the change's transaction")
    return AuditEvent.objects.create(
        at=workdays.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_org=actor_org,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_repr=str(target)[:255],
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
    )
