"""Task permissions, each twice: a predicate for one task and a filter for lists (rule 2).

tests/test_rules.py checks, for every persona and every task of the demo fixtures, that the
predicate says yes exactly for the tasks the filter returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from nhiemvu.assignments.models import Assignment, Coordination, Delegation
from nhiemvu.orgs.models import LeaderTitle, Membership, Role
from nhiemvu.orgs.rules import is_office, scope_of

# --- view: province roles see everything; agencies what they lead or coordinate -------------


@rules.predicate
def can_view(user: Any, task: Assignment) -> bool:
    scope = scope_of(user)
    if scope.province:
        return True
    if not scope.org_ids:
        return False
    if task.lead_id in scope.org_ids:
        return True
    return Coordination.objects.filter(assignment=task, org_id__in=scope.org_ids).exists()


def visible(user: Any, qs: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.all() if qs is None else qs
    return _visible_to(visibility_key(user), qs)


# What decides which tasks a person sees: the whole province, or their organisations (what
# they lead or coordinate); people with the same key see the same tasks.
PROVINCE = "province"
VisibilityKey = str | frozenset[int] | None


def visibility_key(user: Any) -> VisibilityKey:
    """``PROVINCE``, the user's organisations, or None (sees nothing)."""
    scope = scope_of(user)
    if scope.province:
        return PROVINCE
    return scope.org_ids or None


def _visible_to(key: VisibilityKey, qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    if key == PROVINCE:
        return qs
    if not isinstance(key, frozenset) or not key:
        return qs.none()
    # "pk IN (the tasks it coordinates)", not a correlated EXISTS: PostgreSQL hashes the
    # coordinated ids once instead of probing the coordinations for every task it reads (an
    # agency's list at 1,000,000 tasks: 90 → 15 ms a page, its total 1.16 → 0.35 s).
    coordinated = Coordination.objects.filter(org_id__in=key).values("assignment_id")
    return qs.filter(Q(lead_id__in=key) | Q(pk__in=coordinated))


def aggregate_visible(
    keys: Iterable[VisibilityKey], qs: QuerySet[Assignment], **aggregates: Any
) -> dict[VisibilityKey, dict[str, int]]:
    """``visible(user, qs).aggregate(**aggregates)`` for the people of every key, in a few
    grouped queries instead of one per person (the Monday digests: 61 heads and leaders, eight
    counts each, were ~500 queries; issue 28). Only for additive aggregates (``Count`` with a
    ``filter``, counting each task's rows once: no join that repeats a task).

    The keys of one organisation are counted together: grouped by lead, plus grouped by the
    coordinating organisation for the tasks it does not also lead (what ``_visible_to`` sees,
    each task once); the province with one aggregate; a person of several organisations (few)
    with their own.
    """
    keys = set(keys)
    zero = dict.fromkeys(aggregates, 0)
    out: dict[VisibilityKey, dict[str, int]] = {k: dict(zero) for k in keys}
    singles = {next(iter(k)) for k in keys if isinstance(k, frozenset) and len(k) == 1}
    for key in keys - {frozenset([o]) for o in singles} - {None}:
        out[key] = {n: v or 0 for n, v in _visible_to(key, qs).aggregate(**aggregates).items()}
    if not singles:
        return out
    led = qs.filter(lead_id__in=singles).values_list("lead_id").annotate(**aggregates)
    # Both conditions in one filter(): the comparison reads the same coordination row.
    coordinated = (
        qs.filter(
            Q(coordinations__org_id__in=singles)
            & (
                Q(lead_id__lt=F("coordinations__org_id"))
                | Q(lead_id__gt=F("coordinations__org_id"))
            )
        )
        .values_list("coordinations__org_id")
        .annotate(**aggregates)
    )
    for rows in (led, coordinated):
        for org_id, *values in rows.order_by():
            counts = out[frozenset([org_id])]
            for name, value in zip(aggregates, values, strict=True):
                counts[name] += value or 0
    return out


# --- act for the lead agency: accept, refuse, report, ask for extension ---------------------


@rules.predicate
def can_act_as_lead(user: Any, task: Assignment) -> bool:
    return task.lead_id in scope_of(user).lead_org_ids


def led(user: Any, qs: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.all() if qs is None else qs
    return qs.filter(lead_id__in=scope_of(user).lead_org_ids)


# --- confirm or return: the office and the Working Group ------------------------------------


@rules.predicate
def can_confirm(user: Any, task: Assignment) -> bool:
    return scope_of(user).confirms


def confirmable(user: Any, qs: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.all() if qs is None else qs
    return qs if scope_of(user).confirms else qs.none()


# --- manage: register, reassign, pause, resume, transfer, advise extensions (office) ---------


@rules.predicate
def can_manage(user: Any, task: Assignment | None = None) -> bool:
    return is_office(user)


def manageable(user: Any, qs: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.all() if qs is None else qs
    return qs if is_office(user) else qs.none()


# --- decide extensions: the assigning leader's side -----------------------------------------


@rules.predicate
def can_decide_extension(user: Any, task: Assignment) -> bool:
    """A leader decides; the Chairman may decide any, a Vice-Chairman those he assigned or
    those no leader is recorded for."""
    scope = scope_of(user)
    if not scope.is_leader:
        return False
    if LeaderTitle.CHAIRMAN in scope.leader_titles or task.assigned_by_id is None:
        return True
    return bool(task.assigned_by_id == user.pk)


def extension_decidable(user: Any, qs: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.all() if qs is None else qs
    scope = scope_of(user)
    if not scope.is_leader:
        return qs.none()
    if LeaderTitle.CHAIRMAN in scope.leader_titles:
        return qs
    return qs.filter(Q(assigned_by__isnull=True) | Q(assigned_by=user.pk))


def extension_deciders(task: Assignment) -> QuerySet[Any]:
    """The same rule the other way round: the ids of the people who may decide this task's
    extension (active leaders; the one who assigned it and the Chairman, or every leader when
    no assigning leader is recorded). An extension request and the office's advice are told
    to them (reminders/events.py); tests/test_rules.py checks they are exactly the people
    ``can_decide_extension`` admits."""
    leaders = Membership.objects.filter(role=Role.LEADER, user__is_active=True)
    if task.assigned_by_id is not None:
        leaders = leaders.filter(
            Q(leader_title=LeaderTitle.CHAIRMAN) | Q(user_id=task.assigned_by_id)
        )
    return leaders.order_by("user_id").values_list("user_id", flat=True).distinct()


# --- inside the lead agency: its head passes the task on; the one it was passed to reports ---


@rules.predicate
def can_delegate(user: Any, task: Assignment) -> bool:
    return task.lead_id in scope_of(user).head_org_ids


def delegable(user: Any, qs: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.all() if qs is None else qs
    return qs.filter(lead_id__in=scope_of(user).head_org_ids)


@rules.predicate
def holds_delegation(user: Any, task: Assignment) -> bool:
    """The person the agency's head passed the task to (and the lead agency still leads it)."""
    if task.lead_id not in scope_of(user).lead_org_ids:
        return False
    return Delegation.objects.filter(assignment=task, assignee=user.pk, active=True).exists()


def delegated_to(user: Any, qs: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.all() if qs is None else qs
    held = Delegation.objects.filter(assignment=OuterRef("pk"), assignee=user.pk, active=True)
    return qs.filter(lead_id__in=scope_of(user).lead_org_ids).filter(Exists(held))


@rules.predicate
def sees_inside(user: Any, delegation: Delegation) -> bool:
    """What happens inside an agency is that agency's, for ever: the officers and head of the
    organisation that passed the task on read it, whoever leads the task now (issue 24: the
    next lead never reads the previous agency's hand-over, note or internal reports)."""
    return delegation.org_id in scope_of(user).lead_org_ids


def inside_visible(user: Any, qs: QuerySet[Delegation] | None = None) -> QuerySet[Delegation]:
    qs = Delegation.objects.all() if qs is None else qs
    return qs.filter(org_id__in=scope_of(user).lead_org_ids)


# --- comment: everyone who sees the task, except read-only viewers --------------------------


@rules.predicate
def can_comment(user: Any, task: Assignment) -> bool:
    scope = scope_of(user)
    if scope.province:
        return True
    writers = scope.lead_org_ids
    if task.lead_id in writers:
        return True
    return Coordination.objects.filter(assignment=task, org_id__in=writers).exists()


def commentable(user: Any, qs: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.all() if qs is None else qs
    scope = scope_of(user)
    if scope.province:
        return qs
    writers = scope.lead_org_ids
    coordinates = Coordination.objects.filter(assignment=OuterRef("pk"), org_id__in=writers)
    return qs.filter(Q(lead_id__in=writers) | Exists(coordinates))


rules.add_perm("assignments.view_assignment", can_view)
rules.add_perm("assignments.act_as_lead", can_act_as_lead)
rules.add_perm("assignments.confirm", can_confirm)
rules.add_perm("assignments.manage", can_manage)
rules.add_perm("assignments.decide_extension", can_decide_extension)
rules.add_perm("assignments.comment", can_comment)

# (predicate, filter) pairs, for the agreement test and for views choosing what to show.
PAIRS = {
    "view": (can_view, visible),
    "act_as_lead": (can_act_as_lead, led),
    "confirm": (can_confirm, confirmable),
    "manage": (can_manage, manageable),
    "decide_extension": (can_decide_extension, extension_decidable),
    "comment": (can_comment, commentable),
    "delegate": (can_delegate, delegable),
    "hold_delegation": (holds_delegation, delegated_to),
}

# The same for the hand-overs inside agencies (predicate on one Delegation, filter of Delegations).
DELEGATION_PAIRS = {
    "see_inside": (sees_inside, inside_visible),
}
