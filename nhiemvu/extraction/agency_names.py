"""The standard names of agencies the reader knows without a directory: provincial departments,
ministries and central agencies in a province, fixed by decree rather than by any one document
(agencies.py reads them), and the words around names: titles, heads, stop words, family names
and a person's name after a body's place (PERSON, HOLDER)."""

from __future__ import annotations

import re

STANDARD_NAMES = [
    # Provincial departments and agencies (Nghị định 24/2014, 107/2020, 45/2025/NĐ-CP)
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Văn phòng UBND tỉnh",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Nông nghiệp và Môi trường",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Văn hóa và Thể thao",
    "Sở Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo",
    "Thanh tra tỉnh",
    "Ban Dân tộc",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Cục Thuế tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Cục Thống kê tỉnh",
    "Cục Hải quan",
    "Ngân hàng Nhà nước chi nhánh tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Ban Quản lý Khu kinh tế",
    "Tổ công tác của Chủ tịch UBND tỉnh",
    "Tổ công tác của Chủ tịch Ủy ban nhân dân tỉnh",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    # Ministries and central bodies
    "Bộ Quốc phòng",
    "Bộ Công an",
    "Bộ Ngoại giao",
    "Bộ Nội vụ",
    "Bộ Tư pháp",
    "Bộ Kế hoạch và Đầu tư",
    "Bộ Tài chính",
    "Bộ Công Thương",
    "Bộ Nông nghiệp và Phát triển nông thôn",
    "Bộ Nông nghiệp và Môi trường",
    "Bộ Giao thông vận tải",
    "Bộ Xây dựng",
    "Bộ Tài nguyên và Môi trường",
    "Bộ Thông tin và Truyền thông",
    "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Văn hóa, Thể thao và Du lịch",
    "Bộ Khoa học và Công nghệ",
    "Bộ Giáo dục và Đào tạo",
    "Bộ Y tế",
    "Bộ Dân tộc và Tôn giáo",
    "Ngân hàng Nhà nước Việt Nam",
    "Thanh tra Chính phủ",
    "Ủy ban Dân tộc",
    "Văn phòng Chính phủ",
    "Kiểm toán Nhà nước",
    "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp",
]

# Bodies named by their function, not a proper name (read as groups): "lực lượng công an",
# "cấp ủy, chính quyền địa phương", "ngành chức năng", "Tổ công tác liên ngành", "Đoàn kiểm tra".
FUNCTIONAL = (
    r"(?:lực\s*lượng\s+(?:công\s*an|vũ\s*trang|chức\s*năng|quân\s*đội|biên\s*phòng|dân\s*quân)"
    r"(?:\s+(?:các\s*cấp|địa\s*phương|xã|tỉnh))?"
    r"|cấp\s*ủy(?:\s*,\s*(?:tổ\s*chức\s*đảng|chính\s*quyền))*(?:\s+(?:các\s*cấp|địa\s*phương|cơ\s*sở))?"
    r"|chính\s*quyền\s+(?:các\s*cấp|địa\s*phương|cơ\s*sở)"
    # The police of the localities, in lower case ("Công an tỉnh" is a name, read as one).
    r"|(?-i:công)\s*an\s+(?:các\s+)?(?:xã|phường|huyện|tỉnh|đơn\s*vị|địa\s*phương|cấp\s*xã)"
    r"(?:\s*,\s*(?:xã|phường|đơn\s*vị|địa\s*phương))*(?!\s+(?-i:[A-ZĐ]))"
    r"|(?:các\s+)?(?:ngành|cơ\s*quan|lực\s*lượng)\s+chức\s*năng"
    r"|Tổ\s*công\s*tác(?:\s+(?:liên\s*ngành|đặc\s*biệt))?(?!\s+của)"
    r"|Đoàn\s*(?:kiểm\s*tra|công\s*tác|thanh\s*tra)(?:\s+liên\s*ngành)?)(?![\wđ])"
)

# The initials a province writes for the parts of agencies' names, with their separators
# removed ("KH-ĐT", "KH&ĐT" and "KHĐT" are KHĐT): agencies.expand writes them out, so the
# proposal names the agency as the directory does. "UBND"/"HĐND" are kept (read as names).
ABBREVIATED = {
    "KHĐT": "Kế hoạch và Đầu tư",
    "TNMT": "Tài nguyên và Môi trường",
    "GDĐT": "Giáo dục và Đào tạo",
    "LĐTBXH": "Lao động - Thương binh và Xã hội",
    "TTTT": "Thông tin và Truyền thông",
    "TTTTT": "Thông tin và Truyền thông",
    "KHCN": "Khoa học và Công nghệ",
    "NNPTNT": "Nông nghiệp và Phát triển nông thôn",
    "NNMT": "Nông nghiệp và Môi trường",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch",
    "VHTTTT": "Văn hóa, Thông tin - Thể thao",
    "TTVHTTTT": "Trung tâm Văn hóa, Thông tin - Thể thao",
    "VHTT": "Văn hóa và Thông tin",
    "GTVT": "Giao thông vận tải",
    "DTNN": "Đầu tư nước ngoài",
    "BHXH": "Bảo hiểm xã hội",
    "KBNN": "Kho bạc Nhà nước",
    "NHNN": "Ngân hàng Nhà nước",
    "TCTD": "tổ chức tín dụng",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "PCTT": "Phòng, chống thiên tai",
    "TKCN": "Tìm kiếm cứu nạn",
    "PTDS": "Phòng thủ dân sự",
    "PCCC": "phòng cháy, chữa cháy",
    "ATGT": "An toàn giao thông",
    "CSGT": "Cảnh sát giao thông",
    "GDNNGDTX": "Giáo dục nghề nghiệp - Giáo dục thường xuyên",
    "TPHCM": "TP. Hồ Chí Minh",
    "HCM": "Hồ Chí Minh",
}


def _words(text: str) -> set[str]:
    return set(text.split())


# Words that end a name: the verbs and connectors that follow an agency in a directive, the
# assigning verbs and the words news puts between an agency and them ("UBND xã cũng đề nghị …",
# "UBND tỉnh vừa yêu cầu …", "Sở GD&ĐT yêu cầu các phòng …").
STOP_WORDS = _words(
    "chủ phối với thực khẩn tổ báo tham nghiên theo kiểm rà đôn có chỉ tăng triển hoàn "
    "xây tiếp làm đề cử ban trình giải bố nghiêm về tại trong để khi đối và cùng sớm chịu "
    "quan thường căn xem lập gửi được đã sẽ cần phải không đảm thống tập nắm chấn xử "
    "hướng phổ tuyên vận giám quản đồng đặc nhất trên từ đến sau trước các những này đó "
    "nêu liên thuộc trực chức là của bảo ngay yêu giao lưu nhấn quán cũng vừa phân giúp nhắc"
)
# Lower-case words of names that are also verbs elsewhere ("Khai thác công trình thủy lợi").
NAME_COMPOUNDS = {
    "công trình",
    "phát triển",
    "quản lý",
    "xúc tiến",
    "đầu tư",
    "bảo vệ",
    "thông tin",
    "tài nguyên",
    "giao thông",
    "văn hóa",
    "trật tự",
    "đô thị",
}
# The verbs that end an enumerated list ("…, Nội vụ làm việc với …"); smaller than STOP_WORDS
# because lowercase words inside names ("Giao thông vận tải") must not end it.
ENUM_STOP = _words(
    "làm chủ phối thực khẩn báo tham nghiên kiểm rà đôn chỉ tăng triển hoàn tiếp đề cử "
    "trình giải bố nghiêm xem lập gửi chịu phải cần sớm theo có tổ xử khi để về"
)

# Family names: a person's name after the body's place ends the body's name (agencies._PERSON).
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Tôn",
    "Vương",
    "Trịnh",
    "Đinh",
    "Lâm",
    "Trương",
    "Đào",
    "Cao",
    "Lương",
    "Tạ",
    "Châu",
    "Thái",
    "Lưu",
    "Quách",
    "Kiều",
    "Triệu",
    "Doãn",
    "Hầu",
    "Tô",
    "Chu",
    "Nông",
    "Lò",
    "Mạc",
    "Thân",
    "Đoàn",
    "Lại",
    "Tăng",
    "Từ",
    "Giang",
]

UPPER = "A-ZÀ-ÝĂÂĐÊÔƠƯẠ-Ỹ"  # the capitals a name's words begin with
CAP = rf"[{UPPER}]"
LOW = "a-zà-ỹđ"
# A person's name after the body's place ("Phó Bí thư Tỉnh ủy Đồng Nai Nguyễn Văn A nhấn mạnh",
# "Chủ tịch UBND tỉnh Bắc Ninh Trần Văn B yêu cầu"): a common family name and a given name
# after two capitalised words of place or initials end the body's name.
PERSON = re.compile(rf"(?:{'|'.join(SURNAMES)})[ \t]+{CAP}")
# "Chủ tịch UBND tỉnh Phạm Hoàng Sơn": a full name right after "tỉnh" is the chairman's, not a
# province's ("tỉnh Lâm Đồng Trần Văn A" has a family name third: PERSON ends it there).
HOLDER = re.compile(rf"{PERSON.pattern}[{LOW}]*[ \t]+(?!{PERSON.pattern}){CAP}")
# Schools, hospitals and companies are named after people ("Trường THPT Chuyên Lê Hồng
# Phong"): their names go on past a family name.
NAMED_AFTER_PEOPLE = re.compile(r"Trường|Học\s*viện|Bệnh\s*viện|Công\s*ty|Tập\s*đoàn")


# Initials written for a name's parts (agency_names.ABBREVIATED), with "&", "-", "," or spaces
# between them; a comma-separated run is looked up whole ("VH,TT&DL") else piece by piece.
_INITIALS_RUN = re.compile(
    r"(?<![\wđĐ])[A-ZĐ]{1,8}(?:\.?(?:[ \t]*[&,\-][ \t]*|[ \t]+)[A-ZĐ]{1,8})*(?![\wđĐ])"
)
_PART = re.compile(r"(?:[ \t]*&[ \t]*|[ \t]+và[ \t]+)PTNT(?![\wđĐ])")
_SEPARATORS = re.compile(r"[\s&,.\-]")


def _spelt(run: re.Match[str]) -> str:
    written = run.group(0)
    full = ABBREVIATED.get(_SEPARATORS.sub("", written))
    if full:
        return full
    pieces = re.split(r"(\s*,\s*|\s+)", written)
    return "".join(ABBREVIATED.get(_SEPARATORS.sub("", p), p) for p in pieces)


def expand(phrase: str) -> str:
    """The name with its initials written out, as the directory (and the province's scorer)
    names it: "Sở NN & PTNT", "Bộ Nông nghiệp & PTNT" → "… Nông nghiệp và Phát triển nông
    thôn", "Trung tâm VHTT - TT huyện" → "Trung tâm Văn hóa, Thông tin - Thể thao huyện".
    "UBND" and "HĐND" stay as written (every reader knows them)."""
    if not _HAS_INITIALS.search(phrase):
        return phrase
    phrase = _INITIALS_RUN.sub(_spelt, phrase)
    return _PART.sub(" và Phát triển nông thôn", phrase)


_HAS_INITIALS = re.compile(r"[A-ZĐ]{2}")


# A title in front of the agency it speaks for ("giám đốc Sở GD-ĐT" is Sở GD-ĐT), in news
# style often in lower case.
_TITLE = (
    r"(?:(?:Phó\s*)?(?:Thủ\s*trưởng|Giám\s*đốc|Chủ\s*tịch|Trưởng\s*ban|Chánh\s*Văn\s*phòng|"
    r"Chánh\s*Thanh\s*tra|Cục\s*trưởng|Tổng\s*cục\s*trưởng|Viện\s*trưởng|Bộ\s*trưởng(?!\s*,)|"
    r"Trưởng\s*Công\s*an|Chỉ\s*huy\s*trưởng|Tổng\s*Giám\s*đốc|Bí\s*thư|Trưởng(?=\s+các\s))|"
    r"Lãnh\s*đạo|Người\s*đứng\s*đầu|Đồng\s*chí|(?:các\s+)?(?:đồng\s*chí\s+)?thành\s*viên"
    r"(?=\s+(?-i:[A-ZĐ])))"
)
# Titles may come several at once: "Giám đốc, Thủ trưởng các sở", "Bí thư, Chủ tịch UBND …".
ROLE = re.compile(rf"(?:{_TITLE}\s*,\s*)*{_TITLE}\s+(?=\S)", re.IGNORECASE)
HEADS = (
    r"Sở|Bộ\s*Chỉ\s*huy|Bộ|Ban\s*Quản\s*lý|Ban\s*QLDA|Ban|Tổng\s*cục|Chi\s*cục|Cục|Vụ|Viện|"
    r"Trung\s*tâm|Văn\s*phòng|Thanh\s*tra|Công\s*an|Kho\s*bạc|Bảo\s*hiểm\s*xã\s*hội|BHXH|"
    r"Ngân\s*hàng|Đài|Báo|Tổ\s*công\s*tác|Ủy\s*ban|Uỷ\s*ban|UBND|HĐND|Hội\s*đồng|Liên\s*đoàn|"
    r"Hội|Đoàn|Viễn\s*thông|Tổng\s*công\s*ty|Công\s*ty|Học\s*viện|Trường|Kiểm\s*toán|Tỉnh\s*đoàn|"
    r"UBMTTQ(?:VN)?|MTTQ(?:VN)?|Mặt\s*trận|Tập\s*đoàn|(?:Tỉnh|Thành|Huyện|Đảng)\s*ủy|Cơ\s*quan\s*[Tt]hường\s*trực|Vườn\s*quốc\s*gia|Khu\s*bảo\s*tồn|Bệnh\s*viện|Cảng\s*vụ|Bộ\s*đội\s*Biên\s*phòng|Hải\s*quan|Bưu\s*điện|Điện\s*lực"
)
