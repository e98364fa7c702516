"""API bodies for tasks: what goes in and comes out of /api/v1/tasks."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

# The field types every app's API shares live in nhiemvu/apicommon.py (re-exported here).
from nhiemvu.apicommon import Clean, Code, IsoDate, OrgRef, SignatureOut

# Spelled out for the schema; tests/test_api.py checks they match the Python enums.
StatusLabel = Literal[
    "within",
    "due_soon",
    "overdue",
    "no_deadline",
    "awaiting",
    "done_on_time",
    "done_late",
    "done_no_deadline",
    "returned",
    "paused",
    "refused",
]
Deliverable = Literal[
    "",
    "bao_cao",
    "to_trinh",
    "de_xuat",
    "ke_hoach",
    "de_an",
    "du_thao",
    "van_ban",
    "phuong_an",
    "khac",
]
Sort = Literal["deadline", "-deadline", "-assigned_on", "assigned_on"]


class TaskOut(Schema):
    code: str
    summary: str
    lead: OrgRef
    directive: str = Field(description="the source document's code")
    directive_ref: str = Field(description="its number and symbol, e.g. 1147/UBND-KSTT")
    assigned_on: dt.date
    deadline: dt.date | None
    state: str
    status: str = Field(description="the computed status label (DOMAIN.md §3)")
    status_name: str
    deliverable_kind: str
    flagged: bool = Field(description="a deliverable demanded without a deadline")


class EventOut(Schema):
    kind: str
    at: dt.datetime
    actor: str | None
    organisation: str | None
    state_after: str
    text: str


class ExtensionOut(Schema):
    code: str
    status: str
    requested_at: dt.datetime
    reason: str
    deadline_before: dt.date | None
    proposed_deadline: dt.date
    office_advice: str
    new_deadline: dt.date | None


class SubtaskOut(Schema):
    code: str
    summary: str
    lead: OrgRef
    deadline: dt.date | None
    state: str
    status: str


class FileOut(Schema):
    name: str
    sha256: str
    content_type: str
    size: int
    kind: str = Field(description="the report that carried it")
    signatures: list[SignatureOut]
    signature_error: str


class RollupOut(Schema):
    stage: str = Field(description="not_split, in_progress, ready (to report upward), reported")
    stage_name: str
    may_report_upward: bool = Field(
        description="the caller may report upward now (every sub-task confirmed complete)"
    )
    progress_percent: int = Field(description="the sub-tasks' mean, a confirmed one 100%")
    subtasks: list[SubtaskOut]


class TaskDetail(TaskOut):
    content: str
    received: bool = Field(description="received from the Government, the PM or a ministry")
    external_code: str = Field(description="the issuer's own code of a received task")
    upper: str | None = Field(description="a sub-task's received task (its code)")
    rollup: RollupOut | None = Field(description="a received task's roll-up from its sub-tasks")
    coordinators: list[OrgRef]
    deliverable_text: str
    original_deadline: dt.date | None
    no_deadline_reason: str
    progress_percent: int
    completion_date: dt.date | None
    completion_ref: str
    confirmed_on: dt.date | None
    completed_late: bool | None
    actions: list[str] = Field(description="the actions this key may take now")
    files: list[FileOut] = Field(description="files reported on the task, with their signatures")
    timeline: list[EventOut]
    extensions: list[ExtensionOut]


class TaskPage(Schema):
    items: list[TaskOut]
    count: int | None = Field(
        default=None, description="matching tasks in all pages, when asked with `count=true`"
    )
    next: str | None = Field(description="cursor of the next page (pass as `after`)")
    previous: str | None = Field(description="cursor of the previous page (pass as `before`)")


class TaskIn(Schema):
    directive: Code = Field(description="code of the registered document")
    content: Clean = Field(max_length=20000, min_length=1)
    summary: Clean = Field(default="", max_length=300)
    lead: Code = Field(description="lead organisation's code")
    coordinators: list[Code] = Field(default=[], max_length=100)
    deliverable_kind: Deliverable = ""
    deliverable_text: Clean = Field(default="", max_length=500)
    deadline: IsoDate | None = None
    no_deadline_reason: Clean = Field(default="", max_length=2000)


# The bodies of the workflow's steps are not written here: each is read from the step's form
# (nhiemvu/apiforms.py, assignments/api.py).
