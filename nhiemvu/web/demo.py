"""The demo province: organisations, a user for every role, the founding letter and a year of
tasks in every status. Loaded through the services, with the clock set to each step's date, so
timelines, audit rows and past-date figures are as real as the rest of the system.

Idempotent: organisations and users are upserted by code; each document is skipped when its
(issuer, year, number, symbol) is already registered.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from nhiemvu.assignments import services as tasks
from nhiemvu.assignments.models import Assignment, Extension, ExtensionStatus, WorkState
from nhiemvu.directives.models import Authority, Directive
from nhiemvu.directives.services import DirectiveSpec
from nhiemvu.lib import docref, workdays
from nhiemvu.lib.orgkinds import LOCAL
from nhiemvu.orgs import services as orgs
from nhiemvu.orgs.models import Organisation, OrgKind, ReorgKind, Role
from nhiemvu.orgs.selectors import resolve_group
from nhiemvu.reminders import events

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_PASSWORD = "demo@2026"

MARCH_2025 = dt.date(2025, 3, 1)  # the departments merged (Nghị định 45/2025/NĐ-CP)
JULY_2025 = dt.date(2025, 7, 1)  # one Gia Lai; the district level ended

ORGS: list[tuple[str, str, str, str, list[str]]] = [
    # code, kind, name, short name, aliases. The province as it was in 2022 (Bình Định): its
    # People's Committee issued the founding letter; the reforms below replay what followed.
    (
        "ubnd-binh-dinh",
        OrgKind.PROVINCE,
        "UBND tỉnh Bình Định",
        "UBND tỉnh Bình Định",
        ["Ủy ban nhân dân tỉnh Bình Định"],
    ),
    (
        "vp-ubnd",
        OrgKind.OFFICE,
        "Văn phòng UBND tỉnh",
        "VP UBND tỉnh",
        ["Văn phòng Ủy ban nhân dân tỉnh"],
    ),
    (
        "to-cong-tac",
        OrgKind.WORKING_GROUP,
        "Tổ công tác của Chủ tịch UBND tỉnh",
        "Tổ công tác",
        ["Tổ công tác của Chủ tịch Ủy ban nhân dân tỉnh"],
    ),
    ("so-noi-vu", OrgKind.DEPARTMENT, "Sở Nội vụ", "SNV", []),
    ("so-tu-phap", OrgKind.DEPARTMENT, "Sở Tư pháp", "STP", []),
    ("so-khdt", OrgKind.DEPARTMENT, "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", ["SKHĐT"]),
    ("so-tai-chinh", OrgKind.DEPARTMENT, "Sở Tài chính", "STC", []),
    ("so-cong-thuong", OrgKind.DEPARTMENT, "Sở Công Thương", "SCT", []),
    (
        "so-nnptnt",
        OrgKind.DEPARTMENT,
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở NN&PTNT",
        ["SNNPTNT"],
    ),
    ("so-gtvt", OrgKind.DEPARTMENT, "Sở Giao thông vận tải", "Sở GTVT", []),
    ("so-xay-dung", OrgKind.DEPARTMENT, "Sở Xây dựng", "SXD", []),
    ("so-tnmt", OrgKind.DEPARTMENT, "Sở Tài nguyên và Môi trường", "Sở TN&MT", ["STNMT"]),
    ("so-khcn", OrgKind.DEPARTMENT, "Sở Khoa học và Công nghệ", "Sở KH&CN", ["SKHCN"]),
    ("so-tttt", OrgKind.DEPARTMENT, "Sở Thông tin và Truyền thông", "Sở TT&TT", ["STTTT"]),
    (
        "so-ldtbxh",
        OrgKind.DEPARTMENT,
        "Sở Lao động - Thương binh và Xã hội",
        "Sở LĐ-TB&XH",
        ["SLĐTBXH"],
    ),
    ("so-vhtt", OrgKind.DEPARTMENT, "Sở Văn hóa và Thể thao", "Sở VH&TT", []),
    ("so-du-lich", OrgKind.DEPARTMENT, "Sở Du lịch", "SDL", []),
    ("so-gddt", OrgKind.DEPARTMENT, "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", ["SGDĐT"]),
    ("so-y-te", OrgKind.DEPARTMENT, "Sở Y tế", "SYT", []),
    ("thanh-tra", OrgKind.DEPARTMENT, "Thanh tra tỉnh", "TTT", []),
    ("ban-dan-toc", OrgKind.DEPARTMENT, "Ban Dân tộc tỉnh", "BDT", []),
    ("bql-kkt", OrgKind.DEPARTMENT, "Ban Quản lý Khu kinh tế tỉnh", "BQL KKT", []),
    ("cong-an", OrgKind.DEPARTMENT, "Công an tỉnh", "CAT", []),
    ("quy-nhon", OrgKind.DISTRICT, "UBND thành phố Quy Nhơn", "TP Quy Nhơn", []),
    ("an-nhon", OrgKind.DISTRICT, "UBND thị xã An Nhơn", "TX An Nhơn", []),
    ("hoai-nhon", OrgKind.DISTRICT, "UBND thị xã Hoài Nhơn", "TX Hoài Nhơn", []),
    ("tuy-phuoc", OrgKind.DISTRICT, "UBND huyện Tuy Phước", "H. Tuy Phước", []),
    ("phu-cat", OrgKind.DISTRICT, "UBND huyện Phù Cát", "H. Phù Cát", []),
    ("phu-my", OrgKind.DISTRICT, "UBND huyện Phù Mỹ", "H. Phù Mỹ", []),
    ("tay-son", OrgKind.DISTRICT, "UBND huyện Tây Sơn", "H. Tây Sơn", []),
    ("vinh-thanh", OrgKind.DISTRICT, "UBND huyện Vĩnh Thạnh", "H. Vĩnh Thạnh", []),
    ("van-canh", OrgKind.DISTRICT, "UBND huyện Vân Canh", "H. Vân Canh", []),
    ("an-lao", OrgKind.DISTRICT, "UBND huyện An Lão", "H. An Lão", []),
    ("hoai-an", OrgKind.DISTRICT, "UBND huyện Hoài Ân", "H. Hoài Ân", []),
    ("cuc-thue", OrgKind.CENTRAL, "Cục Thuế tỉnh", "Cục Thuế", []),
    ("kho-bac", OrgKind.CENTRAL, "Kho bạc Nhà nước tỉnh", "KBNN tỉnh", []),
    ("bhxh", OrgKind.CENTRAL, "Bảo hiểm xã hội tỉnh", "BHXH tỉnh", []),
    ("mttq", OrgKind.OTHER, "Ủy ban MTTQ Việt Nam tỉnh", "UBMTTQ tỉnh", []),
    # Above the province: where work from above comes from.
    ("chinh-phu", OrgKind.GOVERNMENT, "Chính phủ", "Chính phủ", []),
    ("thu-tuong", OrgKind.GOVERNMENT, "Thủ tướng Chính phủ", "TTg", ["Thủ tướng"]),
    ("vpcp", OrgKind.GOVERNMENT, "Văn phòng Chính phủ", "VPCP", []),
    ("bo-khcn", OrgKind.MINISTRY, "Bộ Khoa học và Công nghệ", "Bộ KH&CN", []),
]

# Organisations that began with the reforms: code, kind, name, short name, valid from.
NEW_ORGS: list[tuple[str, str, str, str, dt.date]] = [
    ("so-nnmt", OrgKind.DEPARTMENT, "Sở Nông nghiệp và Môi trường", "Sở NN&MT", MARCH_2025),
    ("ubnd-tinh", OrgKind.PROVINCE, "UBND tỉnh Gia Lai", "UBND tỉnh", JULY_2025),
]

# The communes and wards of the Bình Định side from 1/7/2025, by the district they replace:
# code, kind, name, the place names (old communes, towns) whose tasks default to it. Names as
# the Bình Định People's Council approved them on 28/4/2025 for Nghị quyết 1664/NQ-UBTVQH15
# (plo.vn, thanhnien.vn, dantri.com.vn of April 2025). Left out, because the sources we could
# read disagree or were cut: Phù Cát's "Hòa Hội"/"Hoài Hội", Phù Mỹ's "An Lương"/"An Dương"
# and "Phù Mỹ Bắc", and the communes of Vân Canh, Vĩnh Thạnh and An Lão other than their
# namesakes (the namesakes themselves are unchecked).
LOCAL_UNITS: dict[str, list[tuple[str, str, str, list[str]]]] = {
    "quy-nhon": [
        ("p-quy-nhon", OrgKind.WARD, "UBND phường Quy Nhơn", ["Hải Cảng", "Thị Nại", "Đống Đa"]),
        ("p-quy-nhon-dong", OrgKind.WARD, "UBND phường Quy Nhơn Đông", ["Nhơn Hội", "Nhơn Lý"]),
        ("p-quy-nhon-tay", OrgKind.WARD, "UBND phường Quy Nhơn Tây", ["Bùi Thị Xuân"]),
        ("p-quy-nhon-nam", OrgKind.WARD, "UBND phường Quy Nhơn Nam", ["Ghềnh Ráng", "Ngô Mây"]),
        ("p-quy-nhon-bac", OrgKind.WARD, "UBND phường Quy Nhơn Bắc", ["Nhơn Phú"]),
        ("x-nhon-chau", OrgKind.COMMUNE, "UBND xã Nhơn Châu", ["Nhơn Châu", "Cù Lao Xanh"]),
    ],
    "an-nhon": [
        ("p-binh-dinh", OrgKind.WARD, "UBND phường Bình Định", ["Nhơn Khánh"]),
        ("p-an-nhon", OrgKind.WARD, "UBND phường An Nhơn", ["Đập Đá"]),
        ("p-an-nhon-dong", OrgKind.WARD, "UBND phường An Nhơn Đông", ["Nhơn Hưng"]),
        ("p-an-nhon-nam", OrgKind.WARD, "UBND phường An Nhơn Nam", ["Nhơn Hòa"]),
        ("p-an-nhon-bac", OrgKind.WARD, "UBND phường An Nhơn Bắc", ["Nhơn Thành"]),
        ("x-an-nhon-tay", OrgKind.COMMUNE, "UBND xã An Nhơn Tây", ["Nhơn Tân", "Nhơn Thọ"]),
    ],
    "hoai-nhon": [
        ("p-bong-son", OrgKind.WARD, "UBND phường Bồng Sơn", ["Bồng Sơn"]),
        ("p-hoai-nhon", OrgKind.WARD, "UBND phường Hoài Nhơn", []),
        ("p-tam-quan", OrgKind.WARD, "UBND phường Tam Quan", ["Tam Quan"]),
        ("p-hoai-nhon-dong", OrgKind.WARD, "UBND phường Hoài Nhơn Đông", []),
        ("p-hoai-nhon-tay", OrgKind.WARD, "UBND phường Hoài Nhơn Tây", []),
        ("p-hoai-nhon-nam", OrgKind.WARD, "UBND phường Hoài Nhơn Nam", []),
        ("p-hoai-nhon-bac", OrgKind.WARD, "UBND phường Hoài Nhơn Bắc", []),
    ],
    "tuy-phuoc": [
        ("x-tuy-phuoc", OrgKind.COMMUNE, "UBND xã Tuy Phước", ["Diêu Trì"]),
        ("x-tuy-phuoc-dong", OrgKind.COMMUNE, "UBND xã Tuy Phước Đông", []),
        ("x-tuy-phuoc-tay", OrgKind.COMMUNE, "UBND xã Tuy Phước Tây", []),
        ("x-tuy-phuoc-bac", OrgKind.COMMUNE, "UBND xã Tuy Phước Bắc", []),
    ],
    "phu-cat": [
        ("x-phu-cat", OrgKind.COMMUNE, "UBND xã Phù Cát", ["Ngô Mây"]),
        ("x-xuan-an", OrgKind.COMMUNE, "UBND xã Xuân An", []),
        ("x-ngo-may", OrgKind.COMMUNE, "UBND xã Ngô Mây", []),
        ("x-cat-tien", OrgKind.COMMUNE, "UBND xã Cát Tiến", ["Cát Tiến"]),
        ("x-de-gi", OrgKind.COMMUNE, "UBND xã Đề Gi", ["Đề Gi"]),
        ("x-hoi-son", OrgKind.COMMUNE, "UBND xã Hội Sơn", []),
    ],
    "phu-my": [
        ("x-phu-my", OrgKind.COMMUNE, "UBND xã Phù Mỹ", []),
        ("x-binh-duong", OrgKind.COMMUNE, "UBND xã Bình Dương", ["Bình Dương"]),
        ("x-phu-my-dong", OrgKind.COMMUNE, "UBND xã Phù Mỹ Đông", []),
        ("x-phu-my-tay", OrgKind.COMMUNE, "UBND xã Phù Mỹ Tây", []),
        ("x-phu-my-nam", OrgKind.COMMUNE, "UBND xã Phù Mỹ Nam", []),
    ],
    "tay-son": [
        ("x-tay-son", OrgKind.COMMUNE, "UBND xã Tây Sơn", ["Phú Phong"]),
        ("x-binh-khe", OrgKind.COMMUNE, "UBND xã Bình Khê", []),
        ("x-binh-phu", OrgKind.COMMUNE, "UBND xã Bình Phú", []),
        ("x-binh-hiep", OrgKind.COMMUNE, "UBND xã Bình Hiệp", []),
        ("x-binh-an", OrgKind.COMMUNE, "UBND xã Bình An", []),
    ],
    "hoai-an": [
        ("x-hoai-an", OrgKind.COMMUNE, "UBND xã Hoài Ân", ["Tăng Bạt Hổ"]),
        ("x-an-tuong", OrgKind.COMMUNE, "UBND xã Ân Tường", []),
        ("x-kim-son", OrgKind.COMMUNE, "UBND xã Kim Sơn", []),
        ("x-van-duc", OrgKind.COMMUNE, "UBND xã Vạn Đức", []),
        ("x-an-hao", OrgKind.COMMUNE, "UBND xã Ân Hảo", []),
    ],
    "van-canh": [
        ("x-van-canh", OrgKind.COMMUNE, "UBND xã Vân Canh", []),
        ("x-canh-lien", OrgKind.COMMUNE, "UBND xã Canh Liên", ["Canh Liên"]),
    ],
    "vinh-thanh": [("x-vinh-thanh", OrgKind.COMMUNE, "UBND xã Vĩnh Thạnh", [])],
    "an-lao": [("x-an-lao", OrgKind.COMMUNE, "UBND xã An Lão", [])],
}

# The reforms, replayed through the services in date order: effective date, kind, legal basis,
# sources, targets, split rules (successor code → words). The department mergers follow the
# Government's frame (Nghị định 45/2025/NĐ-CP, from 1/3/2025); the exact split of Sở LĐ-TB&XH's
# work differs by province, and this one is the common pattern, not Bình Định's checked text.
DEPARTMENT_BASIS = "Nghị quyết của HĐND tỉnh Bình Định về thành lập, tổ chức lại các sở (01/3/2025)"
PROVINCE_BASIS = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội"
COMMUNE_BASIS = "Nghị quyết số 1664/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội"
REFORMS: list[tuple[dt.date, str, str, list[str], list[str], dict[str, list[str]]]] = [
    (MARCH_2025, ReorgKind.MERGE, DEPARTMENT_BASIS, ["so-tttt"], ["so-khcn"], {}),
    (MARCH_2025, ReorgKind.MERGE, DEPARTMENT_BASIS, ["so-khdt"], ["so-tai-chinh"], {}),
    (MARCH_2025, ReorgKind.MERGE, DEPARTMENT_BASIS, ["so-gtvt"], ["so-xay-dung"], {}),
    (
        MARCH_2025,
        ReorgKind.MERGE,
        DEPARTMENT_BASIS,
        ["so-tnmt", "so-nnptnt"],
        ["so-nnmt"],
        {},
    ),
    (
        MARCH_2025,
        ReorgKind.SPLIT,
        DEPARTMENT_BASIS,
        ["so-ldtbxh"],
        ["so-noi-vu", "so-y-te", "so-gddt"],
        {
            "so-y-te": ["bảo trợ xã hội", "giảm nghèo", "trẻ em", "phòng, chống tệ nạn"],
            "so-gddt": ["giáo dục nghề nghiệp", "dạy nghề"],
            "so-noi-vu": ["lao động", "việc làm", "người có công", "tiền lương"],
        },
    ),
    (JULY_2025, ReorgKind.MERGE, PROVINCE_BASIS, ["ubnd-binh-dinh"], ["ubnd-tinh"], {}),
    *[
        (
            JULY_2025,
            ReorgKind.SPLIT,
            COMMUNE_BASIS,
            [district],
            [unit[0] for unit in units],
            {unit[0]: unit[3] for unit in units if unit[3]},
        )
        for district, units in LOCAL_UNITS.items()
        if len(units) > 1
    ],
    *[
        (JULY_2025, ReorgKind.MERGE, COMMUNE_BASIS, [district], [units[0][0]], {})
        for district, units in LOCAL_UNITS.items()
        if len(units) == 1
    ],
]

# username, full name, organisation, role, leader title
USERS: list[tuple[str, str, str, str, str]] = [
    ("chutich", "Nguyễn Phi Long", "ubnd-tinh", Role.LEADER, "chu_tich"),
    ("phochutich", "Lâm Hải Giang", "ubnd-tinh", Role.LEADER, "pho_chu_tich"),
    ("vanphong", "Trần Thị Thu Hà", "vp-ubnd", Role.OFFICE, ""),
    ("totcongtac", "Lê Văn Bình", "to-cong-tac", Role.WORKING_GROUP, ""),
    ("khcn", "Phạm Minh Tuấn", "so-khcn", Role.OFFICER, ""),
    ("khcn.giamdoc", "Đỗ Thanh Sơn", "so-khcn", Role.HEAD, ""),
    ("taichinh", "Võ Thị Lan", "so-tai-chinh", Role.OFFICER, ""),
    ("noivu", "Huỳnh Văn Nam", "so-noi-vu", Role.OFFICER, ""),
    ("quynhon", "Nguyễn Thị Mai", "p-quy-nhon", Role.OFFICER, ""),
    ("quynhon.chutich", "Trần Văn Hòa", "p-quy-nhon", Role.HEAD, ""),
    ("yte.xem", "Đặng Quốc Việt", "so-y-te", Role.VIEWER, ""),
    ("quantri", "Quản trị hệ thống", "vp-ubnd", Role.ADMIN, ""),
]

SUBJECTS = [
    "triển khai thực hiện Kế hoạch chuyển đổi số năm {y}",
    "tăng cường công tác phòng, chống thiên tai, tìm kiếm cứu nạn",
    "đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {y}",
    "cải cách thủ tục hành chính, nâng cao Chỉ số PAPI, PCI",
    "tăng cường quản lý đất đai, trật tự xây dựng",
    "phòng, chống dịch bệnh trên gia súc, gia cầm",
    "bảo đảm trật tự an toàn giao thông dịp Tết Nguyên đán",
    "thực hiện chính sách an sinh xã hội, giảm nghèo bền vững",
    "chấn chỉnh công tác thu ngân sách nhà nước",
    "phát triển du lịch, tổ chức các sự kiện văn hóa",
    "nâng cao chất lượng giáo dục, chuẩn bị năm học mới",
    "kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban",
]
WORKS = [
    ("Rà soát, tổng hợp tình hình thực hiện và báo cáo kết quả", "bao_cao", "Báo cáo kết quả"),
    ("Chủ trì xây dựng kế hoạch triển khai", "ke_hoach", "Kế hoạch triển khai"),
    ("Tham mưu dự thảo Quyết định ban hành quy chế", "du_thao", "Dự thảo Quyết định"),
    ("Đề xuất phương án xử lý các tồn tại, vướng mắc", "de_xuat", "Văn bản đề xuất"),
    ("Trình UBND tỉnh phê duyệt đề án", "to_trinh", "Tờ trình kèm đề án"),
    ("Kiểm tra, đôn đốc các đơn vị thực hiện nghiêm các nội dung chỉ đạo", "", ""),
    ("Phối hợp tổ chức tuyên truyền, phổ biến đến người dân", "", ""),
]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TZ)


@dataclass
class Demo:
    orgs: dict[str, Organisation]
    users: dict[str, Any]


@transaction.atomic
def load_reference() -> Demo:
    """Every organisation the demo's history needs, each created once: a second load leaves the
    validity the replayed reforms gave them alone."""
    orgs_by_code: dict[str, Organisation] = {
        o.code: o for o in Organisation.objects.select_related("successor")
    }

    def ensure(code: str, **fields: Any) -> None:
        if code not in orgs_by_code:
            orgs_by_code[code] = orgs.organisation_upsert(actor=None, code=code, **fields)

    for code, kind, name, short, aliases in ORGS:
        ensure(code, name=name, kind=kind, short_name=short, aliases=aliases)
    for code, kind, name, short, valid_from in NEW_ORGS:
        ensure(code, name=name, kind=kind, short_name=short, valid_from=valid_from)
    for units in LOCAL_UNITS.values():
        for code, kind, name, _places in units:
            ensure(
                code,
                name=name,
                kind=kind,
                short_name=name.removeprefix("UBND "),
                valid_from=JULY_2025,
                parent=orgs_by_code["ubnd-tinh"],
            )
    tasks.delay_causes_ensure()
    users = {}
    for username, full_name, org_code, role, title in USERS:
        user = orgs.user_upsert(
            actor=None,
            username=username,
            full_name=full_name,
            email=f"{username}@demo.gialai.gov.vn",
            password=DEMO_PASSWORD,
            is_staff=role == Role.ADMIN,
        )
        orgs.membership_grant(
            actor=None, user=user, org=orgs_by_code[org_code], role=role, leader_title=title
        )
        users[username] = user
    return Demo(orgs_by_code, users)


def _refresh(demo: Demo) -> None:
    """demo.orgs as the database has them now (after the reforms changed their validity)."""
    demo.orgs.update({o.code: o for o in Organisation.objects.filter(code__in=list(demo.orgs))})


def replay_reforms(demo: Demo, *, until: dt.date | None = None) -> None:
    """The 2025 reforms through the same services an office uses: record, build the plan (the
    split rules give most tasks their holder), give the rest to the successor that carries the
    old unit's centre, apply on the effective date. Skips what is already applied."""
    office = demo.users["vanphong"]
    for effective, kind, basis, sources, targets, rules in REFORMS:
        if until is not None and effective > until:
            continue
        source_orgs = [Organisation.objects.get(code=code) for code in sources]
        if any(org.valid_to is not None for org in source_orgs):
            continue  # already applied
        with workdays.clock(_at(effective, 8)):
            reorg = orgs.reorganisation_record(
                actor=office,
                kind=kind,
                effective_date=effective,
                legal_basis=basis,
                sources=source_orgs,
                targets=[Organisation.objects.get(code=code) for code in targets],
                split_rules=[{"to": to, "words": words} for to, words in rules.items()],
            )
            tasks.transfer_plan_build(actor=office, reorg=reorg)
            unassigned = reorg.transfer_items.filter(role="lead", to_org__isnull=True)
            if unassigned.exists():
                tasks.transfer_plan_set(
                    actor=office,
                    reorg=reorg,
                    items=list(unassigned.values_list("pk", flat=True)),
                    to_org=Organisation.objects.get(code=targets[0]),
                )
            tasks.reorganisation_apply(actor=office, reorg=reorg)
    _refresh(demo)


def _registered(issuer: Organisation, ref: str, year: int) -> bool:
    parsed = docref.parse(ref)
    return Directive.objects.filter(
        issuer=issuer, year=year, number=parsed.number, symbol=parsed.symbol
    ).exists()


def load_founding_letter(demo: Demo) -> None:
    """Công văn 1147/UBND-KSTT of 08/3/2022, its tasks as labelled in the shared corpus (d000).

    A document of UBND tỉnh Bình Định, the issuer as it was. Most agencies reported that March;
    five tasks stay open into the 2025 reforms and are carried by today's holders: the iDesk
    upgrade (Sở TT&TT → Sở KH&CN), the reports of Sở GTVT (→ Sở Xây dựng), of Sở LĐ-TB&XH (split;
    → Sở Nội vụ) and of two districts (→ the communes that replaced them)."""
    province = demo.orgs["ubnd-binh-dinh"]
    if _registered(province, "1147/UBND-KSTT", 2022):
        return
    orgs = demo.orgs
    office = demo.users["vanphong"]
    group = resolve_group("các cơ quan, đơn vị, địa phương", on=dt.date(2022, 3, 8))
    assert group is not None
    members = list(group)
    with workdays.clock(_at(dt.date(2022, 3, 9))):
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
        _complete(task, demo, done_on, confirm_after=rng.randint(1, 4), rng=rng)


# Who had not reported on the founding letter by the 2025 reforms (besides the iDesk upgrade).
FOUNDING_BACKLOG = frozenset({"so-gtvt", "so-ldtbxh", "tay-son", "van-canh"})


def _lead_user(task: Assignment, demo: Demo) -> Any:
    """An officer of the task's lead agency; the demo lets the office's admin stand in."""
    from nhiemvu.orgs.models import Membership

    membership = (
        Membership.objects.filter(org=task.lead, role__in=[Role.OFFICER, Role.HEAD])
        .select_related("user")
        .first()
    )
    if membership:
        return membership.user
    username = f"demo.{task.lead.code}"
    user = orgs.user_upsert(
        actor=None, username=username, full_name=f"Cán bộ {task.lead.label}", password=DEMO_PASSWORD
    )
    orgs.membership_grant(actor=None, user=user, org=task.lead, role=Role.OFFICER)
    return user


# What agencies write when they explain a delay, by cause (issue 18): the demo's words, so the
# report's "causes and lessons" section reads like a province's.
EXPLANATIONS: dict[str, tuple[str, str]] = {
    "cho-co-quan-khac": (
        "Chờ ý kiến góp ý, số liệu của cơ quan phối hợp nên chưa tổng hợp kịp.",
        "Gửi văn bản xin ý kiến sớm hơn, ấn định thời hạn trả lời và đôn đốc qua điện thoại.",
    ),
    "vuong-mac-phap-ly": (
        "Vướng quy định chuyển tiếp sau khi sắp xếp tổ chức, phải xin ý kiến bộ chuyên ngành.",
        "Rà soát quy định ngay khi nhận nhiệm vụ, đề xuất gia hạn trước khi đến hạn.",
    ),
    "chua-bo-tri-von": (
        "Kinh phí thực hiện chưa được bố trí trong dự toán năm.",
        "Lập dự toán kinh phí cùng lúc với kế hoạch triển khai.",
    ),
    "giai-phong-mat-bang": (
        "Một số hộ dân chưa đồng thuận phương án bồi thường.",
        "Phối hợp UBND xã tổ chức đối thoại sớm, công khai phương án.",
    ),
    "khoi-luong-lon": (
        "Khối lượng công việc lớn trong khi đơn vị thiếu biên chế sau sắp xếp.",
        "Phân công lại nhân sự, giao đầu mối theo dõi riêng.",
    ),
    "khong-ro-nguyen-nhan": (
        "Chưa theo dõi sát thời hạn, chậm tham mưu.",
        "Nghiêm túc rút kinh nghiệm; cập nhật thời hạn vào lịch công tác hằng tuần.",
    ),
}


def _explanation(task: Assignment, rng: random.Random) -> Any:
    """A plausible explanation of the task's delay (only used when the service needs one)."""
    from nhiemvu.assignments.models import DelayCause

    code = rng.choice(list(EXPLANATIONS))
    text, remedy = EXPLANATIONS[code]
    other = None
    if code == "cho-co-quan-khac":
        other = (
            Organisation.objects.filter(kind=OrgKind.DEPARTMENT, valid_to__isnull=True)
            .exclude(pk=task.lead_id)
            .order_by("code")[rng.randint(0, 5)]
        )
    return tasks.ExplanationSpec(
        cause=DelayCause.objects.get(code=code), text=text, remedy=remedy, other_org=other
    )


def _complete(
    task: Assignment,
    demo: Demo,
    done_on: dt.date,
    *,
    confirm_after: int | None,
    rng: random.Random,
    returned_once: bool = False,
) -> None:
    today = workdays.today()
    officer = _lead_user(task, demo)
    if done_on > today:
        return
    with workdays.clock(_at(done_on, 10)):
        tasks.assignment_report_completion(
            actor=officer,
            task=task,
            output_ref=f"{rng.randint(10, 999)}/BC-{task.lead.code[:6].upper()}",
            output_date=done_on,
            text="Đã hoàn thành, gửi kèm báo cáo.",
            explanation=_explanation(task, rng),
        )
    if confirm_after is None:
        return
    checked = workdays.add_working_days(done_on, confirm_after)
    if checked > today:
        return
    reviewer = demo.users["totcongtac" if rng.random() < 0.3 else "vanphong"]
    with workdays.clock(_at(checked, 15)):
        if returned_once:
            tasks.assignment_return(
                actor=reviewer, task=task, reason="Báo cáo chưa đủ số liệu, đề nghị bổ sung."
            )
        else:
            tasks.assignment_confirm(actor=reviewer, task=task)
    if returned_once:
        again = workdays.add_working_days(checked, rng.randint(2, 8))
        _complete(task, demo, again, confirm_after=rng.randint(1, 3), rng=rng)


def load_year_of_tasks(demo: Demo, *, documents: int = 70, seed: int = 2026) -> None:
    """About 300 tasks over the past year, in every status; deterministic for a given seed."""
    today = workdays.today()
    province = demo.orgs["ubnd-tinh"]
    office = demo.users["vanphong"]
    leaders = [demo.users["chutich"], demo.users["phochutich"]]
    # Read afresh: the reforms replayed since load_reference ended some of demo.orgs.
    agencies = [
        o
        for o in Organisation.objects.filter(
            kind__in=[OrgKind.DEPARTMENT, OrgKind.CENTRAL, *LOCAL]
        ).order_by("code")
        if o.is_active_on(today)
    ]
    start = today - dt.timedelta(days=365)
    for index in range(documents):
        # One generator per document: skipping a loaded document leaves the others unchanged.
        rng = random.Random(f"{seed}-{index}")
        doc_date = workdays.calendar().previous_working_day(
            start + dt.timedelta(days=int(index * 360 / documents) + rng.randint(0, 3))
        )
        number = 3000 + index * 7
        ref = f"{number}/UBND-{rng.choice(['KT', 'VX', 'TH', 'NC', 'KSTT'])}"
        task_count = rng.randint(2, 7)
        plan = [_plan_task(rng, agencies, doc_date) for _ in range(task_count)]
        leader = leaders[index % 2]
        subject = rng.choice(SUBJECTS).format(y=doc_date.year)
        outcomes = [rng.random() for _ in range(task_count)]
        extra = [rng.randint(1, 20) for _ in range(task_count)]
        if _registered(province, ref, doc_date.year):
            continue
        registered_on = workdays.add_working_days(doc_date, 1)
        with workdays.clock(_at(min(registered_on, today), 8)):
            directive = tasks.directive_register(
                actor=office,
                spec=DirectiveSpec(
                    issuer=province,
                    ref=ref,
                    doc_date=doc_date,
                    subject=f"Về việc {subject}",
                    signer_name=leader.full_name,
                    signer_title="Chủ tịch" if leader.username == "chutich" else "Phó Chủ tịch",
                    authority=Authority.DIRECT if leader.username == "chutich" else Authority.KT,
                    assigned_by=leader,
                    place="Gia Lai",
                    text=f"UBND tỉnh chỉ đạo {subject}.",
                ),
                tasks=[p for p in plan],
            )
        for task, roll, span in zip(
            Assignment.objects.filter(directive=directive).order_by("id"),
            outcomes,
            extra,
            strict=False,
        ):
            _play(task, demo, roll, span, rng)


def _plan_task(rng: random.Random, agencies: list[Organisation], doc_date: dt.date) -> Any:
    content, deliverable, deliverable_text = rng.choice(WORKS)
    lead = rng.choice(agencies)
    coordinators = rng.sample([a for a in agencies if a != lead], k=rng.randint(0, 2))
    kind = rng.random()
    deadline: dt.date | None = None
    reason = ""
    recurrence = ""
    if kind < 0.8:
        deadline = workdays.add_working_days(doc_date, rng.choice([5, 10, 15, 20, 30, 45, 60]))
    elif kind < 0.9:
        recurrence = "monthly"
    else:
        reason = "Nhiệm vụ thường xuyên, không ấn định thời hạn." if deliverable else ""
        if deliverable and rng.random() < 0.5:
            reason = "Chờ kết quả khảo sát để ấn định thời hạn."
    return tasks.TaskSpec(
        content=f"{content} ({lead.label}).",
        lead=lead,
        coordinators=coordinators,
        deliverable_kind=deliverable,
        deliverable_text=deliverable_text,
        deadline=deadline,
        recurrence=recurrence,
        recurrence_rule="trước ngày 20 hằng tháng" if recurrence else "",
        no_deadline_reason=reason,
    )


def _play(task: Assignment, demo: Demo, roll: float, span: int, rng: random.Random) -> None:
    """Give one task a plausible history up to today."""
    today = workdays.today()
    officer = _lead_user(task, demo)
    base = task.deadline or workdays.add_working_days(task.assigned_on, 30)
    accepted = workdays.add_working_days(task.assigned_on, 1)
    if accepted <= today and roll > 0.03:
        with workdays.clock(_at(accepted, 14)):
            tasks.assignment_accept(actor=officer, task=task)
    if roll < 0.03:  # refused: waits for the office to reassign
        if accepted <= today:
            with workdays.clock(_at(accepted, 14)):
                tasks.assignment_refuse(
                    actor=officer, task=task, reason="Nội dung không thuộc chức năng của đơn vị."
                )
        return
    progress_on = workdays.add_working_days(task.assigned_on, max(1, span // 2))
    if progress_on <= today:
        with workdays.clock(_at(progress_on, 11)):
            tasks.assignment_report_progress(
                actor=officer,
                task=task,
                percent=min(90, span * 5),
                text="Đang triển khai, đã họp các đơn vị liên quan.",
            )
    if roll < 0.55:  # done on time (some returned once first)
        done_on = workdays.add_working_days(base, -min(span, 4))
        _complete(
            task,
            demo,
            max(done_on, progress_on),
            confirm_after=1 + span % 3,
            rng=rng,
            returned_once=roll < 0.08,
        )
    elif roll < 0.68:  # done late
        _complete(
            task, demo, workdays.add_working_days(base, span), confirm_after=1 + span % 3, rng=rng
        )
    elif roll < 0.72:  # reported, awaiting confirmation
        _complete(
            task, demo, min(today, workdays.add_working_days(base, -1)), confirm_after=None, rng=rng
        )
    elif roll < 0.78 and task.deadline:  # extension asked before the deadline
        asked = workdays.add_working_days(task.deadline, -2)
        if asked <= today and asked > task.assigned_on:
            with workdays.clock(_at(asked, 9)):
                ext = tasks.extension_request(
                    actor=officer,
                    task=task,
                    proposed_deadline=workdays.add_working_days(task.deadline, 10 + span),
                    reason="Chờ ý kiến góp ý của các cơ quan phối hợp.",
                )
            decided = workdays.add_working_days(asked, 1)
            if decided <= today and roll < 0.76:
                leader = task.assigned_by or demo.users["chutich"]
                with workdays.clock(_at(decided, 16)):
                    tasks.extension_decide(
                        actor=leader,
                        extension=ext,
                        approve=roll < 0.75,
                        note="" if roll < 0.75 else "Đề nghị hoàn thành đúng hạn.",
                    )
    elif roll < 0.80:  # paused by the office
        paused = workdays.add_working_days(task.assigned_on, 3)
        if paused <= today:
            with workdays.clock(_at(paused, 9)):
                tasks.assignment_pause(
                    actor=demo.users["vanphong"], task=task, reason="Chờ chủ trương của Tỉnh ủy."
                )
    # else: left open (within deadline, due soon or overdue as time has it)


def load_work_from_above(demo: Demo) -> None:
    """Two tasks the province received, each split by the office for its agencies: one still in
    progress with the upward deadline near, one every agency finished and the province has
    reported upward. Illustrative documents: their numbers are not real ones."""
    today = workdays.today()
    office = demo.users["vanphong"]
    plans = [
        (
            "thu-tuong",
            "9017/VPCP-KTTH",
            today - dt.timedelta(days=75),
            "Đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {y}; báo cáo Thủ tướng Chính phủ "
            "kết quả thực hiện.",
            "NV-{y}-17",
            today + dt.timedelta(days=13),
            [("so-tai-chinh", -5, True), ("so-xay-dung", -5, False), ("p-quy-nhon", 2, False)],
            None,
        ),
        (
            "bo-khcn",
            "9018/BKHCN-CĐSQG",
            today - dt.timedelta(days=170),
            "Báo cáo tình hình triển khai chuyển đổi số và phát triển chính quyền số của tỉnh.",
            "",
            today - dt.timedelta(days=90),
            [("so-khcn", -20, True), ("so-noi-vu", -20, True)],
            today - dt.timedelta(days=95),
        ),
    ]
    for issuer_code, ref, issued, content, code, deadline, parts, reported in plans:
        issuer = demo.orgs[issuer_code]
        issued = workdays.calendar().previous_working_day(issued)
        if _registered(issuer, ref, issued.year):
            continue
        with workdays.clock(_at(issued, 8)):
            directive = tasks.directive_register(
                actor=office,
                spec=DirectiveSpec(
                    issuer=issuer,
                    ref=ref,
                    doc_date=issued,
                    subject=content.format(y=issued.year)[:200],
                    text=content.format(y=issued.year),
                ),
                tasks=[
                    tasks.TaskSpec(
                        content=content.format(y=issued.year),
                        lead=demo.orgs["ubnd-tinh"],
                        deliverable_kind="bao_cao",
                        deliverable_text="Báo cáo kết quả thực hiện",
                        deadline=deadline,
                        external_code=code.format(y=issued.year),
                    )
                ],
            )
        upper = directive.assignments.get()
        split_on = workdays.add_working_days(issued, 2)
        for lead_code, before, done in parts:
            with workdays.clock(_at(split_on, 9)):
                (sub,) = tasks.subtask_create(
                    actor=office,
                    upper=upper,
                    spec=tasks.TaskSpec(
                        content=f"{content.format(y=issued.year)} (phần việc của "
                        f"{demo.orgs[lead_code].label})",
                        lead=demo.orgs[lead_code],
                        deadline=deadline + dt.timedelta(days=min(before, 0) or -2),
                        deliverable_kind="bao_cao",
                        deliverable_text="Báo cáo kết quả",
                    ),
                )
            rng = random.Random(f"{ref}-{lead_code}")
            if done:
                _complete(
                    sub, demo, workdays.add_working_days(split_on, 20), confirm_after=2, rng=rng
                )
            else:
                _play(sub, demo, 0.9, 8, rng)
        if reported is not None:
            with workdays.clock(_at(reported, 15)):
                tasks.received_report_upward(
                    actor=office,
                    task=upper,
                    ref=f"{rng.randint(100, 999)}/BC-UBND",
                    report_date=reported,
                )


def explain_overdue(demo: Demo) -> None:
    """Most agencies explained their overdue tasks a week past the deadline; the office found
    one explanation in eight insufficient and returned it (asked again)."""
    from nhiemvu.assignments import status
    from nhiemvu.assignments.models import Explanation

    today = workdays.today()
    overdue = (
        Assignment.objects.filter(status.open_overdue_q(today))
        .filter(state__in=[WorkState.OPEN, WorkState.RETURNED])
        .exclude(pk__in=Explanation.objects.values("assignment_id"))
    )
    for task in overdue.select_related("lead").order_by("id"):
        rng = random.Random(f"explain-{task.code}")
        assert task.deadline is not None
        day = workdays.add_working_days(task.deadline, 6)
        if day > today or rng.random() < 0.3 or task.received:
            continue
        officer = _lead_user(task, demo)
        with workdays.clock(_at(day, 9)):
            tasks.assignment_explain(actor=officer, task=task, spec=_explanation(task, rng))
        back = workdays.add_working_days(day, 2)
        if rng.random() < 0.125 and back <= today:
            with workdays.clock(_at(back, 14)):
                tasks.explanation_return(
                    actor=demo.users["vanphong"],
                    task=task,
                    reason="Chưa nêu rõ nguyên nhân chủ quan và thời hạn hoàn thành mới.",
                )


def load(*, documents: int = 70) -> dict[str, int]:
    demo = load_reference()
    # A replayed year: nobody is told today of what "happened" months ago (the bell and the
    # outbox start empty; the scheduler's reminders fill them as for a real province).
    with events.muted():
        load_founding_letter(demo)
        replay_reforms(demo)
        load_year_of_tasks(demo, documents=documents)
        load_work_from_above(demo)
        explain_overdue(demo)
    return {
        "organisations": Organisation.objects.count(),
        "documents": Directive.objects.count(),
        "tasks": Assignment.objects.count(),
        "pending_extensions": Extension.objects.filter(status=ExtensionStatus.PENDING).count(),
        "done": Assignment.objects.filter(state=WorkState.DONE).count(),
    }


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
