"""/api/v1/reports: the report figures as JSON, the same numbers as the files and dashboards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from nhiemvu.apicommon import ERRORS, ApiError, ReportDate
from nhiemvu.conf import setting
from nhiemvu.lib import periods
from nhiemvu.reports import selectors
from nhiemvu.reports.causes import delay_causes

router = Router(tags=["reports"])


class RowOut(Schema):
    key: str = Field(description="organisation or document code; empty for a leader or a total")
    name: str
    group: str
    total: int
    done: int
    done_on_time: int
    done_late: int
    open: int
    open_within: int
    open_overdue: int
    no_deadline: int
    paused: int
    completion_rate: Decimal | None = Field(description="percent, truncated to 2 decimals")
    on_time_rate: Decimal | None
    rank: int | None


class PeriodOut(Schema):
    key: str
    label: str
    start: dt.date
    end: dt.date


class SummaryOut(Schema):
    period: PeriodOut
    as_of: dt.date
    by: str
    rows: list[RowOut]
    total: RowOut


_YEAR = r"(199[0-9]|20[0-9]{2}|2100)"
_MONTH_DAY = r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"


class SummaryQuery(Schema):
    period: str = Field(
        max_length=40,
        # The years the periods handle (lib/periods.py: 1990-2100), in the schema itself.
        pattern=rf"^{_YEAR}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$"
        rf"|^{_YEAR}-{_MONTH_DAY}\.\.{_YEAR}-{_MONTH_DAY}$",
        description="2026-Q3, 2026-06, 2026-H1, 2026, or 2026-01-01..2026-03-31 "
        "(years 1990-2100; a range's end not before its start)",
    )
    by: Literal["org", "leader", "document"] = "org"
    as_of: ReportDate | None = None


def _row(row: Any, *, hide_key: bool = False) -> dict[str, Any]:
    data = {k: getattr(row, k) for k in RowOut.model_fields if k not in ("key",)}
    data["key"] = "" if hide_key else row.key
    return data


@router.get("/summary", response={200: SummaryOut, **ERRORS}, summary="Figures of a period")
def summary(request: HttpRequest, query: Query[SummaryQuery]) -> Any:
    """Tasks by organisation, by assigning leader or by document for a reporting period
    (Decree 09 periods by default), as of a date (default: the period's end, or today)."""
    try:
        period = periods.parse(query.period, rule=setting("PERIOD_RULE"))
    except periods.PeriodError as exc:
        raise ApiError(400, "bad_period", str(exc)) from None
    builders = {
        "org": selectors.summary_by_org,
        "leader": selectors.summary_by_leader,
        "document": selectors.summary_by_document,
    }
    result = builders[query.by](request.user, period, query.as_of)
    rows = selectors.ranking(result.rows) if query.by == "org" else result.rows
    return {
        "period": {
            "key": period.key,
            "label": period.label,
            "start": period.start,
            "end": period.end,
        },
        "as_of": result.as_of,
        "by": query.by,
        # A leader's row key is the user's database id: not for the outside world.
        "rows": [_row(r, hide_key=query.by == "leader") for r in rows],
        "total": _row(result.total, hide_key=True),
    }


class CauseOut(Schema):
    cause: str = Field(description="the cause's code; empty for tasks not explained yet")
    name: str
    late: int = Field(description="completed late and confirmed within the period")
    overdue: int = Field(description="still open and overdue on the as-of date")


class CountOut(Schema):
    cause: str
    tasks: int


class AgencyCauseOut(CountOut):
    agency: str


class LeaderCauseOut(CountOut):
    leader: str


class HeldUpOut(Schema):
    agency: str
    waited_for: str
    tasks: int


class QuoteOut(Schema):
    cause: str
    agency: str
    explanation: str
    remedy: str


class CausesOut(Schema):
    period: PeriodOut
    as_of: dt.date
    by_cause: list[CauseOut]
    by_agency: list[AgencyCauseOut]
    by_leader: list[LeaderCauseOut]
    held_up: list[HeldUpOut] = Field(description="who waited for whom (the cause names it)")
    quotes: list[QuoteOut] = Field(description="the agencies' own words, a few per cause")


class CausesQuery(Schema):
    period: str = SummaryQuery.model_fields["period"]  # type: ignore[assignment]
    as_of: ReportDate | None = None


@router.get("/causes", response={200: CausesOut, **ERRORS}, summary="Causes of delay")
def causes(request: HttpRequest, query: Query[CausesQuery]) -> Any:
    """Why work was late in a period (issue 18): late completions and open overdue tasks by the
    cause their agencies gave, by agency, by assigning leader, and who waited for whom."""
    try:
        period = periods.parse(query.period, rule=setting("PERIOD_RULE"))
    except periods.PeriodError as exc:
        raise ApiError(400, "bad_period", str(exc)) from None
    result = delay_causes(request.user, period, query.as_of)
    return {
        "period": {
            "key": period.key,
            "label": period.label,
            "start": period.start,
            "end": period.end,
        },
        "as_of": result.as_of,
        **result.as_dict(),
    }
