"""/api/v1/organisations and /api/v1/calendar: the directory and the working-day calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from nhiemvu.apicommon import ERRORS, ApiError, IsoDate, ReportDate
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import Organisation, ReorgSide
from nhiemvu.orgs.selectors import in_force_q, lineage

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor: str | None = Field(description="who took over its open tasks after a merger")


class ReorganisationOut(Schema):
    kind: str = Field(description="merge, split, rename, dissolve or move")
    effective_date: dt.date
    legal_basis: str
    state: str = Field(description="draft (its transfer plan under review) or applied")
    before: list[str] = Field(description="codes of the organisations it ended or changed")
    after: list[str] = Field(description="codes of the organisations that took over")
    old_name: str
    new_name: str


class OrganisationDetail(OrganisationOut):
    lineage: list[ReorganisationOut] = Field(
        description="the reorganisations it took part in, newest first"
    )


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next: str | None = Field(description="pass as `after` for the next page")


def _out(org: Organisation) -> dict[str, Any]:
    return {
        "code": org.code,
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "parent": org.parent.code if org.parent else None,
        "valid_from": org.valid_from,
        "valid_to": org.valid_to,
        "successor": org.successor.code if org.successor else None,
    }


class OrgFilters(Schema):
    kind: str = Field(default="", max_length=20)
    active_on: IsoDate | None = None
    after: str = Field(default="", max_length=40, description="the last code of the page before")
    limit: int = Field(default=100, ge=1, le=500)


@router.get(
    "/organisations",
    response={200: OrganisationPage, **ERRORS},
    summary="The directory of organisations",
)
def organisation_list(request: HttpRequest, filters: Query[OrgFilters]) -> Any:
    """Every organisation (the directory is public to every key), by code; a cursor page."""
    qs = Organisation.objects.select_related("parent", "successor").order_by("code")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.active_on:
        qs = qs.filter(in_force_q(filters.active_on))
    if filters.after:
        qs = qs.filter(code__gt=filters.after)
    rows = list(qs[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {"items": [_out(o) for o in rows], "next": rows[-1].code if more else None}


@router.get(
    "/organisations/{code}",
    response={200: OrganisationDetail, **ERRORS},
    summary="One organisation, with its lineage",
)
def organisation_detail(request: HttpRequest, code: str) -> Any:
    org = Organisation.objects.select_related("parent", "successor").filter(code=code).first()
    if org is None:
        raise Http404
    history = []
    for reorg in lineage(org):
        parts = list(reorg.parts.all())
        history.append(
            {
                "kind": reorg.kind,
                "effective_date": reorg.effective_date,
                "legal_basis": reorg.legal_basis,
                "state": reorg.state,
                "before": [p.org.code for p in parts if p.side == ReorgSide.SOURCE],
                "after": [p.org.code for p in parts if p.side == ReorgSide.TARGET],
                "old_name": reorg.old_name,
                "new_name": reorg.new_name,
            }
        )
    return {**_out(org), "lineage": history}


class Day(Schema):
    date: dt.date
    working: bool
    holiday: str | None


class CalendarOut(Schema):
    days: list[Day]
    working_days: int


class CalendarRange(Schema):
    start: IsoDate
    end: IsoDate = Field(description="not before start, and at most 365 days after it")


@router.get("/calendar", response={200: CalendarOut, **ERRORS}, summary="Working days")
def calendar(request: HttpRequest, span: Query[CalendarRange]) -> Any:
    """Each day between two dates (at most 366): working or not, and the holiday's name;
    Vietnamese public holidays plus the province's overrides (make-up Saturdays, swaps)."""
    if span.end < span.start or (span.end - span.start).days > 365:
        raise ApiError(400, "bad_range", _("Give a range of at most 366 days, start before end."))
    cal = workdays.calendar()
    days = []
    day = span.start
    while day <= span.end:
        days.append(
            {"date": day, "working": cal.is_working_day(day), "holiday": cal.holiday_name(day)}
        )
        day += dt.timedelta(days=1)
    return {"days": days, "working_days": sum(1 for d in days if d["working"])}


class AddIn(Schema):
    date: ReportDate
    working_days: int = Field(ge=-400, le=400)


class AddOut(Schema):
    date: dt.date


@router.get("/calendar/add", response={200: AddOut, **ERRORS}, summary="A date plus N working days")
def calendar_add(request: HttpRequest, query: Query[AddIn]) -> Any:
    """How the system counts "within N working days" deadlines (DOMAIN.md §7)."""
    return {"date": workdays.add_working_days(query.date, query.working_days)}
