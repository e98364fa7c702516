"""Writes for reference data: organisations, aliases, users and their memberships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhiemvu.audit.services import record
from nhiemvu.lib import workdays
from nhiemvu.lib.vntext import clean_line, fold
from nhiemvu.orgs.models import (
    ADMIN_GROUP,
    CalendarOverride,
    LeaderTitle,
    Membership,
    OrgAlias,
    Organisation,
    OrgKind,
    Reorganisation,
    ReorgKind,
    ReorgPart,
    ReorgSide,
    ReorgState,
    Role,
    TrustRoot,
    admin_group,
    role_allowed,
)
from nhiemvu.orgs.rules import allows, can_reorganise, forget_scope, is_admin


def _require_admin(actor: Any) -> None:
    # `actor=None` is the system itself (orgs.rules: who counts, decided once).
    if not allows(actor, is_admin):
        raise PermissionDenied(_("Only an administrator manages reference data."))


@transaction.atomic
def organisation_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    parent: Organisation | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    successor: Organisation | None = None,
    aliases: list[str] | None = None,
) -> Organisation:
    """Create the organisation with this code, or bring it up to date. Idempotent."""
    _require_admin(actor)
    if kind not in OrgKind.values:
        raise ValidationError({"kind": _("Unknown organisation kind.")})
    org = Organisation.objects.filter(code=code).first() or Organisation(code=code)
    before = {"name": org.name, "valid_to": org.valid_to, "successor": org.successor_id}
    org.name = clean_line(name)
    org.short_name = clean_line(short_name)
    org.kind = kind
    org.parent = parent
    org.valid_from = valid_from
    org.valid_to = valid_to
    org.successor = successor
    org.full_clean()
    created = org.pk is None
    org.save()
    for alias in aliases or []:
        folded = fold(alias)
        existing = OrgAlias.objects.filter(folded=folded).first()
        if existing and existing.org_id != org.pk:
            raise ValidationError(
                {
                    "aliases": _("The alias “%(alias)s” already belongs to %(org)s.")
                    % {"alias": alias, "org": existing.org.name}
                }
            )
        if not existing:
            OrgAlias.objects.create(org=org, alias=clean_line(alias))
    if created or before["name"] != org.name or before["valid_to"] != org.valid_to:
        record(
            actor=actor,
            action="organisation.create" if created else "organisation.update",
            target=org,
            before={} if created else before,
            after={"name": org.name, "valid_to": org.valid_to, "successor": org.successor_id},
        )
    return org


@transaction.atomic
def user_upsert(
    *,
    actor: Any,
    username: str,
    full_name: str,
    email: str = "",
    password: str | None = None,
    job_title: str = "",
    is_staff: bool = False,
) -> Any:
    _require_admin(actor)
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = user_model(username=username)
    user.full_name = clean_line(full_name)
    user.email = email
    user.job_title = job_title
    user.is_staff = is_staff
    if password and (created or not user.has_usable_password()):
        user.set_password(password)
    if created and not password:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if created:
        record(actor=actor, action="user.create", target=user, after={"username": username})
    return user


@transaction.atomic
def membership_grant(
    *, actor: Any, user: Any, org: Organisation, role: str, leader_title: str = ""
) -> Membership:
    _require_admin(actor)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if leader_title not in LeaderTitle.values:
        raise ValidationError({"leader_title": _("Unknown leader title.")})
    if leader_title and role != Role.LEADER:
        raise ValidationError({"leader_title": _("Only a leader has a leader title.")})
    if not role_allowed(org, role):
        raise ValidationError(
            {
                "role": _("No one in %(org)s may hold the role “%(role)s”.")
                % {"org": org.name, "role": Role(role).label}
            }
        )
    membership, created = Membership.objects.get_or_create(
        user=user, org=org, role=role, defaults={"leader_title": leader_title}
    )
    if not created and membership.leader_title != leader_title:
        membership.leader_title = leader_title
        membership.save(update_fields=["leader_title"])
    if created:
        record(
            actor=actor,
            action="membership.grant",
            target=membership,
            after={"user": user.username, "org": org.code, "role": role},
        )
    forget_scope(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    _require_admin(actor)
    user = membership.user
    record(
        actor=actor,
        action="membership.revoke",
        target=membership,
        before={"user": user.username, "org": membership.org.code, "role": membership.role},
    )
    membership.delete()  # the admin group follows (admin_access_sync, on every membership write)
    forget_scope(user)


def admin_access_sync(user: Any) -> None:
    """Whoever holds the Administrator role is staff and in the administrators' group (the
    permissions the admin site asks, orgs.models.ADMIN_PERMISSIONS); whoever no longer holds it
    is neither (a superuser stays staff). Run on every membership saved or deleted, by a service,
    the admin site or a test (orgs.apps), so no path grants the role without the access."""
    from django.contrib.auth.models import Group, Permission

    holds = Membership.objects.filter(user=user, role=Role.ADMIN).exists()
    if holds:
        user.groups.add(admin_group(Group, Permission))
    else:
        user.groups.remove(*Group.objects.filter(name=ADMIN_GROUP))
    staff = holds or bool(user.is_superuser)
    if user.is_staff != staff:
        user.is_staff = staff
        type(user).objects.filter(pk=user.pk).update(is_staff=staff)


@transaction.atomic
def calendar_override_set(
    *, actor: Any, date: dt.date, is_working: bool, reason: str
) -> CalendarOverride:
    _require_admin(actor)
    reason = clean_line(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason (the announcement) for this day.")})
    override, _created = CalendarOverride.objects.update_or_create(
        date=date, defaults={"is_working": is_working, "reason": reason}
    )
    record(
        actor=actor,
        action="calendar.override",
        target=override,
        after={"date": date, "is_working": is_working, "reason": reason},
    )
    workdays.invalidate()  # this process at once; others within workdays.CACHE_SECONDS
    transaction.on_commit(workdays.invalidate)
    return override


# --- reorganisations (DOMAIN.md §9) ----------------------------------------------------------

LEGAL_BASIS_CHARS = 255
SPLIT_RULE_WORDS = 50  # words per rule, rules per split: a mapping a person edits, not a corpus


def _require_reorganiser(actor: Any) -> None:
    if not allows(actor, can_reorganise):
        raise PermissionDenied(
            _("Only the Provincial Office or an administrator records a reorganisation.")
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
    the office has reviewed its transfer plan and applied it (assignments' reorganisation_apply).
    """
    _require_reorganiser(actor)
    targets = list(targets or [])
    sources = list(dict.fromkeys(sources))
    targets = list(dict.fromkeys(targets))
    legal_basis = clean_line(legal_basis)
    errors: dict[str, str] = {}
    if kind not in ReorgKind.values:
        raise ValidationError({"kind": _("Unknown kind of reorganisation.")})
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
    _require_reorganiser(actor)
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
    (assignments.services.reorganisation_apply moves the work first): the sources of a merger,
    split or dissolution end the day before; a renamed organisation keeps its old name as an
    alias (the reader still knows it) and on the record; a moved one its old parent."""
    parts = list(reorg.parts.select_related("org"))
    sources = [p.org for p in parts if p.side == ReorgSide.SOURCE]
    targets = [p.org for p in parts if p.side == ReorgSide.TARGET]
    day_before = reorg.effective_date - dt.timedelta(days=1)
    if reorg.kind in (ReorgKind.MERGE, ReorgKind.SPLIT, ReorgKind.DISSOLVE):
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


# --- trusted certification authorities (issue 17) --------------------------------------------

CERTIFICATE_BYTES = 64 * 1024  # a certificate is a few KB; a chain file a few more


def read_certificate(data: bytes) -> Any:
    """An X.509 certificate from PEM or DER bytes, or a ValidationError a person can read."""
    from cryptography import x509

    if not data or len(data) > CERTIFICATE_BYTES:
        raise ValidationError({"certificate": _("Upload one certificate file (at most 64 KB).")})
    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if b"-----BEGIN" in data
            else x509.load_der_x509_certificate(data)
        )
    except ValueError as exc:
        raise ValidationError(
            {"certificate": _("The file is not an X.509 certificate (PEM or DER).")}
        ) from exc
    return cert


@transaction.atomic
def trust_root_add(*, actor: Any, name: str, data: bytes) -> TrustRoot:
    """Trust a CA's certificate (PEM or DER) for digital signatures. Administrators only."""
    from cryptography.hazmat.primitives import hashes, serialization

    _require_admin(actor)
    name = clean_line(name)
    if not name:
        raise ValidationError({"name": _("Give the certification authority's name.")})
    cert = read_certificate(data)
    fingerprint = cert.fingerprint(hashes.SHA256()).hex()
    if TrustRoot.objects.filter(fingerprint=fingerprint).exists():
        raise ValidationError({"certificate": _("This certificate is already trusted.")})
    root = TrustRoot.objects.create(
        name=name[:200],
        certificate=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        fingerprint=fingerprint,
        subject=cert.subject.rfc4514_string()[:500],
        not_after=cert.not_valid_after_utc,
    )
    record(
        actor=actor,
        action="trust_root.add",
        target=root,
        after={"name": root.name, "fingerprint": fingerprint, "subject": root.subject},
    )
    return root
