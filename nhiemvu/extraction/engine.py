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
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction.deadlines import Deadline, find_deadlines, find_recurrence
from nhiemvu.extraction.header import Header, parse_header
from nhiemvu.extraction.resolve import Directory, Resolution
from nhiemvu.extraction.segment import Sentence, clauses, sentences
from nhiemvu.extraction.text import Text, prepare
from nhiemvu.lib.deliverables import needs_deadline_reason

ACTION_VERBS = (
    "chủ trì",
    "phối hợp",
    "hoàn thiện",
    "hoàn thành",
    "chỉ đạo",
    "khẩn trương",
    "tổ chức",
    "triển khai",
    "rà soát",
    "kiểm tra",
    "báo cáo",
    "tham mưu",
    "nghiên cứu",
    "xây dựng",
    "đôn đốc",
    "theo dõi",
    "tiếp tục",
    "tăng cường",
    "chủ động",
    "thực hiện",
    "xử lý",
    "trình",
    "ban hành",
    "đề xuất",
    "có trách nhiệm",
    "cử",
    "bố trí",
    "nghiêm túc",
    "làm việc",
    "hướng dẫn",
    "giải quyết",
    "cung cấp",
    "tập trung",
    "quan tâm",
    "bảo đảm",
    "đảm bảo",
    "chấn chỉnh",
    "rút kinh nghiệm",
    "sớm",
    "khẩn cấp",
    "tuyên truyền",
    "phổ biến",
    "kiện toàn",
    "rà soát",
    "tổng hợp",
    "giám sát",
    "thanh tra",
    "điều tra",
    "lập",
    "đẩy mạnh",
    "đẩy nhanh",
    "quyết liệt",
    "duy trì",
    "phát huy",
    "đồng ý",
    "cập nhật",
    "công khai",
    "đăng tải",
    "thống kê",
    "vận động",
    "thẩm định",
    "tham gia",
    "gửi",
    "giải trình",
    "tiếp nhận",
    # Found in texts the rules had not seen (dev2): duties are written with many more verbs.
    "chịu trách nhiệm",
    "phân công",
    "quán triệt",
    "phê duyệt",
    "nâng cao",
    "khắc phục",
    "bám sát",
    "huy động",
    "ưu tiên",
    "hỗ trợ",
    "ngăn chặn",
    "tạm dừng",
    "tích cực",
    "hoàn chỉnh",
    "sửa đổi",
    "bổ sung",
    "sắp xếp",
    "chuẩn bị",
    "đánh giá",
    "sơ kết",
    "tổng kết",
    "quản lý",
    "lựa chọn",
    "xác định",
    "phối hợp chặt chẽ",
    "đề cao",
    "bảo vệ",
    "phòng, chống",
    "phòng chống",
    "kiểm soát",
    "giám sát",
    "phân bổ",
    "giải ngân",
    "bàn giao",
    "thu hồi",
    "di dời",
    "tiếp thu",
    "rà soát lại",
    "thường xuyên",
    "kịp thời",
    "cụ thể hóa",
)
_VERB_RE = "|".join(
    sorted((re.escape(v).replace(r"\ ", r"\s*") for v in set(ACTION_VERBS)), key=len, reverse=True)
)
VERB_START = re.compile(rf"(?:{_VERB_RE})(?![\wđ])", re.IGNORECASE)
# Connectives and framing that may precede the working part of a sentence.
# Matched at a position (``.match(text, pos)``), so no "^": it would only hold at a line start.
LEADING = re.compile(
    r"(?:(?:Theo\s+đó|Đồng\s+thời|Ngoài\s+ra|Bên\s+cạnh\s+đó|Mặt\s+khác|Trong\s+đó|Cụ\s+thể|"
    r"Về\s+việc\s+này|Sau\s+khi\s+xem\s+xét|Trên\s+cơ\s+sở[^,]{0,80}|Căn\s+cứ[^,]{0,120}|"
    r"Để[^,]{0,160}|Nhằm[^,]{0,160}|Trước\s+tình\s+hình[^,]{0,120}|Thực\s+hiện[^,;]{0,200})\s*[,:;]\s*)+",
    re.IGNORECASE,
)
TRIGGER = re.compile(
    r"(?<![Đđ]ược\s)(?<!nhiệm\s)(?<!vụ\s)(?P<verb>[Gg]iao|GIAO|[Yy]êu\s*cầu|YÊU\s*CẦU|[Đđ]ề\s*nghị|ĐỀ\s*NGHỊ)"
    r"(?P<colon>\s*:)?\s+(?:cho\s+)?"
)
COORDINATE = re.compile(
    r"\s*[,;]?\s*(?:chủ\s*trì\s*,?\s*)?(?:và\s+)?(?:phối\s*hợp\s*chặt\s*chẽ|phối\s*hợp|cùng)\s*(?:với\s+)?",
    re.IGNORECASE,
)
# A sentence that reports a document was issued: its "về việc …" is the document's subject.
ISSUED = re.compile(
    r"(?:đã|vừa)\s+(?:ký\s+)?(?:ban\s*hành|có|gửi)\s+(?:văn\s*bản|công\s*văn|quyết\s*định|chỉ\s*thị|"
    r"kế\s*hoạch|thông\s*báo|công\s*điện|nghị\s*quyết)(?:\s+số)?[^.;]{0,120}?\bvề\s*việc\b"
    # "UBND tỉnh đã có Công văn số 12/UBND-VX giao …": an earlier document, told as background
    # ("vừa có văn bản đề nghị …" relays the document itself and is read).
    r"|\bđã\s+(?:ký\s+)?(?:ban\s*hành|có)\s+(?:văn\s*bản|công\s*văn|quyết\s*định|chỉ\s*thị|kế\s*hoạch|"
    r"thông\s*báo|công\s*điện)\s+số\s*\d",
    re.IGNORECASE,
)
# "giao các đơn vị triển khai thực hiện một số nhiệm vụ sau:": the tasks are the items below.
INTRO_BODY = re.compile(
    r"\s*(?:,\s*)?(?:(?:triển\s*khai|thực\s*hiện|tập\s*trung|khẩn\s*trương|quan\s*tâm|chỉ\s*đạo)\s*,?\s*)*"
    r"(?:tốt\s+)?(?:một\s*số|các|những)?\s*(?:nhiệm\s*vụ|nội\s*dung|công\s*việc|việc|giải\s*pháp|"
    r"yêu\s*cầu)[^.:]{0,80}?(?:sau|như\s*sau|sau\s*đây)\s*:\s*$",
    re.IGNORECASE,
)
DAY_OF_PERIOD = re.compile(
    r"(?:trước|chậm\s*nhất(?:\s*là)?|vào|đến)\s*ngày\s*(\d{1,2})(?!\s*[/.\-]\s*\d)(?!\s*tháng)",
    re.IGNORECASE,
)
LEADS_AGAIN = re.compile(r"\s*chủ\s*trì\s*,?\s*(?:và\s+)?phối\s*hợp", re.IGNORECASE)
# "… theo chức năng, nhiệm vụ được giao có trách nhiệm phối hợp chặt chẽ với Sở Y tế …"
COORDINATE_LATE = re.compile(
    r"[^.;:]{0,120}?\b(?:có\s*trách\s*nhiệm|chịu\s*trách\s*nhiệm)\s+"
    r"(?:phối\s*hợp\s*chặt\s*chẽ|phối\s*hợp)\s*(?:với\s+)?",
    re.IGNORECASE,
)
LEAD_TAIL = re.compile(r"^\s*(?:,\s*)?chủ\s*trì\s*(?:,\s*)?", re.IGNORECASE)
CONTINGENT = re.compile(
    r"(?:\bnếu\b|\bkhi\s+có\b|\btrường\s+hợp\b|trong\s+quá\s+trình)[^.;]{0,200}?kịp\s*thời\s+báo\s*cáo"
    r"|\bkịp\s*thời\s+báo\s*cáo\b[^.;]{0,40}\bnếu\b"
    r"|\bkịp\s*thời\s+báo\s*cáo\b[^.;]{0,80}(?:khó\s*khăn|vướng\s*mắc)",
    re.IGNORECASE,
)
CONTINUATION = re.compile(
    r"^(?:Yêu\s*cầu\s+(?:hoàn\s*thiện|gửi|hoàn\s*thành)|Báo\s*cáo\b[^.]{0,60}\bgửi|"
    r"Kết\s*quả(?:\s*thực\s*hiện)?\s*,?\s*(?:báo\s*cáo|gửi)|Văn\s*bản[^.]{0,40}gửi|Thời\s*hạn|"
    r"Hoàn\s*thành\s+trước|Gửi\s+kèm|Sản\s*phẩm|Thời\s*gian\s*(?:thực\s*hiện|hoàn\s*thành))",
    re.IGNORECASE,
)
NOT_TASK_START = re.compile(
    r"^(?:Chịu\s*trách\s*nhiệm\s*trước|Trong\s*báo\s*cáo|Xem\s*chi\s*tiết|Tài\s*liệu|Nơi\s*nhận|"
    r"Văn\s*phòng\s*(?:Chính\s*phủ|UBND|Ủy\s*ban)[^.]{0,40}(?:thông\s*báo|xin)|Đề\s*nghị\s*các\s*đồng\s*chí)",
    re.IGNORECASE,
)
# A decision ("Đồng ý chủ trương …", "Chấp thuận …") settles a proposal; whether it gives the
# proposer work is the office's call: proposed, with low confidence, not ticked.
DECISION = re.compile(
    r"(?:\d{1,2}\.\s*|[-+•]\s*)?(?:Đồng\s*ý|Thống\s*nhất\s+(?:chủ\s*trương|với\s*đề\s*xuất)|Chấp\s*thuận)\b",
    re.IGNORECASE,
)
INTRO = re.compile(r"(?:như\s*sau|sau\s*đây|yêu\s*cầu|chỉ\s*đạo|giao|gồm)\s*:\s*$", re.IGNORECASE)
DIRECTS = re.compile(r"(?:đồng\s*thời\s*,?\s*)?chỉ\s*đạo\s+", re.IGNORECASE)
CLOSING = re.compile(
    r"^(?:Nơi\s*nhận|TM\.|KT\.|TL\.|TUQ\.|Q\.\s|\|?\s*KT\.|Văn\s*phòng\s*Chính\s*phủ\s*(?:xin\s*)?thông\s*báo)",
    re.IGNORECASE,
)
# Subjects that give rather than receive work in the documents we read.
ASSIGNER = re.compile(
    r"^(?:(?:Chủ\s*tịch|Phó\s*Chủ\s*tịch|Lãnh\s*đạo|Thường\s*trực)\s*)?(?:UBND|Ủy\s*ban\s*nhân\s*dân|"
    r"Uỷ\s*ban\s*nhân\s*dân)\s*(?:tỉnh|thành\s*phố)\s*$|^(?:Phó\s*)?Thủ\s*tướng|^Chính\s*phủ$|"
    r"^Văn\s*phòng\s*Chính\s*phủ$",
    re.IGNORECASE,
)

DELIVERABLES: list[tuple[str, re.Pattern[str]]] = [
    (
        "báo cáo",
        re.compile(
            r"(?<!trước khi tổng hợp, )(?<![Tt]heo )(?<![Tt]ại )(?<!chế độ )\bbáo\s*cáo\b(?!\s*số)"
            r"(?!\s*của)(?!\s*trực\s*tuyến)|tổng\s*hợp\s*(?:,\s*)?(?:kết\s*quả|tình\s*hình)",
            re.I,
        ),
    ),
    (
        "tờ trình",
        re.compile(
            r"\btờ\s*trình\b(?!\s*số)|\btrình\s+(?:UBND|Ủy\s*ban|Uỷ\s*ban|Thủ\s*tướng|Chủ\s*tịch|HĐND|Hội\s*đồng|cấp\s*có\s*thẩm\s*quyền)",
            re.I,
        ),
    ),
    (
        "kế hoạch",
        re.compile(
            r"(?:xây\s*dựng|ban\s*hành|lập|dự\s*thảo|hoàn\s*thiện|phê\s*duyệt)\s+(?:các\s+)?kế\s*hoạch|"
            r"kế\s*hoạch\s+triển\s*khai",
            re.I,
        ),
    ),
    ("đề án", re.compile(r"(?:xây\s*dựng|trình|hoàn\s*thiện|lập)\s+(?:các\s+)?đề\s*án", re.I)),
    (
        "dự thảo",
        re.compile(
            r"(?:xây\s*dựng|hoàn\s*thiện|tham\s*mưu|soạn\s*thảo)\s+(?:các\s+)?dự\s*thảo", re.I
        ),
    ),
    ("phương án", re.compile(r"(?:xây\s*dựng|đề\s*xuất|trình|lập)\s+(?:các\s+)?phương\s*án", re.I)),
    (
        "đề xuất",
        re.compile(
            r"(?<!tham mưu, )\bđề\s*xuất\s+(?:ý\s*kiến|cụ\s*thể|giải\s*pháp|phương\s*án|UBND|Ủy\s*ban|việc|danh\s*mục|các)"
            r"|(?:nghiên\s*cứu|rà\s*soát)\s*,\s*đề\s*xuất\b",
            re.I,
        ),
    ),
    ("văn bản", re.compile(r"(?:có|ban\s*hành|bằng)\s+văn\s*bản|văn\s*bản\s+tham\s*mưu", re.I)),
    (
        # "tham mưu UBND tỉnh ban hành Quy chế …": the draft of that act is the work product.
        "dự thảo",
        re.compile(
            r"tham\s*mưu\s+(?:cho\s+)?(?:UBND|Ủy\s*ban|Uỷ\s*ban|Chủ\s*tịch|HĐND|cấp\s*có\s*thẩm\s*quyền)"
            r"[^.;]{0,40}?ban\s*hành\s+(?:các\s+)?(?:quy\s*chế|quy\s*định|quyết\s*định|chỉ\s*thị|"
            r"kế\s*hoạch|nghị\s*quyết|chương\s*trình|đề\s*án|cơ\s*chế|chính\s*sách)",
            re.I,
        ),
    ),
    (
        "chương trình",
        re.compile(
            r"(?:xây\s*dựng|trình|ban\s*hành|hoàn\s*thiện)\s+(?:các\s+)?[“\"]?chương\s*trình", re.I
        ),
    ),
    ("thông cáo báo chí", re.compile(r"thông\s*cáo\s*báo\s*chí", re.I)),
    ("danh sách", re.compile(r"(?:lập|tổng\s*hợp|gửi|rà\s*soát)\s+danh\s*sách", re.I)),
    ("ý kiến", re.compile(r"(?:tham\s*gia|cho|góp)\s+ý\s*kiến|góp\s*ý", re.I)),
]
# Advice ("tham mưu") yields a document only when a date is set for it.
WEAK_DELIVERABLE = re.compile(r"\btham\s*mưu\b(?!\s*giao\s*việc)(?!,\s*đề\s*xuất\s+Chủ)", re.I)


@dataclass
class Agency:
    text: str
    group: bool = False
    resolved: list[dict[str, str]] = field(default_factory=list)
    ambiguous: list[dict[str, str]] = field(default_factory=list)


# Words left dangling once a deadline phrase is cut from a summary ("…, hoàn thành trước").
_DANGLING = re.compile(
    r"(?:[\s,;:–(-]|\b(?:và|hoàn\s*thành|xong|trước|chậm\s*nhất|thời\s*hạn|trong|đến)\b)+$",
    re.I,
)


DANGLING_CHARS = 60


def proposed_summary(action: str, deadline_text: str | None) -> str:
    """A task's one-line summary as proposed for review: the work, starting with a capital,
    without the deadline phrase (the deadline has its own field)."""
    text = action.strip()
    if deadline_text:
        at = text.lower().find(deadline_text.lower())
        if at > 0:
            text = text[:at]
        elif text.endswith("…"):
            # The action was cut mid-phrase: drop a tail that is the deadline's beginning.
            words = text[:-1].split()
            for size in range(min(len(words), 8), 0, -1):
                tail = " ".join(words[-size:])
                if deadline_text.lower().startswith(tail.lower()):
                    text = " ".join(words[:-size])
                    break
        # Only the end can dangle: the pattern runs on the last words, so its cost is bounded.
        head, tail = text[:-DANGLING_CHARS], text[-DANGLING_CHARS:]
        text = (head + _DANGLING.sub("", tail)).strip() or action.strip()
    return text[:1].upper() + text[1:]


@dataclass
class Task:
    evidence: str
    span: tuple[int, int]
    lead: list[Agency]
    coordinate: list[Agency]
    action: str
    deliverable: str | None
    deadline: dt.date | None
    deadline_time: dt.time | None
    deadline_text: str | None
    deadline_how: str | None
    recurrence: str | None
    recurrence_day: int | None = None  # the day of each period a recurring report is due
    bound: bool = True  # False for "đề nghị": a request, not an assignment
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The one-line summary proposed for review (the deadline has its own field)."""
        return proposed_summary(self.action, self.deadline_text)

    @property
    def confident(self) -> bool:
        """Whether the reader would register it: an assignment ("giao", or "đề nghị" to the
        issuer's own agencies) with a lead agency found, not a decision. Others are proposed
        unticked for the office to judge."""
        return self.bound and bool(self.lead) and "decision" not in self.warnings

    def as_prediction(self) -> dict[str, Any]:
        """The shape extraction/scoring.py (and the shared corpus scorer) reads."""
        return {
            "evidence": self.evidence,
            "span": list(self.span),
            "assignees_lead": [a.text for a in self.lead],
            "assignees_coordinate": [a.text for a in self.coordinate],
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "recurrence": _score_recurrence(self.recurrence),
            "deliverable": self.deliverable,
            "warnings": list(self.warnings),
        }

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["deadline"] = self.deadline.isoformat() if self.deadline else None
        data["deadline_time"] = self.deadline_time.strftime("%H:%M") if self.deadline_time else None
        data["span"] = list(self.span)
        return data


def _score_recurrence(value: str | None) -> str | None:
    return "other" if value == "half_yearly" else value


@dataclass
class Extraction:
    header: Header
    tasks: list[Task]

    def as_dict(self) -> dict[str, Any]:
        return {"header": self.header.as_dict(), "tasks": [t.as_dict() for t in self.tasks]}


# --- the reading ----------------------------------------------------------------------------


@dataclass
class _Draft:
    start: int
    end: int
    lead: list[ag.Mention]
    coordinate: list[ag.Mention]
    bound: bool
    body_start: int  # where the work described begins (after the agencies)
    contingent: bool = False
    sentence_index: int = 0
    inherited: bool = False


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
    drafts = _drafts(prepared.norm, header, gazetteer)
    # Standing duties to report ("nếu có khó khăn … kịp thời báo cáo") are few: collected once,
    # so a text of thousands of tasks is not read once per pair of tasks.
    nested = [d for d in drafts if d.contingent]
    tasks = [_finish(prepared, d, nested, doc_date, header, resolver) for d in drafts]
    _share_sentence_deadlines(tasks, drafts)
    for task in tasks:
        _warn(task, doc_date)
    return Extraction(header, tasks)


def _strip_leading(text: str, pos: int) -> int:
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


def _coordinators(
    text: str, pos: int, end: int, gazetteer: ag.Gazetteer
) -> tuple[list[ag.Mention], int]:
    tail = LEAD_TAIL.match(text, pos)
    at = tail.end() if tail else pos
    coord = COORDINATE.match(text, at, end) or COORDINATE_LATE.match(text, at, end)
    if not coord:
        return [], at
    found, list_end = ag.mentions_list(text, coord.end(), gazetteer)
    return found, (list_end if found else at)


def _drafts(text: str, header: Header, gazetteer: ag.Gazetteer) -> list[_Draft]:
    drafts: list[_Draft] = []
    context: list[ag.Mention] = []
    intro_open = False  # after "… như sau:" or "yêu cầu:", list items are tasks
    body = sentences(text)
    previous_task_sentence = -2
    first = next((i for i, s in enumerate(body) if s.start >= header.body_start), -1)
    closing = -1  # the sentence holding the closing formula, if any
    for index, s in enumerate(body):
        if s.start < header.body_start:
            continue
        if CLOSING.match(s.text.lstrip("| ")):
            break
        if ISSUED.search(s.text) or (index == first and _is_title(s, text)):
            continue  # "UBND tỉnh vừa ban hành văn bản số … về việc …"; a news item's title
        pos = _strip_leading(text, s.body_start)
        spans = clauses(s)
        made = False
        c_index = -1
        while c_index + 1 < len(spans):
            c_index += 1
            c_start, c_end = spans[c_index]
            c_pos = max(c_start, pos) if c_index == 0 else _strip_leading(text, c_start)
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
                        _Draft(
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
                        _Draft(
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
                inner = _subject(text, _strip_leading(text, after), gazetteer)
                lead = inner[0] if inner else (context or header.addressees)
                body_at = inner[1] if inner else after
                if text[after:c_end].strip():
                    drafts.append(
                        _Draft(
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
                coord, body_at = _coordinators(text, list_end, s.end, gazetteer)
                lead = _resolve_anaphor(found, context, header)
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
                    continue
                if explicit and _generic_body(text[body_at:c_end]):
                    # "yêu cầu Sở X (nghiêm túc) triển khai thực hiện": a closing formula that
                    # assigns nothing beyond what the document already says; its "nếu có khó
                    # khăn … kịp thời báo cáo" is part of the formula too.
                    closing = index
                    continue
                drafts.append(
                    _Draft(
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
                    _Draft(
                        c_start if c_index else s.start,
                        c_end,
                        _resolve_anaphor(local, context, header) if local else list(lead),
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
                coord, body_at = _coordinators(text, c_pos, c_end, gazetteer)
                drafts.append(
                    _Draft(
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
            continue
        if s.ends_with == ":" and INTRO.search(s.text):
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


def _is_title(sentence: Sentence, text: str) -> bool:
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


def _resolve_anaphor(
    found: list[ag.Mention], context: list[ag.Mention], header: Header
) -> list[ag.Mention]:
    """ "các đơn vị" stands for the agencies already named, or for the addressees."""
    if found and all(hit.anaphor for hit in found):
        return list(context or header.addressees or found)
    return found


def _finish(
    t: Text,
    d: _Draft,
    nested: list[_Draft],
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
    deliverable = _deliverable(body, has_deadline=bool(deadline))
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


def _share_sentence_deadlines(tasks: list[Task], drafts: list[_Draft]) -> None:
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


def _deliverable(body: str, *, has_deadline: bool) -> str | None:
    """The work product the text asks for first (earliest in the text)."""
    first: tuple[int, str] | None = None
    for name, pattern in DELIVERABLES:
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


def _warn(task: Task, doc_date: dt.date | None) -> None:
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
