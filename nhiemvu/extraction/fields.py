"""The fields of each drafted task: deadline, recurrence, work product, agencies, warnings."""

from __future__ import annotations

import datetime as dt
import re

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction.deadlines import Deadline, find_deadlines, find_recurrence
from nhiemvu.extraction.drafts import Draft
from nhiemvu.extraction.header import Header
from nhiemvu.extraction.patterns import DAY_OF_PERIOD, DECISION, DELIVERABLES, WEAK_DELIVERABLE
from nhiemvu.extraction.resolve import Directory, Resolution
from nhiemvu.extraction.results import Agency, Task
from nhiemvu.extraction.text import Text
from nhiemvu.lib.deliverables import needs_deadline_reason


def finish(
    t: Text,
    d: Draft,
    nested: list[Draft],
    doc_date: dt.date | None,
    header: Header,
    resolver: Directory | None,
) -> Task:
    text = t.norm
    start, end = d.start, d.end
    while start < end and text[start] in " \n\t-+•*":
        start += 1
    while end > start and text[end - 1] in " \n\t":
        end -= 1
    evidence, span = t.evidence(start, end)
    body = text[d.body_start : end]
    for other in nested:
        if other is not d and d.body_start <= other.start < other.end <= end:
            # A standing duty to report nested in this task is its own task: its "báo cáo"
            # is not this task's work product (blanked, so offsets stay).
            a, b = other.start - d.body_start, other.end - d.body_start
            body = body[:a] + " " * (b - a) + body[b:]
    deadlines = find_deadlines(body, doc_date)
    recurrence = find_recurrence(body)
    deadline: Deadline | None = deadlines[-1] if deadlines else None
    if recurrence and deadline and not deadline.date:
        deadline = None
    recurrence_day = None
    if (
        recurrence
        and deadline
        and recurrence[1][0] < deadline.span[0] + 40
        and re.search(
            r"h[aàằ]ng|định\s*kỳ", body[max(0, deadline.span[0] - 40) : deadline.span[1] + 40], re.I
        )
    ):
        # "định kỳ hằng tháng, trước ngày 20": the day of each period, not one date.
        day = re.search(r"ngày\s*(\d{1,2})(?!\s*[/.-]\s*\d)", deadline.text)
        recurrence_day = int(day.group(1)) if day and 1 <= int(day.group(1)) <= 31 else None
        deadline = None
    if recurrence and recurrence_day is None and recurrence[0] != "weekly":
        # "định kỳ hằng tháng, trước ngày 20 báo cáo": the day without a month is each period's.
        day_of = DAY_OF_PERIOD.search(body)
        if day_of and 1 <= int(day_of.group(1)) <= 31:
            recurrence_day = int(day_of.group(1))
    warnings: list[str] = []
    if DECISION.match(text, start) or DECISION.match(text, d.body_start):
        warnings.append("decision")
    if deadline and deadline.year_inferred and doc_date is None:
        # "trước ngày 15-12" in a text with no date: the year is unknown; the office types it.
        warnings.append("deadline_year_unknown")
        deadline = None
    deliverable = deliverable_of(body, has_deadline=bool(deadline))
    lead = [_agency(hit, resolver) for hit in d.lead]
    coordinate = [_agency(hit, resolver) for hit in d.coordinate]
    action = _action(body)
    if deadline and deadline.year_inferred:
        warnings.append("year_inferred")
    return Task(
        evidence=evidence,
        span=span,
        lead=lead,
        coordinate=coordinate,
        action=action,
        deliverable=deliverable,
        deadline=deadline.date if deadline else None,
        deadline_time=deadline.time if deadline else None,
        deadline_text=deadline.text.strip()
        if deadline
        else (recurrence[2] if recurrence else None),
        deadline_how=deadline.how if deadline else None,
        recurrence=recurrence[0] if recurrence else None,
        recurrence_day=recurrence_day,
        bound=d.bound,
        warnings=warnings,
    )


def share_sentence_deadlines(tasks: list[Task], drafts: list[Draft]) -> None:
    """One deadline and report closing a sentence serve every task the sentence assigns."""
    for index, (task, draft) in enumerate(zip(tasks, drafts, strict=True)):
        if task.deadline or task.recurrence or draft.contingent:
            continue
        # Indices, not slices: a slice copies the rest of the list for every task.
        for later_index in range(index + 1, len(tasks)):
            later, later_draft = tasks[later_index], drafts[later_index]
            if later_draft.sentence_index != draft.sentence_index or later_draft.contingent:
                break
            if later.deadline:
                task.deadline, task.deadline_time = later.deadline, later.deadline_time
                task.deadline_text, task.deadline_how = later.deadline_text, later.deadline_how
                if later.deliverable and not task.deliverable:
                    task.deliverable = later.deliverable
                break


def deliverable_of(body: str, *, has_deadline: bool) -> str | None:
    """The work product the text asks for first (earliest in the text)."""
    first: tuple[int, str] | None = None
    low = body.lower()
    for name, words, pattern in DELIVERABLES:
        if not any(word in low for word in words):
            continue
        for hit in pattern.finditer(body):
            if name == "báo cáo" and _is_document_reference(body, hit.start()):
                continue
            if name == "báo cáo" and re.search(
                r"trước\s*khi\s*(?:tổng\s*hợp,?\s*)?$",
                body[max(0, hit.start() - 30) : hit.start()],
                re.I,
            ):
                continue
            if first is None or hit.start() < first[0]:
                first = (hit.start(), name)
            break
    if first:
        return first[1]
    if has_deadline and WEAK_DELIVERABLE.search(body):
        return "văn bản tham mưu"
    return None


def _is_document_reference(body: str, at: int) -> bool:
    word = body[at : at + 7]
    if not word.startswith("Báo"):
        return False
    # "Báo cáo" capitalised mid-sentence names a document ("giữa Báo cáo và dự thảo …") unless
    # it is what is asked for ("hoàn thiện Báo cáo tổng kết", "Báo cáo … gửi").
    before = body[max(0, at - 25) : at].lower()
    if re.search(r"(?:hoàn\s*thiện|xây\s*dựng|gửi|lập)\s*$", before):
        return False
    return at > 0 and not re.search(r"[.;:]\s*$", body[:at])


def _action(body: str) -> str:
    clean = re.sub(r"\s+", " ", body).strip(" ,;:.")
    clean = re.sub(r"^(?:chủ\s*trì\s*,?\s*)", "", clean, flags=re.I)
    first = re.split(r"(?<=[.;])\s", clean)[0].strip(" ,;.")
    return (first[:197] + "…") if len(first) > 200 else first


def _agency(mention: ag.Mention, resolver: Directory | None) -> Agency:
    agency = Agency(mention.text, mention.group)
    if resolver is None:
        return agency
    result: Resolution = resolver.resolve(mention.text, group=mention.group)
    agency.resolved = result.matches
    agency.ambiguous = result.candidates if result.ambiguous else []
    return agency


def warn(task: Task, doc_date: dt.date | None) -> None:
    warnings = task.warnings
    if needs_deadline_reason(task.deliverable, task.deadline, task.recurrence):
        warnings.append("deliverable_without_deadline")
    if not task.lead:
        warnings.append("no_lead")
    if any(a.ambiguous for a in task.lead + task.coordinate):
        warnings.append("ambiguous_agency")
    if task.deadline and doc_date and task.deadline < doc_date:
        warnings.append("deadline_before_document")
    if not task.bound:
        warnings.append("requested_not_bound")
    if (
        not task.deadline
        and not task.recurrence
        and re.search(r"khẩn\s*trương|\bngay\b|kịp\s*thời", task.evidence, re.I)
    ):
        warnings.append("urgent_without_date")
