"""API bodies for tasks: what goes in and comes out of /api/v1/tasks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store U+0000 in text; say so instead of failing at the database.
    if "\x00" in value:
        raise ValueError(_("Must not contain the NUL character."))
    return value


Clean = Annotated[str, AfterValidator(_no_nul)]


def _iso_date(value: object) -> object:
    # Pydantic alone also takes 0 or "1700000000" as a date (Unix time): only YYYY-MM-DD here.
    if isinstance(value, dt.date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        return value
    raise ValueError(_("Not a valid date (YYYY-MM-DD)."))


# A date as the API accepts it: ISO 8601, within the years the system handles. JSON Schema has
# no bounds for a "date" string, so the years are also stated as a pattern: a client (or
# schemathesis) that follows the schema never sends a date the API then refuses.
DATE_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    Field(
        ge=dt.date(1900, 1, 1),
        le=dt.date(2200, 12, 31),
        json_schema_extra={"pattern": DATE_PATTERN},
        description="YYYY-MM-DD, years 1900-2200",
    ),
]


def _blank_none(value: object) -> object:
    # A multipart form has no null: an empty field means "not given".
    return None if value == "" else value


# A percentage that may be left out; in a form an empty field is the same as no field.
Percent = Annotated[
    Annotated[int, Field(ge=0, le=100)] | None,
    BeforeValidator(_blank_none),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 100}),
]


Code = Annotated[str, StringConstraints(max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
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


class OrgRef(Schema):
    code: str
    name: str


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


class TaskDetail(TaskOut):
    content: str
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
    timeline: list[EventOut]
    extensions: list[ExtensionOut]


class TaskPage(Schema):
    items: list[TaskOut]
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


class Reason(Schema):
    reason: Clean = Field(max_length=5000, min_length=1)


class Note(Schema):
    note: Clean = Field(default="", max_length=5000)


class Progress(Schema):
    text: Clean = Field(max_length=20000, min_length=1)
    percent: Percent = None


class Completion(Schema):
    output_ref: Clean = Field(
        max_length=120, min_length=1, description="number and symbol of the output"
    )
    output_date: IsoDate
    text: Clean = Field(default="", max_length=20000)


class ExtensionIn(Schema):
    proposed_deadline: IsoDate
    reason: Clean = Field(max_length=5000, min_length=1)


class Decision(Schema):
    approve: bool
    note: Clean = Field(default="", max_length=5000)
    new_deadline: IsoDate | None = None


class Advice(Schema):
    advice: Clean = Field(max_length=5000, min_length=1)


class Comment(Schema):
    text: Clean = Field(max_length=20000, min_length=1)


class Reassign(Schema):
    lead: Code = Field(description="the new lead organisation's code")
    reason: Clean = Field(default="", max_length=5000)
