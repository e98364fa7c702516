from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from nhiemvu.lib.orgkinds import kinds_for_group
from nhiemvu.lib.vntext import fold
from nhiemvu.orgs.models import (
    CalendarOverride,
    OrgAlias,
    Organisation,
    Reorganisation,
    ReorgKind,
    ReorgState,
    TrustRoot,
)


def calendar_overrides() -> dict[dt.date, bool]:
    return dict(CalendarOverride.objects.values_list("date", "is_working"))


def active_organisations(on: dt.date | None = None) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if on is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    return qs


def resolve_group(phrase: str, *, on: dt.date | None = None) -> QuerySet[Organisation] | None:
    """The organisations a group phrase ("các sở, ban, ngành") addresses, or None if unknown."""
    kinds = kinds_for_group(phrase)
    if kinds is None:
        return None
    return active_organisations(on).filter(kind__in=kinds).order_by("kind", "name")


def find_organisation(name: str) -> Organisation | None:
    """Exact match on code, name, short name or alias, diacritics and case ignored."""
    folded = fold(name)
    if not folded:
        return None
    alias = OrgAlias.objects.filter(folded=folded).select_related("org").first()
    if alias:
        return alias.org
    for org in Organisation.objects.filter(search_text__contains=folded)[:50]:
        if folded in {fold(org.name), fold(org.short_name), fold(org.code)}:
            return org
    return None


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
