"""The reader's vocabulary: the verbs, phrases and shapes it looks for, in one place.

Each pattern is named for what it finds; the readers (drafts.py, fields.py) and the learned
scorer's features (candidates.py) all ask these, so a phrase is defined once.
"""

from __future__ import annotations

import re

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
# Accountability, not work: "chịu trách nhiệm trước UBND tỉnh …", "… về tính chính xác", "…
# toàn diện nếu chậm", "… thi hành Quyết định này". No such clause is a task in the corpus (0 of
# 17, the shared records included), while "chịu trách nhiệm kiểm tra / cập nhật …" is one.
ACCOUNTABLE = (
    r"chịu\s*(?:hoàn\s*toàn\s*)?trách\s*nhiệm\s*(?:toàn\s*diện\s*|hoàn\s*toàn\s*)?"
    r"(?:trước|về|nếu|khi|thi\s*hành)(?![\wđ])"
)
VERB_START = re.compile(rf"(?!{ACCOUNTABLE})(?:{_VERB_RE})(?![\wđ])", re.IGNORECASE)
# Connectives and framing that may precede the working part of a sentence.
# Matched at a position (``.match(text, pos)``), so no "^": it would only hold at a line start.
LEADING = re.compile(
    r"(?:(?:Theo\s+đó|Đồng\s+thời|Ngoài\s+ra|Bên\s+cạnh\s+đó|Mặt\s+khác|Trong\s+đó|Cụ\s+thể|"
    r"Về\s+việc\s+này|Sau\s+khi\s+xem\s+xét|Trên\s+cơ\s+sở[^,]{0,80}|Căn\s+cứ[^,]{0,120}|"
    r"Để[^,]{0,160}|Nhằm[^,]{0,160}|Trước\s+tình\s+hình[^,]{0,120}|Thực\s+hiện[^,;]{0,200})\s*[,:;]\s*)+",
    re.IGNORECASE,
)
# Beside LEADING, how news and spoken conclusions open a duty before its subject ("Cùng với đó,
# các địa phương thông báo …", "Trước mắt, các địa phương … bố trí …", "Đối với gió mạnh trên
# biển, các tỉnh ven biển theo dõi …"): past it the subject opens the sentence, for the lead
# chooser only (leads.options). Added to LEADING, which the rules skip before drafting, the same
# words cost precision (grouped CV F1 0.791 -> 0.787).
SUBJECT_OPENER = re.compile(
    r"(?:(?:Cùng\s+với\s+đó|Song\s+song(?:\s+với\s+đó)?|Trước\s+mắt|Đặc\s+biệt|Sau\s+đó|"
    r"Tiếp\s+đó|Do\s+đó|Vì\s+vậy|Vì\s+thế|Qua\s+đó|Từ\s+đó|(?:Trong\s+)?[Tt]hời\s+gian\s+tới|"
    r"(?:Riêng\s+)?[Đđ]ối\s+với[^,;:.]{0,120})\s*,\s*)+",
    re.IGNORECASE,
)
# "giao" the verb, not the word's compounds ("an toàn giao thông", "Sở Giao thông vận tải", "giao
# dịch", "bàn giao"): read as an assignment, the agency before it was taken for the issuer. (The
# checks follow the word, so they run only where "giao" stands.)
_GIVE = (
    r"[Gg]iao(?<![Bb]àn\s[Gg]iao)(?<!chuyển\s[Gg]iao)(?<!tiếp\s[Gg]iao)"
    r"(?!\s+(?:thông|dịch|lưu|thương|nhận|thừa|ban|tiếp|hàng|hữu|lộ|cắt|kết|thoa|diện)(?!\w))"
)
TRIGGER = re.compile(
    r"(?<![Đđ]ược\s)(?<!nhiệm\s)(?<!vụ\s)"
    rf"(?P<verb>{_GIVE}|GIAO|[Yy]êu\s*cầu|YÊU\s*CẦU|[Đđ]ề\s*nghị|ĐỀ\s*NGHỊ)"
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
# An intro that opens the sentence its first item is in: "Trong đó, tập trung các nhiệm vụ sau:
# Sở GTVT chủ trì …" (matched after the sentence's leading words): whoever follows it is the
# subject, as on a line of its own.
INLINE_INTRO = re.compile(
    r"[^:.;]{0,80}?(?:như\s*sau|sau\s*đây|(?:nhiệm\s*vụ|nội\s*dung|việc|giải\s*pháp)"
    r"(?:\s+(?:cụ\s*thể|trọng\s*tâm|chủ\s*yếu))?\s+sau)\s*:\s*",
    re.IGNORECASE,
)
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

# Between a verb of making and its product: "xây dựng, triển khai kế hoạch", "hoàn thiện kịch
# bản, phương án", "có các phương án" (at most two words and commas, so "thực hiện theo kế
# hoạch" is not one).
_MAKING_GAP = r"(?:\s*,?\s*[^\W\d_]+){0,2}?\s*,?\s+(?:các\s+)?"

# Each work product: its name, words one of which every match holds (lower case: the pattern is
# scanned only where one occurs, fields.deliverable_of), its pattern.
DELIVERABLES: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    (
        "báo cáo",
        ("báo", "tổng"),
        re.compile(
            r"(?<!trước khi tổng hợp, )(?<![Tt]heo )(?<![Tt]ại )(?<!chế độ )\bbáo\s*cáo\b(?!\s*số)"
            r"(?!\s*của)(?!\s*trực\s*tuyến)|tổng\s*hợp\s*(?:,\s*)?(?:kết\s*quả|tình\s*hình)",
            re.I,
        ),
    ),
    (
        "tờ trình",
        ("trình",),
        re.compile(
            r"\btờ\s*trình\b(?!\s*số)|\btrình\s+(?:UBND|Ủy\s*ban|Uỷ\s*ban|Thủ\s*tướng|Chủ\s*tịch|HĐND|Hội\s*đồng|cấp\s*có\s*thẩm\s*quyền)",
            re.I,
        ),
    ),
    (
        "kế hoạch",
        ("hoạch",),
        re.compile(
            r"(?:xây\s*dựng|ban\s*hành|lập|dự\s*thảo|hoàn\s*thiện|phê\s*duyệt|điều\s*chỉnh)"
            rf"{_MAKING_GAP}kế\s*hoạch|"
            r"kế\s*hoạch\s+triển\s*khai",
            re.I,
        ),
    ),
    (
        "đề án",
        ("án",),
        re.compile(
            r"(?:xây\s*dựng|trình|hoàn\s*thiện|hoàn\s*thành|lập)\s+(?:các\s+)?đề\s*án", re.I
        ),
    ),
    (
        "dự thảo",
        ("thảo",),
        re.compile(
            r"(?:xây\s*dựng|hoàn\s*thiện|tham\s*mưu|soạn\s*thảo)\s+(?:các\s+)?dự\s*thảo", re.I
        ),
    ),
    (
        "phương án",
        ("phương",),
        re.compile(
            r"(?:xây\s*dựng|đề\s*xuất|trình|lập|hoàn\s*thiện|hoàn\s*thành|chuẩn\s*bị|chủ\s*động|có|"
            r"bổ\s*sung|kích\s*hoạt|sẵn\s*sàng|tham\s*mưu)"
            rf"{_MAKING_GAP}phương\s*án",
            re.I,
        ),
    ),
    (
        "kịch bản",
        ("kịch",),
        re.compile(
            rf"(?:xây\s*dựng|lập|hoàn\s*thiện|chuẩn\s*bị|bổ\s*sung){_MAKING_GAP}kịch\s*bản", re.I
        ),
    ),
    (
        "đề xuất",
        ("xuất",),
        re.compile(
            r"(?<!tham mưu, )\bđề\s*xuất\s+(?:ý\s*kiến|cụ\s*thể|giải\s*pháp|phương\s*án|UBND|"
            r"Ủy\s*ban|việc|danh\s*mục|các)"
            r"|(?:nghiên\s*cứu|rà\s*soát)\s*,\s*đề\s*xuất\b",
            re.I,
        ),
    ),
    (
        "văn bản",
        ("văn",),
        re.compile(r"(?:có|ban\s*hành|bằng)\s+văn\s*bản|văn\s*bản\s+tham\s*mưu", re.I),
    ),
    (
        # "tham mưu UBND tỉnh ban hành Quy chế …": the draft of that act is the work product.
        "dự thảo",
        ("mưu",),
        re.compile(
            r"tham\s*mưu\s+(?:cho\s+)?(?:UBND|Ủy\s*ban|Uỷ\s*ban|Chủ\s*tịch|HĐND|cấp\s*có\s*thẩm\s*quyền)"
            r"[^.;]{0,40}?ban\s*hành\s+(?:các\s+)?(?:quy\s*chế|quy\s*định|quyết\s*định|chỉ\s*thị|"
            r"kế\s*hoạch|nghị\s*quyết|chương\s*trình|đề\s*án|cơ\s*chế|chính\s*sách)",
            re.I,
        ),
    ),
    (
        "chương trình",
        ("chương",),
        re.compile(
            r"(?:xây\s*dựng|trình|ban\s*hành|hoàn\s*thiện)\s+(?:các\s+)?[“\"]?chương\s*trình", re.I
        ),
    ),
    ("thông cáo báo chí", ("cáo",), re.compile(r"thông\s*cáo\s*báo\s*chí", re.I)),
    ("danh sách", ("danh",), re.compile(r"(?:lập|tổng\s*hợp|gửi|rà\s*soát)\s+danh\s*sách", re.I)),
    ("ý kiến", ("kiến", "góp"), re.compile(r"(?:tham\s*gia|cho|góp)\s+ý\s*kiến|góp\s*ý", re.I)),
]
# Advice ("tham mưu") yields a document only when a date is set for it.
WEAK_DELIVERABLE = re.compile(r"\btham\s*mưu\b(?!\s*giao\s*việc)(?!,\s*đề\s*xuất\s+Chủ)", re.I)

# --- what the learned scorer also looks for (candidates.py) ----------------------------------
# Subject-first duties without "giao": "Các địa phương cần rà soát …", "Bộ Nội vụ sẽ tổng hợp".
MODALS = {
    "can": re.compile(r"\bcần(?:\s+phải)?\b(?!\s+Thơ)", re.I),  # "Cần Thơ" is a city
    "phai": re.compile(r"\bphải\b", re.I),
    "se": re.compile(r"\bsẽ\b", re.I),
    "trach_nhiem": re.compile(rf"\b(?!{ACCOUNTABLE})(?:có|chịu)\s+trách\s+nhiệm\b", re.I),
}


def acts_at(text: str, pos: int, end: int) -> bool:
    """Whether the words at pos (past a comma) begin work: an action verb or a modal ("Sở X
    triển khai …", "Các địa phương cần …"). The one reading of "the agency named, then what it
    does" for the scorer's features and the lead chooser's."""
    rest = text[pos:end].lstrip(" ,")
    return bool(VERB_START.match(rest)) or any(p.match(rest) for p in MODALS.values())


# Assigning verbs other than giao / yêu cầu / đề nghị.
OTHER_ASSIGNING = re.compile(
    r"\b(?:lưu\s*ý|chỉ\s*đạo|phân\s*công|quán\s*triệt|nhấn\s*mạnh|đề\s*nghị|giao\s*nhiệm\s*vụ)\b",
    re.I,
)
ARTICLE = re.compile(r"^\s*Điều\s+\d+", re.I)
# "Điều 3. Chánh Văn phòng …, Thủ trưởng các cơ quan … chịu trách nhiệm thi hành Quyết định này."
# A text cut at its edge keeps "… chịu trách nhiệm thi hành Quyế"; Hà Giang writes "… căn cứ
# Quyết định thi hành".
BOILERPLATE = re.compile(
    r"(?:thi\s*hành|hiệu\s*lực)[^.;]{0,40}(?:Quyết\s*định|Chỉ\s*thị|văn\s*bản)\s*này|"
    r"chịu\s*trách\s*nhiệm\s*thi\s*hành|"
    r"căn\s*cứ\s*(?:Quyết\s*định|Chỉ\s*thị)\s*(?:này\s*)?(?:để\s*)?thi\s*hành|"
    r"có\s*hiệu\s*lực\s*(?:thi\s*hành\s*)?(?:kể\s*)?từ",
    re.I,
)
# An addressee line: "Công điện gửi: Bộ trưởng các Bộ …; Chủ tịch UBND các tỉnh …".
SENT_TO = re.compile(
    r"(?:(?:Công\s*điện|Công\s*văn|Văn\s*bản|Thông\s*báo)\s+)?(?:được\s+)?gửi\s*(?:đến\s*)?:?\s*",
    re.IGNORECASE,
)
NEWS_RELAY = re.compile(r"\b(?:vừa|đã)\s+(?:ký|ban\s*hành|có)\b", re.I)
# Between an assigning verb and whom it names: "phân công nhiệm vụ cho …", "yêu cầu định kỳ …".
AFTER_ASSIGNING = re.compile(
    r"\s*(?:nhiệm\s*vụ\s+)?(?:cho\s+)?(?:(?:định\s*kỳ|thường\s*xuyên|khẩn\s*trương)\s*,?\s*)?",
    re.I,
)
# A sentence that is no task whatever it names: a document reported as issued (ISSUED), a
# decision's closing articles (BOILERPLATE: "… chịu trách nhiệm thi hành Quyết định này"), and
# background told as such ("Trước đó, Bộ Nội vụ đã gửi Công văn … yêu cầu …"). The corpus
# labels none of them, and the rules had drafted each (issue 26: decision boilerplate, news
# background).
BACKGROUND = re.compile(r"^\W*Trước\s+(?:đó|đây)\s*,", re.I)
# A cable's or letter's addressee line told in the text ("Công điện gửi: Bộ trưởng các Bộ …;
# Chủ tịch UBND các tỉnh …", "Công điện số 10/CĐ-TTg ngày 7/2/2025 gửi …", "… có văn bản gửi UBND
# các tỉnh về việc …", "Công điện gửi … nêu
# rõ: …") with no asking verb after it: whom it went to, not what they must do ("… công văn gửi
# Sở Y tế đề nghị làm rõ …" is read; "báo cáo bằng văn bản gửi về Vụ Kế hoạch" is the duty to
# send one). In the corpus, 14 such sentences, one a task (a news line labelled as relaying).
ADDRESS_LINE = re.compile(
    r"(?:Công\s*điện|Công\s*văn|Văn\s*bản)(?:\s+số\s*[\w/.\-]+)?(?:\s+ngày\s*[\d/.\-]+)?"
    r"\s+(?:khẩn\s+|hỏa\s*tốc\s+)?gửi(?![\wđ])(?!\s*về)"
    rf"(?![^.]*?(?:{_GIVE}(?![\wđ])|yêu\s*cầu|đề\s*nghị|chỉ\s*đạo|đôn\s*đốc))",
    re.I,
)
# Who attended, told by a news item ("Tham dự hội nghị có …", "Dự và chủ trì Hội nghị có đồng
# chí …", "Thành phần tham dự gồm …"): 6 such sentences in the corpus, none a task, one
# proposed as a task (c198).
ATTENDANCE = re.compile(
    r"^\W*(?:(?:Tham\s+)?[Dd]ự(?:\s+và\s+chủ\s*trì)?\s+(?:hội\s*nghị|cuộc\s*họp|buổi|lễ|phiên|"
    r"kỳ\s*họp|lớp)[^.;]{0,60}?\s+có\s|Thành\s*phần\s+(?:tham\s+)?dự\s+(?:gồm|có))",
    re.I,
)
NOT_A_TASK = re.compile(
    rf"{ISSUED.pattern}|{BOILERPLATE.pattern}|{BACKGROUND.pattern}|{ADDRESS_LINE.pattern}|"
    rf"{ATTENDANCE.pattern}",
    re.I,
)
# Each of NOT_A_TASK's forms holds one of these words ("đã/vừa … ban hành", "thi hành", "hiệu
# lực", "Trước đó", "gửi", "dự"): searched only where one stands, about a third of the sentences
# (the search of every sentence was 7 % of the reading time).
_NOT_A_TASK_WORDS = ("đã", "vừa", "hành", "hiệu", "trước", "gửi", "dự")


def not_a_task(sentence: str) -> bool:
    """Whether a sentence is no task whatever it names (NOT_A_TASK)."""
    low = sentence.lower()
    return any(w in low for w in _NOT_A_TASK_WORDS) and NOT_A_TASK.search(sentence) is not None


# A news item's summary of the document it relays ("Thủ tướng vừa ký Công điện … yêu cầu các bộ,
# ngành …") when the relayed body follows it ("Theo đó, …", "Cụ thể: …"): the body's duties are
# the tasks and the summary restates them (issue 26: news relays).
RELAY_SUMMARY = re.compile(
    r"\bvừa\s+(?:ký\s+)?(?:ban\s*hành\s+|có\s+|gửi\s+)?(?:công\s*điện|công\s*văn|văn\s*bản|"
    r"chỉ\s*thị|quyết\s*định|thông\s*báo|kế\s*hoạch)",
    re.I,
)
RELAYED_BODY = re.compile(r"\b(?:Theo\s+đó|Cụ\s+thể)\s*[,:]", re.I)
# A news item telling that a document has just been sent and what it asks ("Phó Thủ tướng vừa ký
# Công điện số … chỉ đạo các bộ ngành …", "Bộ Xây dựng đã có văn bản gửi UBND … đề nghị báo cáo
# …"): the relayed document's own duty, told in a sentence (issue 26: news relays).
# Whom a relayed document is sent to: "… vừa có văn bản gửi (đến) UBND các tỉnh …".
SENT_TO_NAMED = re.compile(r"\b(?:gửi|gởi)\s+(?:đến\s+|tới\s+)?", re.I)
RELAY_OPENING = 800  # how far into the body a news item's summary stands (its first paragraphs)
RELAYED_DOCUMENT = re.compile(
    r"\b(?:vừa|đã|mới\s*đây)\b(?:\s+[^\W\d]+){0,4}?\s+(?P<document>công\s*điện|công\s*văn|văn\s*bản|"
    r"chỉ\s*thị|quyết\s*định|thông\s*báo)\b[^.;]{0,200}?"
    r"\b(?:yêu\s*cầu|đề\s*nghị|giao(?!\s*thông)|chỉ\s*đạo|đôn\s*đốc)\s",
    re.I,
)
