"""Tasks (nhiệm vụ) and their timeline: the task, its group, its coordinating agencies, its
events and attachments.

The model is named Assignment because Django owns `django.tasks`. Current state lives in
denormalised columns for fast lists; every state change also writes an AssignmentEvent with the
state it leads to, so the status as of any past date can be recomputed (status.py). Which states
form which set of tasks is `namedsets.py`, not here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
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
    # A task carried over from an old tracker (issue 29, directives/legacy): the source names
    # the tracker, the id is its own identifier there; a second import of the same row finds it.
    legacy_source = models.CharField(_("legacy source"), max_length=60, blank=True, default="")
    legacy_id = models.CharField(_("legacy identifier"), max_length=80, blank=True, default="")
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
            # The model's own order: the CSV and Excel export read every task in it from this
            # index, as a stream, with no sort of the table (assignments/views._export_rows).
            models.Index(fields=["deadline", "id"], name="asg_export"),
            models.Index(fields=["assigned_on", "code"], name="asg_list_assigned"),
            # Work still owed (namedsets.owed_q) by deadline: the open-work and overdue lists in
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
            # … and by id alone: the open work an agency coordinates (the list's total, the
            # agency's open count) joins the coordinations' ids to this index only, instead of
            # reading every task's state (an agency's open coordinated total at 1,000,000
            # tasks: a parallel scan of the table, 372 ms; with it 64-81 ms; issue 28).
            models.Index(
                fields=["id"],
                name="asg_owed_id",
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
            # tasks without deadline due their 3-monthly check (namedsets.quarterly_check_q);
            models.Index(
                fields=["assigned_on", "id"],
                name="asg_without_deadline",
                condition=Q(state__in=["open", "returned"], deadline__isnull=True)
                & ~Q(deadline_kind="recurring"),
            ),
            # The report page's lists, first 50 in order (reports.selectors.special_lists):
            # the extended tasks by deadline and today's open tasks without deadline by
            # assignment date. Their conditions are the lists' filters word for word, so the
            # planner can prove them; without these the lists walked every dated (or open)
            # task when few or none matched (issue 27 item 6).
            models.Index(
                fields=["deadline", "id"],
                name="asg_extended",
                condition=Q(original_deadline__isnull=False, deadline__isnull=False)
                & ~Q(deadline=F("original_deadline")),
            ),
            models.Index(
                fields=["assigned_on", "id"],
                name="asg_open_no_deadline",
                condition=Q(state="open") & Q(deadline__isnull=True),
            ),
            # The received tasks (work from above): the leaders' home and the report's table.
            models.Index(
                fields=["deadline", "id"], name="asg_received", condition=Q(received=True)
            ),
            # deliverables without deadline (namedsets.flagged_q).
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
            # One task per row of an old tracker: the import is idempotent by this.
            models.UniqueConstraint(
                fields=["legacy_source", "legacy_id"],
                name="asg_one_per_legacy_id",
                condition=~Q(legacy_id=""),
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
