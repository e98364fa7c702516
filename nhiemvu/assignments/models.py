"""Tasks (nhiệm vụ) and what happens to them.

The model is named Assignment because Django owns `django.tasks`. Current state lives in
denormalised columns for fast lists; every state change also writes an AssignmentEvent with the
state it leads to, so the status as of any past date can be recomputed (status.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nhiemvu.directives.models import Directive, StoredFile, Urgency
from nhiemvu.lib.codes import new_code
from nhiemvu.orgs.models import Organisation


class WorkState(models.TextChoices):
    OPEN = "open", _("In progress")
    REFUSED = "refused", _("Refused, awaiting reassignment")
    REPORTED = "reported", _("Completion reported")
    RETURNED = "returned", _("Returned for rework")
    DONE = "done", _("Completed (confirmed)")
    PAUSED = "paused", _("Paused")


# Work states in which the agency still owes the work (returned counts as open: DOMAIN.md §4).
OPEN_STATES = (WorkState.OPEN, WorkState.REFUSED, WorkState.RETURNED)
ACTIVE_STATES = (*OPEN_STATES, WorkState.REPORTED)
# Work states in which the agency is the one to act, so reminders and urging go to it: a refused
# task waits for the office, a reported one for confirmation.
REMINDED_STATES = (WorkState.OPEN, WorkState.RETURNED)


# The reminder rule of the founding letter's 3-monthly check of tasks without deadline: its code
# is named here because the task's timeline entry of each reminder carries it (data["rule"]) and
# the reports read the last check from the timeline (reminders.RuleCode.NO_DEADLINE is this).
QUARTERLY_CHECK_RULE = "no_deadline"


class DeadlineKind(models.TextChoices):
    FIXED = "fixed", _("Fixed date")
    NONE = "none", _("No deadline")
    RECURRING = "recurring", _("Recurring")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every 6 months")
    YEARLY = "yearly", _("Yearly")
    OTHER = "other", _("Other period")


class DeliverableKind(models.TextChoices):
    NONE = "", _("No deliverable")
    REPORT = "bao_cao", _("Report (báo cáo)")
    SUBMISSION = "to_trinh", _("Submission (tờ trình)")
    PROPOSAL = "de_xuat", _("Proposal (đề xuất)")
    PLAN = "ke_hoach", _("Plan (kế hoạch)")
    SCHEME = "de_an", _("Scheme (đề án)")
    DRAFT = "du_thao", _("Draft (dự thảo)")
    DOCUMENT = "van_ban", _("Document (văn bản)")
    OPTION = "phuong_an", _("Option (phương án)")
    OTHER = "khac", _("Other product")


class AssignmentGroup(models.Model):
    """One clause addressed to a group ("các sở, ban, ngành"): one task per organisation below."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    directive = models.ForeignKey(Directive, models.CASCADE, related_name="groups")
    label = models.CharField(_("group as written"), max_length=255)
    content = models.TextField(_("content"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")

    def __str__(self) -> str:
        return f"{self.label}: {self.content[:60]}"


class Assignment(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    directive = models.ForeignKey(
        Directive, models.PROTECT, related_name="assignments", verbose_name=_("source document")
    )
    group = models.ForeignKey(
        AssignmentGroup,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("group"),
    )
    content = models.TextField(_("content"))
    summary = models.CharField(_("summary"), max_length=300)
    lead = models.ForeignKey(
        Organisation, models.PROTECT, related_name="led_assignments", verbose_name=_("lead agency")
    )
    # The lead at assignment: transfers and reassignments change `lead`, history keeps this.
    original_lead = models.ForeignKey(
        Organisation, models.PROTECT, related_name="+", verbose_name=_("originally assigned to")
    )
    coordinators = models.ManyToManyField(
        Organisation,
        through="Coordination",
        related_name="coordinated_assignments",
        verbose_name=_("coordinating agencies"),
    )
    deliverable_kind = models.CharField(
        _("deliverable"), max_length=12, choices=DeliverableKind.choices, blank=True, default=""
    )
    deliverable_text = models.CharField(_("deliverable description"), max_length=300, blank=True)
    deadline_kind = models.CharField(
        _("deadline kind"), max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.FIXED
    )
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    # The effective deadline today: the latest approved extension, else the original.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_time = models.TimeField(_("deadline time"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=12, choices=Recurrence.choices, blank=True, default=""
    )
    recurrence_rule = models.CharField(_("recurrence rule"), max_length=120, blank=True)
    # The day each period's report is due: day of the period's last month (monthly, quarterly,
    # 6-monthly, yearly; empty = its last day) or weekday 0–6 (weekly; empty = Friday).
    recurrence_day = models.PositiveSmallIntegerField(_("recurrence day"), null=True, blank=True)
    # A recurring task's report for one period is a task of its own, with that period's date.
    recurring_parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("recurring task"),
    )
    period = models.CharField(_("period"), max_length=12, blank=True)
    # Required when a deliverable is demanded without a deadline (Công văn 1147/UBND-KSTT).
    no_deadline_reason = models.TextField(_("reason for no deadline"), blank=True)
    flagged = models.BooleanField(_("deliverable without deadline"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigning leader"),
    )
    assigned_on = models.DateField(_("assigned on"))
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    state = models.CharField(
        _("state"), max_length=10, choices=WorkState.choices, default=WorkState.OPEN
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # The output document's date: decides on time vs late (DOMAIN.md §4).
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    completion_ref = models.CharField(_("output document"), max_length=120, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    # The last day anything happened that decides the status as of a date (a state change, an
    # approved extension). Status as of any later date is the current columns: no need to
    # rebuild it from events, which keeps past-period reports fast (status.annotate).
    history_on = models.DateField(null=True, blank=True, editable=False)
    # Stamped once, at confirmation.
    completed_late = models.BooleanField(_("completed late"), null=True, blank=True)
    # Work from above (issue 16): a task the province received from the Government, the Prime
    # Minister or a ministry, with the issuer's own code and the deadline the province must
    # meet; the office splits it into sub-tasks for its agencies (`upper` on each). Its status
    # rolls up from them (assignments/rollup.py).
    received = models.BooleanField(_("received from above"), default=False)
    external_code = models.CharField(_("issuer's task code"), max_length=60, blank=True)
    upper = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="subtasks",
        verbose_name=_("received task"),
    )
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "id"]
        indexes = [
            # An agency's tasks by state and deadline: agency home, task list filtered by lead.
            # completed_late and completion_date make it cover the status columns, so an
            # agency's counts by status (status.annotate) read the index, not the wide rows.
            # Its leading (lead, deadline, code) is also an agency's list in deadline order, one
            # range per page (the state filter is checked inside the index).
            models.Index(
                fields=["lead", "deadline", "code", "state", "completed_late", "completion_date"],
                name="asg_lead_status",
            ),
            # Tasks of one document: document page.
            models.Index(fields=["directive", "id"], name="asg_directive"),
            # The task lists' orders (assignments.selectors.SORTS), each read as one index range
            # by keyset.page, forwards or backwards, with the code as the tie-breaker: no
            # page, however deep, scans or sorts the table (tests/test_explain.py).
            models.Index(fields=["deadline", "code"], name="asg_list_deadline"),
            models.Index(fields=["assigned_on", "code"], name="asg_list_assigned"),
            # Work still owed (status.owed_q) by deadline: the open-work and overdue lists in
            # their order, the office inbox, the backlog report. Partial: only owed rows.
            models.Index(
                fields=["deadline", "code", "lead"],
                name="asg_open_deadline",
                condition=Q(state__in=["open", "refused", "returned", "reported"]),
            ),
            # … and by assignment date (the open-work list newest first, the overdue ones).
            models.Index(
                fields=["assigned_on", "code"],
                name="asg_open_assigned",
                condition=Q(state__in=["open", "refused", "returned", "reported"]),
            ),
            # Province-wide counts by status (home, reports) as a covering-index scan; label
            # filters (status.label_q) and the urgent list by deadline.
            # With the code after the deadline, a status's list in deadline order (the
            # overdue list) is also one range of it, the cursor included.
            models.Index(
                fields=["state", "deadline", "code", "completed_late", "completion_date"],
                name="asg_status",
            ),
            # Completed per month (leader home trend).
            models.Index(
                fields=["confirmed_on", "completed_late"],
                name="asg_confirmed",
                condition=Q(confirmed_on__isnull=False),
            ),
            models.Index(fields=["assigned_by", "state"], name="asg_leader_state"),
            # The office inbox's lists, each read in its own order from a small partial index
            # instead of a scan of every task (bench/pages.py "home (office inbox)"):
            # reports awaiting confirmation, oldest first (status.label_q AWAITING);
            models.Index(
                fields=["completion_date", "id"],
                name="asg_awaiting",
                condition=Q(state="reported"),
            ),
            # tasks without deadline due their 3-monthly check (status.quarterly_check_q);
            models.Index(
                fields=["assigned_on", "id"],
                name="asg_without_deadline",
                condition=Q(state__in=["open", "returned"], deadline__isnull=True)
                & ~Q(deadline_kind="recurring"),
            ),
            # The received tasks (work from above): the leaders' home and the report's table.
            models.Index(
                fields=["deadline", "id"], name="asg_received", condition=Q(received=True)
            ),
            # deliverables without deadline (status.flagged_q).
            models.Index(
                fields=["id"],
                name="asg_needs_deadline",
                condition=Q(
                    state__in=["open", "refused", "returned", "reported"], deadline__isnull=True
                )
                & ~Q(deliverable_kind="")
                & ~Q(deadline_kind="recurring"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="asg_progress_max_100"
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind="fixed") | Q(deadline__isnull=False),
                name="asg_fixed_has_deadline",
            ),
            # One report per period: two schedulers cannot create it twice.
            models.UniqueConstraint(
                fields=["recurring_parent", "period"],
                name="asg_one_occurrence_per_period",
                condition=Q(recurring_parent__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_extended(self) -> bool:
        return self.deadline is not None and self.original_deadline not in (None, self.deadline)


class Coordination(models.Model):
    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="coordinations")
    org = models.ForeignKey(Organisation, models.PROTECT, related_name="coordinations")

    class Meta:
        verbose_name = _("coordinating agency")
        verbose_name_plural = _("coordinating agencies")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "org"], name="coordination_unique")
        ]
        # Tasks an organisation coordinates: visibility filter and agency home.
        indexes = [models.Index(fields=["org", "assignment"], name="coordination_org")]

    def __str__(self) -> str:
        return f"{self.org_id} → {self.assignment_id}"


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


class EventKind(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    REASSIGNED = "reassigned", _("Reassigned")
    TRANSFERRED = "transferred", _("Transferred to successor")
    PROGRESS = "progress", _("Progress report")
    COMPLETION = "completion", _("Completion report")
    CONFIRMED = "confirmed", _("Completion confirmed")
    RETURNED = "returned", _("Returned for rework")
    EXTENSION_REQUESTED = "ext_requested", _("Extension requested")
    EXTENSION_ADVISED = "ext_advised", _("Office advice on extension")
    EXTENSION_APPROVED = "ext_approved", _("Extension approved")
    EXTENSION_DENIED = "ext_denied", _("Extension denied")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    COMMENT = "comment", _("Comment")
    REMINDER = "reminder", _("Reminder sent")
    EXPLAINED = "explained", _("Delay explained")
    EXPLANATION_RETURNED = "expl_returned", _("Explanation returned as insufficient")


class AssignmentEvent(models.Model):
    """The task's timeline. Events that change the work state record the state they lead to."""

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_org = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    on = models.DateField()  # `at` in the province's time zone: what "as of a date" compares
    state_after = models.CharField(max_length=10, choices=WorkState.choices, blank=True)
    text = models.TextField(blank=True)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    # For a completion report: the output document's date, which decides on time vs late.
    doc_date = models.DateField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["assignment", "at", "id"], name="event_asg_at"),
            # State as of a date: the latest state-changing event on or before it.
            models.Index(
                fields=["assignment", "on", "id"],
                name="event_asg_state_on",
                condition=~Q(state_after=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.kind}"


class AssignmentAttachment(StoredFile):
    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        AssignmentEvent, models.CASCADE, null=True, blank=True, related_name="attachments"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


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
