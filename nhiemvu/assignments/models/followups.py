"""What happens to a task after it is given, each episode its own row: extension requests,
explanations of delay (and the causes offered), delegation inside the lead agency and its
internal reports, changes of lead, and the reorganisations' transfer items.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nhiemvu.assignments.models.tasks import Assignment
from nhiemvu.lib.codes import new_code
from nhiemvu.orgs.models import Organisation


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ExtensionKind(models.TextChoices):
    EXTEND = "extend", _("Extension of the deadline")
    SET = "set", _("Completion date proposed for a task without deadline")


class Extension(models.Model):
    """A request to move the deadline; the approved ones, in order, give the effective deadline."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="extensions")
    kind = models.CharField(max_length=8, choices=ExtensionKind.choices, default="extend")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField(_("reason"))
    deadline_before = models.DateField(_("deadline before"), null=True, blank=True)
    proposed_deadline = models.DateField(_("proposed deadline"))
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    office_advice = models.TextField(_("office's advice"), blank=True)
    advised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    new_deadline = models.DateField(_("approved deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["requested_at", "id"]
        constraints = [
            # One open request at a time per task.
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status="pending"), name="extension_one_pending"
            ),
        ]
        indexes = [
            # Effective deadline as of a date: the latest approval on or before it.
            models.Index(fields=["assignment", "status", "decided_on"], name="ext_asg_decided"),
            models.Index(fields=["status", "requested_at"], name="ext_status"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_before} → {self.proposed_deadline} ({self.status})"


class DelegationEnd(models.TextChoices):
    REPLACED = "replaced", _("Passed to someone else")
    REASSIGN = "reassign", _("The office reassigned the task to another agency")
    TRANSFER = "transfer", _("The task was transferred in a reorganisation")


class Delegation(models.Model):
    """Inside the lead agency: its head passes the task to one of its people (a division's
    officer), with an internal deadline before the province's. The agency sees it; the province
    does not: the task's status, reports and timeline never read it, and the agency still
    reports to the province through its lead (DOMAIN.md §3)."""

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="delegations")
    # The agency that passed the task on: its inside stays its own for ever, whoever leads the
    # task later (rules.sees_inside asks this, never the task's lead of today).
    org = models.ForeignKey(
        Organisation, models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="delegated_tasks",
        verbose_name=_("assigned to"),
    )
    division = models.CharField(_("division"), max_length=200, blank=True)
    internal_deadline = models.DateField(_("internal deadline"), null=True, blank=True)
    note = models.TextField(_("instructions"), blank=True)
    delegated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    delegated_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    # Why and when it stopped being the agency's current hand-over: replaced by another, or
    # the task left the agency (a change of lead ends it in the same transaction).
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_because = models.CharField(max_length=20, choices=DelegationEnd.choices, blank=True)

    class Meta:
        verbose_name = _("internal assignment")
        verbose_name_plural = _("internal assignments")
        ordering = ["-delegated_at", "-id"]
        constraints = [
            # One person holds the task inside the agency at a time; a new one replaces it.
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(active=True), name="one_active_delegation"
            )
        ]
        # Read by the officer's home: "assigned to me inside the agency".
        indexes = [models.Index(fields=["assignee", "active"], name="delegation_assignee")]

    def __str__(self) -> str:
        return f"{self.assignment_id} → {self.assignee_id}"


class InternalReport(models.Model):
    """What the officer reports to the head about a passed-on task (inside the agency only)."""

    delegation = models.ForeignKey(Delegation, models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField(_("report"))
    percent = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("internal report")
        verbose_name_plural = _("internal reports")

    def __str__(self) -> str:
        return self.text[:60]


class LeadChangeReason(models.TextChoices):
    TRANSFER = "transfer", _("Transferred in a reorganisation")
    REASSIGN = "reassign", _("Reassigned by the office")


class LeadChange(models.Model):
    """Each change of a task's lead, dated by when it took effect.

    The rule for "who held the task on a date" reads these (assignments/holders.py): the
    `from_org` of the first change dated after that day, else the task's lead. A reorganisation
    applied late is dated by its effective date, not by the day the office applied it.
    """

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="lead_changes")
    on = models.DateField(_("effective from"))
    from_org = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    to_org = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    reason = models.CharField(max_length=10, choices=LeadChangeReason.choices)
    reorganisation = models.ForeignKey(
        "orgs.Reorganisation", models.PROTECT, null=True, blank=True, related_name="lead_changes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [
            # holders.holder_expr: the first change after a date, per task.
            models.Index(fields=["assignment", "on", "id"], name="leadchange_task_on"),
            # holders: "is anything dated after this day?" (a report as of today needs no more).
            models.Index(fields=["on"], name="leadchange_on"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.from_org_id} → {self.to_org_id} ({self.on})"


class TransferRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    COORDINATION = "coord", _("Coordinating")


class TransferItem(models.Model):
    """One line of a reorganisation's transfer plan: a task an ending organisation leads (or
    coordinates), and who takes it over. The office edits `to_org` before the plan is applied;
    an empty `to_org` on a coordinating line drops that coordination."""

    reorganisation = models.ForeignKey(
        "orgs.Reorganisation", models.CASCADE, related_name="transfer_items"
    )
    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="transfer_items")
    role = models.CharField(max_length=5, choices=TransferRole.choices)
    from_org = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    to_org = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Why the default holder was chosen ("the merger's successor", "rule: giao thông").
    basis = models.CharField(max_length=120, blank=True)
    applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reorganisation", "assignment", "role", "from_org"],
                name="transfer_item_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.from_org_id} → {self.to_org_id}"


class DelayCause(models.Model):
    """A cause of delay agencies choose from when they explain a late task (issue 18). The list
    is the administrators' (a short one: causes are counted, so free words would not add up)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("cause"), max_length=200)
    # "Waiting for another agency's input": the explanation names that agency, so the report
    # can say who holds whom up.
    names_org = models.BooleanField(_("names another organisation"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("cause of delay")
        verbose_name_plural = _("causes of delay")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ExplanationTrigger(models.TextChoices):
    LATE_COMPLETION = "completion", _("Completion reported after the deadline")
    LATE_EXTENSION = "extension", _("Extension asked after the deadline")
    OVERDUE = "overdue", _("Overdue")


class Explanation(models.Model):
    """The lead agency's explanation (giải trình) of a delay: its cause, the other agency when
    it waited for one, its own words and what it will do differently. The one in force on a date
    is the latest submitted by then and not returned by then (assignments/explanations.py)."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="explanations")
    trigger = models.CharField(max_length=10, choices=ExplanationTrigger.choices)
    cause = models.ForeignKey(DelayCause, models.PROTECT, related_name="explanations")
    other_org = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("explanation"))
    remedy = models.TextField(_("what will be done differently"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    author_org = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    submitted_on = models.DateField()
    return_reason = models.TextField(blank=True)
    # Returned as insufficient on this day (the one record of it: no separate state column, so
    # "in force" has one meaning, assignments/explanations.py).
    returned_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("explanation of delay")
        verbose_name_plural = _("explanations of delay")
        ordering = ["submitted_at", "id"]
        indexes = [
            # explanations.in_force_expr: a task's latest explanation up to a date.
            models.Index(fields=["assignment", "submitted_on", "id"], name="expl_task_on"),
            # reports.selectors.lessons: the causes given in a quarter.
            models.Index(fields=["submitted_on", "cause"], name="expl_on_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.cause_id}"

    @property
    def returned(self) -> bool:
        return self.returned_on is not None
