"""Who a sentence the rules passed over asks, and its draft (issue 26 item 3).

When the learned scorer takes a candidate the rules did not draft (candidates.py), this reads
it as the rules would have: the agencies an assigning verb near its start names, else those it
opens with, else the heading or intro above it, the task before it or the addressees — and
whom it does not name: the one asking ("X cũng yêu cầu …"), the letter's sender ("X gửi đến Y
đề nghị …"). The lead chooser (leads.py) then weighs these and the other mentions. Split from
candidates.py, which describes the spans."""

from __future__ import annotations

import re

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction.candidates import Candidate, marker_at
from nhiemvu.extraction.drafts import Draft, coordinators, strip_leading
from nhiemvu.extraction.duties import PLURAL_START, names_someone, subject_lead
from nhiemvu.extraction.header import Header
from nhiemvu.extraction.patterns import (
    AFTER_ASSIGNING,
    ASSIGNER,
    INLINE_INTRO,
    OTHER_ASSIGNING,
    TRIGGER,
    VERB_START,
)

# The one asking: an agency its asking verb follows ("UBND xã cũng đề nghị bà con …", "Ban Chỉ
# huy yêu cầu thông báo …", "Sở GD-ĐT TPHCM Nguyễn Văn A cho biết …"), past the speaker's own
# name and the adverbs news puts between them. It asks; it is not asked. ("X chỉ đạo Y …",
# "X giao Y …" are not here: X, itself told to direct or hand on the work, leads it.)
ASKS = re.compile(
    rf"(?:[ \t]+(?-i:[{ag.UPPER}])[\wđ]*){{0,4}}\s*,?\s*"
    r"(?:(?:cũng|vừa|đã|đang|tiếp\s*tục|thông\s*báo|có\s*văn\s*bản|công\s*văn|đồng\s*thời)\s+)*"
    r"(?:yêu\s*cầu|đề\s*nghị|lưu\s*ý|nhấn\s*mạnh|nhắc\s*nhở|cho\s*biết|thông\s*báo)(?![\wđ])",
    re.IGNORECASE,
)
# "gửi (đến|tới|cho) X đề nghị …": X is the letter's addressee, the one asked, though the asking
# verb follows it as it follows an asker (ASKS).
SENT_BEFORE = re.compile(r"gửi\s*(?:đến|tới|cho)\s*$", re.IGNORECASE)
# "Bộ Nội vụ đã đôn đốc các bộ, … thực hiện …": urging told as done names whom it urged, as
# "yêu cầu" does. (Not "X có trách nhiệm đôn đốc các xã …", "X phải … đôn đốc …": X is told to
# urge, and leads, as with "chỉ đạo".)
URGES = re.compile(r"(?<![\wđ])(?:đã|vừa)\s+đôn\s*đốc(?![\wđ])\s*", re.IGNORECASE)
_SENT_ASKING = re.compile(r"(?<![\wđ])gửi\s*(?:đến|tới|cho)\s+", re.IGNORECASE)
# The place a name may carry that the agency reader leaves out ("Sở Y tế [tỉnh Nghệ An]").
_PLACE_AFTER = re.compile(
    rf"\s*,?\s*(?:(?:tỉnh|thành\s*phố|TP\.?)\s*)?(?:(?-i:[{ag.UPPER}])[\wđ.]*\s*){{0,4}},?\s*",
    re.IGNORECASE,
)


def lead_of(
    text: str,
    candidate: Candidate,
    previous: list[ag.Mention],
    header: Header,
    gazetteer: ag.Gazetteer,
    context: list[ag.Mention] | None = None,
) -> tuple[list[ag.Mention], list[ag.Mention], int]:
    """Who a sentence the rules passed over asks, its coordinators and where its work begins:
    the agencies an assigning verb near its start names ("lưu ý UBND các huyện …"), else those
    it opens with ("Các địa phương cần rà soát …"), else the agencies of the heading or intro
    above it (the rules' context), else those of the task before it, else the addressees.
    A group is kept as written ("các đơn vị"), as the corpus labels it."""
    start = strip_leading(text, candidate.start + len(marker_at(text, candidate.start)))
    if intro := INLINE_INTRO.match(text, start, candidate.end):
        start = intro.end()
    # "Sở Tài chính được giao chủ trì …", "Ngoài …, An Giang cần tiếp tục …": the one who must.
    duty = subject_lead(text, start, candidate.end, gazetteer)
    if duty is not None:
        return duty[0], [], duty[1]
    # "Sở GD&ĐT yêu cầu các phòng GD&ĐT …", "Thủ tướng lưu ý UBND các tỉnh …": whoever the
    # assigning verb near the start names is asked, not the sentence's subject.
    near = min(candidate.end, start + 120)
    sent = _SENT_ASKING.search(text, start, near)
    if sent:
        # "X đã có công văn gửi đến Y đề nghị …": the letter's addressee is asked.
        found, after = ag.mentions_list(text, sent.end(), gazetteer)
        gap = _PLACE_AFTER.match(text, after)
        asking = TRIGGER.match(text, gap.end() if gap else after)
        if found and asking:
            coord, body_at = coordinators(text, asking.end(), candidate.end, gazetteer)
            return found, coord, body_at
    verb = (
        TRIGGER.search(text, start, near)
        or OTHER_ASSIGNING.search(text, start, near)
        or URGES.search(text, start, near)
    )
    if verb:
        skip = AFTER_ASSIGNING.match(text, verb.end())
        named_at = skip.end() if skip else verb.end()
        found, after = ag.mentions_list(text, named_at, gazetteer)
        if found:
            coord, body_at = coordinators(text, after, candidate.end, gazetteer)
            return found, coord, body_at
        named = named_phrase(text, named_at, candidate.end)
        if named is not None:
            return [named], [], named.end
    found, after = ag.mentions_list(text, start, gazetteer)
    if found and any(ASSIGNER.search(hit.text) for hit in found):
        found = []
    # "Sở GD-ĐT yêu cầu thực hiện nghiêm …": the subject asks and names no one; those it asked
    # before lead, not it (unless there are none: a task without a lead is not proposed).
    if found and not (ASKS.match(text, after) and (context or previous or header.addressees)):
        coord, body_at = coordinators(text, after, candidate.end, gazetteer)
        return found, coord, body_at
    # "Các thôn dân cư huy động người dân …", "Các thương nhân đầu mối … chủ động xây dựng …":
    # a plural subject the agency reader does not know, then the work — whom it names leads.
    if not found and PLURAL_START.match(text, start):
        named = named_phrase(text, start, candidate.end)
        if named is not None:
            return [named], [], named.end
    return list(context or previous or header.addressees), [], start


def added_draft(
    text: str,
    candidate: Candidate,
    previous: list[ag.Mention],
    header: Header,
    gazetteer: ag.Gazetteer,
    context: list[ag.Mention] | None = None,
) -> Draft:
    """A sentence the rules passed over, drafted as a task with lead_of's reading."""
    lead, coordinate, body_at = lead_of(text, candidate, previous, header, gazetteer, context)
    return Draft(
        candidate.start,
        candidate.end,
        lead,
        coordinate,
        True,
        body_at,
        sentence_index=candidate.sentence_index,
        inherited=True,
        found_by_rules=False,
    )


def named_phrase(text: str, pos: int, end: int) -> ag.Mention | None:
    """Whom an assigning verb names when the agency reader knows no such name ("yêu cầu các
    phòng GD&ĐT tập trung …", "đề nghị bà con nhân dân …"): the words up to the work's verb,
    when they read as a noun phrase of a few words."""
    verb = VERB_START.search(text, pos, min(end, pos + 120))
    if verb is None:
        return None
    phrase = text[pos : verb.start()].strip(" ,")
    if not names_someone(phrase) or len(phrase.split()) > 12:
        return None
    return ag.Mention(phrase, pos, pos + len(phrase), group=phrase[:3].lower() == "các")
