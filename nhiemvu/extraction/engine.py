"""Directive text → candidate tasks (issue 3). Pure Python, deterministic, no Django models.

The reading, in order:
1. normalise (text.py) and cut into sentences and clauses (segment.py);
2. find the addressees (Kính gửi) and the header (header.py);
3. for each sentence decide whether it assigns work, and to whom:
   - "giao / yêu cầu <agencies> …" (an explicit assignment; "đề nghị" is a request: kept, but
     marked as not binding),
   - "<agencies> <verb> …" (the agency as subject: "Bộ Nội vụ hoàn thiện …"),
   - "<verb> …" right after an assignment or under "như sau:" (the same agencies, or the
     addressees when none is named),
   - "nếu có … kịp thời báo cáo" (a standing duty to report),
   and whether it only completes the task before it ("Báo cáo gửi … trước ngày …");
4. within each task: lead and coordinating agencies ("chủ trì, phối hợp với"), the deliverable,
   the deadline or recurrence, and the warnings a reviewer needs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction.drafts import find_drafts
from nhiemvu.extraction.fields import finish, share_sentence_deadlines, warn
from nhiemvu.extraction.header import parse_header
from nhiemvu.extraction.resolve import Directory
from nhiemvu.extraction.results import Agency, Extraction, Task, proposed_summary
from nhiemvu.extraction.text import prepare

__all__ = ["Agency", "Extraction", "Task", "extract", "proposed_summary"]


def _in_force(entry: dict[str, Any], day: dt.date) -> bool:
    start, end = entry.get("valid_from"), entry.get("valid_to")
    return (start is None or start <= day) and (end is None or day <= end)


def extract(
    text: str,
    doc_date: dt.date | None = None,
    directory: list[dict[str, Any]] | None = None,
) -> Extraction:
    """Read a directive and propose its tasks. Never raises on odd input; returns no task for a
    text that assigns nothing."""
    prepared = prepare(text or "")
    header = parse_header(prepared)
    doc_date = doc_date or header.doc_date
    if directory and doc_date:
        # Only the organisations in force on the document's date: a 2026 letter to "các địa
        # phương" means today's communes and wards, not the districts that ended in 2025; a
        # 2022 letter, the districts.
        directory = [d for d in directory if _in_force(d, doc_date)]
    names = [d.get("name", "") for d in directory or []]
    names += [a for d in directory or [] for a in d.get("aliases", [])]
    gazetteer = ag.Gazetteer(names)
    resolver = Directory(directory) if directory else None
    drafts = find_drafts(prepared.norm, header, gazetteer)
    # Standing duties to report ("nếu có khó khăn … kịp thời báo cáo") are few: collected once,
    # so a text of thousands of tasks is not read once per pair of tasks.
    nested = [d for d in drafts if d.contingent]
    tasks = [finish(prepared, d, nested, doc_date, header, resolver) for d in drafts]
    share_sentence_deadlines(tasks, drafts)
    for task in tasks:
        warn(task, doc_date)
    return Extraction(header, tasks)
