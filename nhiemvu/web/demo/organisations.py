"""The demo's organisations and people, and the reorganisations of 2025 replayed through the
services an office uses: Bình Định's units of 2022, the department mergers of 1/3/2025 and the
split of Sở LĐ-TB&XH, one Gia Lai and the wards and communes that replaced the districts on
1/7/2025."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from nhiemvu.assignments import services as tasks
from nhiemvu.assignments.reorganisation import plan, record
from nhiemvu.lib import workdays
from nhiemvu.orgs import services as orgs
from nhiemvu.orgs.models import LeaderTitle, Organisation, OrgKind, ReorgKind, Role
from nhiemvu.web.demo.steps import DEMO_PASSWORD, Demo, at

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
    ("chutich", "Nguyễn Phi Long", "ubnd-tinh", Role.LEADER, LeaderTitle.CHAIRMAN),
    ("phochutich", "Lâm Hải Giang", "ubnd-tinh", Role.LEADER, LeaderTitle.VICE_CHAIRMAN),
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
        )
        orgs.membership_grant(
            actor=None, user=user, org=orgs_by_code[org_code], role=role, leader_title=title
        )
        users[username] = user
    return Demo(orgs_by_code, users)


def _refresh(demo: Demo) -> None:
    """demo.orgs as the database has them now (after the reforms changed their validity)."""
    demo.orgs.update({o.code: o for o in Organisation.objects.filter(code__in=list(demo.orgs))})


def first_reform() -> dt.date:
    """The day the first of the replayed reforms took effect."""
    return min(effective for effective, *_rest in REFORMS)


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
        with workdays.clock(at(effective, 8)):
            reorg = record.reorganisation_record(
                actor=office,
                kind=kind,
                effective_date=effective,
                legal_basis=basis,
                sources=source_orgs,
                targets=[Organisation.objects.get(code=code) for code in targets],
                split_rules=[{"to": to, "words": words} for to, words in rules.items()],
            )
            plan.transfer_plan_build(actor=office, reorg=reorg)
            unassigned = reorg.transfer_items.filter(role="lead", to_org__isnull=True)
            if unassigned.exists():
                plan.transfer_plan_set(
                    actor=office,
                    reorg=reorg,
                    items=list(unassigned.values_list("pk", flat=True)),
                    to_org=Organisation.objects.get(code=targets[0]),
                )
            plan.reorganisation_apply(actor=office, reorg=reorg)
    _refresh(demo)
