"""The standard names of agencies the reader knows without a directory: provincial departments,
ministries and central agencies in a province, fixed by decree rather than by any one document
(agencies.py reads them)."""

from __future__ import annotations

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
