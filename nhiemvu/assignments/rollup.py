"""Work from above: how a received task stands, from its sub-tasks (issue 16). The rule, once.

The province receives a task from the Government, the Prime Minister or a ministry, with the
deadline it must meet; the office splits it into sub-tasks for its agencies, each with an
earlier internal deadline. The received task:

- is *not split* while it has no sub-task;
- is *in progress* while any sub-task is not confirmed complete (a paused one included);
- is *ready to report upward* when every sub-task is confirmed complete: only then may the
  office send the province's report upward (``received_report_upward``);
- is *reported* once that report is recorded: completed on time if the report is dated by the
  upward deadline, late otherwise (the task's own status, ``status.classify``).

Until reported it counts as open against its upward deadline like any task: overdue once that
deadline passes, whatever its sub-tasks say. Its progress is the sub-tasks' mean (done = 100%).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _

from nhiemvu.assignments.models import Assignment, WorkState


class Stage(models.TextChoices):
    NOT_SPLIT = "not_split", _("Not yet split into sub-tasks")
    IN_PROGRESS = "in_progress", _("Sub-tasks in progress")
    READY = "ready", _("Every sub-task confirmed: ready to report upward")
    REPORTED = "reported", _("Reported upward")


def stage(sub_states: Sequence[str], *, reported: bool) -> Stage:
    if reported:
        return Stage.REPORTED
    if not sub_states:
        return Stage.NOT_SPLIT
    if all(state == WorkState.DONE for state in sub_states):
        return Stage.READY
    return Stage.IN_PROGRESS


def progress(subs: Sequence[tuple[str, int]]) -> int:
    """The mean of the sub-tasks' progress, a confirmed one counting 100%."""
    if not subs:
        return 0
    values = [100 if state == WorkState.DONE else percent for state, percent in subs]
    return round(sum(values) / len(values))


def stage_of(upper: Assignment) -> Stage:
    """The received task's stage, from its sub-tasks as stored (one small query)."""
    states = list(Assignment.objects.filter(upper=upper).values_list("state", flat=True))
    return stage(states, reported=upper.state == WorkState.DONE)
