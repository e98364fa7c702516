"""A duty told of its subject, without "giao X" (issue 26: the duties the reader missed).

"Sở Tài chính được giao chủ trì hướng dẫn …", "các địa phương được yêu cầu tổ chức …" (the
assignment told in the passive), "Tỉnh cần xây dựng …", "Xã, phường phải tổ chức …", "Ban Chỉ đạo
có nhiệm vụ chỉ đạo lập …", "Ban cán sự các thôn có trách nhiệm vận động …", "Thủ trưởng các cơ
sở giáo dục chịu trách nhiệm kiểm tra …": a short subject, a word of duty, then the work. The
subject is often a body the agency reader does not know by name ("Tỉnh", "An Giang", "Chính
quyền các địa phương trong tỉnh"), so the sentence had neither "agency_first" nor a lead, and
the model weighed it as background. Read here: the features that tell the model so, and the
subject as the task's lead when the agency reader names nobody.

"chịu trách nhiệm trước …/về …/nếu …" is accountability, not work: no verb of work follows, so
no "duty_verb" (and "… thi hành Quyết định này" is no candidate at all, patterns.BOILERPLATE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction.agency_names import ROLE
from nhiemvu.extraction.patterns import ASSIGNER, OTHER_ASSIGNING, TRIGGER, VERB_START

# The word of duty. "Cần Thơ" is a city, not "cần" (it had given a candidate naming it the
# modal); "được giao/yêu cầu/phân công" is an assignment told of the one assigned.
DUTY = re.compile(
    r"(?<![\wđ])(?:cũng\s+)?(?P<kind>cần(?:\s+phải)?(?!\s+(?:Thơ|thiết))|phải|có\s+nhiệm\s+vụ|"
    r"(?:có|chịu)\s+trách\s+nhiệm|được\s+(?:giao|yêu\s*cầu|phân\s*công))(?![\wđ])",
    re.IGNORECASE,
)
_KINDS = (("được", "passive"), ("nhiệm vụ", "nhiem_vu"), ("trách", "trach_nhiem"))
# Between the word of duty and the work: "được giao nhiệm vụ lập …", "được giao trong tháng 2
# phải tổng kết …", "cần khẩn trương …".
_BEFORE_WORK = re.compile(
    r"\s*(?:nhiệm\s*vụ\s+|cho\s+)?(?:trong\s+(?:tháng|quý|năm)\s+\S+\s+(?:phải\s+)?)?",
    re.IGNORECASE,
)
# A subject is a noun phrase: a capital ("Tỉnh", "Sở Tài chính", "An Giang") or a plural.
PLURAL_START = re.compile(r"(?:các|những|mỗi|từng|toàn\s*thể|tất\s*cả)\s", re.IGNORECASE)
_PLURAL = re.compile(r"(?:các|những)\s", re.IGNORECASE)


def names_someone(phrase: str) -> bool:
    """Whether words read as whom, not what: a capital ("Tỉnh", "Sở Tài chính", "Trưởng thôn")
    or a plural ("các phòng …", "những nơi …", "toàn thể …")."""
    return bool(phrase) and (phrase[0].isupper() or bool(PLURAL_START.match(phrase + " ")))


_TOLD = re.compile(r"(?<![\wđ])(?:đã|vừa|đang|nếu|khi|để|thì|là|không)(?![\wđ])", re.IGNORECASE)
# Not who but what must: "Việc tổ chức phải bảo đảm …", "Báo cáo phải thống nhất …".
_MATTER = re.compile(
    r"(?:việc|công\s*tác|hoạt\s*động|nội\s*dung|hồ\s*sơ|báo\s*cáo|kết\s*quả|số\s*liệu|"
    r"thời\s*gian|chương\s*trình|kế\s*hoạch|dự\s*án|sản\s*phẩm|hàng\s*hóa)(?![\wđ])",
    re.IGNORECASE,
)
# The words after a duty that begin no work: accountability ("chịu trách nhiệm trước …, về …,
# nếu …, hoàn toàn …"), a norm ("phải được …", "phải là …"), a condition.
_NOT_WORK = re.compile(
    r"(?:trước|về|nếu|với|toàn|hoàn\s+toàn|đối|được|là|thì|theo|khi|trong|tại|cho|do|vì|bởi|"
    r"và|mà|như|không|có|này|đó)(?![\wđ])"
)
_NEXT_WORD = re.compile(r"([^\W\d_]+)")
_LETTER = re.compile(r"[^\W\d_]")
HEAD_CHARS = 240  # the word of duty stands within the sentence's first words
SUBJECT_WORDS = 9


@dataclass
class Duty:
    kind: str  # modal (cần, phải), passive (được giao …), nhiem_vu, trach_nhiem
    subject_start: int
    subject_end: int
    work: bool  # a verb of work follows the word of duty


def duty_of(text: str, start: int, end: int, gazetteer: ag.Gazetteer) -> Duty | None:
    """The subject and the word of duty of text[start:end] when it opens with "<subject> <duty>
    <work>" (after a framing clause: "Ngoài …, An Giang cần …", "Phó Thủ tướng nhấn mạnh, …")."""
    hit = DUTY.search(text, start, min(end, start + HEAD_CHARS))
    if hit is None:
        return None
    subject_start = _clause_start(text, start, hit.start())
    subject = text[subject_start : hit.start()].strip().lstrip("“\"'( ")
    words = subject.split()
    if not words or len(words) > SUBJECT_WORDS:
        return None
    if not names_someone(subject):
        return None
    if VERB_START.match(subject) or _TOLD.search(subject) or _MATTER.match(subject):
        return None  # "Tiếp tục phải …", "Khi có sự cố, đơn vị phải …": not who must
    subject_start = text.index(words[0], subject_start)
    verb = TRIGGER.search(subject) or OTHER_ASSIGNING.search(subject)
    if verb and ag.mentions_list(text, subject_start, gazetteer)[1] < subject_start + verb.end():
        # "Thủ tướng yêu cầu các bộ phải …": the one asked follows the verb (but "Ban Chỉ đạo
        # có nhiệm vụ …" is a name).
        return None
    phrase = hit.group("kind").lower()
    kind = next((name for word, name in _KINDS if word in phrase), "modal")
    after = _BEFORE_WORK.match(text, hit.end())
    at = after.end() if after else hit.end()
    word = _NEXT_WORD.match(text, at)
    work = bool(VERB_START.match(text, at)) or bool(
        word and word.group(1).islower() and not _NOT_WORK.match(text, at)
    )
    return Duty(kind, subject_start, subject_start + len(subject), work)


def _clause_start(text: str, start: int, duty_at: int) -> int:
    """Where the subject before duty_at begins: after the last comma of the framing clause, but
    a list of bare nouns goes on ("Xã, phường", "Chủ tịch UBND phường, xã, thị trấn")."""
    pieces = text[start:duty_at].split(",")
    at = duty_at - len(pieces[-1])
    index = len(pieces) - 1
    while index > 0:
        piece = pieces[index].strip()
        previous = pieces[index - 1].strip()
        if not piece or not piece[0].islower() or _PLURAL.match(piece):
            break
        if not previous or len(previous.split()) > 6:
            break
        index -= 1
        at -= len(pieces[index]) + 1
    return at


def features(text: str, start: int, end: int, gazetteer: ag.Gazetteer) -> list[str]:
    """The candidate's features of a duty told of its subject."""
    duty = duty_of(text, start, end, gazetteer)
    if duty is None:
        return []
    out = ["duty", f"duty:{duty.kind}"]
    if duty.work:
        out += ["duty_work", f"duty_work:{duty.kind}"]
        if not _LETTER.search(text, start, duty.subject_start):
            out.append("duty_work:subject_first")
        if ag.mentions_list(text, duty.subject_start, gazetteer)[0]:
            out.append("duty_work:agency")
    return out


def subject_lead(
    text: str, start: int, end: int, gazetteer: ag.Gazetteer
) -> tuple[list[ag.Mention], int] | None:
    """Who a duty told of its subject falls to, and where the work begins: the agencies the
    subject names, else the subject as written without its holder's title ("Thủ trưởng các cơ
    sở giáo dục" → "các cơ sở giáo dục", as the labels name it)."""
    duty = duty_of(text, start, end, gazetteer)
    if duty is None or not duty.work:
        return None
    found, _ = ag.mentions_list(text, duty.subject_start, gazetteer)
    if found and not any(ASSIGNER.search(m.text) for m in found):
        return found, duty.subject_end
    at = duty.subject_start
    role = ROLE.match(text, at, duty.subject_end)
    if role and role.end() < duty.subject_end:
        at = role.end()
    phrase = text[at : duty.subject_end]
    group = bool(PLURAL_START.match(phrase))
    return [ag.Mention(phrase, at, duty.subject_end, group=group)], duty.subject_end
