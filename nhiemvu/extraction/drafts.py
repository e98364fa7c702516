"""Which sentences and clauses assign work, and to whom: the rules' reading of a directive.

Each draft is a span of the text with its lead and coordinating agency mentions; fields.py
fills in the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction.deadlines import find_deadlines
from nhiemvu.extraction.header import Header
from nhiemvu.extraction.patterns import (
    ASSIGNER,
    CLOSING,
    CONTINGENT,
    CONTINUATION,
    COORDINATE,
    COORDINATE_LATE,
    DIRECTS,
    INTRO,
    INTRO_BODY,
    ISSUED,
    LEAD_TAIL,
    LEADING,
    LEADS_AGAIN,
    NOT_TASK_START,
    TRIGGER,
    VERB_START,
)
from nhiemvu.extraction.segment import Sentence, clauses, sentences


@dataclass
class Draft:
    start: int
    end: int
    lead: list[ag.Mention]
    coordinate: list[ag.Mention]
    bound: bool
    body_start: int  # where the work described begins (after the agencies)
    contingent: bool = False
    sentence_index: int = 0
    inherited: bool = False
    found_by_rules: bool = True  # False for a sentence the learned scorer added


def strip_leading(text: str, pos: int) -> int:
    hit = LEADING.match(text, pos)
    return hit.end() if hit else pos


# Between the agencies and their work: "…, đặc biệt là …," or "theo chức năng, nhiệm vụ (được
# giao)" ("Sở Xây dựng, Sở Tài chính theo chức năng, nhiệm vụ hướng dẫn …").
_AFTER_SUBJECT = re.compile(
    r"\s*(?:,\s*)?(?:đặc\s*biệt[^,]{0,60},\s*)?"
    r"(?:(?:theo|trong\s*phạm\s*vi)\s*(?:đúng\s*)?chức\s*năng(?:\s*,\s*nhiệm\s*vụ)?"
    r"(?:\s*,?\s*(?:và\s*)?quyền\s*hạn)?(?:\s*(?:được\s*giao|của\s*mình|của\s*đơn\s*vị))?\s*,?\s*)?",
    re.IGNORECASE,
)


def _subject(text: str, pos: int, gazetteer: ag.Gazetteer) -> tuple[list[ag.Mention], int] | None:
    """Agencies at pos followed by an action verb (the agency as grammatical subject)."""
    found, end = ag.mentions_list(text, pos, gazetteer)
    if not found:
        return None
    if any(ASSIGNER.search(hit.text) for hit in found):
        return None
    after = _AFTER_SUBJECT.match(text, end)
    verb_at = after.end() if after else end
    if TRIGGER.match(text, verb_at):
        return None
    if not VERB_START.match(text, verb_at):
        return None
    # The work starts at the verb ("theo chức năng, nhiệm vụ" is how, not what).
    return found, verb_at


def _assignment(
    text: str, start: int, end: int, gazetteer: ag.Gazetteer
) -> tuple[list[ag.Mention], int, bool, bool] | None:
    """An explicit "giao|yêu cầu|đề nghị <agencies>" within [start, end)."""
    for hit in TRIGGER.finditer(text, start, end):
        before = text[max(start, hit.start() - 12) : hit.start()].lower()
        if "được" in before or "theo" in before[-6:] or re.search(r"về\s*việc\s*$", before):
            continue  # "… văn bản số 12/UBND về việc giao …": a document's subject, not an order
        verb = hit.group("verb").lower()
        if hit.group("colon"):
            return [], hit.end(), verb.startswith("đề"), True
        found, list_end = ag.mentions_list(text, hit.end(), gazetteer)
        if found:
            return found, list_end, not verb.startswith("đề") or ag.binds(found), False
    return None


def coordinators(
    text: str, pos: int, end: int, gazetteer: ag.Gazetteer
) -> tuple[list[ag.Mention], int]:
    tail = LEAD_TAIL.match(text, pos)
    at = tail.end() if tail else pos
    coord = COORDINATE.match(text, at, end) or COORDINATE_LATE.match(text, at, end)
    if not coord:
        return [], at
    found, list_end = ag.mentions_list(text, coord.end(), gazetteer)
    return found, (list_end if found else at)


@dataclass
class Notes:
    """What the rules decided about the sentences they drafted nothing from, for the learned
    scorer (candidates.py): the ones they know are not tasks (a news title, a document's
    subject, an intro or heading line, the closing formula, the signature block), and the
    agencies a list item in each sentence would belong to."""

    rejected: set[int] = field(default_factory=set)
    context: dict[int, list[ag.Mention]] = field(default_factory=dict)
    closing_at: int | None = None  # the first sentence of the signature block


def find_drafts(
    text: str, header: Header, gazetteer: ag.Gazetteer, notes: Notes | None = None
) -> list[Draft]:
    notes = notes if notes is not None else Notes()
    drafts: list[Draft] = []
    context: list[ag.Mention] = []
    intro_open = False  # after "… như sau:" or "yêu cầu:", list items are tasks
    body = sentences(text)
    previous_task_sentence = -2
    first = next((i for i, s in enumerate(body) if s.start >= header.body_start), -1)
    closing = -1  # the sentence holding the closing formula, if any
    for index, s in enumerate(body):
        if s.start < header.body_start:
            continue
        notes.context[index] = context or header.addressees
        if CLOSING.match(s.text.lstrip("| ")):
            notes.closing_at = index
            break
        if ISSUED.search(s.text) or (index == first and is_title(s, text)):
            notes.rejected.add(index)
            continue  # "UBND tỉnh vừa ban hành văn bản số … về việc …"; a news item's title
        pos = strip_leading(text, s.body_start)
        spans = clauses(s)
        made = False
        c_index = -1
        while c_index + 1 < len(spans):
            c_index += 1
            c_start, c_end = spans[c_index]
            c_pos = max(c_start, pos) if c_index == 0 else strip_leading(text, c_start)
            if c_pos >= c_end:
                continue
            explicit = _assignment(text, c_pos, c_end, gazetteer)
            subject = None if explicit else _subject(text, c_pos, gazetteer)
            clause_text = text[c_pos:c_end]
            if (
                c_index > 0
                and drafts
                and drafts[-1].sentence_index == index
                and (joined := COORDINATE.match(clause_text))
            ):
                # "…; phối hợp Sở A; Viễn thông B; UBND cấp xã …": the task's coordinators.
                more, list_end = ag.mentions_list(text, c_pos + joined.end(), gazetteer)
                if LEADS_AGAIN.match(clause_text) and more and _has_work(text, list_end, c_end):
                    # "…; chủ trì, phối hợp với X <làm việc khác>": a further duty of the same
                    # lead, with its own coordinators.
                    drafts.append(
                        Draft(
                            c_start,
                            c_end,
                            list(drafts[-1].lead),
                            more,
                            drafts[-1].bound,
                            list_end,
                            sentence_index=index,
                            inherited=True,
                        )
                    )
                    continue
                drafts[-1].coordinate.extend(more)
                while c_index + 1 < len(spans) and list_end > c_end:
                    c_index += 1
                    c_end = spans[c_index][1]
                drafts[-1].end = c_end
                continue
            directs = (
                None
                if (explicit or subject or c_index == 0 or not drafts)
                else DIRECTS.match(clause_text)
            )
            if directs:
                # "…; đồng thời chỉ đạo Công an tỉnh …": a further task of the same lead.
                found, _ = ag.mentions_list(text, c_pos + directs.end(), gazetteer)
                if found:
                    drafts.append(
                        Draft(
                            c_start,
                            c_end,
                            list(drafts[-1].lead),
                            [],
                            True,
                            c_pos,
                            sentence_index=index,
                            inherited=True,
                        )
                    )
                    made = True
                    continue
            if explicit and explicit[3]:
                # "Chủ tịch UBND tỉnh yêu cầu: …" — the work follows; agencies come from the
                # addressees unless the clause names them.
                intro_open = True
                after = explicit[1]
                inner = _subject(text, strip_leading(text, after), gazetteer)
                lead = inner[0] if inner else (context or header.addressees)
                body_at = inner[1] if inner else after
                if text[after:c_end].strip():
                    drafts.append(
                        Draft(
                            c_start if c_index else s.start,
                            c_end,
                            list(lead),
                            [],
                            explicit[2] is False,
                            body_at,
                            sentence_index=index,
                            inherited=not inner,
                        )
                    )
                    made = True
                continue
            if explicit or subject:
                found, list_end = (explicit[0], explicit[1]) if explicit else subject  # type: ignore[misc]
                bound = explicit[2] if explicit else True
                coord, body_at = coordinators(text, list_end, s.end, gazetteer)
                lead = resolve_anaphor(found, context, header)
                # An agency list may run over ";" ("các sở, ngành; UBND các huyện …").
                while c_index + 1 < len(spans) and body_at > c_end:
                    c_index += 1
                    c_end = spans[c_index][1]
                if re.fullmatch(r"\s*:\s*", text[body_at : s.end]) or INTRO_BODY.match(
                    text, body_at, s.end
                ):
                    # "2. Giao Sở Tài chính:", "giao các đơn vị thực hiện một số nhiệm vụ sau:":
                    # the items below are the tasks, and theirs.
                    context, intro_open = lead, True
                    notes.rejected.add(index)
                    continue
                if explicit and _generic_body(text[body_at:c_end]):
                    # "yêu cầu Sở X (nghiêm túc) triển khai thực hiện": a closing formula that
                    # assigns nothing beyond what the document already says; its "nếu có khó
                    # khăn … kịp thời báo cáo" is part of the formula too.
                    closing = index
                    notes.rejected.add(index)
                    continue
                drafts.append(
                    Draft(
                        c_start if c_index else s.start,
                        c_end,
                        lead,
                        coord,
                        bound,
                        body_at,
                        sentence_index=index,
                    )
                )
                if bound:
                    context = lead
                made = True
                continue
            if CONTINGENT.search(clause_text) and closing == index:
                continue
            if CONTINGENT.search(clause_text) and (drafts or header.addressees):
                lead = context or header.addressees
                local, _ = ag.mentions_list(text, _after_condition(text, c_pos, c_end), gazetteer)
                drafts.append(
                    Draft(
                        c_start if c_index else s.start,
                        c_end,
                        resolve_anaphor(local, context, header) if local else list(lead),
                        [],
                        True,
                        c_pos,
                        contingent=True,
                        sentence_index=index,
                        inherited=not local,
                    )
                )
                made = True
                continue
            if c_index > 0 and drafts and drafts[-1].sentence_index == index:
                # A further clause of a task sentence belongs to that task; after a standing
                # duty to report ("…, kịp thời báo cáo …;") it belongs to the task around it.
                owner = drafts[-1]
                if owner.contingent and len(drafts) > 1 and drafts[-2].sentence_index == index:
                    owner = drafts[-2]
                owner.end = c_end
                continue
            adjacent = bool(drafts) and previous_task_sentence == index - 1
            if (
                c_index == 0
                and adjacent
                and (
                    CONTINUATION.match(clause_text)
                    # "… báo cáo kết quả. Trình UBND tỉnh trước ngày …": a short sentence that
                    # only gives the previous task its date.
                    or (
                        find_deadlines(s.text, None)
                        and (not VERB_START.match(clause_text) or len(clause_text.split()) < 10)
                    )
                )
            ):
                drafts[-1].end = s.end
                made = True
                break
            if (
                c_index == 0
                and adjacent
                and drafts[-1].end == _prev_end(body, index)
                and body[index - 1].ends_with in ";:"
                and VERB_START.match(clause_text)
            ):
                drafts[-1].end = s.end  # a list of duties broken over lines
                made = True
                break
            starts_with_verb = bool(VERB_START.match(_after_recurrence(clause_text)))
            substantial = len(clause_text.split()) >= 8
            if (
                c_index == 0
                and starts_with_verb
                and substantial
                and not NOT_TASK_START.match(clause_text)
                and (context or intro_open)
                and (s.line_start or adjacent)
            ):
                lead = context or header.addressees
                # "- Phối hợp với Cơ quan X tổng hợp …": the item names its coordinators.
                coord, body_at = coordinators(text, c_pos, c_end, gazetteer)
                drafts.append(
                    Draft(
                        s.start,
                        c_end,
                        list(lead),
                        coord,
                        True,
                        body_at if coord else c_pos,
                        sentence_index=index,
                        inherited=True,
                    )
                )
                made = True
                continue
        if made:
            previous_task_sentence = index
        elif s.ends_with == ":" and (heading := _heading(text, s, gazetteer)):
            # "1. Các sở, ban, ngành cấp tỉnh (…):": the items below are theirs.
            context, intro_open = heading, True
            notes.rejected.add(index)
            continue
        if s.ends_with == ":" and INTRO.search(s.text):
            notes.rejected.add(index)
            intro_open = True
            if not context:
                context = list(header.addressees)
    return drafts


def _heading(text: str, sentence: Sentence, gazetteer: ag.Gazetteer) -> list[ag.Mention]:
    """Agencies that make up a whole heading line, "<agencies> (…):", else nothing."""
    found, end = ag.mentions_list(text, sentence.body_start, gazetteer)
    rest = text[end : sentence.end]
    if found and re.fullmatch(r"\s*(?:\([^)]{0,300}\))?\s*:", rest):
        return found
    return []


def is_title(sentence: Sentence, text: str) -> bool:
    """A news item's title: the text's first line, with no closing punctuation, and more after."""
    return (
        sentence.line_start
        and sentence.ends_with not in ".;:!?…"
        and text[sentence.end : sentence.end + 1] == "\n"
        and bool(text[sentence.end :].strip())
        and len(sentence.text) <= 300
    )


def _has_work(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] describes work: a verb and a few words."""
    body = text[start:end].lstrip(" ,")
    return bool(VERB_START.match(body)) and len(body.split()) >= 4


def _generic_body(body: str) -> bool:
    words = re.sub(r"[^\w\s]|_", " ", body.lower()).split()
    return len(words) <= 8 and all(
        w
        in {
            "tổ",
            "chức",
            "triển",
            "khai",
            "thực",
            "hiện",
            "nghiêm",
            "túc",
            "các",
            "nội",
            "dung",
            "trên",
            "khẩn",
            "trương",
            "này",
            "văn",
            "bản",
            "chỉ",
            "thị",
            "đúng",
            "quy",
            "định",
            "có",
            "hiệu",
            "quả",
        }
        for w in words
    )


def _prev_end(body: list[Sentence], index: int) -> int:
    return body[index - 1].end if index else -1


_COMMA_AT = re.compile(r",\s*")


def _after_condition(text: str, start: int, end: int) -> int:
    hit = re.search(r"kịp\s*thời\s+báo\s*cáo", text[start:end], re.I)
    comma = text.rfind(",", start, start + (hit.start() if hit else 0))
    if comma < 0:
        return end
    skip = _COMMA_AT.match(text, comma)
    return skip.end() if skip else comma + 1


def _after_recurrence(clause: str) -> str:
    hit = re.match(
        r"\s*(?:định\s*kỳ\s*)?(?:\d{1,2}\s*(?:tháng|tuần|ngày)\s*(?:/\s*lần|một\s*lần)|"
        r"h[aàằ]ng\s*(?:tuần|tháng|quý|năm))\s*,?\s*",
        clause,
        re.I,
    )
    return clause[hit.end() :] if hit else clause


def resolve_anaphor(
    found: list[ag.Mention], context: list[ag.Mention], header: Header
) -> list[ag.Mention]:
    """ "các đơn vị" stands for the agencies already named, or for the addressees."""
    if found and all(hit.anaphor for hit in found):
        return list(context or header.addressees or found)
    return found
