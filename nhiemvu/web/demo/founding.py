"""The founding letter: Công văn 1147/UBND-KSTT of 08/3/2022 of UBND tỉnh Bình Định, its tasks
as labelled in the shared corpus (d000), most reported that March and five carried into the 2025
reforms."""

from __future__ import annotations

import datetime as dt
import random

from nhiemvu.assignments import services as tasks
from nhiemvu.assignments.models import Assignment
from nhiemvu.directives.models import Authority
from nhiemvu.directives.services import DirectiveSpec
from nhiemvu.lib import workdays
from nhiemvu.orgs.selectors import resolve_group
from nhiemvu.web.demo.steps import Demo, at, complete, registered


def load_founding_letter(demo: Demo) -> None:
    """Công văn 1147/UBND-KSTT of 08/3/2022, its tasks as labelled in the shared corpus (d000).

    A document of UBND tỉnh Bình Định, the issuer as it was. Most agencies reported that March;
    five tasks stay open into the 2025 reforms and are carried by today's holders: the iDesk
    upgrade (Sở TT&TT → Sở KH&CN), the reports of Sở GTVT (→ Sở Xây dựng), of Sở LĐ-TB&XH (split;
    → Sở Nội vụ) and of two districts (→ the communes that replaced them)."""
    province = demo.orgs["ubnd-binh-dinh"]
    if registered(province, "1147/UBND-KSTT", 2022):
        return
    orgs = demo.orgs
    office = demo.users["vanphong"]
    group = resolve_group("các cơ quan, đơn vị, địa phương", on=dt.date(2022, 3, 8))
    assert group is not None
    members = list(group)
    with workdays.clock(at(dt.date(2022, 3, 9))):
        directive = tasks.directive_register(
            actor=office,
            spec=DirectiveSpec(
                issuer=province,
                ref="1147/UBND-KSTT",
                doc_date=dt.date(2022, 3, 8),
                subject="Về việc nâng cao hiệu lực, hiệu quả thực hiện nhiệm vụ được UBND tỉnh, "
                "Chủ tịch UBND tỉnh giao",
                signer_name="Nguyễn Phi Long",
                signer_title="Chủ tịch",
                authority=Authority.DIRECT,
                assigned_by=demo.users["chutich"],
                text=FOUNDING_TEXT,
                place="Bình Định",
            ),
            tasks=[
                tasks.TaskSpec(
                    content="Khẩn trương chỉ đạo việc rà soát, hoàn thành các nhiệm vụ đã quá "
                    "thời hạn giải quyết nhưng còn tồn đọng; nghiêm túc rút kinh nghiệm đối với "
                    "các nhiệm vụ đã hoàn thành trễ hạn; báo cáo kết quả thực hiện.",
                    group_label="Thủ trưởng các cơ quan, đơn vị, địa phương liên quan",
                    group_orgs=members,
                    deliverable_kind="bao_cao",
                    deliverable_text="Báo cáo kết quả thực hiện",
                    deadline=dt.date(2022, 3, 31),
                ),
                tasks.TaskSpec(
                    content="Đôn đốc việc nâng cấp “Hệ thống iDesk” theo Công văn số "
                    "4544/UBND-VX ngày 27/7/2021; báo cáo tình hình thực hiện và đề xuất cụ thể "
                    "tiến độ hoàn thành.",
                    lead=orgs["so-tttt"],
                    deliverable_kind="bao_cao",
                    deliverable_text="Báo cáo và đề xuất tiến độ hoàn thành",
                    deadline=dt.date(2022, 3, 31),
                ),
                tasks.TaskSpec(
                    content="Rà soát, tăng cường tham mưu giao việc có thời hạn; tránh tình trạng "
                    "văn bản có yêu cầu sản phẩm công việc cụ thể nhưng không gắn thời gian hoàn "
                    "thành.",
                    lead=orgs["vp-ubnd"],
                    no_deadline_reason="Nhiệm vụ thường xuyên.",
                ),
                tasks.TaskSpec(
                    content="Chủ trì, phối hợp chặt chẽ với các cơ quan, đơn vị, địa phương nâng "
                    "cao hiệu quả, chất lượng trao đổi thông tin, xác nhận tình trạng thực hiện "
                    "nhiệm vụ trước khi tổng hợp, báo cáo, tham mưu Chủ tịch UBND tỉnh.",
                    lead=orgs["to-cong-tac"],
                    coordinators=[orgs["vp-ubnd"]],
                    no_deadline_reason="Nhiệm vụ thường xuyên.",
                ),
                tasks.TaskSpec(
                    content="Định kỳ 03 tháng/lần đôn đốc việc thực hiện đối với các nhiệm vụ "
                    "không quy định thời hạn cụ thể khi giao lần đầu.",
                    lead=orgs["to-cong-tac"],
                    recurrence="quarterly",
                    recurrence_rule="định kỳ 03 tháng/lần",
                ),
            ],
        )
    # Most agencies reported in March 2022; a few late; the office confirmed them.
    rng = random.Random(1147)
    for task in Assignment.objects.filter(directive=directive, deadline__isnull=False):
        if "iDesk" in task.content or task.lead.code in FOUNDING_BACKLOG:
            continue  # left open: the reforms carry it to today's holder
        late = rng.random() < 0.2
        done_on = (
            workdays.add_working_days(dt.date(2022, 3, 31), rng.randint(1, 15))
            if late
            else workdays.add_working_days(dt.date(2022, 3, 14), rng.randint(0, 12))
        )
        complete(task, demo, done_on, confirm_after=rng.randint(1, 4), rng=rng)


# Who had not reported on the founding letter by the 2025 reforms (besides the iDesk upgrade).
FOUNDING_BACKLOG = frozenset({"so-gtvt", "so-ldtbxh", "tay-son", "van-canh"})


FOUNDING_TEXT = """\
ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH
Số: 1147/UBND-KSTT
V/v nâng cao hiệu lực, hiệu quả thực hiện nhiệm vụ được UBND tỉnh, Chủ tịch UBND tỉnh giao

Bình Định, ngày 08 tháng 3 năm 2022

Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các cơ quan, đơn vị, địa phương liên quan khẩn trương \
chỉ đạo việc rà soát, hoàn thành các nhiệm vụ đã quá thời hạn giải quyết nhưng còn tồn đọng; \
đồng thời, nghiêm túc rút kinh nghiệm trong công tác theo dõi, quản lý và tổ chức thực hiện \
nhiệm vụ được UBND tỉnh, Chủ tịch UBND tỉnh giao nhưng đã hoàn thành trễ hạn; báo cáo kết quả \
thực hiện trong tháng 3 năm 2022.

Chủ tịch UBND tỉnh yêu cầu Sở Thông tin và Truyền thông đôn đốc việc nâng cấp “Hệ thống iDesk” \
phục vụ cho công tác quản lý, theo dõi việc thực hiện nhiệm vụ được Ủy ban nhân dân tỉnh, Chủ \
tịch UBND tỉnh giao theo Công văn số 4544/UBND-VX ngày 27/7/2021 của Chủ tịch UBND tỉnh; báo cáo \
tình hình thực hiện và đề xuất cụ thể tiến độ hoàn thành để Chủ tịch UBND tỉnh xem xét, chỉ đạo \
trong tháng 3 năm 2022.

Ngoài ra, Chủ tịch UBND tỉnh yêu cầu Văn phòng UBND tỉnh rà soát, tăng cường tham mưu giao việc \
có thời hạn đảm bảo nâng cao hiệu lực, hiệu quả trong công tác chỉ đạo, điều hành của UBND tỉnh \
đối với việc thực hiện nhiệm vụ được giao cho các cơ quan, đơn vị, địa phương; tránh tình trạng \
văn bản có yêu cầu sản phẩm công việc cụ thể nhưng không gắn thời gian hoàn thành dẫn đến việc \
kéo dài thời gian tham mưu, đề xuất.

Chủ tịch UBND tỉnh giao Tổ công tác của Chủ tịch UBND tỉnh chủ trì, phối hợp chặt chẽ với các cơ \
quan, đơn vị, địa phương trong việc nâng cao hiệu quả, chất lượng công tác trao đổi thông tin, \
xác nhận tình trạng thực hiện nhiệm vụ trước khi tổng hợp, báo cáo và tham mưu, đề xuất Chủ tịch \
UBND tỉnh theo quy định. Trên cơ sở tình hình thực tế, định kỳ 03 tháng/lần đôn đốc việc thực \
hiện đối với các nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh không quy định thời hạn cụ thể khi giao \
nhiệm vụ lần đầu./.

CHỦ TỊCH
Nguyễn Phi Long
"""
