"""Kinds of organisation and the group phrases directives use to address several at once.

Pure data shared by the orgs app (model choices) and the extraction engine (group resolution).
"""

from __future__ import annotations

import functools
import re

from nhiemvu.lib.vntext import fold

PROVINCE = "province"
OFFICE = "office"
WORKING_GROUP = "working_group"
DEPARTMENT = "department"
DISTRICT = "district"
COMMUNE = "commune"
# Two-level local government (from 1/7/2025): wards and the island special zones answer to the
# province directly, beside the communes.
WARD = "ward"
SPECIAL_ZONE = "special_zone"
# Above the province: where "work from above" comes from (DOMAIN.md §1; issue 16).
GOVERNMENT = "government"
MINISTRY = "ministry"
CENTRAL = "central"
PUBLIC_UNIT = "public_unit"
OTHER = "other"

KIND_LABELS: dict[str, str] = {
    PROVINCE: "UBND tỉnh",
    OFFICE: "Văn phòng UBND",
    WORKING_GROUP: "Tổ công tác",
    DEPARTMENT: "Sở, ban, ngành",
    DISTRICT: "UBND cấp huyện",
    COMMUNE: "UBND xã",
    WARD: "UBND phường",
    SPECIAL_ZONE: "UBND đặc khu",
    GOVERNMENT: "Chính phủ, Thủ tướng Chính phủ",
    MINISTRY: "Bộ, ngành Trung ương",
    CENTRAL: "Cơ quan Trung ương trên địa bàn",
    PUBLIC_UNIT: "Đơn vị sự nghiệp",
    OTHER: "Khác",
}


@functools.lru_cache(maxsize=8192)  # the same few group phrases, on every text the reader reads
def group_key(phrase: str) -> str:
    """Folded, with ";" read as ",", "Ủy ban nhân dân" as "UBND", the order of "xã, phường"
    ignored and no trailing punctuation: how group phrases compare."""
    key = fold(phrase).replace(";", ",").strip(" ,.:")
    key = re.sub(r"\s+", " ", key).replace("uy ban nhan dan", "ubnd")
    return key.replace("cac phuong, xa", "cac xa, phuong")


# The local units of the two-level government (xã, phường, đặc khu), and every locality.
LOCAL = frozenset({COMMUNE, WARD, SPECIAL_ZONE})
LOCALITIES = LOCAL | {DISTRICT}
# Who may issue "work from above": a task the province receives and splits for its agencies.
UPPER = frozenset({GOVERNMENT, MINISTRY})

# Group phrase → kinds it covers.
_GROUPS: dict[str, frozenset[str]] = {
    "các sở, ban, ngành": frozenset({DEPARTMENT}),
    "các sở, ban, ngành tỉnh": frozenset({DEPARTMENT}),
    "các sở, ngành": frozenset({DEPARTMENT}),
    "các sở": frozenset({DEPARTMENT}),
    # "Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh": the boards and agencies beside the
    # departments (Ban Quản lý, Thanh tra, Công an...), which the directory files as departments.
    "các ban, ngành": frozenset({DEPARTMENT}),
    "các ban, ngành tỉnh": frozenset({DEPARTMENT}),
    "UBND các huyện, thị xã, thành phố": frozenset({DISTRICT}),
    "UBND cấp huyện": frozenset({DISTRICT}),
    "UBND các xã, phường": LOCAL,
    "UBND các xã, phường, đặc khu": LOCAL,
    "UBND các xã, phường, thị trấn": LOCAL,
    "UBND cấp xã": LOCAL,
    "UBND các phường": frozenset({WARD}),
    "UBND các xã": frozenset({COMMUNE}),
    "UBND các đặc khu": frozenset({SPECIAL_ZONE}),
    "các xã, phường": LOCAL,
    "các xã, phường, đặc khu": LOCAL,
    "các địa phương": LOCALITIES,
    "các cơ quan, đơn vị, địa phương": frozenset({DEPARTMENT, CENTRAL, PUBLIC_UNIT}) | LOCALITIES,
    "các sở, ban, ngành, địa phương": frozenset({DEPARTMENT}) | LOCALITIES,
    "các sở, ban, ngành; UBND các huyện, thị xã, thành phố": frozenset({DEPARTMENT, DISTRICT}),
    "các sở, ban, ngành tỉnh; UBND các xã, phường": frozenset({DEPARTMENT}) | LOCAL,
    "các sở, ban, ngành; UBND các xã, phường": frozenset({DEPARTMENT}) | LOCAL,
    "các sở, ban, ngành tỉnh; UBND các xã, phường, đặc khu": frozenset({DEPARTMENT}) | LOCAL,
    "các cơ quan Trung ương trên địa bàn": frozenset({CENTRAL}),
}


GROUP_PHRASES: dict[str, frozenset[str]] = {group_key(k): v for k, v in _GROUPS.items()}


def kinds_for_group(phrase: str) -> frozenset[str] | None:
    """The kinds a group phrase covers, or None when the phrase names no known group."""
    return GROUP_PHRASES.get(group_key(phrase))
