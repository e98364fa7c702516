"""What reminders are due at an instant. Reads only; delivering is services.deliver().

Every rule is answered with a few index-backed queries: per-date work (how many working days
overdue, which 3-month anniversary) is done on the distinct dates, never per task, so a day's plan
for a million tasks costs a handful of GROUP BY queries.
"""

from __future__ import annotations

import bisect
import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nhiemvu.assignments import explanations, namedsets, status
from nhiemvu.assignments.models import Assignment, EventKind, ExtensionStatus
from nhiemvu.lib import workdays
from nhiemvu.lib.links import code_url, page_url
from nhiemvu.orgs.models import ACTING_ROLES, Membership, Organisation, Role
from nhiemvu.orgs.rules import scopes_of
from nhiemvu.reminders.models import DEFAULT_RULES, ReminderLog, ReminderRule, RuleCode

# How much of a task's summary a reminder's title quotes (the body carries it whole).
LINE_SUMMARY_CHARS = 200


@dataclass(frozen=True)
class Due:
    rule: str
    subject: str  # "t<task id>", "o<organisation id>" or "u<user id>"
    period: str
    recipients: tuple[int, ...]
    title: str
    body: str = ""
    url: str = ""
    task_id: int | None = None
    org_id: int | None = None
    # A reminder leaves an entry on the task's timeline; an event's notice does not (the event
    # is already there).
    on_timeline: bool = field(default=True, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str:
        return f"{self.rule}:{self.subject}:{self.period}"[:120]


def rules() -> dict[str, list[int]]:
    """The rules in force: the administrators' rows over the defaults; disabled ones absent."""
    found = {code: list(values) for code, values in DEFAULT_RULES.items()}
    for rule in ReminderRule.objects.all():
        if rule.enabled:
            found[rule.code] = [int(v) for v in rule.values]
        else:
            found.pop(rule.code, None)
    return found


def agency_people(org_ids: set[int], roles: tuple[str, ...]) -> dict[int, tuple[int, ...]]:
    people: dict[int, list[int]] = defaultdict(list)
    for org_id, user_id in (
        Membership.objects.filter(org_id__in=org_ids, role__in=roles, user__is_active=True)
        .values_list("org_id", "user_id")
        .order_by("user_id")
    ):
        if user_id not in people[org_id]:
            people[org_id].append(user_id)
    return {org: tuple(users) for org, users in people.items()}


def role_people(*roles: str) -> tuple[int, ...]:
    return tuple(
        Membership.objects.filter(role__in=roles, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def task_url(code: str) -> str:
    return code_url("task_detail", code)


class Planner:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.cal = workdays.calendar()
        self.rules = rules()
        self.out: list[Due] = []

    # -- helpers --------------------------------------------------------------------------

    def _tasks(
        self,
        qs: Any,
        rule: str,
        period: str,
        title: str,
        roles: tuple[str, ...] = ACTING_ROLES,
        office: bool = False,
    ) -> None:
        rows = list(qs.values_list("id", "code", "lead_id", "summary", "deadline"))
        people = agency_people({r[2] for r in rows}, roles) if not office else {}
        office_people = role_people(Role.OFFICE) if office else ()
        for task_id, code, lead_id, summary, deadline in rows:
            recipients = office_people if office else people.get(lead_id, ())
            when = f" ({deadline:%d/%m/%Y})" if deadline else ""
            self.out.append(
                Due(
                    rule,
                    f"t{task_id}",
                    period.format(deadline=deadline),
                    recipients,
                    f"{title}{when}: {summary[:LINE_SUMMARY_CHARS]}",
                    summary,
                    task_url(code),
                    task_id=task_id,
                    org_id=lead_id,
                )
            )

    def _working_days_back(self, earliest: dt.date) -> list[dt.date]:
        """Working days from `earliest` to today, ascending."""
        days = []
        current = earliest
        while current <= self.today:
            if self.cal.is_working_day(current):
                days.append(current)
            current += dt.timedelta(days=1)
        return days

    # -- the rules ------------------------------------------------------------------------

    def plan(self) -> list[Due]:
        if not self.cal.is_working_day(self.today):
            return []  # quiet on non-working days: what falls due is said on the next one
        # Work the agency is the one to act on (namedsets.remindable_q): not paused, refused,
        # reported or completed work.
        open_tasks = Assignment.objects.filter(namedsets.remindable_q())
        with_deadline = open_tasks.filter(deadline__isnull=False)
        previous = self.cal.previous_working_day(self.today, include=False)
        for days_before in self.rules.get(RuleCode.BEFORE, []):
            # Each calendar date belongs to one working day's window, so a deadline on a
            # Sunday is reminded on the Friday before, once.
            start = self.cal.add_working_days(previous, days_before)
            end = self.cal.add_working_days(self.today, days_before)
            qs = with_deadline.filter(deadline__gt=start, deadline__lte=end)
            self._tasks(
                qs,
                RuleCode.BEFORE,
                f"{days_before}:{{deadline}}",
                _("%(n)s working days to the deadline") % {"n": days_before},
            )
        if RuleCode.ON_DAY in self.rules:
            self._tasks(
                with_deadline.filter(deadline=self.today),
                RuleCode.ON_DAY,
                "{deadline}",
                _("Due today"),
            )
        self._overdue(with_deadline)
        self._no_deadline(Assignment.objects.filter(namedsets.checked_without_deadline_q()))
        self._monthly_request(open_tasks)
        self._digests()
        return self.out

    def _overdue(self, with_deadline: Any) -> None:
        late = with_deadline.filter(deadline__lt=self.today)
        # order_by(): the model's ordering (deadline, id) would make every row distinct.
        deadlines = sorted(late.values_list("deadline", flat=True).order_by().distinct())
        if not deadlines:
            return
        days = self._working_days_back(deadlines[0])
        every = (self.rules.get(RuleCode.OVERDUE) or [0])[0]
        head_after = (self.rules.get(RuleCode.ESCALATE_HEAD) or [0])[0]
        office_after = (self.rules.get(RuleCode.ESCALATE_OFFICE) or [0])[0]
        explain_after = explanations.overdue_days()
        repeat, head, office = [], [], []
        for deadline in deadlines:
            # Working days in (deadline, today].
            days_late = len(days) - bisect.bisect_right(days, deadline)
            if days_late < 1:
                continue
            if every and (days_late - 1) % every == 0:
                repeat.append(deadline)
            if head_after and days_late == head_after:
                head.append(deadline)
            if office_after and days_late == office_after:
                office.append(deadline)
        if repeat:
            self._tasks(
                late.filter(deadline__in=repeat),
                RuleCode.OVERDUE,
                f"{{deadline}}:{self.today:%Y%m%d}",
                _("Overdue"),
            )
        if explain_after:
            # The day an explanation becomes due (issue 18): due today by the rule
            # (explanations.due_q: N working days overdue, none in force) and not yet on the
            # working day before; asked once (the urging letter and the task page ask again
            # until one is given).
            before = self.cal.previous_working_day(self.today, include=False)
            self._tasks(
                late.filter(explanations.due_q(self.today)).exclude(
                    deadline__lt=explanations.overdue_cutoff(before, calendar=self.cal)
                ),
                RuleCode.OVERDUE,
                "{deadline}:giai-trinh",
                _("Overdue %(n)s working days: please explain the delay") % {"n": explain_after},
            )
        if head:
            self._tasks(
                late.filter(deadline__in=head),
                RuleCode.ESCALATE_HEAD,
                "{deadline}",
                _("%(n)s working days overdue: to the agency head") % {"n": head_after},
                roles=(Role.HEAD,),
            )
        if office:
            self._tasks(
                late.filter(deadline__in=office),
                RuleCode.ESCALATE_OFFICE,
                "{deadline}",
                _("%(n)s working days overdue: the office urges") % {"n": office_after},
                office=True,
            )

    def _no_deadline(self, no_deadline: Any) -> None:
        months = (self.rules.get(RuleCode.NO_DEADLINE) or [0])[0]
        if not months:
            return
        due_on: dict[dt.date, int] = {}
        # The distinct dates, not every task's (the model's ordering, (deadline, id), in a
        # DISTINCT made it 10,429 dates for 10,429 tasks on the bench: 0.8 s of a morning).
        for assigned in no_deadline.values_list("assigned_on", flat=True).order_by().distinct():
            cycle = self._cycle_due(assigned, months)
            if cycle:
                due_on[assigned] = cycle
        if not due_on:
            return
        qs = no_deadline.filter(assigned_on__in=list(due_on))
        rows = list(qs.values_list("id", "code", "lead_id", "summary", "assigned_on"))
        people = agency_people({r[2] for r in rows}, ACTING_ROLES)
        for task_id, code, lead_id, summary, assigned in rows:
            cycle = due_on[assigned]
            self.out.append(
                Due(
                    RuleCode.NO_DEADLINE,
                    f"t{task_id}",
                    str(cycle),
                    people.get(lead_id, ()),
                    _(
                        "%(months)s-monthly check (no. %(cycle)s) of a task without deadline: "
                        "%(summary)s"
                    )
                    % {"months": months, "cycle": cycle, "summary": summary[:LINE_SUMMARY_CHARS]},
                    _("Please update the progress or propose a completion date."),
                    task_url(code),
                    task_id=task_id,
                    org_id=lead_id,
                )
            )

    def _cycle_due(self, assigned: dt.date, months: int) -> int | None:
        """The cycle number j if assigned + j×months (rolled to a working day) is today."""
        elapsed = (self.today.year - assigned.year) * 12 + self.today.month - assigned.month
        for cycle in {elapsed // months, elapsed // months + 1, max(1, elapsed // months - 1)}:
            if cycle < 1:
                continue
            anniversary = workdays.add_months(assigned, cycle * months)
            if self.cal.next_working_day(anniversary) == self.today:
                return cycle
        return None

    def _monthly_request(self, open_tasks: Any) -> None:
        days = self.rules.get(RuleCode.MONTHLY_REQUEST)
        if not days:
            return
        day = min(days[0], pycalendar.monthrange(self.today.year, self.today.month)[1])
        if self.cal.next_working_day(self.today.replace(day=day)) != self.today:
            return
        counts: dict[int, int] = defaultdict(int)
        for lead_id in open_tasks.values_list("lead_id", flat=True).order_by():
            counts[lead_id] += 1
        people = agency_people(set(counts), ACTING_ROLES)
        codes = dict(Organisation.objects.filter(id__in=counts).values_list("id", "code"))
        for org_id, n in sorted(counts.items()):
            self.out.append(
                Due(
                    RuleCode.MONTHLY_REQUEST,
                    f"o{org_id}",
                    f"{self.today:%Y-%m}",
                    people.get(org_id, ()),
                    _("Progress report for %(month)s requested: %(n)s tasks in progress")
                    % {"month": f"{self.today:%m/%Y}", "n": n},
                    _("Please update the progress of your agency's tasks in progress."),
                    page_url("task_list") + f"?org={codes[org_id]}&role=lead",
                    org_id=org_id,
                    extra={"count": n},
                )
            )

    def _digests(self) -> None:
        if RuleCode.DAILY_DIGEST in self.rules:
            for user_id in role_people(Role.OFFICE, Role.WORKING_GROUP):
                self.out.append(
                    Due(
                        RuleCode.DAILY_DIGEST,
                        f"u{user_id}",
                        f"{self.today}",
                        (user_id,),
                        _("Daily digest %(day)s") % {"day": f"{self.today:%d/%m/%Y}"},
                        url=page_url("home"),
                    )
                )
        week_start = self.today - dt.timedelta(days=self.today.weekday())
        if (
            RuleCode.WEEKLY_DIGEST in self.rules
            and self.cal.next_working_day(week_start) == self.today
        ):
            for user_id in role_people(Role.HEAD, Role.LEADER):
                self.out.append(
                    Due(
                        RuleCode.WEEKLY_DIGEST,
                        f"u{user_id}",
                        f"{self.today:%G-W%V}",
                        (user_id,),
                        _("Weekly digest, week %(week)s") % {"week": f"{self.today:%V/%G}"},
                        url=page_url("home"),
                    )
                )


def plan(now: dt.datetime) -> list[Due]:
    """Every reminder due at `now`, including those already sent (the log filters them).

    Titles are written in the province's language (they are stored and e-mailed)."""
    with translation.override(settings.LANGUAGE_CODE):
        return Planner(now).plan()


def pending(now: dt.datetime) -> list[Due]:
    """What `plan` says minus what the log already holds: what a run at `now` would send."""
    due = plan(now)
    done = set(
        ReminderLog.objects.filter(key__in=[d.key for d in due]).values_list("key", flat=True)
    )
    return [d for d in due if d.key not in done]


def digest_counts(user: Any, today: dt.date) -> dict[str, int]:
    """The figures of a digest, for what this user may see: what changed since the previous
    working day, what is due, what waits."""
    return digests_counts([user], today)[user.pk]


# The events a digest counts as "new", by the figure that names them.
DIGEST_EVENTS = {
    "new_tasks": EventKind.ASSIGNED,
    "new_reports": EventKind.COMPLETION,
    "new_extension_requests": EventKind.EXTENSION_REQUESTED,
    "new_refusals": EventKind.REFUSED,
}


def digests_counts(users: Iterable[Any], today: dt.date) -> dict[int, dict[str, int]]:
    """``digest_counts`` of many people at once, by user id: two grouped queries for all of them
    (what the tasks are, what happened to them), each grouped by what a person may see
    (assignments.rules.aggregate_visible), instead of nine counts per person."""
    from nhiemvu.assignments import rules as perms
    from nhiemvu.assignments.models import Extension

    users = list(users)
    scopes_of(users)  # the people's memberships in one query
    keys = {user.pk: perms.visibility_key(user) for user in users}
    since = workdays.calendar().previous_working_day(today, include=False)
    changed = perms.aggregate_visible(
        keys.values(),
        Assignment.objects.filter(events__on__gte=since, events__on__lt=today),
        **{
            name: Count("events", filter=Q(events__kind=kind))
            for name, kind in DIGEST_EVENTS.items()
        },
    )
    pending_extension = Extension.objects.filter(
        assignment=OuterRef("pk"), status=ExtensionStatus.PENDING
    )
    now_counts = perms.aggregate_visible(
        keys.values(),
        Assignment.objects.all(),
        awaiting=Count("pk", filter=status.label_q([status.Label.AWAITING])),
        # The sets every page and report names (assignments/status.py), not copies of them.
        overdue=Count("pk", filter=status.open_overdue_q(today)),
        due_soon=Count("pk", filter=namedsets.due_soon_q(today)),
        # One pending request per task at most (extension_one_pending): tasks = requests.
        extensions=Count("pk", filter=Exists(pending_extension)),
        refused=Count("pk", filter=status.label_q([status.Label.REFUSED])),
        flagged=Count("pk", filter=namedsets.flagged_q()),
    )
    return {user_id: changed[key] | now_counts[key] for user_id, key in keys.items()}
