"""Directive texts written for the tests in the style of real ones (Decree 30 letters, meeting
conclusions, news items), with what a careful clerk would register from each."""

from __future__ import annotations

LETTER = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 5123/UBND-KTN
V/v triển khai các biện pháp cấp bách phòng, chống hạn hán, xâm nhập mặn mùa khô 2024-2025
Quảng Ngãi, ngày 02 tháng 12 năm 2024

Kính gửi:
- Các sở, ban, ngành tỉnh;
- UBND các huyện, thị xã, thành phố.

Để chủ động ứng phó với tình hình hạn hán, thiếu nước, xâm nhập mặn trong mùa khô 2024-2025, Chủ tịch UBND tỉnh yêu cầu:

1. Giao Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với Sở Tài nguyên và Môi trường, Công ty TNHH MTV Khai thác công trình thủy lợi tỉnh xây dựng kế hoạch phòng, chống hạn hán, xâm nhập mặn, trình UBND tỉnh trước ngày 20/12/2024.

2. UBND các huyện, thị xã, thành phố chỉ đạo rà soát nguồn nước, bố trí lịch thời vụ phù hợp; định kỳ hằng tháng (trước ngày 25) báo cáo tình hình hạn hán về Sở Nông nghiệp và Phát triển nông thôn để tổng hợp.

3. Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư tham mưu bố trí kinh phí phòng, chống hạn hán; đề xuất UBND tỉnh phương án hỗ trợ các địa phương bị thiệt hại.

4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp tuyên truyền, vận động Nhân dân sử dụng nước tiết kiệm.

Yêu cầu Thủ trưởng các cơ quan, đơn vị, Chủ tịch UBND các huyện, thị xã, thành phố nghiêm túc triển khai thực hiện./.

Nơi nhận:
- Như trên;
- CT, các PCT UBND tỉnh;
- Lưu: VT, KTN.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Phước Hiền
"""

CONCLUSION = """Thông báo kết luận của Chủ tịch UBND tỉnh tại cuộc họp về tiến độ giải ngân vốn đầu tư công

Ngày 10/3/2025, Văn phòng UBND tỉnh ban hành Thông báo số 45/TB-UBND kết luận của Chủ tịch UBND tỉnh tại cuộc họp ngày 07/3/2025 về tiến độ giải ngân vốn đầu tư công năm 2025.

Theo đó, Chủ tịch UBND tỉnh giao:
a) Các chủ đầu tư khẩn trương hoàn thiện hồ sơ, thủ tục thanh toán khối lượng hoàn thành; cam kết tiến độ giải ngân từng tháng gửi Sở Tài chính trong 05 ngày làm việc kể từ ngày ký Thông báo này.
b) Sở Tài chính theo dõi, tổng hợp tình hình giải ngân, báo cáo UBND tỉnh định kỳ hằng tháng.
c) Giao Sở Xây dựng chủ trì, phối hợp với các địa phương tháo gỡ vướng mắc về giải phóng mặt bằng, hoàn thành trong tháng 4 năm 2025.

Chủ tịch UBND tỉnh nhấn mạnh, việc giải ngân vốn đầu tư công là nhiệm vụ chính trị trọng tâm của năm 2025.
"""

NEWS_NO_TASK = """Hội nghị tổng kết công tác năm 2024

Sáng 15/1/2025, UBND tỉnh tổ chức Hội nghị tổng kết công tác năm 2024, triển khai nhiệm vụ năm 2025. Năm 2024, tăng trưởng kinh tế của tỉnh đạt 7,2%, thu ngân sách vượt dự toán 12%.

Phát biểu tại hội nghị, đồng chí Chủ tịch UBND tỉnh đánh giá cao những kết quả đạt được và mong muốn các ngành tiếp tục nỗ lực trong năm mới.
"""

SHORT_DEADLINES = """Ngày 14/10/2024, UBND tỉnh ban hành Công văn số 4410/UBND-VX về việc chuẩn bị tổ chức Ngày Nhà giáo Việt Nam.
UBND tỉnh giao Sở Giáo dục và Đào tạo chủ trì tham mưu kế hoạch tổ chức các hoạt động, báo cáo UBND tỉnh trước ngày 15/11.
Giao Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với các cơ quan liên quan tổ chức các hoạt động tuyên truyền trong 30 ngày.
Giao Sở Nội vụ rà soát, xây dựng dự thảo Quyết định khen thưởng, trình Chủ tịch UBND tỉnh (qua Sở Nội vụ thẩm định).
"""
