"""Sent inside the transaction of every lifecycle step (services._happened).

Receivers that write (webhook deliveries) commit or roll back with the change itself, so an
outside system is told about exactly the changes that happened."""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: task (Assignment), kind (EventKind value), event (AssignmentEvent)
task_event = Signal()

# Inside the lead agency (never on the task's timeline): kwargs task, delegation.
task_delegated = Signal()
# kwargs: task, delegation, report (an InternalReport).
internal_reported = Signal()
