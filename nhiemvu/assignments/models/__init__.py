"""The task app's models, one module per part (Django finds them through this package):
tasks.py holds the task and its timeline, followups.py what happens to it after it is given
(extensions, explanations, delegation, lead changes, transfer items).
"""

from __future__ import annotations

from nhiemvu.assignments.models.followups import (
    DelayCause,
    Delegation,
    DelegationEnd,
    Explanation,
    ExplanationTrigger,
    Extension,
    ExtensionKind,
    ExtensionStatus,
    InternalReport,
    LeadChange,
    LeadChangeReason,
    TransferItem,
    TransferRole,
)
from nhiemvu.assignments.models.tasks import (
    QUARTERLY_CHECK_RULE,
    Assignment,
    AssignmentAttachment,
    AssignmentEvent,
    AssignmentGroup,
    Coordination,
    DeadlineKind,
    DeliverableKind,
    EventKind,
    Recurrence,
    WorkState,
)
from nhiemvu.assignments.models.versions import CountVersion

__all__ = [
    "QUARTERLY_CHECK_RULE",
    "Assignment",
    "AssignmentAttachment",
    "AssignmentEvent",
    "AssignmentGroup",
    "Coordination",
    "CountVersion",
    "DeadlineKind",
    "DelayCause",
    "Delegation",
    "DelegationEnd",
    "DeliverableKind",
    "EventKind",
    "Explanation",
    "ExplanationTrigger",
    "Extension",
    "ExtensionKind",
    "ExtensionStatus",
    "InternalReport",
    "LeadChange",
    "LeadChangeReason",
    "Recurrence",
    "TransferItem",
    "TransferRole",
    "WorkState",
]
