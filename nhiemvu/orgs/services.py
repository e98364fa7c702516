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
    Role,
    TrustRoot,
    admin_group,
    role_allowed,
)
from nhiemvu.orgs.rules import allows, forget_scope, is_admin


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


# --- trusted certification authorities (issue 17) --------------------------------------------

CERTIFICATE_BYTES = 64 * 1024  # a certificate is a few KB; a chain file a few more


def _column(model: Any, name: str) -> int:
    """A column's length: what is stored in it is cut to fit."""
    return int(model._meta.get_field(name).max_length)


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
        name=name[: _column(TrustRoot, "name")],
        certificate=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        fingerprint=fingerprint,
        subject=cert.subject.rfc4514_string()[: _column(TrustRoot, "subject")],
        not_after=cert.not_valid_after_utc,
    )
    record(
        actor=actor,
        action="trust_root.add",
        target=root,
        after={"name": root.name, "fingerprint": fingerprint, "subject": root.subject},
    )
    return root
