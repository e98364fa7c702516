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
    LEAD_TAIL,
    LEADING,
    LEADS_AGAIN,
    NOT_TASK_START,
    RELAY_OPENING,
    RELAY_SUMMARY,
    RELAYED_BODY,
    RELAYED_DOCUMENT,
    TRIGGER,
    VERB_START,
    not_a_task,
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
    summaries: set[int] = field(default_factory=set)  # a relay's summary before its body
    relay: int | None = None  # the news item's sentence telling what the relayed document asks


_Agencies = list[ag.Mention]

# What a step did with a clause: nothing (None: the next step reads it), passed it by, drafted
# from it, or joined the whole sentence to the task before (its other clauses go unread).
_NEXT, _MADE, _JOINED = "next", "made", "joined"


@dataclass
class _Clause:
    """One ";"-separated clause of a sentence being read, and what its words start with."""

    index: int  # the sentence's index
    sentence: Sentence
    spans: list[tuple[int, int]]  # the sentence's clauses
    at: int  # this clause's index in spans
    start: int
    end: int
    pos: int  # where its words start (after a list marker)
    text: str
    explicit: tuple[list[ag.Mention], int, bool, bool] | None  # "giao|yêu cầu <agencies>"
    subject: tuple[list[ag.Mention], int] | None  # "<agencies> <verb>"

    def run_over(self, pos: int) -> None:
        """Take in the following clauses up to pos: an agency list may run over ";"."""
        while self.at + 1 < len(self.spans) and pos > self.end:
            self.at += 1
            self.end = self.spans[self.at][1]

    @property
    def draft_start(self) -> int:
        """A sentence's first clause drafts from the sentence's start (its list marker too)."""
        return self.start if self.at else self.sentence.start


class _Reading:
    """One pass of the rules over a directive: what carries from sentence to sentence (the
    drafts so far, whose work the items below are, whether an intro opened a list)."""

    def __init__(self, text: str, header: Header, gazetteer: ag.Gazetteer, notes: Notes) -> None:
        self.text, self.header, self.gazetteer, self.notes = text, header, gazetteer, notes
        self.body = sentences(text)
        self.drafts: list[Draft] = []
        self.context: list[ag.Mention] = []
        self.intro_open = False  # after "… như sau:" or "yêu cầu:", list items are tasks
        self.previous_task_sentence = -2
        self.closing = -1  # the sentence holding the closing formula, if any

    def read(self) -> list[Draft]:
        body_start = self.header.body_start
        first = next((i for i, s in enumerate(self.body) if s.start >= body_start), -1)
        restated = max((m.start() for m in RELAYED_BODY.finditer(self.text)), default=-1)
        for index, s in enumerate(self.body):
            if s.start < body_start:
                continue
            self.notes.context[index] = self.context or self.header.addressees
            if CLOSING.match(s.text.lstrip("| ")):
                self.notes.closing_at = index
                break
            if not_a_task(s.text) or (index == first and is_title(s, self.text)):
                self.notes.rejected.add(index)
                continue  # "UBND tỉnh vừa ban hành văn bản số … về việc …"; a news item's title
            if s.end <= restated and RELAY_SUMMARY.search(s.text):
                self.notes.summaries.add(index)  # still read: it may open the list below
            if (
                self.notes.relay is None
                and s.start < body_start + RELAY_OPENING
                and RELAYED_DOCUMENT.search(s.text)
            ):
                self.notes.relay = index
            self._after_sentence(index, s, self._sentence(index, s))
        return self.drafts

    def _sentence(self, index: int, s: Sentence) -> bool:
        """Read a sentence clause by clause; whether it drafted a task or joined one."""
        text = self.text
        pos = strip_leading(text, s.body_start)
        spans = clauses(s)
        made, at = False, -1
        while at + 1 < len(spans):
            at += 1
            start, end = spans[at]
            c_pos = max(start, pos) if at == 0 else strip_leading(text, start)
            if c_pos >= end:
                continue
            explicit = _assignment(text, c_pos, end, self.gazetteer)
            subject = None if explicit else _subject(text, c_pos, self.gazetteer)
            clause = _Clause(
                index, s, spans, at, start, end, c_pos, text[c_pos:end], explicit, subject
            )
            outcome = self._clause(clause)
            at = clause.at
            if outcome == _JOINED:
                return True
            made = made or outcome == _MADE
        return made

    def _clause(self, c: _Clause) -> str:
        for step in (
            self._more_coordinators,
            self._directs,
            self._order_follows,
            self._agencies_assigned,
            self._contingent,
            self._further_clause,
            self._sentence_continues,
            self._list_item,
        ):
            outcome = step(c)
            if outcome is not None:
                return outcome
        return _NEXT

    def _after_sentence(self, index: int, s: Sentence, made: bool) -> None:
        if made:
            self.previous_task_sentence = index
        elif s.ends_with == ":" and (heading := _heading(self.text, s, self.gazetteer)):
            # "1. Các sở, ban, ngành cấp tỉnh (…):": the items below are theirs.
            self.context, self.intro_open = heading, True
            self.notes.rejected.add(index)
            return
        if s.ends_with == ":" and INTRO.search(s.text):
            self.notes.rejected.add(index)
            self.intro_open = True
            if not self.context:
                self.context = list(self.header.addressees)

    def _add(
        self, c: _Clause, start: int, lead: _Agencies, coord: _Agencies, bound: bool, at: int,
        contingent: bool = False, inherited: bool = False,
    ) -> str:  # fmt: skip
        """A draft from start to the clause's end whose work begins at `at`."""
        self.drafts.append(
            Draft(start, c.end, lead, coord, bound, at, contingent, c.index, inherited)
        )
        return _MADE

    def _continues_draft(self, c: _Clause) -> bool:
        """A later clause of the sentence the last draft was made from."""
        return c.at > 0 and bool(self.drafts) and self.drafts[-1].sentence_index == c.index

    def _more_coordinators(self, c: _Clause) -> str | None:
        """The task's coordinators in a later clause: "…; phối hợp Sở A; Viễn thông B; …"."""
        if not (self._continues_draft(c) and (joined := COORDINATE.match(c.text))):
            return None
        last = self.drafts[-1]
        more, list_end = ag.mentions_list(self.text, c.pos + joined.end(), self.gazetteer)
        if LEADS_AGAIN.match(c.text) and more and _has_work(self.text, list_end, c.end):
            # "…; chủ trì, phối hợp với X <làm việc khác>": a further duty of the same lead,
            # with its own coordinators.
            self._add(c, c.start, list(last.lead), more, last.bound, list_end, inherited=True)
            return _NEXT  # the sentence has drafted its task already
        last.coordinate.extend(more)
        c.run_over(list_end)
        last.end = c.end
        return _NEXT

    def _directs(self, c: _Clause) -> str | None:
        """A further task of the same lead: "…; đồng thời chỉ đạo Công an tỉnh …"."""
        if c.explicit or c.subject or c.at == 0 or not self.drafts:
            return None
        if not (directs := DIRECTS.match(c.text)):
            return None
        found, _ = ag.mentions_list(self.text, c.pos + directs.end(), self.gazetteer)
        if not found:
            return None
        return self._add(c, c.start, list(self.drafts[-1].lead), [], True, c.pos, inherited=True)

    def _order_follows(self, c: _Clause) -> str | None:
        """An order whose work follows, "Chủ tịch UBND tỉnh yêu cầu: …": its agencies are the
        addressees unless the clause names them."""
        if not (c.explicit and c.explicit[3]):
            return None
        self.intro_open = True
        after = c.explicit[1]
        inner = _subject(self.text, strip_leading(self.text, after), self.gazetteer)
        lead = inner[0] if inner else (self.context or self.header.addressees)
        body_at = inner[1] if inner else after
        if not self.text[after : c.end].strip():
            return _NEXT
        bound = c.explicit[2] is False
        return self._add(c, c.draft_start, list(lead), [], bound, body_at, inherited=not inner)

    def _agencies_assigned(self, c: _Clause) -> str | None:
        """A task of the agencies named: "Giao Sở X <work>" or "Sở X <verb> <work>"."""
        if c.explicit:
            found, list_end, bound = c.explicit[0], c.explicit[1], c.explicit[2]
        elif c.subject:
            (found, list_end), bound = c.subject, True
        else:
            return None
        text, s = self.text, c.sentence
        coord, body_at = coordinators(text, list_end, s.end, self.gazetteer)
        lead = resolve_anaphor(found, self.context, self.header)
        c.run_over(body_at)  # "các sở, ngành; UBND các huyện …"
        rest = text[body_at : s.end]
        if re.fullmatch(r"\s*:\s*", rest) or INTRO_BODY.match(text, body_at, s.end):
            # "2. Giao Sở Tài chính:", "giao các đơn vị thực hiện một số nhiệm vụ sau:": the
            # items below are the tasks, and theirs.
            self.context, self.intro_open = lead, True
            self.notes.rejected.add(c.index)
            return _NEXT
        # (An empty body before ";" is no formula: "yêu cầu Bộ trưởng các Bộ: Quốc phòng, Công
        # an; Bí thư, Chủ tịch UBND các tỉnh … tập trung …" names more agencies, then the work.)
        work = text[body_at : c.end]
        if c.explicit and _generic_body(work) and (work.strip(" ;") or c.at + 1 == len(c.spans)):
            # "yêu cầu Sở X (nghiêm túc) triển khai thực hiện": a closing formula that assigns
            # nothing beyond what the document already says; its "nếu có khó khăn … kịp thời
            # báo cáo" is part of the formula too.
            self.closing = c.index
            self.notes.rejected.add(c.index)
            return _NEXT
        if bound:
            self.context = lead
        return self._add(c, c.draft_start, lead, coord, bound, body_at)

    def _contingent(self, c: _Clause) -> str | None:
        """A standing duty to report: "Trường hợp có khó khăn, vướng mắc, kịp thời báo cáo …"."""
        if not CONTINGENT.search(c.text):
            return None
        if self.closing == c.index:
            return _NEXT
        if not (self.drafts or self.header.addressees):
            return None
        after = _after_condition(self.text, c.pos, c.end)
        local, _ = ag.mentions_list(self.text, after, self.gazetteer)
        context = self.context or self.header.addressees
        lead = resolve_anaphor(local, self.context, self.header) if local else list(context)
        return self._add(
            c, c.draft_start, lead, [], True, c.pos, contingent=True, inherited=not local
        )

    def _further_clause(self, c: _Clause) -> str | None:
        """A further clause of a task sentence belongs to that task; after a standing duty to
        report ("…, kịp thời báo cáo …;") it belongs to the task around it."""
        if not self._continues_draft(c):
            return None
        owner = self.drafts[-1]
        if owner.contingent and len(self.drafts) > 1 and self.drafts[-2].sentence_index == c.index:
            owner = self.drafts[-2]
        owner.end = c.end
        return _NEXT

    def _adjacent(self, c: _Clause) -> bool:
        """The sentence's first clause, right after a sentence that drafted a task."""
        return c.at == 0 and bool(self.drafts) and self.previous_task_sentence == c.index - 1

    def _sentence_continues(self, c: _Clause) -> str | None:
        """A sentence that only carries on the task before it joins it whole."""
        if not self._adjacent(c):
            return None
        s, index = c.sentence, c.index
        if CONTINUATION.match(c.text) or (
            # "… báo cáo kết quả. Trình UBND tỉnh trước ngày …": a short sentence that only
            # gives the previous task its date.
            find_deadlines(s.text, None)
            and (not VERB_START.match(c.text) or len(c.text.split()) < 10)
        ):
            self.drafts[-1].end = s.end
            return _JOINED
        if (
            self.drafts[-1].end == _prev_end(self.body, index)
            and self.body[index - 1].ends_with in ";:"
            and VERB_START.match(c.text)
        ):
            self.drafts[-1].end = s.end  # a list of duties broken over lines
            return _JOINED
        return None

    def _list_item(self, c: _Clause) -> str | None:
        """A list item under an intro or a heading ("- Chủ động rà soát …"): the agencies' above."""
        starts_with_verb = bool(VERB_START.match(_after_recurrence(c.text)))
        substantial = len(c.text.split()) >= 8
        if not (
            c.at == 0
            and starts_with_verb
            and substantial
            and not NOT_TASK_START.match(c.text)
            and (self.context or self.intro_open)
            and (c.sentence.line_start or self._adjacent(c))
        ):
            return None
        lead = list(self.context or self.header.addressees)
        # "- Phối hợp với Cơ quan X tổng hợp …": the item names its coordinators.
        coord, body_at = coordinators(self.text, c.pos, c.end, self.gazetteer)
        body_at = body_at if coord else c.pos
        return self._add(c, c.sentence.start, lead, coord, True, body_at, inherited=True)


def find_drafts(
    text: str, header: Header, gazetteer: ag.Gazetteer, notes: Notes | None = None
) -> list[Draft]:
    """The rules' drafts of a directive, in the order of the text; what they decided about the
    sentences they drafted nothing from goes into notes."""
    return _Reading(text, header, gazetteer, notes if notes is not None else Notes()).read()


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


# The words of a closing formula that assigns nothing ("triển khai thực hiện nghiêm túc …").
_GENERIC_WORDS = frozenset(
    re.findall(
        r"\S+",
        "tổ chức triển khai thực hiện nghiêm túc các nội dung trên khẩn trương này văn bản chỉ "
        "thị đúng quy định có hiệu quả",
    )
)


def _generic_body(body: str) -> bool:
    words = re.sub(r"[^\w\s]|_", " ", body.lower()).split()
    return len(words) <= 8 and all(w in _GENERIC_WORDS for w in words)


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
