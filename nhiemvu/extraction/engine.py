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
from nhiemvu.extraction import leads, referents
from nhiemvu.extraction.asked import added_draft
from nhiemvu.extraction.candidates import candidates, hashed, mark_followed
from nhiemvu.extraction.drafts import Draft, Notes, find_drafts
from nhiemvu.extraction.fields import finish, share_sentence_deadlines, warn
from nhiemvu.extraction.header import Header, parse_header
from nhiemvu.extraction.model import Model, sigmoid, stored
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
    *,
    model: Model | None = None,
    rules_only: bool = False,
) -> Extraction:
    """Read a directive and propose its tasks. Never raises on odd input; returns no task for a
    text that assigns nothing. The rules draft the tasks; the learned scorer (the given model,
    else the repository's model.json) weighs them and adds the sentences they passed over;
    `rules_only` reads as the rules alone would (the measure the model is compared with)."""
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
    notes = Notes()
    drafts = find_drafts(prepared.norm, header, gazetteer, notes)
    scorer = None if rules_only else (model or stored())
    scores: dict[int, float] = {}
    if scorer is not None:
        drafts, scores = _weighed(prepared.norm, drafts, header, gazetteer, notes, scorer)
    for draft in drafts:
        if draft.sentence_index == notes.relay:
            leads.relay_addressees(prepared.norm, draft, gazetteer)
    for draft in drafts:
        # "Các địa phương này rà soát …": the agencies named before, not a group of its own.
        if draft.lead and all(m.refers for m in draft.lead):
            draft.lead = referents.referent(prepared.norm, draft.lead[0], gazetteer) or draft.lead
    # Standing duties to report ("nếu có khó khăn … kịp thời báo cáo") are few: collected once,
    # so a text of thousands of tasks is not read once per pair of tasks.
    nested = [d for d in drafts if d.contingent]
    tasks = [finish(prepared, d, nested, doc_date, header, resolver) for d in drafts]
    share_sentence_deadlines(tasks, drafts)
    for task, draft in zip(tasks, drafts, strict=True):
        # A relay's summary restates the body that follows it: proposed, unticked (unless the
        # body gave no task: _relayed).
        task.accepted = draft.sentence_index not in notes.summaries
        if scorer is not None:
            task.score = round(scores[id(draft)], 3)
            task.added_by_model = not draft.found_by_rules
            task.accepted = task.accepted and task.score >= (
                scorer.veto if draft.found_by_rules else scorer.threshold
            )
        warn(task, doc_date)
    if scorer is not None:
        tasks = _relayed(tasks, drafts, notes, scorer.threshold)
    return Extraction(header, tasks, scorer.version if scorer else None)


def _weighed(
    text: str,
    drafts: list[Draft],
    header: Header,
    gazetteer: ag.Gazetteer,
    notes: Notes,
    scorer: Model,
) -> tuple[list[Draft], dict[int, float]]:
    """The rules' drafts, each with the model's probability, and the sentences the rules passed
    over that the model takes for tasks, as drafts of their own (in the order of the text)."""
    kept: list[Draft] = []
    scores: dict[int, float] = {}
    previous: list[ag.Mention] = []  # the agencies of the last task or heading
    found = candidates(text, drafts, header, gazetteer, notes)
    slots = [hashed(c.features, scorer.size) for c in found]
    logits = [scorer.logit(s) for s in slots]
    # What the first stage takes for tasks: a rule's draft with a lead above the veto, another
    # sentence from the threshold.
    taken = {
        c.sentence_index
        for c, p in zip(found, map(sigmoid, logits), strict=True)
        if (p >= scorer.threshold and c.draft is None)
        or (c.draft is not None and p >= scorer.veto and c.draft.bound and c.draft.lead)
    }
    # The opening's candidates are weighed again once told whether a task follows them: one
    # feature more (not hashing all of theirs again; a slot they hold already counts once).
    for number in mark_followed(found, header.body_start, taken):
        (slot,) = hashed(found[number].features[-1:], scorer.size)
        if slot not in slots[number]:
            logits[number] += scorer.weights.get(slot, 0.0)
    for number, candidate in enumerate(found):
        probability = sigmoid(logits[number])
        draft = candidate.draft
        if draft is None:
            # The relay's sentence is kept below the threshold: it may be all the item asks.
            if probability < scorer.threshold and candidate.sentence_index != notes.relay:
                continue
            context = notes.context.get(candidate.sentence_index)
            draft = added_draft(text, candidate, previous, header, gazetteer, context)
            if scorer.leads is not None:
                # Chosen here, not after: the next sentence that names no one falls back on
                # the lead chosen ("Sở X yêu cầu các phòng …. Sở X yêu cầu thực hiện …"), not
                # on the first reading, which may be the one asking.
                leads.assign(text, [draft], header, gazetteer, notes, scorer.leads)
        kept.append(draft)
        scores[id(draft)] = probability
        if draft.bound and draft.lead and (draft.found_by_rules or probability >= scorer.threshold):
            previous = draft.lead
    return kept, scores


def _relayed(tasks: list[Task], drafts: list[Draft], notes: Notes, threshold: float) -> list[Task]:
    """The news item's sentence telling what the relayed document asks ("Bộ Y tế vừa có văn bản
    đề nghị các tỉnh xây dựng kế hoạch …") is its task when nothing after it was taken for one:
    ticked whatever the model gave it. The labels take the body's duties, and the summary only
    when the body restates none; the model, which weighs each sentence alone, had left such an
    item without a task (issue 26: grouped CV F1 0.787 -> 0.793, six items, no extra). When the
    body has its tasks, a relay sentence kept only for this is not proposed (as before)."""
    pairs = list(zip(tasks, drafts, strict=True))
    relay = notes.relay
    if relay is None:
        return tasks
    if any(t.confident for t, d in pairs if d.sentence_index > relay):
        return [
            t
            for t, d in pairs
            if not (
                d.sentence_index == relay and not d.found_by_rules and (t.score or 0) < threshold
            )
        ]
    for task, draft in pairs:
        if draft.sentence_index == relay:
            task.accepted = True
    return tasks
