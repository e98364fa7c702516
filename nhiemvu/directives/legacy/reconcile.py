"""Reconciliation of an import with the old tracker's own words (issue 29 item 4): per quarter
of assignment and per agency, the counts by state and the on-time rate as the export says them
(its state words: "Quá hạn", "Hoàn thành quá hạn" …) beside the same counts as nhiemvu computes
them (assignments.status over the imported tasks), with every row that differs.

The export is read as of its own day: an open task that passed its deadline since then is a
difference the page names, not an error of the import."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from nhiemvu.assignments import status
from nhiemvu.assignments.models import Assignment, WorkState
from nhiemvu.directives.legacy.imports import Row
from nhiemvu.directives.legacy.reading import state_key

CLASSES = ("in_progress", "overdue", "no_deadline", "done_on_time", "done_late")
ROWS_KEPT = 500
# nhiemvu's labels in the old trackers' classes.
_OURS = {
    status.Label.DONE_ON_TIME: "done_on_time",
    status.Label.DONE_NO_DEADLINE: "done_on_time",
    status.Label.DONE_LATE: "done_late",
    status.Label.OVERDUE: "overdue",
    status.Label.NO_DEADLINE: "no_deadline",
}


def file_class(row: Row, word: str) -> str:
    """The class the old tracker gave the row, read from its state word and dates."""
    assert row.item is not None
    late = "qua han" in state_key(word)
    if row.item.state == WorkState.DONE:
        return "done_late" if late else "done_on_time"
    if late:
        return "overdue"
    return "no_deadline" if row.item.deadline is None else "in_progress"


def ours_class(label: str, deadline: Any) -> str:
    if label in _OURS:
        return _OURS[label]
    return "no_deadline" if deadline is None else "in_progress"


def quarter(day: Any) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def reconcile(
    rows: Iterable[Row],
    source: str,
    on_difference: Callable[[dict[str, Any], Row], None] | None = None,
) -> dict[str, Any]:
    """``rows``: each read row with its state word. Returns the groups (quarter, agency) with
    both sides' counts and on-time rates, whether they differ, and the first differing rows;
    ``on_difference`` is told every one of them (the workbook)."""
    groups: dict[tuple[str, str], dict[str, dict[str, int]]] = {}
    differing: list[dict[str, Any]] = []
    total_differing = 0
    for chunk in _pairs(((r, r.word) for r in rows), 1000):
        ids = [r.legacy_id for r, _w in chunk if r.item is not None]
        tasks = status.annotate(
            Assignment.objects.filter(legacy_source=source, legacy_id__in=ids)
        ).values_list("legacy_id", "st_label", "deadline")
        ours = {i: ours_class(label, deadline) for i, label, deadline in tasks}
        for row, word in chunk:
            if row.item is None:
                continue
            theirs = file_class(row, word)
            mine = ours.get(row.legacy_id, "missing")
            key = (quarter(row.item.assigned_on), row.item.lead.name)
            group = groups.setdefault(key, {"file": {}, "nhiemvu": {}})
            group["file"][theirs] = group["file"].get(theirs, 0) + 1
            group["nhiemvu"][mine] = group["nhiemvu"].get(mine, 0) + 1
            if theirs != mine:
                total_differing += 1
                entry = {
                    "number": row.number,
                    "legacy_id": row.legacy_id,
                    "file": theirs,
                    "nhiemvu": mine,
                    "quarter": key[0],
                    "agency": key[1],
                }
                if len(differing) < ROWS_KEPT:
                    differing.append(entry)
                if on_difference is not None:
                    on_difference(entry, row)
    table = []
    for (q, agency), sides in sorted(groups.items()):
        table.append(
            {
                "quarter": q,
                "agency": agency,
                "file": sides["file"],
                "nhiemvu": sides["nhiemvu"],
                "file_rate": _rate(sides["file"]),
                "nhiemvu_rate": _rate(sides["nhiemvu"]),
                "differs": sides["file"] != sides["nhiemvu"],
            }
        )
    return {"groups": table, "rows": differing, "differing": total_differing}


def _rate(counts: dict[str, int]) -> float | None:
    done = counts.get("done_on_time", 0) + counts.get("done_late", 0)
    return round(100 * counts.get("done_on_time", 0) / done, 1) if done else None


def _pairs(rows: Iterable[tuple[Row, str]], size: int) -> Iterable[list[tuple[Row, str]]]:
    chunk: list[tuple[Row, str]] = []
    for pair in rows:
        chunk.append(pair)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
