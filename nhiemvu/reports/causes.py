"""Causes of delay and lessons learnt in a period (issue 18): the report's "Nguyên nhân chậm và
bài học kinh nghiệm", by cause, agency, assigning leader and who held up whom, with the agencies'
own words. The tasks are those a period's report covers (selectors.covered); the explanation in
force on the as-of date is assignments/explanations.py's, never decided here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Count, Value, When

from nhiemvu.assignments import explanations, holders, status
from nhiemvu.assignments.models import DelayCause, Explanation
from nhiemvu.lib.periods import Period
from nhiemvu.orgs.models import Organisation
from nhiemvu.reports.selectors import as_of_for, completed_late_q, covered, open_overdue_filter

L = status.Label
T = status.Timing

LATE_DONE = "late"  # completed late, confirmed within the period
OPEN_OVERDUE = "overdue"  # still open and overdue on the as-of date
UNEXPLAINED = "Chưa giải trình"
QUOTES_PER_CAUSE = 3


@dataclass
class CauseRow:
    key: str
    name: str
    late: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.late + self.overdue


@dataclass
class Causes:
    """Why work was late in a period, as of a date: by cause, by agency, by assigning leader,
    who was held up by whom, and the agencies' own words (the report's "Nguyên nhân chậm và
    bài học kinh nghiệm")."""

    period: Period
    as_of: dt.date
    by_cause: list[CauseRow]
    by_agency: list[tuple[str, str, int]]  # agency, cause, tasks
    by_leader: list[tuple[str, str, int]]  # leader, cause, tasks
    held_up: list[tuple[str, str, int]]  # the agency, the one it waited for, tasks
    quotes: list[tuple[str, str, str, str]]  # cause, agency, explanation, remedy

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_cause": [
                {"cause": r.key, "name": r.name, "late": r.late, "overdue": r.overdue}
                for r in self.by_cause
            ],
            "by_agency": [{"agency": a, "cause": c, "tasks": n} for a, c, n in self.by_agency],
            "by_leader": [{"leader": a, "cause": c, "tasks": n} for a, c, n in self.by_leader],
            "held_up": [{"agency": a, "waited_for": b, "tasks": n} for a, b, n in self.held_up],
            "quotes": [
                {"cause": c, "agency": a, "explanation": t, "remedy": r}
                for c, a, t, r in self.quotes
            ],
        }


def delay_causes(user: Any, period: Period, as_of: dt.date | None = None) -> Causes:
    """One GROUP BY over the late and overdue tasks of the period, each with the explanation in
    force on the as-of date (assignments/explanations.py) and its holder then."""
    as_of = as_of_for(period, as_of)
    qs = covered(user, period, as_of).filter(received=False)
    # Today's figures filter on the stored columns (status.label_filter): the annotated CASE
    # in a WHERE is evaluated on every row of the period.
    late_q = completed_late_q(period, as_of)
    overdue_q = open_overdue_filter(as_of)
    qs = qs.filter(late_q | overdue_q).annotate(
        kind=Case(
            When(late_q, then=Value(LATE_DONE)),
            default=Value(OPEN_OVERDUE),
            output_field=CharField(),
        ),
        cause=explanations.in_force_expr(as_of, "cause_id"),
        other=explanations.in_force_expr(as_of, "other_org_id"),
        explanation=explanations.in_force_expr(as_of, "id"),
        holder=holders.holder_column(as_of),
    )
    grouped = list(
        qs.order_by()
        .values_list("kind", "cause", "other", "holder", "assigned_by")
        .annotate(n=Count("*"))
    )
    causes = {c.pk: c for c in DelayCause.objects.all()}
    org_ids = {g[3] for g in grouped} | {g[2] for g in grouped if g[2]}
    orgs = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    leaders = dict(
        get_user_model()
        .objects.filter(pk__in={g[4] for g in grouped if g[4]})
        .values_list("pk", "full_name")
    )
    rows: dict[Any, CauseRow] = {}
    agency: dict[tuple[str, str], int] = {}
    leader: dict[tuple[str, str], int] = {}
    held: dict[tuple[str, str], int] = {}
    for kind, cause_id, other, holder, assigned_by, n in grouped:
        cause = causes.get(cause_id)
        name = cause.name if cause else UNEXPLAINED
        row = rows.setdefault(cause_id, CauseRow(cause.code if cause else "", name))
        if kind == LATE_DONE:
            row.late += n
        else:
            row.overdue += n
        key = (orgs.get(holder, "?"), name)
        agency[key] = agency.get(key, 0) + n
        who = leaders.get(assigned_by, "—") if assigned_by else "—"
        leader[(who, name)] = leader.get((who, name), 0) + n
        if other:
            pair = (orgs.get(holder, "?"), orgs.get(other, "?"))
            held[pair] = held.get(pair, 0) + n
    by_cause = sorted(rows.values(), key=lambda r: (-r.total, r.name))

    def ranked(counts: dict[tuple[str, str], int]) -> list[tuple[str, str, int]]:
        return sorted(((a, b, n) for (a, b), n in counts.items()), key=lambda t: (-t[2], t[0]))

    quotes: list[tuple[str, str, str, str]] = []
    seen: dict[str, int] = {}
    # The explanations in force of those tasks: at most one a task (explanations.in_force_q),
    # read from the explanations' side rather than by a second pass over the tasks.
    words = (
        Explanation.objects.filter(explanations.in_force_q(as_of), assignment__in=qs.values("pk"))
        .select_related("cause", "author_org")
        .order_by("-submitted_on", "-id")[:200]
    )
    for item in words:
        if seen.get(item.cause.code, 0) >= QUOTES_PER_CAUSE:
            continue
        seen[item.cause.code] = seen.get(item.cause.code, 0) + 1
        quotes.append((item.cause.name, item.author_org.name, item.text, item.remedy))
    return Causes(period, as_of, by_cause, ranked(agency), ranked(leader), ranked(held), quotes)
