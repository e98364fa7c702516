"""Recording a reorganisation (DOMAIN.md §9): a merger, split, renaming, dissolution or move
kept as a draft until its transfer plan is applied (plan.py), and the organisations' side of
applying it (``reorganisation_mark_applied``: ending, renaming, moving them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.audit.services import record
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line, fold
from nhiemvu.orgs.models import (
    OrgAlias,
    Organisation,
    Reorganisation,
    ReorgKind,
    ReorgPart,
    ReorgSide,
    ReorgState,
)
from nhiemvu.orgs.rules import allows, can_reorganise

# The kinds that end organisations and so move their work; a renaming or a move keeps it.
MOVES_WORK = frozenset({ReorgKind.MERGE, ReorgKind.SPLIT, ReorgKind.DISSOLVE})

LEGAL_BASIS_CHARS = 255
SPLIT_RULE_WORDS = 50  # words per rule, rules per split: a mapping a person edits, not a corpus


def require_reorganiser(actor: Any, why: str = "") -> None:
    """Who may reorganise is orgs.rules.can_reorganise (the system, None, may: a replayed
    history); ``why`` says what the refused person tried."""
    if not allows(actor, can_reorganise):
        raise PermissionDenied(
            why or _("Only the Provincial Office or an administrator records a reorganisation.")
        )


def _clean_rules(rules: list[dict[str, Any]] | None, targets: list[Organisation]) -> list[Any]:
    """Split rules as stored: [{"to": code, "words": [...]}], each target one of the split's."""
    codes = {t.code for t in targets}
    cleaned = []
    for rule in (rules or [])[:SPLIT_RULE_WORDS]:
        to = str(rule.get("to", ""))
        words = [clean_line(str(w)) for w in rule.get("words", [])][:SPLIT_RULE_WORDS]
        words = [w for w in words if w]
        if to not in codes:
            raise ValidationError(
                {
                    "split_rules": _(
                        "A split rule names %(code)s, which is not among the successors."
                    )
                    % {"code": to}
                }
            )
        if words:
            cleaned.append({"to": to, "words": words})
    return cleaned


def _refusals(
    kind: str,
    effective_date: dt.date,
    legal_basis: str,
    sources: list[Organisation],
    targets: list[Organisation],
    new_name: str,
    new_parent: Organisation | None,
) -> dict[str, str]:
    """Why a change cannot be recorded, by field: its basis, its shape for its kind, who is in
    force the day before and on the day, and no organisation already in a draft."""
    errors: dict[str, str] = {}
    if not legal_basis:
        errors["legal_basis"] = _(
            "Give the legal basis: the decision or resolution (number, date)."
        )
    elif len(legal_basis) > LEGAL_BASIS_CHARS:
        errors["legal_basis"] = _("The legal basis is too long.")
    if not sources:
        errors["sources"] = _("Choose the organisation(s) the change applies to.")
    if set(sources) & set(targets):
        errors["targets"] = _("An organisation cannot be both before and after the change.")
    shape = {
        ReorgKind.MERGE: (len(targets) == 1, _("A merger has exactly one organisation after it.")),
        ReorgKind.SPLIT: (
            len(sources) == 1 and len(targets) >= 2,
            _("A split divides one organisation between two or more."),
        ),
        ReorgKind.RENAME: (
            len(sources) == 1 and not targets and bool(clean_line(new_name)),
            _("A renaming changes one organisation's name: give the new name."),
        ),
        ReorgKind.MOVE: (
            len(sources) == 1 and not targets and new_parent is not None,
            _("A move puts one organisation under a new parent: choose the parent."),
        ),
        ReorgKind.DISSOLVE: (True, ""),
    }[ReorgKind(kind)]
    if sources and not shape[0]:
        errors.setdefault("targets", str(shape[1]))
    before = effective_date - dt.timedelta(days=1)
    for org in sources:
        if not org.is_active_on(before):
            errors.setdefault(
                "sources",
                _("%(org)s is not in force on %(day)s, the day before the change.")
                % {"org": org.name, "day": f"{before:%d/%m/%Y}"},
            )
    for org in targets + ([new_parent] if new_parent else []):
        if not org.is_active_on(effective_date):
            errors.setdefault(
                "targets",
                _("%(org)s is not in force on %(day)s, when the change takes effect.")
                % {"org": org.name, "day": f"{effective_date:%d/%m/%Y}"},
            )
    if new_parent is not None and sources and new_parent in sources:
        errors["new_parent"] = _("An organisation cannot be its own parent.")
    pending = (
        ReorgPart.objects.filter(
            org__in=sources, side=ReorgSide.SOURCE, reorganisation__state=ReorgState.DRAFT
        )
        .select_related("org")
        .first()
    )
    if pending is not None:
        errors.setdefault(
            "sources",
            _("%(org)s is already in a reorganisation under review; apply or delete it first.")
            % {"org": pending.org.name},
        )
    return errors


@transaction.atomic
def reorganisation_record(
    *,
    actor: Any,
    kind: str,
    effective_date: dt.date,
    legal_basis: str,
    sources: list[Organisation],
    targets: list[Organisation] | None = None,
    note: str = "",
    new_name: str = "",
    new_short_name: str = "",
    new_parent: Organisation | None = None,
    split_rules: list[dict[str, Any]] | None = None,
) -> Reorganisation:
    """Record a merger, split, renaming, dissolution or move as a draft: nothing changes until
    the office has reviewed its transfer plan and applied it (plan.reorganisation_apply).
    """
    require_reorganiser(actor)
    targets = list(targets or [])
    sources = list(dict.fromkeys(sources))
    targets = list(dict.fromkeys(targets))
    legal_basis = clean_line(legal_basis)
    if kind not in ReorgKind.values:
        raise ValidationError({"kind": _("Unknown kind of reorganisation.")})
    errors = _refusals(kind, effective_date, legal_basis, sources, targets, new_name, new_parent)
    if errors:
        raise ValidationError(errors)
    reorg = Reorganisation(
        kind=kind,
        effective_date=effective_date,
        legal_basis=legal_basis,
        note=clean_line(note),
        new_name=clean_line(new_name),
        new_short_name=clean_line(new_short_name),
        new_parent=new_parent,
        split_rules=_clean_rules(split_rules, targets) if kind == ReorgKind.SPLIT else [],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    reorg.full_clean()
    reorg.save()
    ReorgPart.objects.bulk_create(
        [ReorgPart(reorganisation=reorg, org=o, side=ReorgSide.SOURCE) for o in sources]
        + [ReorgPart(reorganisation=reorg, org=o, side=ReorgSide.TARGET) for o in targets]
    )
    record(
        actor=actor,
        action="reorganisation.record",
        target=reorg,
        after={
            "kind": kind,
            "effective_date": effective_date,
            "legal_basis": legal_basis,
            "sources": [o.code for o in sources],
            "targets": [o.code for o in targets],
        },
    )
    return reorg


@transaction.atomic
def reorganisation_delete(*, actor: Any, reorg: Reorganisation) -> None:
    """Withdraw a reorganisation recorded by mistake, before it is applied."""
    require_reorganiser(actor)
    reorg = Reorganisation.objects.select_for_update().get(pk=reorg.pk)
    if reorg.state != ReorgState.DRAFT:
        raise ValidationError(_("An applied reorganisation is history: it cannot be deleted."))
    record(
        actor=actor,
        action="reorganisation.delete",
        target=reorg,
        before={"kind": reorg.kind, "legal_basis": reorg.legal_basis},
    )
    reorg.delete()


def reorganisation_mark_applied(*, actor: Any, reorg: Reorganisation) -> None:
    """The organisations' side of applying a reorganisation, inside the caller's transaction
    (plan.reorganisation_apply moves the work first): the sources of a merger,
    split or dissolution end the day before; a renamed organisation keeps its old name as an
    alias (the reader still knows it) and on the record; a moved one its old parent."""
    sources, targets = sides(reorg)
    day_before = reorg.effective_date - dt.timedelta(days=1)
    if reorg.kind in MOVES_WORK:
        for org in sources:
            org.valid_to = day_before
            # One successor is the organisation's own link (the picker's "→ Sở KH&CN");
            # several are the reorganisation's targets, read as lineage.
            org.successor = targets[0] if len(targets) == 1 else None
            org.full_clean()
            org.save(update_fields=["valid_to", "successor", "search_text"])
    elif reorg.kind == ReorgKind.RENAME:
        org = sources[0]
        reorg.old_name, reorg.old_short_name = org.name, org.short_name
        if not OrgAlias.objects.filter(folded=fold(org.name)).exists():
            OrgAlias.objects.create(org=org, alias=org.name)
        org.name = reorg.new_name
        org.short_name = reorg.new_short_name or org.short_name
        org.full_clean()
        org.save()
    elif reorg.kind == ReorgKind.MOVE:
        org = sources[0]
        reorg.old_parent = org.parent
        org.parent = reorg.new_parent
        org.full_clean()
        org.save(update_fields=["parent", "search_text"])
    reorg.state = ReorgState.APPLIED
    reorg.applied_by = actor if getattr(actor, "pk", None) else None
    reorg.applied_at = workdays.now()  # the one clock (a replayed history stamps its own time)
    reorg.save()


def sides(reorg: Reorganisation) -> tuple[list[Organisation], list[Organisation]]:
    """The organisations before the change and after it (its successors)."""
    parts = list(reorg.parts.select_related("org").order_by("id"))
    return (
        [p.org for p in parts if p.side == ReorgSide.SOURCE],
        [p.org for p in parts if p.side == ReorgSide.TARGET],
    )
