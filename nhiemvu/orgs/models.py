from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nhiemvu.lib import orgkinds
from nhiemvu.lib.vntext import fold


class OrgKind(models.TextChoices):
    PROVINCE = orgkinds.PROVINCE, _("Provincial People's Committee")
    OFFICE = orgkinds.OFFICE, _("Office of the People's Committee")
    WORKING_GROUP = orgkinds.WORKING_GROUP, _("Working group")
    DEPARTMENT = orgkinds.DEPARTMENT, _("Department or agency")
    DISTRICT = orgkinds.DISTRICT, _("District People's Committee")
    COMMUNE = orgkinds.COMMUNE, _("Commune People's Committee")
    WARD = orgkinds.WARD, _("Ward People's Committee")
    SPECIAL_ZONE = orgkinds.SPECIAL_ZONE, _("Special zone People's Committee")
    CENTRAL = orgkinds.CENTRAL, _("Central agency in the province")
    PUBLIC_UNIT = orgkinds.PUBLIC_UNIT, _("Public service unit")
    GOVERNMENT = orgkinds.GOVERNMENT, _("Government, Prime Minister")
    MINISTRY = orgkinds.MINISTRY, _("Ministry or central agency")
    OTHER = orgkinds.OTHER, _("Other")


class Organisation(models.Model):
    """An agency, locality or unit. Organisations end (2025 mergers) but are never deleted."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("official name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # Who the organisation is outside this system: the codes a digital certificate carries (its
    # organizationIdentifier, or "MST:"/"MNS:" in its UID) and other systems send. A signature
    # counts as the agency's only by such an identity or a registered name (orgs.matching).
    electronic_id = models.CharField(
        _("electronic identifier"),
        max_length=40,
        blank=True,
        help_text=_(
            "The organisation's electronic identifier code for document exchange "
            "(Decision 20/2020/QĐ-TTg), e.g. 000.00.12.H21."
        ),
    )
    tax_code = models.CharField(
        _("tax or budget code"),
        max_length=20,
        blank=True,
        help_text=_("The tax code (MST) or budget relationship code (MNS) in its certificates."),
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "name"], name="org_kind_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="org_validity_order",
            ),
            models.UniqueConstraint(
                fields=["electronic_id"],
                condition=~Q(electronic_id=""),
                name="org_electronic_id_unique",
            ),
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="org_tax_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.electronic_id = " ".join(self.electronic_id.split())
        self.tax_code = " ".join(self.tax_code.split())
        self.search_text = fold(
            f"{self.name} {self.short_name} {self.code} {self.electronic_id} {self.tax_code}"
        )
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def label(self) -> str:
        return self.short_name or self.name


class OrgAlias(models.Model):
    """Other names an organisation goes by in directives ("Sở TT&TT", "STTTT")."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=255)
    folded = models.CharField(max_length=255, editable=False, unique=True)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return self.alias

    def save(self, *args: object, **kwargs: object) -> None:
        self.folded = fold(self.alias)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def new_reorg_code() -> str:
    return secrets.token_hex(5)


class ReorgKind(models.TextChoices):
    MERGE = "merge", _("Merger")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Renaming")
    DISSOLVE = "dissolve", _("Dissolution")
    MOVE = "move", _("Move to another parent")


class ReorgState(models.TextChoices):
    DRAFT = "draft", _("Transfer plan under review")
    APPLIED = "applied", _("Applied")


class Reorganisation(models.Model):
    """One dated change of the province's organisation (the 2025 reform: DOMAIN.md §9).

    Recorded first (a draft: its transfer plan is reviewed by the office), then applied all or
    nothing on or after its effective date: the old organisations end the day before, the open
    tasks move to the holders the plan names, and each organisation's page shows it as lineage.
    """

    code = models.CharField(max_length=12, unique=True, default=new_reorg_code, editable=False)
    kind = models.CharField(_("kind of change"), max_length=10, choices=ReorgKind.choices)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ReorgState.choices, default=ReorgState.DRAFT
    )
    # A rename: the name and short name from the effective date (the old ones stay here, so
    # figures as of an earlier date show the name the organisation had then).
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    new_short_name = models.CharField(_("new short name"), max_length=80, blank=True)
    old_name = models.CharField(max_length=255, blank=True, editable=False)
    old_short_name = models.CharField(max_length=80, blank=True, editable=False)
    # A move: the parent from the effective date, and the one before.
    new_parent = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new parent"),
    )
    old_parent = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # A split's default holder of each task, by what the task says: [{"to": code, "words":
    # ["giao thông", ...]}, ...] in order; the first rule whose words the task's text contains
    # wins. The office edits it, then each task in the plan.
    split_rules = models.JSONField(_("split rules"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y} ({self.legal_basis})"


class ReorgSide(models.TextChoices):
    SOURCE = "source", _("Before")
    TARGET = "target", _("After")


class ReorgPart(models.Model):
    """An organisation a reorganisation ends or changes (source) or hands work to (target)."""

    reorganisation = models.ForeignKey(Reorganisation, models.CASCADE, related_name="parts")
    org = models.ForeignKey(Organisation, models.PROTECT, related_name="reorg_parts")
    side = models.CharField(max_length=6, choices=ReorgSide.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reorganisation", "org", "side"], name="reorg_part_unique"
            )
        ]
        indexes = [models.Index(fields=["org", "side"], name="reorg_part_org")]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.org_id}"


class Role(models.TextChoices):
    LEADER = "leader", _("Provincial leader")
    OFFICE = "office", _("Office tracking officer")
    WORKING_GROUP = "working_group", _("Working group member")
    OFFICER = "officer", _("Agency officer")
    HEAD = "head", _("Agency head")
    VIEWER = "viewer", _("Viewer")
    ADMIN = "admin", _("Administrator")


# The roles that act for an agency (accept, report, are reminded, may be passed a task); a
# viewer only reads. Scope.lead_org_ids, the reminders' recipients, delegation and its form ask
# this one tuple (orgs.rules.acts_for / orgs.selectors.acting_memberships).
ACTING_ROLES: tuple[Role, ...] = (Role.OFFICER, Role.HEAD)


# Roles whose holders see the whole province; the others see their organisation's tasks.
PROVINCE_ROLES = frozenset({Role.LEADER, Role.OFFICE, Role.WORKING_GROUP, Role.ADMIN})

# The province-wide roles belong to the province's own bodies: the Committee's leaders, its
# Office, the Chairman's Working Group. An agency's people (and its systems' keys) act for the
# agency only, whatever label they are given.
_AGENCY_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.VIEWER})
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrgKind.PROVINCE: frozenset({Role.LEADER, Role.VIEWER}),
    OrgKind.OFFICE: frozenset({Role.OFFICE, Role.WORKING_GROUP, Role.ADMIN}) | _AGENCY_ROLES,
    OrgKind.WORKING_GROUP: frozenset({Role.WORKING_GROUP, Role.VIEWER}),
}


# What the Administrator role may do in the admin site (/quan-tri/), held by one group made by a
# data migration (accounts 0003) and given to whoever holds the role (orgs.services
# .admin_access_sync): Django's staff flag alone lets a person in but shows nothing (issue 27).
# (app label, model, actions); reference data is viewed, added and changed, never deleted
# (an organisation ends by a reorganisation, a key is revoked); what the system writes itself
# (the audit trail, the outbox, the reminder log, webhook deliveries, directives) is only read.
ADMIN_GROUP = "Quản trị viên"
ADMIN_PERMISSIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("orgs", "organisation", ("view", "add", "change")),
    ("orgs", "orgalias", ("view", "add", "change", "delete")),  # an alias is a spelling
    ("orgs", "membership", ("view", "add", "change", "delete")),  # a role is revoked so
    ("orgs", "calendaroverride", ("view", "add", "change", "delete")),
    ("orgs", "trustroot", ("view", "add", "change")),
    ("assignments", "delaycause", ("view", "add", "change")),
    ("reminders", "reminderrule", ("view", "add", "change")),
    ("webhooks", "webhook", ("view", "add", "change")),
    ("accounts", "user", ("view", "add", "change")),
    ("accounts", "apikey", ("view", "add", "change")),
    ("audit", "auditevent", ("view",)),
    ("reminders", "outbox", ("view",)),
    ("reminders", "reminderlog", ("view",)),
    ("webhooks", "delivery", ("view",)),
    ("directives", "directive", ("view",)),
)


def admin_codenames() -> list[tuple[str, str]]:
    """ADMIN_PERMISSIONS as (app label, codename) pairs."""
    return [
        (app, f"{action}_{model}")
        for app, model, actions in ADMIN_PERMISSIONS
        for action in actions
    ]


def admin_group(group_model: Any, permission_model: Any) -> Any:
    """The administrators' group holding ADMIN_PERMISSIONS (those that exist), made if missing:
    by the data migration (with its historical models) and again after a database was flushed
    (orgs.services.admin_access_sync)."""
    group, _created = group_model.objects.get_or_create(name=ADMIN_GROUP)
    wanted = admin_codenames()
    query = models.Q(pk__in=[])
    for app_label, codename in wanted:
        query |= models.Q(content_type__app_label=app_label, codename=codename)
    if group.permissions.count() != len(wanted):
        group.permissions.add(*permission_model.objects.filter(query))
    return group


def role_allowed(org: Organisation, role: str) -> bool:
    """Whether a person (or a key) of ``org`` may hold ``role``."""
    return role in ROLES_BY_KIND.get(org.kind, _AGENCY_ROLES)


class LeaderTitle(models.TextChoices):
    NONE = "", _("—")
    CHAIRMAN = "chu_tich", _("Chairman")
    VICE_CHAIRMAN = "pho_chu_tich", _("Vice-Chairman")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    org = models.ForeignKey(
        Organisation, models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    leader_title = models.CharField(
        _("leader title"), max_length=20, choices=LeaderTitle.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.org}"


class CalendarOverride(models.Model):
    """An announced exception to holidays.VN: a day off (nghỉ bù) or a make-up working day."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.reason}"


class TrustRoot(models.Model):
    """A certification authority the province trusts for digital signatures (issue 17):
    administrators add the root (or intermediate) certificates of the CAs whose signatures count
    (Ban Cơ yếu Chính phủ's, licensed public CAs). None is trusted by default."""

    name = models.CharField(_("name"), max_length=200)
    certificate = models.TextField(_("certificate (PEM)"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=500, editable=False, default="")
    not_after = models.DateTimeField(_("valid until"), null=True, editable=False)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trusted certification authority")
        verbose_name_plural = _("trusted certification authorities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
