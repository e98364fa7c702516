"""Moving a dissolved organisation's open work to its successor."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nhiemvu.assignments import status
from nhiemvu.assignments.models import (
    Assignment,
    Coordination,
    EventKind,
    WorkState,
)
from nhiemvu.assignments.services.common import (
    _actor_org,
    _check_org_active,
    _deny,
    _event,
)
from nhiemvu.assignments.signals import task_event
from nhiemvu.audit.services import record
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.rules import scope_of


@transaction.atomic
def organisation_transfer_tasks(*, actor: Any, org: Organisation) -> int:
    """Move a dissolved organisation's open tasks to its successor (the 2025 mergers).

    The lead changes; `original_lead`, the timeline and the audit log keep who had it.
    Coordinations move too. Returns how many tasks were transferred.
    """
    scope = scope_of(actor)
    if not (scope.is_office or scope.is_admin):
        raise _deny(_("Only the Provincial Office or an administrator transfers tasks."))
    if org.successor_id is None or org.successor is None:
        raise ValidationError(_("%(org)s has no successor to transfer to.") % {"org": org.name})
    successor = org.successor
    _check_org_active(successor, "successor")
    moved = 0
    tasks = Assignment.objects.select_for_update().filter(
        status.owed_q() | Q(state=WorkState.PAUSED), lead=org
    )
    actor_org = _actor_org(actor)
    for task in tasks.iterator(chunk_size=500):
        task.lead = successor
        task.save(update_fields=["lead", "updated_at"])
        Coordination.objects.filter(assignment=task, org=successor).delete()
        entry = _event(
            task,
            actor=actor,
            kind=EventKind.TRANSFERRED,
            text="",
            data={"from": org.code, "to": successor.code},
            actor_org=actor_org,
        )
        # Told like any other step (webhooks, the agencies' notifications), in this transaction.
        task_event.send(sender=Assignment, task=task, kind=EventKind.TRANSFERRED, event=entry)
        moved += 1
    coordinations = (
        Coordination.objects.filter(
            org=org, assignment__state__in=[*status.OWED_STATES, WorkState.PAUSED]
        )
        .exclude(assignment__coordinations__org=successor)
        .exclude(assignment__lead=successor)
    )
    switched = coordinations.update(org=successor)
    record(
        actor=actor,
        action="organisation.transfer_tasks",
        target=org,
        after={"to": successor.code, "tasks": moved, "coordinations": switched},
        actor_org=actor_org,
    )
    return moved
