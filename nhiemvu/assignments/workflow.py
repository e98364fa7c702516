"""The task workflow, declared once (DOMAIN.md §3): what may be done to a task, in which work
states, by whom, and what it leaves behind.

Each transition names the states it is allowed in, an extra condition where the state is not
enough (not yet accepted; an extension request awaiting decision or none), the permission
predicate (from ``rules.py``), the state it leads to, the timeline event and the audit action.

Everything that decides "may this be done now" asks this table:
- the services call :func:`check` before they change anything (and take the target state, the
  event and the audit action from the transition),
- the task page's buttons and the API's "actions you may take now" list :func:`available`,
- the home pages' one-click buttons ask the same, row by row, with the row's pending extension
  request (template tag ``quick_steps``);
- a task received from above takes its own steps here too: split into sub-tasks and report
  upward (the office; the latter once every sub-task is confirmed, rollup.py).
The conditions ask the rules' homes: status.py (overdue), explanations.py (in force), rollup.py.
A test walks every (transition, state) pair through the services and checks they agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nhiemvu.assignments import explanations, namedsets, rollup
from nhiemvu.assignments import rules as perms
from nhiemvu.assignments.models import (
    Assignment,
    EventKind,
    Extension,
    ExtensionKind,
    WorkState,
)
from nhiemvu.lib import workdays

# The steps a task received from above takes itself; the rest happen on its sub-tasks, and its
# completion is the office's report upward (rollup.py, services/upward.py).
RECEIVED_STEPS = frozenset({"pause", "resume", "comment", "split", "report_upward"})
# The steps only a received task takes: split into sub-tasks, report upward (issue 16).
RECEIVED_ONLY = frozenset({"split", "report_upward"})

# The state a resumed task goes back to is the one it was paused in (kept on the pause event).
STATE_BEFORE_PAUSE = "<state before pause>"

ANY_STATE = frozenset(WorkState.values)
IN_PROGRESS = frozenset({WorkState.OPEN, WorkState.RETURNED})

Condition = Callable[[Assignment, Extension | None], bool]
Permission = Callable[[Any, Assignment, Extension | None], bool]


def _not_accepted(task: Assignment, pending: Extension | None) -> bool:
    return task.accepted_at is None


def _no_pending_request(task: Assignment, pending: Extension | None) -> bool:
    return pending is None


def _pending_request(task: Assignment, pending: Extension | None) -> bool:
    return pending is not None


def _overdue_unexplained(task: Assignment, pending: Extension | None) -> bool:
    """``explain``: overdue by status's rule (a report dated in time is within) and no
    explanation in force (one stands at a time; the office returns it to ask for another)."""
    today = workdays.today()
    return namedsets.is_open_overdue(task, today) and not explanations.is_explained(task, today)


def _why_not_explain(task: Assignment, pending: Extension | None) -> Promise:
    if explanations.is_explained(task, workdays.today()):
        return _(
            "The delay is already explained; the office returns an insufficient explanation "
            "to ask for another."
        )
    return _("The task is not past its deadline.")


def _explanation_in_force(task: Assignment, pending: Extension | None) -> bool:
    return explanations.is_explained(task, workdays.today())


def _ready_to_report_upward(task: Assignment, pending: Extension | None) -> bool:
    """Every sub-task confirmed complete (rollup.py, the rule of the received task's stage)."""
    return rollup.stage_of(task) == rollup.Stage.READY


def _why_not_report_upward(task: Assignment, pending: Extension | None) -> Promise:
    return {
        rollup.Stage.NOT_SPLIT: _("Split the task into sub-tasks first."),
        rollup.Stage.IN_PROGRESS: _(
            "Some sub-tasks are not confirmed complete yet: report upward when all are."
        ),
        rollup.Stage.REPORTED: _("This task has already been reported upward."),
        rollup.Stage.READY: _("This task has already been reported upward."),
    }[rollup.stage_of(task)]


def _has_completion_report(task: Assignment, pending: Extension | None) -> bool:
    return task.completion_date is not None


def _task_only(predicate: Callable[[Any, Assignment], bool]) -> Permission:
    def permission(actor: Any, task: Assignment, pending: Extension | None) -> bool:
        return bool(predicate(actor, task))

    return permission


def _may_decide(actor: Any, task: Assignment, pending: Extension | None) -> bool:
    """Moving a deadline is the assigning leader's decision; a completion date proposed for a
    task without deadline (the 3-monthly check) is approved by the office (issue 5)."""
    if perms.can_decide_extension(actor, task):
        return True
    setting_a_date = pending is not None and pending.kind == ExtensionKind.SET
    return setting_a_date and bool(perms.can_manage(actor, task))


@dataclass(frozen=True)
class Transition:
    name: str
    states: frozenset[str]
    may: Permission
    event: str  # the timeline entry; "" for none on this task (inside the agency; a split)
    audit: str
    denied: Promise  # why the actor may not
    wrong_state: Promise  # why not in this state
    target: str | None = None  # None: the work state does not change
    condition: Condition | None = None
    unmet: Promise | None = None  # why not, when the condition fails
    # Why not, when the condition fails for more than one reason (a function of the task).
    why: Callable[[Assignment, Extension | None], Promise] | None = None
    # A clearer word for some states than ``wrong_state`` ("already confirmed").
    in_state: Mapping[str, Promise] = field(default_factory=dict)
    # The decision has two outcomes; the event and audit action of a denial.
    otherwise: tuple[str, str] | None = None

    @property
    def leads_to(self) -> str:
        """The state the step leads to, for the steps that change it."""
        if self.target is None or self.target == STATE_BEFORE_PAUSE:
            raise ValueError(f"{self.name} has no fixed target state")
        return self.target

    def allowed_in(self, task: Assignment, pending: Extension | None = None) -> bool:
        if task.received and self.name not in RECEIVED_STEPS:
            return False
        if not task.received and self.name in RECEIVED_ONLY:
            return False
        if task.state not in self.states:
            return False
        return self.condition is None or self.condition(task, pending)

    def refusal(self, task: Assignment, pending: Extension | None = None) -> Promise | None:
        """Why this transition cannot be taken in the task's state, or None if it can."""
        if task.received and self.name not in RECEIVED_STEPS:
            return _(
                "A task received from above follows its sub-tasks: split it, and report it "
                "upward when every sub-task is confirmed."
            )
        if not task.received and self.name in RECEIVED_ONLY:
            return _("Only a task received from above is split into sub-tasks or reported upward.")
        if task.state in self.in_state:
            return self.in_state[task.state]
        if task.state not in self.states:
            return self.wrong_state
        if self.condition is not None and not self.condition(task, pending):
            if self.why is not None:
                return self.why(task, pending)
            return self.unmet or self.wrong_state
        return None


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "accept",
            frozenset({WorkState.OPEN}),
            _task_only(perms.can_act_as_lead),
            EventKind.ACCEPTED,
            "assignment.accept",
            denied=_("Only the lead agency can accept this task."),
            wrong_state=_("Only an open task can be accepted."),
            condition=_not_accepted,
            unmet=_("This task has already been accepted."),
        ),
        Transition(
            "refuse",
            frozenset({WorkState.OPEN}),
            _task_only(perms.can_act_as_lead),
            EventKind.REFUSED,
            "assignment.refuse",
            target=WorkState.REFUSED,
            denied=_("Only the lead agency can refuse this task."),
            wrong_state=_("Only a task not yet accepted or reported can be refused."),
            condition=_not_accepted,
        ),
        Transition(
            "progress",
            IN_PROGRESS,
            _task_only(perms.can_act_as_lead),
            EventKind.PROGRESS,
            "assignment.progress",
            denied=_("Only the lead agency reports progress on this task."),
            wrong_state=_("Progress can only be reported on a task in progress."),
        ),
        Transition(
            "complete",
            IN_PROGRESS,
            _task_only(perms.can_act_as_lead),
            EventKind.COMPLETION,
            "assignment.report_completion",
            target=WorkState.REPORTED,
            denied=_("Only the lead agency can report completion of this task."),
            wrong_state=_("Completion can only be reported on a task in progress."),
            in_state={
                WorkState.REPORTED: _(
                    "Completion has already been reported and awaits confirmation."
                )
            },
        ),
        Transition(
            "extend",
            IN_PROGRESS,
            _task_only(perms.can_act_as_lead),
            EventKind.EXTENSION_REQUESTED,
            "extension.request",
            denied=_("Only the lead agency can ask for an extension."),
            wrong_state=_("An extension can only be requested for a task in progress."),
            condition=_no_pending_request,
            unmet=_("An extension request for this task is already awaiting decision."),
        ),
        Transition(
            "confirm",
            frozenset({WorkState.REPORTED}),
            _task_only(perms.can_confirm),
            EventKind.CONFIRMED,
            "assignment.confirm",
            target=WorkState.DONE,
            denied=_("Only the Provincial Office or the Working Group confirms completion."),
            wrong_state=_("There is no completion report to confirm."),
            condition=_has_completion_report,
            in_state={WorkState.DONE: _("This task has already been confirmed.")},
        ),
        Transition(
            "return",
            frozenset({WorkState.REPORTED}),
            _task_only(perms.can_confirm),
            EventKind.RETURNED,
            "assignment.return",
            target=WorkState.RETURNED,
            denied=_("Only the Provincial Office or the Working Group returns completion reports."),
            wrong_state=_("Only a task awaiting confirmation can be returned."),
        ),
        Transition(
            "advise",
            ANY_STATE,
            _task_only(perms.can_manage),
            EventKind.EXTENSION_ADVISED,
            "extension.advise",
            denied=_("Only the Provincial Office advises on extension requests."),
            wrong_state=_("This request has already been decided."),
            condition=_pending_request,
        ),
        Transition(
            "decide",
            ANY_STATE,
            _may_decide,
            EventKind.EXTENSION_APPROVED,
            "extension.approved",
            denied=_("Only the assigning leader decides on this extension request."),
            wrong_state=_("This request has already been decided."),
            condition=_pending_request,
            otherwise=(EventKind.EXTENSION_DENIED, "extension.denied"),
        ),
        Transition(
            "pause",
            frozenset({WorkState.OPEN, WorkState.REFUSED, WorkState.RETURNED}),
            _task_only(perms.can_manage),
            EventKind.PAUSED,
            "assignment.pause",
            target=WorkState.PAUSED,
            denied=_("Only the Provincial Office pauses tasks."),
            wrong_state=_("Only a task in progress can be paused."),
        ),
        Transition(
            "resume",
            frozenset({WorkState.PAUSED}),
            _task_only(perms.can_manage),
            EventKind.RESUMED,
            "assignment.resume",
            target=STATE_BEFORE_PAUSE,
            denied=_("Only the Provincial Office resumes tasks."),
            wrong_state=_("This task is not paused."),
        ),
        Transition(
            "reassign",
            frozenset({WorkState.OPEN, WorkState.REFUSED, WorkState.RETURNED}),
            _task_only(perms.can_manage),
            EventKind.REASSIGNED,
            "assignment.reassign",
            target=WorkState.OPEN,
            denied=_("Only the Provincial Office reassigns tasks."),
            wrong_state=_("Only an open, refused or returned task can be reassigned."),
        ),
        Transition(
            "delegate",
            IN_PROGRESS,
            _task_only(perms.can_delegate),
            "",  # inside the agency: no entry on the task's timeline, which the province reads
            "assignment.delegate",
            denied=_("Only the head of the lead agency passes the task on inside the agency."),
            wrong_state=_("Only a task in progress can be passed on."),
        ),
        Transition(
            "report_inside",
            IN_PROGRESS,
            _task_only(perms.holds_delegation),
            "",
            "assignment.report_inside",
            denied=_("Only the person the task was passed to reports on it inside the agency."),
            wrong_state=_("Only a task in progress can be reported on."),
        ),
        Transition(
            "explain",
            frozenset({*IN_PROGRESS, WorkState.REPORTED}),
            _task_only(perms.can_act_as_lead),
            EventKind.EXPLAINED,
            "assignment.explain",
            denied=_("Only the lead agency explains a delay of this task."),
            wrong_state=_("Only a task not yet completed is explained here."),
            condition=_overdue_unexplained,
            why=_why_not_explain,
        ),
        Transition(
            "return_explanation",
            ANY_STATE,
            _task_only(perms.can_manage),
            EventKind.EXPLANATION_RETURNED,
            "assignment.return_explanation",
            denied=_("Only the Provincial Office returns an explanation."),
            wrong_state=_("There is no explanation to return."),
            condition=_explanation_in_force,
            unmet=_("There is no explanation to return."),
        ),
        # Work from above (issue 16): the office splits a received task into sub-tasks (each
        # registered, and audited, as a task of its own: nothing on the received task's
        # timeline) and reports it upward once every sub-task is confirmed complete.
        Transition(
            "split",
            ANY_STATE - {WorkState.DONE},
            _task_only(perms.can_manage),
            "",
            "assignment.create",
            denied=_("Only the Provincial Office splits and reports tasks received from above."),
            wrong_state=_("This task has already been reported upward."),
        ),
        Transition(
            "report_upward",
            ANY_STATE - {WorkState.DONE},
            _task_only(perms.can_manage),
            EventKind.CONFIRMED,
            "assignment.report_upward",
            target=WorkState.DONE,
            denied=_("Only the Provincial Office splits and reports tasks received from above."),
            wrong_state=_("This task has already been reported upward."),
            condition=_ready_to_report_upward,
            why=_why_not_report_upward,
        ),
        Transition(
            "comment",
            ANY_STATE,
            _task_only(perms.can_comment),
            EventKind.COMMENT,
            "assignment.comment",
            denied=_("You cannot comment on this task."),
            wrong_state=_("You cannot comment on this task."),
        ),
    )
}


def check(name: str, actor: Any, task: Assignment, pending: Extension | None = None) -> Transition:
    """The guard every service runs first, on the locked task: who, then when.

    Raises PermissionDenied (the actor may not take this step on this task) or ValidationError
    (not in this state), each with the Vietnamese message a person reads.
    """
    transition = TRANSITIONS[name]
    if not transition.may(actor, task, pending):
        raise PermissionDenied(str(transition.denied))
    refusal = transition.refusal(task, pending)
    if refusal is not None:
        raise ValidationError(str(refusal))
    return transition


def allowed_in(name: str, task: Assignment, pending: Extension | None = None) -> bool:
    """Whether the step makes sense in the task's state (whoever asks)."""
    return TRANSITIONS[name].allowed_in(task, pending)


def available(actor: Any, task: Assignment, pending: Extension | None = None) -> list[str]:
    """The steps this actor may take on this task now, in the table's order."""
    return [
        name
        for name, transition in TRANSITIONS.items()
        if transition.allowed_in(task, pending) and transition.may(actor, task, pending)
    ]


# Acting from a notice (issue 32): the link of a notice about a timeline entry carries its kind
# in this parameter, and the task page offers first the step that entry asks of the person
# told (the first of these they may take now; none: the page as usual).
NOTICE_PARAM = "thong-bao"
NOTICE_STEPS: dict[str, tuple[str, ...]] = {
    EventKind.ASSIGNED: ("accept",),
    EventKind.RETURNED: ("complete",),  # report again
    EventKind.EXPLANATION_RETURNED: ("explain",),
    EventKind.EXTENSION_REQUESTED: ("decide", "advise"),
    EventKind.EXTENSION_ADVISED: ("decide",),
}


def step_of_notice(kind: str | None, steps: list[str]) -> str | None:
    """The step a notice of ``kind`` asks for, among the ``steps`` the person may take now."""
    return next((s for s in NOTICE_STEPS.get(kind or "", ()) if s in steps), None)
