"""Carrying open work across a reorganisation (DOMAIN.md §9, issue 16).

A reorganisation is recorded as a draft (record.reorganisation_record). Its transfer
plan lists every open task each ending organisation leads or coordinates, with a default new
holder: the merger's one successor; for a split, the first of the office's rules whose words
the task contains (e.g. "giao thông" → Sở Xây dựng), else the only successor. The office
changes lines one by one or in bulk, then applies the plan, all or nothing, on or after the
effective date: each task gets its new lead (dated by the effective date, for holders.py), a
"transferred" entry on its timeline naming the decision, and keeps its original lead and its
deadline; the organisations' validity changes in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments import namedsets
from nhiemvu.assignments.models import (
    Assignment,
    Coordination,
    EventKind,
    LeadChange,
    LeadChangeReason,
    TransferItem,
    TransferRole,
)
from nhiemvu.assignments.reorganisation.record import (
    MOVES_WORK,
    reorganisation_mark_applied,
    require_reorganiser,
    sides,
)
from nhiemvu.assignments.services.common import _actor_org, _event
from nhiemvu.assignments.services.delegation import delegation_end_with_lead
from nhiemvu.assignments.signals import task_event
from nhiemvu.audit.services import record
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import fold
from nhiemvu.orgs.models import (
    Organisation,
    Reorganisation,
    ReorgKind,
    ReorgState,
)

# How a default holder was chosen, as the plan's line keeps it (TransferItem.basis).
BASIS_CHARS = TransferItem._meta.get_field("basis").max_length or 0


def _require_reorganiser(actor: Any) -> None:
    require_reorganiser(actor, _("Only the Provincial Office or an administrator transfers tasks."))


def default_holder(
    reorg: Reorganisation, targets: list[Organisation], text: str
) -> tuple[Organisation | None, str]:
    """The holder a task gets unless the office changes it, and why."""
    if reorg.kind == ReorgKind.MERGE and targets:
        return targets[0], _("the merger's successor")
    folded = fold(text)
    by_code = {t.code: t for t in targets}
    for rule in reorg.split_rules or []:
        for word in rule.get("words", []):
            if fold(word) and fold(word) in folded and rule.get("to") in by_code:
                return by_code[rule["to"]], _("rule: %(word)s") % {"word": word}
    if len(targets) == 1:
        return targets[0], _("the only successor")
    return None, ""


def _draft(reorg: Reorganisation) -> Reorganisation:
    reorg = Reorganisation.objects.select_for_update().get(pk=reorg.pk)
    if reorg.state != ReorgState.DRAFT:
        raise ValidationError(_("This reorganisation has already been applied."))
    return reorg


@transaction.atomic
def transfer_plan_build(*, actor: Any, reorg: Reorganisation) -> int:
    """Bring the plan up to date with the work open now: lines for new tasks get their default
    holder, lines for tasks no longer open go, the office's choices on the others stay.
    Returns how many lines the plan has."""
    _require_reorganiser(actor)
    reorg = _draft(reorg)
    if reorg.kind not in MOVES_WORK:
        return 0
    sources, targets = sides(reorg)
    wanted: dict[tuple[int, str, int], Assignment] = {}
    led = Assignment.objects.filter(namedsets.moving_q(), lead__in=sources).only(
        "id", "lead_id", "content", "summary"
    )
    for task in led.iterator(chunk_size=2000):
        wanted[(task.pk, TransferRole.LEAD, task.lead_id)] = task
    coordinated = Coordination.objects.filter(
        org__in=sources, assignment__in=Assignment.objects.filter(namedsets.moving_q())
    ).select_related("assignment")
    for link in coordinated.iterator(chunk_size=2000):
        wanted[(link.assignment_id, TransferRole.COORDINATION, link.org_id)] = link.assignment
    existing = {
        (item.assignment_id, item.role, item.from_org_id): item.pk
        for item in TransferItem.objects.filter(reorganisation=reorg)
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    TransferItem.objects.filter(pk__in=stale).delete()
    new = []
    for key, task in wanted.items():
        if key in existing:
            continue
        holder, basis = default_holder(reorg, targets, f"{task.summary} {task.content}")
        new.append(
            TransferItem(
                reorganisation=reorg,
                assignment_id=key[0],
                role=key[1],
                from_org_id=key[2],
                to_org=holder,
                basis=basis[:BASIS_CHARS],
            )
        )
    TransferItem.objects.bulk_create(new, batch_size=1000)
    record(
        actor=actor,
        action="reorganisation.plan",
        target=reorg,
        after={"lines": len(wanted), "added": len(new), "removed": len(stale)},
    )
    return len(wanted)


@transaction.atomic
def transfer_plan_set(
    *,
    actor: Any,
    reorg: Reorganisation,
    items: Iterable[int],
    to_org: Organisation | None,
) -> int:
    """Give these plan lines a new holder (one line, or many at once). A coordinating line may be
    emptied (the coordination ends); a leading line never: every open task keeps one lead."""
    _require_reorganiser(actor)
    reorg = _draft(reorg)
    sources, _targets = sides(reorg)
    lines = TransferItem.objects.filter(reorganisation=reorg, pk__in=list(items))
    if not lines.exists():
        raise ValidationError({"items": _("Choose at least one line of the plan.")})
    if to_org is None:
        if lines.filter(role=TransferRole.LEAD).exists():
            raise ValidationError(
                {"to_org": _("Every task needs a lead: choose who takes it over.")}
            )
    else:
        if to_org in sources:
            raise ValidationError(
                {"to_org": _("%(org)s ends with this change.") % {"org": to_org.name}}
            )
        if not to_org.is_active_on(reorg.effective_date):
            raise ValidationError(
                {
                    "to_org": _("%(org)s is not in force on %(day)s.")
                    % {"org": to_org.name, "day": f"{reorg.effective_date:%d/%m/%Y}"}
                }
            )
    changed = lines.update(to_org=to_org, basis=_("chosen by the office"))
    record(
        actor=actor,
        action="reorganisation.plan_set",
        target=reorg,
        after={"lines": changed, "to": to_org.code if to_org else None},
    )
    return changed


def _check_plan(
    reorg: Reorganisation, items: list[TransferItem], sources: list[Organisation]
) -> set[int]:
    """The tasks the plan moves, once it still matches the open work (locked), gives every one
    a holder, and names only holders in force on the day and today; else a refusal."""
    today = workdays.today()
    planned = {i.assignment_id for i in items if i.role == TransferRole.LEAD}
    open_ids = set(
        Assignment.objects.select_for_update()
        .filter(namedsets.moving_q(), lead__in=sources)
        .values_list("id", flat=True)
    )
    if planned != open_ids:
        raise ValidationError(
            _(
                "The plan is out of date: %(added)s task(s) opened and %(closed)s closed "
                "since it was made. Bring the plan up to date and review it again."
            )
            % {"added": len(open_ids - planned), "closed": len(planned - open_ids)}
        )
    missing = [i for i in items if i.role == TransferRole.LEAD and i.to_org_id is None]
    if missing:
        raise ValidationError(
            _("%(n)s task(s) have nobody to take them over: choose a holder for each.")
            % {"n": len(missing)}
        )
    for item in items:
        if item.to_org is not None and not (
            item.to_org.is_active_on(reorg.effective_date) and item.to_org.is_active_on(today)
        ):
            raise ValidationError(
                _("%(org)s is not in force: choose another holder.") % {"org": item.to_org.name}
            )
    return planned


def _move_leads(
    actor: Any, reorg: Reorganisation, items: list[TransferItem], planned: set[int]
) -> int:
    """Each planned task to its new lead: dated by the effective date (holders.py), on its
    timeline, told like any other step; its delegation inside the old lead ends."""
    moved = 0
    actor_org = _actor_org(actor)
    tasks = Assignment.objects.in_bulk(planned)
    for item in items:
        if item.role != TransferRole.LEAD or item.to_org is None:
            continue
        task = tasks[item.assignment_id]
        # The inside of the agency that led it ends with its lead (issue 24).
        delegation_end_with_lead(actor=actor, task=task, reason=LeadChangeReason.TRANSFER)
        task.lead = item.to_org
        task.save(update_fields=["lead", "updated_at"])
        Coordination.objects.filter(assignment=task, org=item.to_org).delete()
        LeadChange.objects.create(
            assignment=task,
            on=reorg.effective_date,
            from_org=item.from_org,
            to_org=item.to_org,
            reason=LeadChangeReason.TRANSFER,
            reorganisation=reorg,
        )
        entry = _event(
            task,
            actor=actor,
            kind=EventKind.TRANSFERRED,
            text=reorg.legal_basis,
            data={
                "from": item.from_org.code,
                "to": item.to_org.code,
                "reorganisation": reorg.code,
                "effective": reorg.effective_date.isoformat(),
            },
            actor_org=actor_org,
        )
        # Told like any other step (webhooks, the new holder's people), in this transaction.
        task_event.send(sender=Assignment, task=task, kind=EventKind.TRANSFERRED, event=entry)
        moved += 1
    return moved


def _move_coordinations(items: list[TransferItem]) -> int:
    """Each coordinating line to its new holder, or ended (emptied, or the holder already
    leads or coordinates the task)."""
    coordinations = 0
    for item in items:
        if item.role != TransferRole.COORDINATION:
            continue
        link = Coordination.objects.filter(assignment_id=item.assignment_id, org=item.from_org)
        taken = item.to_org is None or (
            Assignment.objects.filter(pk=item.assignment_id, lead=item.to_org).exists()
            or Coordination.objects.filter(
                assignment_id=item.assignment_id, org=item.to_org
            ).exists()
        )
        if taken:
            link.delete()
        else:
            link.update(org=item.to_org)
        coordinations += 1
    return coordinations


@transaction.atomic
def reorganisation_apply(*, actor: Any, reorg: Reorganisation) -> dict[str, int]:
    """Apply the reviewed plan, all or nothing: refused (nothing changed) when the plan no longer
    matches the open work, a task has no new holder, or the date has not come."""
    _require_reorganiser(actor)
    reorg = _draft(reorg)
    if workdays.today() < reorg.effective_date:
        raise ValidationError(
            _("The change takes effect on %(day)s; apply it from that day.")
            % {"day": f"{reorg.effective_date:%d/%m/%Y}"}
        )
    sources, _targets = sides(reorg)
    moved = coordinations = 0
    if reorg.kind in MOVES_WORK:
        items = list(
            TransferItem.objects.filter(reorganisation=reorg).select_related("from_org", "to_org")
        )
        planned = _check_plan(reorg, items, sources)
        moved = _move_leads(actor, reorg, items, planned)
        coordinations = _move_coordinations(items)
        TransferItem.objects.filter(reorganisation=reorg).update(applied=True)
    reorganisation_mark_applied(actor=actor, reorg=reorg)
    record(
        actor=actor,
        action="reorganisation.apply",
        target=reorg,
        after={"tasks": moved, "coordinations": coordinations, "sources": len(sources)},
        actor_org=_actor_org(actor),
    )
    return {"tasks": moved, "coordinations": coordinations}
