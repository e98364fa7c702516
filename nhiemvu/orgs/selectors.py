from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet

from nhiemvu.lib.orgkinds import kinds_for_group
from nhiemvu.orgs.models import (
    ACTING_ROLES,
    CalendarOverride,
    LeaderTitle,
    Membership,
    OrgAlias,
    Organisation,
    OrgKind,
    Reorganisation,
    ReorgKind,
    ReorgState,
    Role,
    TrustRoot,
)


def calendar_overrides() -> dict[dt.date, bool]:
    return dict(CalendarOverride.objects.values_list("date", "is_working"))


# --- organisations in time: one rule, the predicate `Organisation.is_active_on(day)` and this
# filter (tests/test_orgs_in_time.py holds them together and every consumer to them) -----------


def in_force_q(day: dt.date) -> Q:
    """Organisations in force on ``day``: begun on or before it, not ended before it (an open
    end either side is "always"). The filter twin of ``Organisation.is_active_on``."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def active_organisations(on: dt.date | None = None) -> QuerySet[Organisation]:
    """Every organisation, or those in force on ``on``."""
    qs = Organisation.objects.all()
    return qs if on is None else qs.filter(in_force_q(on))


def provinces_on(day: dt.date) -> QuerySet[Organisation]:
    """The provincial People's Committees in force on ``day``, the one `province_on` picks
    first: the latest begun (a province formed by a merger over one that, by a data error,
    was left without its end date), then the newest row."""
    return (
        active_organisations(day)
        .filter(kind=OrgKind.PROVINCE)
        .order_by(F("valid_from").desc(nulls_last=True), "-id")
    )


def province_on(day: dt.date) -> Organisation | None:
    """The province (its People's Committee) in force on ``day``: the issuer of what the
    province sends that day (urging letters, a document read or imported without a named
    issuer). Never "the first province row": in 2026 UBND tỉnh Gia Lai, not UBND tỉnh Bình
    Định which ceased on 30/6/2025. None when no province was in force that day."""
    return provinces_on(day).first()


def province_from(orgs: Iterable[Organisation], day: dt.date) -> Organisation | None:
    """`province_on` over organisations already read: its pure twin, for the agreement test
    (like assignments.holders.holder_from)."""
    candidates = [o for o in orgs if o.kind == OrgKind.PROVINCE and o.is_active_on(day)]
    if not candidates:
        return None
    return max(candidates, key=lambda o: (o.valid_from is not None, o.valid_from or day, o.pk))


def resolve_group(phrase: str, *, on: dt.date | None = None) -> QuerySet[Organisation] | None:
    """The organisations a group phrase ("các sở, ban, ngành") addresses, or None if unknown."""
    kinds = kinds_for_group(phrase)
    if kinds is None:
        return None
    return active_organisations(on).filter(kind__in=kinds).order_by("kind", "name")


def leader_with_title(title: str) -> Any:
    """The person who holds a leader's title (LeaderTitle.CHAIRMAN: the Chairman who signs the
    Committee's reports; a vice-chairman: the first registered), or None."""
    membership = (
        Membership.objects.filter(role=Role.LEADER, leader_title=title)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def chairman_name() -> str:
    """The name printed under "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" in what the office issues."""
    chairman = leader_with_title(LeaderTitle.CHAIRMAN)
    return chairman.display_name if chairman else ""


# The provincial leaders (a dozen people), offered by the task list's "assigning leader" filter
# on every page: read once per process and kept, forgotten in this process as soon as a
# membership or a person is written (orgs/apps.py), and by the others within LEADERS_SECONDS
# (the calendar overrides' rule, lib/workdays.CACHE_SECONDS). The list's query was one of a
# page's nine and the filter form a seventh of its time (issue 28).
LEADERS_SECONDS = 60.0
_leaders_lock = threading.Lock()
_leaders: tuple[float, list[tuple[str, str]]] | None = None


def leaders() -> list[tuple[str, str]]:
    """(username, full name) of everyone with a provincial leader's membership, by name."""
    global _leaders
    with _leaders_lock:
        cached = _leaders
        if cached is not None and time.monotonic() - cached[0] < LEADERS_SECONDS:
            return cached[1]
        found = list(
            Membership.objects.filter(role=Role.LEADER)
            .order_by("user__full_name", "user__username")
            .values_list("user__username", "user__full_name")
            .distinct()
        )
        _leaders = (time.monotonic(), found)
        return found


def forget_leaders(*_args: Any, **_kwargs: Any) -> None:
    """Drop this process's list of leaders (a signal receiver: any membership or person saved):
    at once, and again at the commit (a page read between the two would keep the old list).
    A sign-in only stamps `last_login`, which changes no leader's name: nothing to drop."""
    if set(_kwargs.get("update_fields") or ()) == {"last_login"}:
        return
    _drop_leaders()
    transaction.on_commit(_drop_leaders)


def _drop_leaders() -> None:
    global _leaders
    with _leaders_lock:
        _leaders = None


def acting_memberships(org_ids: Iterable[int | None]) -> QuerySet[Membership]:
    """The memberships of active people who act for these agencies (ACTING_ROLES): who is
    reminded, told, and may be passed a task. The filter twin of orgs.rules.acts_for."""
    return Membership.objects.filter(
        org_id__in=[o for o in org_ids if o is not None],
        role__in=ACTING_ROLES,
        user__is_active=True,
    )


def directory() -> list[dict[str, Any]]:
    """Names, short names, aliases and kinds, as the extraction engine takes them."""
    aliases: dict[int, list[str]] = {}
    for org_id, alias in OrgAlias.objects.values_list("org_id", "alias"):
        aliases.setdefault(org_id, []).append(alias)
    return [
        {
            "code": o.code,
            "name": o.name,
            "short_name": o.short_name,
            "kind": o.kind,
            "aliases": aliases.get(o.pk, []),
            "valid_from": o.valid_from,
            "valid_to": o.valid_to,
        }
        for o in active_organisations().only(
            "id", "code", "name", "short_name", "kind", "valid_from", "valid_to"
        )
    ]


def lineage(org: Organisation) -> list[Reorganisation]:
    """The reorganisations an organisation took part in, newest first: what it came from, what
    it became (the organisation page's "Lịch sử sắp xếp")."""
    return list(
        Reorganisation.objects.filter(parts__org=org)
        .distinct()
        .prefetch_related("parts__org")
        .order_by("-effective_date", "-id")
    )


def names_as_of(day: dt.date) -> dict[int, str]:
    """Organisations renamed after `day`, with the name they had on it (a report as of a date
    shows the names of that date: "UBND tỉnh Bình Định" before the 2025 merger)."""
    names: dict[int, str] = {}
    renames = Reorganisation.objects.filter(
        kind=ReorgKind.RENAME, state=ReorgState.APPLIED, effective_date__gt=day
    ).order_by("-effective_date", "-id")
    for reorg in renames.prefetch_related("parts"):
        for part in reorg.parts.all():
            names[part.org_id] = reorg.old_name  # the earliest later renaming wins
    return names


def trust_roots() -> list[bytes]:
    """The certificates of the CAs the province trusts (PEM), for lib.signatures.verify."""
    return [pem.encode("ascii") for pem in TrustRoot.objects.values_list("certificate", flat=True)]
