"""Writes for tasks: every lifecycle step of DOMAIN.md §3 (rule 1: only services change state).

Each service is keyword-only, checks the workflow table (``workflow.check``: who may act, in
which state), validates (messages in Vietnamese through gettext), locks the task row, writes the
change, an AssignmentEvent for the task's timeline and an AuditEvent, all in one transaction. A
second identical submission finds the state already changed and is refused, so double clicks
never act twice.

The package is split by workflow; callers import from here.
"""

from nhiemvu.assignments.rollup import stage_of
from nhiemvu.assignments.services.common import MAX_TEXT
from nhiemvu.assignments.services.delegation import assignment_delegate, delegation_report
from nhiemvu.assignments.services.explanations import (
    ExplanationSpec,
    assignment_explain,
    delay_causes_ensure,
    explanation_return,
)
from nhiemvu.assignments.services.extensions import (
    extension_advise,
    extension_decide,
    extension_request,
)
from nhiemvu.assignments.services.historical import HistoricalTask, historical_tasks_register
from nhiemvu.assignments.services.lifecycle import (
    assignment_accept,
    assignment_confirm,
    assignment_pause,
    assignment_reassign,
    assignment_refuse,
    assignment_report_completion,
    assignment_report_progress,
    assignment_resume,
    assignment_return,
    comment_add,
    reminder_noted,
    reminders_noted,
)
from nhiemvu.assignments.services.occurrences import occurrences_create
from nhiemvu.assignments.services.registration import (
    TaskSpec,
    assignment_create,
    directive_register,
)
from nhiemvu.assignments.services.upward import (
    received_code_set,
    received_report_upward,
    subtask_create,
)

__all__ = [
    "MAX_TEXT",
    "ExplanationSpec",
    "HistoricalTask",
    "TaskSpec",
    "assignment_accept",
    "assignment_confirm",
    "assignment_create",
    "assignment_delegate",
    "assignment_explain",
    "assignment_pause",
    "assignment_reassign",
    "assignment_refuse",
    "assignment_report_completion",
    "assignment_report_progress",
    "assignment_resume",
    "assignment_return",
    "comment_add",
    "delay_causes_ensure",
    "delegation_report",
    "directive_register",
    "explanation_return",
    "extension_advise",
    "extension_decide",
    "extension_request",
    "historical_tasks_register",
    "occurrences_create",
    "received_code_set",
    "received_report_upward",
    "reminder_noted",
    "reminders_noted",
    "stage_of",
    "subtask_create",
]
